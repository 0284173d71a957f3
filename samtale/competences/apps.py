from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencesConfig(AppConfig):
    """The competence catalogue with its level scales and job profiles, each person's register of
    levels, and the course catalogue (docs/domain.md § Competences and courses). It reads only the
    organisation; the conversation, the plan and the learning app above it read it."""

    name = "samtale.competences"
    verbose_name = _("Competences and courses")

    def ready(self) -> None:
        from samtale.competences import receivers  # noqa: F401 (connects the receivers)

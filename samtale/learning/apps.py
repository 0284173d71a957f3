from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """Seat requests from a plan's course activity, the leader's answer, enrolment with a waiting
    list, completion into the plan's progress and the education record, and the overview for the
    competence strategy (docs/domain.md § Competences and courses). It reads the plans and the
    catalogues below it."""

    name = "samtale.learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from samtale.learning import emails, receivers  # noqa: F401 (the e-mail kinds, the receivers)

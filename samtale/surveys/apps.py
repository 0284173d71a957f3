from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "samtale.surveys"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from samtale.surveys import emails  # noqa: F401  (registers the e-mail kinds with the outbox)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "samtale.rounds"
    verbose_name = _("Rounds")

    def ready(self) -> None:
        from samtale.rounds import emails  # noqa: F401  (registers the e-mail kinds with the outbox)

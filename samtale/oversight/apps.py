from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "samtale.oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from samtale.oversight import emails  # noqa: F401  (registers the e-mail kinds with the outbox)

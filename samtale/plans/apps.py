from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "samtale.plans"
    verbose_name = _("Development plans")

    def ready(self) -> None:
        from samtale.plans import (  # noqa: F401
            emails,  # registers the e-mail kinds with the outbox
            receivers,  # connects the receivers of the signals from below
        )

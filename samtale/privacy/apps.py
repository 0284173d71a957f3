from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "samtale.privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from samtale.privacy import schedule  # noqa: F401  (registers the check of the schedule)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samtale.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from samtale.accounts import emails  # noqa: F401  (registers the e-mail kinds with the outbox)

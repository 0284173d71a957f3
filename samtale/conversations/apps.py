from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "samtale.conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from samtale.conversations import emails  # noqa: F401  (registers the e-mail kinds with the outbox)

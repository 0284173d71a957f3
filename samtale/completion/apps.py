from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompletionConfig(AppConfig):
    """The completion counters of each round, per unit. They count conversations, plans and
    follow-ups, so the app sits above them; the services below tell it what moved by signal
    (``samtale.completion.receivers``), and HR's pages (``samtale.oversight``) read it."""

    name = "samtale.completion"
    verbose_name = _("Completion")

    def ready(self) -> None:
        from samtale.completion import receivers  # noqa: F401 (connects the receivers)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "samtale.org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # The people search's case folding on SQLite is a function of each connection: registered
        # at start-up, before the first connection opens, not when a search module is first imported
        # (a connection opened before that lacked it, and the first search of a process failed).
        from samtale.lib import casefold  # noqa: F401

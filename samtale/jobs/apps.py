from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """The scheduled work of every app: the daily sweep (each app's reminders, the completion
    counters healed). It sits above the apps whose work it runs; none of them imports it."""

    name = "samtale.jobs"
    verbose_name = _("Scheduled jobs")

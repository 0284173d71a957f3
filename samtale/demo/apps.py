from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo: Vesterby Kommune, its round, plans and evaluations, built from every app's services
    (``manage.py seed_demo``). It sits on top of the house: nothing imports it but tests and the bench."""

    name = "samtale.demo"
    verbose_name = _("Demo")

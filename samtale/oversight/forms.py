"""The drill-down's filter and sort, from GET parameters (the page works without JavaScript)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samtale.oversight.selectors.drill_down import SORTS

STEP_CHOICES = [
    ("", _("Every state")),
    ("invited", _("To be scheduled")),
    ("scheduled", _("Scheduled")),
    ("not_held", _("Not held")),
    ("held", _("Held, no plan handed in")),
    ("plan_submitted", _("Plan handed in")),
    ("plan_signed", _("Plan signed")),
    ("follow_up_held", _("Follow-up held")),
]
SORT_CHOICES = [("name", _("Name")), ("state", _("State")), ("date", _("Latest date"))]
assert [key for key, _label in SORT_CHOICES] == list(SORTS)


class PeopleFilterForm(forms.Form):
    step = forms.ChoiceField(label=_("State"), choices=STEP_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Only those late"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def values(self) -> dict[str, object]:
        """The filter to apply: the defaults when a parameter is missing or wrong."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "step": data.get("step") or "",
            "overdue": bool(data.get("overdue")),
            "sort": data.get("sort") or "name",
        }

"""Forms of privacy: the audit trail's filter, a legal hold, erasure, the data protection officer's
setting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samtale.lib.widgets import DateInput
from samtale.org.models import Person

REASON_LIMIT = 2000

# The areas of the audit trail: the first part of an event's action.
AREAS = [
    ("", _("Every area")),
    ("conversations", _("Conversations and preparations")),
    ("plans", _("Plans and follow-ups")),
    ("rounds", _("Rounds, goals and concepts")),
    ("survey", _("Evaluations")),
    ("org", _("The organisation and roles")),
    ("accounts", _("Accounts and sign-in")),
    ("oversight", _("Completion overview")),
    ("outbox", _("E-mail")),
    ("privacy", _("Privacy: holds, erasure, retention")),
]


def person_by_address(value: str) -> Person | None:
    """A person by e-mail address or employee number, as HR and the data protection officer know them."""
    value = value.strip()
    if not value:
        return None
    return (
        Person.objects.select_related("unit").filter(email__iexact=value).first()
        or Person.objects.select_related("unit").filter(employee_number=value).first()
    )


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=254,
        help_text=_("E-mail address or employee number: the events about this person's records."),
    )
    area = forms.ChoiceField(label=_("Area"), choices=AREAS, required=False)
    reads = forms.BooleanField(label=_("Only reads and downloads"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To and with"), required=False, widget=DateInput())

    def clean_person(self) -> Person | None:
        value = self.cleaned_data["person"]
        if not value.strip():
            return None
        person = person_by_address(value)
        if person is None:
            raise forms.ValidationError(_("No person has this e-mail address or employee number."))
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last day comes before the first."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail."),
    )


class HoldForm(ReasonForm):
    person = forms.CharField(label=_("Person"), max_length=254, help_text=_("E-mail address or employee number."))

    field_order = ["person", "reason"]

    def clean_person(self) -> Person:
        person = person_by_address(self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(_("No person has this e-mail address or employee number."))
        return person


class SettingForm(forms.Form):
    export_leader_preparation_text = forms.BooleanField(
        label=_("A person's export includes the text of their leader's preparation"),
        required=False,
        help_text=_(
            "Without it the export says that the leader prepared and when. The leader's preparation is the "
            "leader's private notes; decide it with the organisation's legal advice."
        ),
    )

"""Forms of learning: asking for a seat, the leader's answer, the day a course was completed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from samtale.competences.models import CourseSession
from samtale.learning.services import REASON_LIMIT
from samtale.lib.widgets import DateInput


class SeatRequestForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=CourseSession.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    reason = forms.CharField(
        label=_("Why this course, for your leader"),
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Only you and your leaders read it."),
    )

    def __init__(self, *args: Any, sessions: list[CourseSession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        field.queryset = CourseSession.objects.filter(pk__in=[s.pk for s in sessions])  # type: ignore[attr-defined]
        field.label_from_instance = _session_label  # type: ignore[attr-defined]


def _session_label(session: CourseSession) -> str:
    first = formats.date_format(session.starts_on, "DATE_FORMAT")
    last = formats.date_format(session.ends_on, "DATE_FORMAT")
    when = first if session.starts_on == session.ends_on else f"{first} – {last}"
    where = str(_("Online")) if session.online else session.place
    deadline = formats.date_format(session.registration_deadline, "DATE_FORMAT")
    if session.is_full:
        seats = str(_("full"))
    else:
        seats = str(_("%(left)d of %(seats)d seats left")) % {"left": session.seats_left, "seats": session.seats}
    return f"{when}, {where} ({seats}; " + str(_("register by %(day)s")) % {"day": deadline} + ")"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("approve", _("Approve the seat")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the employee"),
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline: say why, so that the two of you can find another way."),
    )


class CompletedForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())

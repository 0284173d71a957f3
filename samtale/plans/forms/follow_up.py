"""Forms of the plan's follow-up: progress on a goal or activity, a departure from the plan, the
follow-up conversation's time and place, and its outcome. They validate what a person typed; the
services in ``samtale.plans.services.follow_up`` hold the rules again for every other caller."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.lib.meetings.forms import TimeAndPlaceForm
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.plans.models import FollowUp, Plan, ProgressStatus
from samtale.plans.services import follow_up


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How far has it come?"), choices=ProgressStatus.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=follow_up.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. At most 2000 characters."),
    )
    on = forms.DateField(
        label=_("As of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today or an earlier date."),
    )

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future. Progress is recorded as of today or earlier."))
        return on


class DepartureForm(forms.Form):
    why = forms.CharField(
        label=_("Why must the plan be departed from?"),
        max_length=follow_up.WHY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The other side is told by e-mail that there is a departure; the text is only in Samtale."),
    )


class FollowUpCallForm(TimeAndPlaceForm):
    """The follow-up's time and place: "its own calendar file, as for the MUS" (docs/domain.md
    § Follow-up), so the same form as the MUS invitation's (a weekend day only when confirmed), by
    the rules of every booking and no later than the agreed date
    (``follow_up.follow_up_time_errors``)."""

    def __init__(self, *args: Any, plan: Plan, current: FollowUp | None, **kwargs: Any) -> None:
        super().__init__(*args, booked=current, **kwargs)
        self.plan = plan

    def errors_for(self, when: TimeAndPlace) -> dict[str, list[str]]:
        return follow_up.follow_up_time_errors(self.plan, when)


class FollowUpHeldForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today or an earlier date."),
    )
    reached = forms.CharField(
        label=_("What was reached"),
        max_length=follow_up.OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    carries_over = forms.CharField(
        label=_("What carries over to the next round"),
        required=False,
        max_length=follow_up.OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Goals and activities to take up again in the next development conversation."),
    )

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future. The follow-up is marked held after it."))
        return held_on

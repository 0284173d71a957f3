"""Forms of the plan's follow-up: progress on a goal or activity, a departure from the plan, the
follow-up conversation's time and place, and its outcome. They validate what a person typed; the
services in ``samtale.plans.services.follow_up`` hold the rules again for every other caller."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.conversations.forms.scheduling import WeekendConfirmation
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


class FollowUpCallForm(WeekendConfirmation):
    """The follow-up's time and place, by the same rules as the MUS invitation's form (a weekend
    day only when confirmed)."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=follow_up.MIN_DURATION,
        max_value=follow_up.MAX_DURATION,
        initial=60,
        help_text=_("From 15 to 240 minutes."),
    )
    location = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("For example the meeting room.")
    )
    online_url = forms.URLField(
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("If you meet online: the link, beginning with https://."),
    )
    field_order = ["date", "weekend_confirmed", "time", "duration_minutes", "location", "online_url"]

    def __init__(self, *args: Any, plan: Plan, current: FollowUp | None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        if current is not None:
            initial = {
                "duration_minutes": current.duration_minutes,
                "location": current.location,
                "online_url": current.online_url,
            }
            if current.starts_at is not None:
                local = timezone.localtime(current.starts_at)
                initial |= {"date": local.date(), "time": local.time()}
        kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        for field, messages in follow_up.follow_up_time_errors(self.plan, self.meeting()).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data

    def meeting(self) -> follow_up.Meeting:
        data = self.cleaned_data
        starts_at = timezone.make_aware(datetime.combine(data["date"], data["time"]), timezone.get_current_timezone())
        return follow_up.Meeting(
            starts_at=starts_at,
            duration_minutes=data["duration_minutes"],
            location=data.get("location", ""),
            online_url=data.get("online_url", ""),
        )


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

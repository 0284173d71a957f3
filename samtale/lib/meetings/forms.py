"""The form part of booking a meeting, for every form that books one (the MUS's time and place,
the team's slots, the follow-up conversation): the place fields, the question before a weekend
day, and the whole time-and-place form whose rules an app completes with its own."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.lib.formatting import long_date
from samtale.lib.meetings.time_and_place import (
    MAX_DURATION,
    MIN_DURATION,
    Bookable,
    TimeAndPlace,
    at_local,
    is_weekend,
    time_and_place_errors,
)


class WeekendConfirmation(forms.Form):
    """One rule for every form that books a conversation (the MUS, the team's slots, the
    follow-up): "a Saturday or Sunday is booked only when the leader confirms it is meant"
    (docs/domain.md § Invitation and reminders). People on shifts do meet at weekends, so it is
    never refused; but a weekend day is far more often a slip in the date picker, and the
    invitation goes out by e-mail the moment the form is saved, so the form asks before it sends
    rather than warning after. The box shows only beside a weekend date."""

    WEEKEND_FIELD = "weekend_confirmed"
    weekend_confirmed = forms.BooleanField(
        label=_("Yes, the conversation is to be on a weekend day"),
        required=False,
    )
    weekend_date_field = "date"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = self._chosen_day()
        if day is None or not is_weekend(day):
            del self.fields[self.WEEKEND_FIELD]

    def _chosen_day(self) -> date | None:
        """The day the form is about: the one sent, else the one it starts from."""
        field = self.fields[self.weekend_date_field]
        if self.is_bound:
            try:
                value = field.clean(
                    field.widget.value_from_datadict(self.data, self.files, self.add_prefix(self.weekend_date_field))
                )
            except forms.ValidationError:
                return None
        else:
            value = self.get_initial_for_field(field, self.weekend_date_field)
        return value if isinstance(value, date) else None

    def full_clean(self) -> None:
        """After every other rule, so that a date that is wrong anyway (passed, too late) says
        only that, and a weekend date that is fine otherwise is asked about once."""
        super().full_clean()
        if not self.is_bound or self.has_error(self.weekend_date_field):
            return
        day = self.cleaned_data.get(self.weekend_date_field)
        if isinstance(day, date) and is_weekend(day) and not self.cleaned_data.get(self.WEEKEND_FIELD):
            self.add_error(
                self.weekend_date_field,
                _(
                    "The date is a weekend day (%(day)s). Choose a weekday, or tick the box below to confirm the"
                    " weekend day."
                )
                % {"day": long_date(day, weekday=True)},
            )


class PlaceFields(forms.Form):
    """How long and where: "15 to 240 minutes, a place or an http(s) link" (docs/domain.md
    § Invitation and reminders)."""

    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("location", "").strip() or data.get("online_url")
        if not given and not self.has_error("location") and not self.has_error("online_url"):
            self.add_error("location", _("Give a place, an online meeting link, or both."))
        return data


class TimeAndPlaceForm(WeekendConfirmation, PlaceFields):
    """The time and place of one meeting, starting from what is booked on ``booked`` (if
    anything). Once the fields are valid, ``errors_for`` says what the rules have against the
    time and place; an app overrides it with its own, which include the rules every meeting keeps
    (``time_and_place_errors``) and add its deadline and any clash."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    field_order = ["date", "weekend_confirmed", "time", "duration_minutes", "location", "online_url"]

    def __init__(self, *args: Any, booked: Bookable | None = None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        if booked is not None:
            initial = {
                "duration_minutes": booked.duration_minutes,
                "location": booked.location,
                "online_url": booked.online_url,
            }
            if booked.starts_at is not None:
                local: datetime = timezone.localtime(booked.starts_at)
                initial |= {"date": local.date(), "time": local.time()}
        kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        for field, messages in self.errors_for(self.time_and_place()).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data

    def errors_for(self, when: TimeAndPlace) -> dict[str, list[str]]:
        """What is wrong with meeting ``when``, by field; a field the form does not have is the
        form's own error."""
        return time_and_place_errors(when, now=timezone.now(), last_day=None)

    def time_and_place(self) -> TimeAndPlace:
        data = self.cleaned_data
        return TimeAndPlace(
            starts_at=at_local(data["date"], data["time"]),
            duration_minutes=data["duration_minutes"],
            location=data.get("location", ""),
            online_url=data.get("online_url", ""),
        )

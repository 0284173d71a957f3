"""Forms of the invitation: time and place, slots for the team, a special topic, the "must
improve" notice, the union representative. They validate what a person typed; the services in
``scheduling`` hold the rules again for every other caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from samtale.conversations.models import Conversation
from samtale.conversations.services import scheduling
from samtale.conversations.services.scheduling import MAX_DURATION, MIN_DURATION, NOTICE_MAX_LENGTH, TOPIC_MAX_LENGTH
from samtale.org.models import Person
from samtale.rounds.models import Round

MAX_SLOTS = 30
MAX_BREAK = 120


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5  # Saturday, Sunday


class WeekendConfirmation(forms.Form):
    """One rule for every form that books a conversation (the MUS, the team's slots, the
    follow-up): a Saturday or a Sunday is accepted only when the leader confirms it. People on
    shifts do meet at weekends, so it is never refused; but a weekend day is far more often a
    slip in the date picker, and the invitation goes out by e-mail the moment the form is saved,
    so the form asks before it sends rather than warning after. The box shows only beside a
    weekend date."""

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
                % {"day": formats.date_format(day, "l j. F Y")},
            )


class _PlaceFields(forms.Form):
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


class ScheduleForm(WeekendConfirmation, _PlaceFields):
    """Time and place of one conversation."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    field_order = ["date", "weekend_confirmed", "time", "duration_minutes", "location", "online_url"]

    def __init__(self, *args: Any, conversation: Conversation, **kwargs: Any) -> None:
        if conversation.starts_at is not None:
            local = timezone.localtime(conversation.starts_at)
            kwargs.setdefault("initial", {"date": local.date(), "time": local.time()})
        kwargs["initial"] = {
            "duration_minutes": conversation.duration_minutes,
            "location": conversation.location,
            "online_url": conversation.online_url,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        self.conversation = conversation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        for field, messages in scheduling.schedule_errors(self.conversation, self.time_and_place()).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data

    def time_and_place(self) -> scheduling.TimeAndPlace:
        data = self.cleaned_data
        return scheduling.TimeAndPlace(
            starts_at=_aware(data["date"], data["time"]),
            duration_minutes=data["duration_minutes"],
            location=data.get("location", ""),
            online_url=data.get("online_url", ""),
        )


@dataclass(frozen=True)
class Slot:
    index: int
    starts_at: datetime
    ends_at: datetime
    problems: list[str]

    @property
    def label(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"

    @property
    def free(self) -> bool:
        return not self.problems


class SlotsForm(WeekendConfirmation, _PlaceFields):
    """How to lay out the slots of one day: the first start, how many, how long, the break."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    first_start = forms.TimeField(
        label=_("First conversation starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    count = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=MAX_SLOTS, initial=4)
    break_minutes = forms.IntegerField(
        label=_("Break between conversations, in minutes"), min_value=0, max_value=MAX_BREAK, initial=15
    )
    field_order = [
        "date",
        "weekend_confirmed",
        "first_start",
        "count",
        "duration_minutes",
        "break_minutes",
        "location",
        "online_url",
    ]

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round_

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        day: date = data["date"]
        if day < timezone.localdate():
            self.add_error("date", _("The day has passed: choose a day in the future."))
        elif day > self.round.held_by:
            self.add_error(
                "date",
                _("The round's conversations must be held by %(date)s.")
                % {"date": formats.date_format(self.round.held_by, "DATE_FORMAT")},
            )
        step = data["duration_minutes"] + data["break_minutes"]
        last_end = datetime.combine(day, data["first_start"]) + timedelta(
            minutes=step * (data["count"] - 1) + data["duration_minutes"]
        )
        if last_end.date() != day:
            self.add_error("count", _("The slots must end on the same day: choose fewer or shorter slots."))
        return data

    def slots(self, *, leader_id: int | None) -> list[Slot]:
        data = self.cleaned_data
        length = data["duration_minutes"]
        starts = [
            _aware(data["date"], data["first_start"]) + timedelta(minutes=i * (length + data["break_minutes"]))
            for i in range(data["count"])
        ]
        problems = scheduling.slot_errors(
            round_=self.round,
            leader_id=leader_id,
            slots=[
                scheduling.TimeAndPlace(start, length, data.get("location", ""), data.get("online_url", ""))
                for start in starts
            ],
        )
        return [
            Slot(i, start, start + timedelta(minutes=length), problem)
            for i, (start, problem) in enumerate(zip(starts, problems, strict=True))
        ]


class AssignmentForm(forms.Form):
    """A select per person: which slot each of the team's unscheduled conversations gets."""

    def __init__(
        self,
        *args: Any,
        conversations: list[Conversation],
        slots: list[Slot],
        scheduled: list[Conversation] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.conversations = conversations
        self.slots = slots
        self.scheduled = list(scheduled)
        choices = [("", _("Not now"))] + [(str(slot.index), slot.label) for slot in slots if slot.free]
        for conversation in conversations:
            self.fields[self.field_name(conversation)] = forms.ChoiceField(
                label=conversation.employee.name, choices=choices, required=False
            )

    @staticmethod
    def field_name(conversation: Conversation) -> str:
        return f"slot-{conversation.uuid}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        taken: dict[str, Conversation] = {}
        for conversation in self.conversations:
            name = self.field_name(conversation)
            chosen = data.get(name)
            if not chosen:
                continue
            if chosen in taken:
                self.add_error(
                    name,
                    _("This time is already chosen for %(name)s.") % {"name": taken[chosen].employee.name},
                )
            taken[chosen] = conversation
        if not taken and not self.errors:
            if any(self.field_name(c) in self.data for c in self.scheduled):
                raise forms.ValidationError(
                    _("These conversations have already been scheduled and their invitations sent."), code="already"
                )
            raise forms.ValidationError(_("Choose a time for at least one person."), code="empty")
        return data

    def assignments(self) -> list[tuple[Conversation, datetime]]:
        by_index = {str(slot.index): slot for slot in self.slots}
        result = []
        for conversation in self.conversations:
            chosen = self.cleaned_data.get(self.field_name(conversation))
            if chosen:
                result.append((conversation, by_index[chosen].starts_at))
        return result


class TopicForm(forms.Form):
    text = forms.CharField(
        label=_("A topic you want to raise"),
        max_length=TOPIC_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other side sees it in Samtale, and is told by e-mail that there is a topic, not what it is."),
    )


class NoticeForm(forms.Form):
    text = forms.CharField(
        label=_("What must improve"),
        max_length=NOTICE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say plainly which performance or behaviour is not acceptable and must improve. The employee reads it"
            " in Samtale before the conversation and is told by e-mail that it is there."
        ),
    )


class UnionRepForm(forms.Form):
    representative = forms.TypedChoiceField(label=_("Your union representative"), coerce=str)

    def __init__(self, *args: Any, choices: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.uuid): person for person in choices}
        field = self.fields["representative"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, person.name) for key, person in self.people.items()]

    def clean_representative(self) -> Person:
        return self.people[self.cleaned_data["representative"]]

"""Forms of the invitation: time and place, slots for the team, a special topic, the "must
improve" notice, the union representative. They validate what a person typed; the services
(``scheduling``, ``topics``, ``notice``, ``attendees``) hold the rules again for every other
caller. The form part every booking shares (the place fields, the weekend question) is
``samtale.lib.meetings.forms``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from samtale.conversations.models import Conversation
from samtale.conversations.services import scheduling
from samtale.conversations.services.notice import NOTICE_MAX_LENGTH
from samtale.conversations.services.topics import TOPIC_MAX_LENGTH
from samtale.lib.meetings.forms import PlaceFields, TimeAndPlaceForm, WeekendConfirmation
from samtale.lib.meetings.time_and_place import TimeAndPlace, at_local
from samtale.org.models import Person
from samtale.rounds.models import Round

MAX_SLOTS = 30
MAX_BREAK = 120


class ScheduleForm(TimeAndPlaceForm):
    """Time and place of one conversation, by the rules of every booking and the round's
    (``scheduling.schedule_errors``: its held-by date, no clash with the leader's other
    conversations)."""

    def __init__(self, *args: Any, conversation: Conversation, **kwargs: Any) -> None:
        super().__init__(*args, booked=conversation, **kwargs)
        self.conversation = conversation

    def errors_for(self, when: TimeAndPlace) -> dict[str, list[str]]:
        return scheduling.schedule_errors(self.conversation, when)


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


class SlotsForm(WeekendConfirmation, PlaceFields):
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
        last_day = scheduling.round_last_day(self.round)
        if day < timezone.localdate():
            self.add_error("date", _("The day has passed: choose a day in the future."))
        elif day > last_day.day:
            self.add_error("date", last_day.message)
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
            at_local(data["date"], data["first_start"]) + timedelta(minutes=i * (length + data["break_minutes"]))
            for i in range(data["count"])
        ]
        problems = scheduling.slot_errors(
            round_=self.round,
            leader_id=leader_id,
            slots=[
                TimeAndPlace(start, length, data.get("location", ""), data.get("online_url", "")) for start in starts
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

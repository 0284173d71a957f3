"""Helpers for the tests of a conversation's time and place, its invitations and its calendar
files (they were test_scheduling.py's and test_slots.py's)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from samtale.access import lookups
from samtale.access.viewer import Viewer, viewer_for
from samtale.conversations.models import Conversation
from samtale.conversations.services import scheduling
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.testing.personas import Org, working_day


def viewer(org: Org, persona: str) -> Viewer:
    return viewer_for(org.user(persona))


def local(days: int | None = None, hour: int = 10, minute: int = 0) -> datetime:
    """``days`` from today at the hour; by default the first weekday a week or more ahead (the
    forms ask before they book a weekend day)."""
    day = working_day(7) if days is None else timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def when(days: int | None = None, hour: int = 10, minute: int = 0, **extra: Any) -> TimeAndPlace:
    values = {"duration_minutes": 60, "location": "Mødelokale 2", "online_url": "", **extra}
    return TimeAndPlace(starts_at=local(days, hour, minute), **values)


def fetch(org: Org, persona: str, conversation: Conversation) -> Conversation:
    """The conversation as a page would load it for the persona."""
    return lookups.conversation_for_viewer(viewer(org, persona), conversation.uuid)


def schedule(org: Org, conversation: Conversation, **kwargs: Any) -> Conversation:
    found = fetch(org, "leader", conversation)
    scheduling.conversation_schedule(viewer=viewer(org, "leader"), conversation=found, when=when(**kwargs))
    return found


def english(*people: Any) -> None:
    """Tests that read our words read them in English (the Danish catalogue is the lead's)."""
    for person in people:
        person.user.language = "en"
        person.user.save(update_fields=["language"])


def mails_to(person: Any) -> list[Any]:
    return [m for m in mail.outbox if m.to == [person.email]]


def calendar_of(message: Any) -> Calendar:
    """The iCalendar attachment of a sent e-mail, parsed back from the message's bytes."""
    parsed = message_from_bytes(message.message().as_bytes(), policy=default_policy)
    parts = [p for p in parsed.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "exactly one calendar file"
    raw = parts[0].get_payload(decode=True)
    assert isinstance(raw, bytes)
    assert b"\r\n" in raw, "iCalendar lines end in CRLF"
    return Calendar.from_ical(raw)


def schedule_form(**extra: Any) -> dict[str, Any]:
    start = local()
    return {
        "date": start.date().isoformat(),
        "time": "10:00",
        "duration_minutes": "60",
        "location": "Mødelokale 2",
        "online_url": "",
        **extra,
    }


def layout(**extra: Any) -> dict[str, Any]:
    return {
        "date": local().date().isoformat(),
        "first_start": "09:00",
        "count": "3",
        "duration_minutes": "60",
        "break_minutes": "15",
        "location": "Mødelokale 3",
        "online_url": "",
        **extra,
    }

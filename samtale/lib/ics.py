"""Calendar invitations (iCalendar, RFC 5545, with the iTIP methods of RFC 5546), written with
the ``icalendar`` library so that folding, escaping and the time zone block are right.

A meeting keeps one UID for its whole life; every change is sent again with a higher SEQUENCE
(``METHOD:REQUEST``), and a cancellation is ``METHOD:CANCEL`` with the same UID, so calendar
programs update or remove the entry they already have instead of adding a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import MIMEPart
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress
from icalendar.enums import STATUS

if TYPE_CHECKING:
    from django.core.mail import EmailMultiAlternatives

PRODID = "-//Samtale//MUS//EN"


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Participant:
    email: str
    name: str


@dataclass(frozen=True)
class Meeting:
    uid: str
    sequence: int
    starts_at: datetime  # aware
    duration: timedelta
    summary: str
    organizer: Participant
    attendees: list[Participant] = field(default_factory=list)
    location: str = ""
    description: str = ""
    url: str = ""


def meeting_ics(meeting: Meeting, *, method: Method, time_zone: str, stamp: datetime | None = None) -> bytes:
    """The meeting as an iCalendar file for ``method``: times in ``time_zone`` with its VTIMEZONE
    block, the organizer as CHAIR, each attendee as a required participant asked to answer."""
    zone = ZoneInfo(time_zone)
    start = meeting.starts_at.astimezone(zone)
    cancelled = method == Method.CANCEL
    event = Event.new(
        uid=meeting.uid,
        sequence=meeting.sequence,
        stamp=(stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        start=start,
        end=start + meeting.duration,
        summary=meeting.summary,
        location=meeting.location or None,
        description=meeting.description or None,
        url=meeting.url or None,
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        organizer=vCalAddress.new(meeting.organizer.email, cn=meeting.organizer.name, role="CHAIR"),
        attendees=[
            vCalAddress.new(
                person.email,
                cn=person.name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp=not cancelled,
            )
            for person in meeting.attendees
        ],
    )
    calendar = Calendar.new(prodid=PRODID, method=str(method), subcomponents=[event])
    # Calendar.new gives the calendar itself a random UID (RFC 7986); the event's UID is the one
    # that identifies the meeting, and a random one beside it would only confuse older clients.
    calendar.pop("UID", None)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def attach_ics(email: EmailMultiAlternatives, content: bytes, method: Method, *, filename: str) -> None:
    """Attach the calendar file with its method, keeping the CRLF line ends iCalendar requires
    (Django would decode a text/* attachment and lose them)."""
    part = MIMEPart()
    part.set_content(
        content,
        maintype="text",
        subtype="calendar",
        cte="base64",
        disposition="attachment",
        filename=filename,
        params={"method": str(method), "charset": "utf-8"},
    )
    email.attach(part)

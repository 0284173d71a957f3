"""Calendar files (iCalendar, RFC 5545, with the iTIP methods of RFC 5546), written with the
``icalendar`` library so that folding, escaping and the time zone block are right.

"The invitation carries a calendar file: METHOD:REQUEST with one stable UID per conversation, a
SEQUENCE that grows with every change, METHOD:CANCEL for a cancellation" (docs/domain.md
§ Invitation and reminders), and the follow-up has "its own calendar file, as for the MUS"
(§ Follow-up). A meeting keeps one UID for its whole life; every change is sent again with a
higher SEQUENCE, and a cancellation has the same UID, so calendar programs update or remove the
entry they already have instead of adding a second one.

``calendar_file`` is the one builder: a booked ``TimeAndPlace`` with its UID, SEQUENCE, summary and
people. ``CalendarEvent`` and ``event_ics`` are the iCalendar event beneath it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import MIMEPart
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress
from icalendar.enums import STATUS

from samtale.lib.meetings.time_and_place import TimeAndPlace

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
class CalendarEvent:
    """One VEVENT, as a calendar program reads it."""

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


def calendar_file(
    when: TimeAndPlace,
    *,
    method: Method,
    uid: str,
    sequence: int,
    summary: str,
    organizer: Participant | None,
    attendees: Sequence[Participant],
    link: str,
    link_line: str,
    agenda: Sequence[str] = (),
    stamp: datetime | None = None,
) -> bytes:
    """The meeting ``when`` as a calendar file for ``method``, in the site's time zone and the
    current language. The description holds the ``agenda`` (if any), the online meeting's link (if
    any) and ``link_line``, which names ``link``, the meeting's page in Samtale; nothing else, so no
    confidential text reaches a calendar. The place is the room, else the online link. Without an
    organizer (no leader) Samtale's own address organizes."""
    blocks = [list(agenda)] if agenda else []
    if when.online_url:
        blocks.append([_("Online meeting: %(link)s") % {"link": when.online_url}])
    blocks.append([link_line])
    event = CalendarEvent(
        uid=uid,
        sequence=sequence,
        starts_at=when.starts_at,
        duration=timedelta(minutes=when.duration_minutes),
        summary=summary,
        organizer=organizer or Participant(settings.DEFAULT_FROM_EMAIL, "Samtale"),
        attendees=list(attendees),
        location=when.location or when.online_url,
        description="\n\n".join("\n".join(block) for block in blocks),
        url=link,
    )
    return event_ics(event, method=method, time_zone=settings.TIME_ZONE, stamp=stamp)


def event_ics(event: CalendarEvent, *, method: Method, time_zone: str, stamp: datetime | None = None) -> bytes:
    """The event as an iCalendar file for ``method``: times in ``time_zone`` with its VTIMEZONE
    block, the organizer as CHAIR, each attendee as a required participant asked to answer."""
    zone = ZoneInfo(time_zone)
    start = event.starts_at.astimezone(zone)
    cancelled = method == Method.CANCEL
    vevent = Event.new(
        uid=event.uid,
        sequence=event.sequence,
        stamp=(stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        start=start,
        # The end in real time, not the start's clock time plus the length: a meeting during
        # which the clocks change still lasts as long as it was booked for.
        end=(event.starts_at.astimezone(UTC) + event.duration).astimezone(zone),
        summary=event.summary,
        location=event.location or None,
        description=event.description or None,
        url=event.url or None,
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        organizer=vCalAddress.new(event.organizer.email, cn=event.organizer.name, role="CHAIR"),
        attendees=[
            vCalAddress.new(
                person.email,
                cn=person.name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp=not cancelled,
            )
            for person in event.attendees
        ],
    )
    calendar = Calendar.new(prodid=PRODID, method=str(method), subcomponents=[vevent])
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

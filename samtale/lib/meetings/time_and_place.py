"""What is booked: the time and place of one meeting, and the rules every booking keeps, whether
it is the MUS or its follow-up conversation (docs/domain.md § Invitation and reminders: "not in
the past, not after the round's held-by date, 15 to 240 minutes, a place or an http(s) link";
§ Follow-up: the follow-up is called "as for the MUS").

The deadline differs: the round's held-by date for the MUS, the date agreed in the plan for the
follow-up. The app knows it and passes it in as a ``LastDay``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

MIN_DURATION = 15
MAX_DURATION = 240

# What TimeAndPlace.write_to writes on a booking.
WRITTEN_FIELDS = [
    "status",
    "starts_at",
    "duration_minutes",
    "location",
    "online_url",
    "calendar_sequence",
    "invitation_sent_at",
]


class Bookable(Protocol):
    """What a time and place is booked on: a conversation or a follow-up conversation, which both
    have these fields under these names."""

    status: Any
    starts_at: Any  # an aware datetime, or None before a time is set
    duration_minutes: Any
    location: Any
    online_url: Any
    calendar_sequence: Any
    invitation_sent_at: Any

    def save(self, *, update_fields: list[str]) -> None: ...


def at_local(day: date, at: time) -> datetime:
    """The moment ``at`` o'clock on ``day`` in the current time zone. On the night the clocks
    change an hour of the day may be missing or happen twice; the time zone settles it on one real
    moment."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5  # Saturday, Sunday


@dataclass(frozen=True)
class LastDay:
    """The last day a meeting may be held, and what a form says of a later one: the app's deadline
    (the round's held-by date, the date agreed in the plan), in the app's words."""

    day: date
    message: str


@dataclass(frozen=True)
class TimeAndPlace:
    starts_at: datetime  # aware
    duration_minutes: int
    location: str = ""
    online_url: str = ""

    @classmethod
    def of(cls, booking: Bookable) -> TimeAndPlace | None:
        """The time and place booked on ``booking``; None while it has no time."""
        if booking.starts_at is None:
            return None
        return cls(booking.starts_at, booking.duration_minutes, booking.location, booking.online_url)

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any]) -> TimeAndPlace | None:
        """The time and place an e-mail was put in the outbox with (``booking_snapshot``); None when
        it had no time."""
        if not snapshot.get("starts_at"):
            return None
        return cls(
            datetime.fromisoformat(snapshot["starts_at"]),
            snapshot["duration"],
            snapshot.get("location", ""),
            snapshot.get("online_url", ""),
        )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def normalised(self) -> TimeAndPlace:
        return TimeAndPlace(self.starts_at, self.duration_minutes, self.location.strip(), self.online_url.strip())

    def on_day(self, day: date) -> TimeAndPlace:
        """The same hour of the day, the same length and place, on ``day`` (in the current time
        zone, as a form would make it from the day and the hour)."""
        return replace(self, starts_at=at_local(day, timezone.localtime(self.starts_at).time()))

    def overlaps(self, other: TimeAndPlace) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def same_as(self, booking: Bookable, *, scheduled: str) -> bool:
        """Whether ``booking`` is already scheduled (its status is ``scheduled``) at this time and
        place: booking it again changes nothing and sends nothing."""
        return (
            booking.status == scheduled
            and booking.starts_at == self.starts_at
            and booking.duration_minutes == self.duration_minutes
            and booking.location == self.location
            and booking.online_url == self.online_url
        )

    def write_to(self, booking: Bookable, *, now: datetime, scheduled: str) -> bool:
        """Put this time and place on ``booking`` with the status ``scheduled``, and the calendar's
        SEQUENCE raised when an invitation already went out (docs/domain.md § Invitation and
        reminders: "a SEQUENCE that grows with every change"). Returns whether it was booked
        before: an update rather than a first invitation."""
        rescheduled = booking.invitation_sent_at is not None
        if rescheduled:
            booking.calendar_sequence += 1
        booking.starts_at = self.starts_at
        booking.duration_minutes = self.duration_minutes
        booking.location = self.location
        booking.online_url = self.online_url
        booking.status = scheduled
        booking.invitation_sent_at = now
        booking.save(update_fields=WRITTEN_FIELDS)
        return rescheduled


def booking_snapshot(booking: Bookable) -> dict[str, Any]:
    """Time and place on ``booking`` as they are now, for an e-mail's context: an e-mail says what
    was true when it was put in the outbox (``TimeAndPlace.from_snapshot`` reads it back)."""
    return {
        "sequence": booking.calendar_sequence,
        "starts_at": booking.starts_at.isoformat() if booking.starts_at else None,
        "duration": booking.duration_minutes,
        "location": booking.location,
        "online_url": booking.online_url,
    }


def time_and_place_errors(when: TimeAndPlace, *, now: datetime, last_day: LastDay | None) -> dict[str, list[str]]:
    """What is wrong with meeting ``when``, by form field: "not in the past, not after the [last]
    date, 15 to 240 minutes, a place or an http(s) link" (docs/domain.md § Invitation and
    reminders). A time that has passed is the date's fault when the day has, else the time's."""
    when = when.normalised()
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    local = timezone.localtime(when.starts_at)
    if when.starts_at <= now:
        add(
            "date" if local.date() < timezone.localtime(now).date() else "time",
            _("The time has passed: choose a time in the future."),
        )
    if last_day is not None and local.date() > last_day.day:
        add("date", last_day.message)
    if not MIN_DURATION <= when.duration_minutes <= MAX_DURATION:
        add(
            "duration_minutes",
            _("A conversation lasts from %(min)s to %(max)s minutes.") % {"min": MIN_DURATION, "max": MAX_DURATION},
        )
    if when.online_url and not when.online_url.lower().startswith(("https://", "http://")):
        add("online_url", _("The online meeting link must begin with https:// or http://."))
    if not when.location and not when.online_url:
        add("location", _("Give a place, an online meeting link, or both."))
    return errors

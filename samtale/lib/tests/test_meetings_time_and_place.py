"""The rules of a time and place hold at every moment: random moments and bookings over decades,
and the nights the clocks change in Copenhagen (the hour that does not exist in March, the hour
that happens twice in October). Nothing here reads today's date: every rule is asked with its
``now``.

- "Not in the past, not after the [last] date, 15 to 240 minutes, a place or an http(s) link"
  (docs/domain.md § Invitation and reminders), for the MUS and the follow-up alike.
- Held on another day than booked, "the booked time moves to that day" (§ The meeting and its
  outcome): the same hour of the day, length and place.
- Every change a calendar must learn of raises the SEQUENCE (§ Invitation and reminders); booking
  the same time and place again changes nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from hypothesis import example, given
from hypothesis import strategies as st

from samtale.lib.meetings.time_and_place import (
    MAX_DURATION,
    MIN_DURATION,
    WRITTEN_FIELDS,
    LastDay,
    TimeAndPlace,
    at_local,
    booking_snapshot,
    is_weekend,
    time_and_place_errors,
)

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MOMENTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(COPENHAGEN)
).map(lambda moment: moment.astimezone(UTC))  # a real instant, whatever wall time it was drawn as
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
# 01:59:59 winter time the night the clocks go forward in 2027, both 02:30s of the night they go
# back, and the last second of a year.
SPRING = datetime(2027, 3, 28, 1, 59, 59, tzinfo=COPENHAGEN)
AUTUMN_FIRST = datetime(2027, 10, 31, 2, 30, tzinfo=COPENHAGEN)
AUTUMN_SECOND = datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=COPENHAGEN)
NEW_YEAR = datetime(2026, 12, 31, 23, 59, 59, tzinfo=COPENHAGEN)
LOCATIONS = st.sampled_from(["", "  ", "Mødelokale 2", " Kantinen "])
LINKS = st.sampled_from(
    ["", " ", "https://meet.example.dk/abc", "HTTP://meet.example.dk", " https://x.dk ", "ftp://x.dk", "meet.dk"]
)
PASSED = "The time has passed: choose a time in the future."
TOO_LATE = "Held by the last day."
LENGTH = "A conversation lasts from 15 to 240 minutes."
LINK = "The online meeting link must begin with https:// or http://."
PLACE = "Give a place, an online meeting link, or both."


def _local_day(moment: datetime) -> date:
    return moment.astimezone(COPENHAGEN).date()


@given(
    now=MOMENTS,
    ahead=st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60),
    duration=st.integers(min_value=0, max_value=2 * MAX_DURATION),
    location=LOCATIONS,
    online_url=LINKS,
    last_day_after=st.one_of(st.none(), st.integers(min_value=-3, max_value=3)),
)
@example(now=SPRING.astimezone(UTC), ahead=1, duration=60, location="Rum", online_url="", last_day_after=0)
@example(
    now=AUTUMN_FIRST.astimezone(UTC), ahead=60, duration=15, location="", online_url="https://x.dk", last_day_after=0
)
@example(now=NEW_YEAR.astimezone(UTC), ahead=1, duration=240, location="Rum", online_url="", last_day_after=0)
@example(now=NEW_YEAR.astimezone(UTC), ahead=-1, duration=14, location=" ", online_url="ftp://x", last_day_after=-1)
def test_a_time_and_place_is_refused_exactly_for_what_the_rules_name(
    now: datetime, ahead: int, duration: int, location: str, online_url: str, last_day_after: int | None
) -> None:
    starts_at = now + timedelta(minutes=ahead)
    last_day = None
    if last_day_after is not None:
        last_day = LastDay(_local_day(now) + timedelta(days=last_day_after), TOO_LATE)
    when = TimeAndPlace(starts_at, duration, location, online_url)
    with timezone.override(COPENHAGEN), translation.override("en"):
        errors = time_and_place_errors(when, now=now, last_day=last_day)

    expected: dict[str, list[str]] = {}
    if starts_at <= now:
        # The date's fault when the day has passed, else the hour's.
        key = "date" if _local_day(starts_at) < _local_day(now) else "time"
        expected.setdefault(key, []).append(PASSED)
    if last_day is not None and _local_day(starts_at) > last_day.day:
        expected.setdefault("date", []).append(TOO_LATE)
    if not 15 <= duration <= 240:
        expected["duration_minutes"] = [LENGTH]
    link = online_url.strip()
    if link and not (link.lower().startswith("https://") or link.lower().startswith("http://")):
        expected["online_url"] = [LINK]
    if not location.strip() and not link:
        expected["location"] = [PLACE]
    assert errors == expected


@given(
    now=MOMENTS,
    ahead=st.integers(min_value=1, max_value=90 * 24 * 60),
    duration=st.integers(MIN_DURATION, MAX_DURATION),
)
@example(now=SPRING.astimezone(UTC), ahead=1, duration=MIN_DURATION)
@example(now=AUTUMN_FIRST.astimezone(UTC), ahead=60, duration=MAX_DURATION)
def test_any_time_ahead_by_the_last_day_with_a_place_is_accepted(now: datetime, ahead: int, duration: int) -> None:
    starts_at = now + timedelta(minutes=ahead)
    last_day = LastDay(_local_day(starts_at), TOO_LATE)  # the last day itself is allowed
    with timezone.override(COPENHAGEN):
        assert time_and_place_errors(TimeAndPlace(starts_at, duration, "Rum"), now=now, last_day=last_day) == {}
        assert (
            time_and_place_errors(TimeAndPlace(starts_at, duration, "", "https://x.dk"), now=now, last_day=None) == {}
        )


@given(now=MOMENTS)
@example(now=AUTUMN_SECOND.astimezone(UTC))
def test_now_itself_has_passed(now: datetime) -> None:
    with timezone.override(COPENHAGEN):
        errors = time_and_place_errors(TimeAndPlace(now, 60, "Rum"), now=now, last_day=None)
    assert list(errors) == ["time"]


# The day it was held -------------------------------------------------------------------------------


def _exists(naive: datetime) -> bool:
    """Whether the wall time happens in Copenhagen (it does not in the hour the clocks skip)."""
    return naive.replace(tzinfo=COPENHAGEN).astimezone(UTC).astimezone(COPENHAGEN).replace(tzinfo=None) == naive


@given(booked=MOMENTS, day=DAYS, duration=st.integers(MIN_DURATION, MAX_DURATION))
@example(booked=datetime(2027, 3, 20, 2, 30, tzinfo=COPENHAGEN).astimezone(UTC), day=date(2027, 3, 28), duration=60)
@example(booked=AUTUMN_SECOND.astimezone(UTC), day=date(2027, 11, 1), duration=60)
@example(booked=AUTUMN_FIRST.astimezone(UTC), day=date(2028, 10, 29), duration=45)
@example(booked=NEW_YEAR.astimezone(UTC), day=date(2027, 1, 1), duration=15)
def test_moved_to_another_day_it_keeps_its_hour_length_and_place(booked: datetime, day: date, duration: int) -> None:
    with timezone.override(COPENHAGEN):
        when = TimeAndPlace(booked, duration, "Mødelokale 2", "https://x.dk")
        moved = when.on_day(day)
    local = moved.starts_at.astimezone(UTC).astimezone(COPENHAGEN)  # the instant, read on the wall clock
    assert local.date() == day
    assert (moved.duration_minutes, moved.location, moved.online_url) == (duration, "Mødelokale 2", "https://x.dk")
    wall = datetime.combine(day, booked.astimezone(COPENHAGEN).time())
    if _exists(wall):
        assert local.replace(tzinfo=None) == wall
    else:  # the hour the clocks skip: the same moment a form would make of it, an hour on
        assert local.replace(tzinfo=None) == wall + timedelta(hours=1)


@given(day=DAYS, hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_at_local_is_that_day_in_the_current_time_zone(day: date, hour: int, minute: int) -> None:
    with timezone.override(COPENHAGEN):
        moment = at_local(day, time(hour, minute))
    assert moment.tzinfo is not None
    assert moment.astimezone(COPENHAGEN).date() == day


@given(day=DAYS)
def test_saturday_and_sunday_are_the_weekend(day: date) -> None:
    assert is_weekend(day) == (day.strftime("%A") in ("Saturday", "Sunday"))


# Booking, rebooking and what an e-mail says ----------------------------------------------------------


class Booking:
    """A conversation or a follow-up conversation, as far as a time and place goes."""

    def __init__(self, **values: Any) -> None:
        self.status = "to_be_scheduled"
        self.starts_at: datetime | None = None
        self.duration_minutes = 60
        self.location = ""
        self.online_url = ""
        self.calendar_sequence = 0
        self.invitation_sent_at: datetime | None = None
        self.saved: list[list[str]] = []
        self.__dict__.update(values)

    def save(self, *, update_fields: list[str]) -> None:
        self.saved.append(list(update_fields))


def test_the_first_booking_is_an_invitation_and_every_later_one_an_update_with_a_higher_sequence() -> None:
    booking = Booking()
    first = TimeAndPlace(datetime(2027, 3, 1, 9, tzinfo=UTC), 60, "Mødelokale 2")
    sent = datetime(2027, 2, 1, 8, tzinfo=UTC)
    assert first.write_to(booking, now=sent, scheduled="scheduled") is False
    assert (booking.status, booking.starts_at, booking.calendar_sequence) == ("scheduled", first.starts_at, 0)
    assert booking.invitation_sent_at == sent
    assert booking.saved == [WRITTEN_FIELDS]
    assert first.same_as(booking, scheduled="scheduled")

    later = TimeAndPlace(datetime(2027, 3, 2, 9, tzinfo=UTC), 45, "", "https://x.dk")
    assert later.write_to(booking, now=sent + timedelta(days=1), scheduled="scheduled") is True
    assert booking.calendar_sequence == 1
    assert (booking.duration_minutes, booking.location, booking.online_url) == (45, "", "https://x.dk")
    assert later.same_as(booking, scheduled="scheduled") and not first.same_as(booking, scheduled="scheduled")


def test_the_same_time_and_place_is_the_same_only_while_scheduled() -> None:
    when = TimeAndPlace(datetime(2027, 3, 1, 9, tzinfo=UTC), 60, "Rum", "")
    booked = {"starts_at": when.starts_at, "duration_minutes": 60, "location": "Rum", "online_url": ""}
    assert when.same_as(Booking(status="scheduled", **booked), scheduled="scheduled")
    assert not when.same_as(Booking(status="held", **booked), scheduled="scheduled")
    for field, other in [
        ("starts_at", when.starts_at + timedelta(minutes=1)),
        ("duration_minutes", 61),
        ("location", "Rum 2"),
        ("online_url", "https://x.dk"),
    ]:
        assert not when.same_as(Booking(status="scheduled", **(booked | {field: other})), scheduled="scheduled")


def test_normalised_strips_the_place_and_the_link() -> None:
    when = TimeAndPlace(datetime(2027, 3, 1, 9, tzinfo=UTC), 60, "  Rum ", " https://x.dk ")
    assert when.normalised() == TimeAndPlace(when.starts_at, 60, "Rum", "https://x.dk")


@given(starts_at=MOMENTS, duration=st.integers(MIN_DURATION, MAX_DURATION), sequence=st.integers(0, 1000))
@example(starts_at=AUTUMN_SECOND.astimezone(COPENHAGEN), duration=60, sequence=3)
def test_what_an_e_mail_is_put_in_the_outbox_with_reads_back_as_the_same_time_and_place(
    starts_at: datetime, duration: int, sequence: int
) -> None:
    booking = Booking(
        starts_at=starts_at,
        duration_minutes=duration,
        location="Rum",
        online_url="https://x.dk",
        calendar_sequence=sequence,
    )
    snapshot = booking_snapshot(booking)
    assert snapshot["sequence"] == sequence
    read, booked = TimeAndPlace.from_snapshot(snapshot), TimeAndPlace.of(booking)
    assert read is not None and booked is not None
    # The same instant (Python holds a time in the repeated hour unequal to any other zone's, so
    # the instants are compared in UTC), length and place.
    assert read.starts_at.astimezone(UTC) == booked.starts_at.astimezone(UTC)
    assert (read.duration_minutes, read.location, read.online_url) == (duration, "Rum", "https://x.dk")


def test_without_a_time_there_is_no_time_and_place() -> None:
    booking = Booking(location="Rum")
    assert TimeAndPlace.of(booking) is None
    assert booking_snapshot(booking)["starts_at"] is None
    assert TimeAndPlace.from_snapshot(booking_snapshot(booking)) is None


@given(
    a=MOMENTS,
    gap=st.integers(min_value=-2 * MAX_DURATION, max_value=2 * MAX_DURATION),
    a_length=st.integers(MIN_DURATION, MAX_DURATION),
    b_length=st.integers(MIN_DURATION, MAX_DURATION),
)
def test_two_meetings_overlap_exactly_when_one_begins_before_the_other_ends(
    a: datetime, gap: int, a_length: int, b_length: int
) -> None:
    first = TimeAndPlace(a, a_length, "Rum")
    second = TimeAndPlace(a + timedelta(minutes=gap), b_length, "Rum")
    assert first.overlaps(second) == second.overlaps(first)
    # Back to back is no overlap: a slot may begin the minute the one before it ends.
    assert first.overlaps(second) == (-b_length < gap < a_length)

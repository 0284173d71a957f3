"""Calendar files (docs/domain.md § Invitation and reminders: "The invitation carries a calendar
file: METHOD:REQUEST with one stable UID per conversation, a SEQUENCE that grows with every change,
METHOD:CANCEL for a cancellation"; § Follow-up: "its own calendar file, as for the MUS"), parsed
back with the icalendar library: the organizer and the attendees, Europe/Copenhagen with its
VTIMEZONE, CRLF and folded lines; and the one builder both the MUS and the follow-up use, whose
file holds the booked time at every moment, the nights the clocks change included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from hypothesis import assume, example, given
from hypothesis import strategies as st
from icalendar import Calendar

from samtale.lib.meetings.calendar import CalendarEvent, Method, Participant, calendar_file, event_ics
from samtale.lib.meetings.time_and_place import MAX_DURATION, MIN_DURATION, TimeAndPlace

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def an_event(**changes: object) -> CalendarEvent:
    values: dict = {
        "uid": "abc@samtale",
        "sequence": 0,
        "starts_at": datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        "duration": timedelta(minutes=60),
        "summary": "MUS-2027: samtale mellem Søren Ærø og Åse Leder",
        "organizer": Participant("aase@test.example", "Åse Leder"),
        "attendees": [Participant("soeren@test.example", "Søren Ærø")],
        "location": 'Mødelokale 2; 3. sal, "Havet"',
        "description": "Dagsorden:\n1. Mål og forventninger",
        "url": "https://samtale.example/c/1/",
    }
    return CalendarEvent(**(values | changes))


def test_the_file_round_trips_with_method_uid_sequence_and_the_people() -> None:
    calendar = Calendar.from_ical(event_ics(an_event(sequence=3), method=Method.REQUEST, time_zone="Europe/Copenhagen"))
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["PRODID"]
    (event,) = calendar.events
    assert event["UID"] == "abc@samtale"
    assert int(event["SEQUENCE"]) == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "MUS-2027: samtale mellem Søren Ærø og Åse Leder"
    assert event["LOCATION"] == 'Mødelokale 2; 3. sal, "Havet"'
    assert event["DESCRIPTION"] == "Dagsorden:\n1. Mål og forventninger"
    assert str(event["ORGANIZER"]) == "mailto:aase@test.example"
    assert event["ORGANIZER"].params["CN"] == "Åse Leder"
    assert event["ORGANIZER"].params["ROLE"] == "CHAIR"
    (attendee,) = [event["ATTENDEE"]] if not isinstance(event["ATTENDEE"], list) else event["ATTENDEE"]
    assert str(attendee) == "mailto:soeren@test.example"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION" and attendee.params["RSVP"] == "TRUE"
    assert "DTSTAMP" in event


def test_times_are_in_copenhagen_with_the_time_zone_block() -> None:
    raw = event_ics(an_event(), method=Method.REQUEST, time_zone="Europe/Copenhagen")
    assert b"DTSTART;TZID=Europe/Copenhagen:20270301T100000" in raw
    assert b"DTEND;TZID=Europe/Copenhagen:20270301T110000" in raw
    calendar = Calendar.from_ical(raw)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    start = calendar.events[0].start
    assert start == datetime(2027, 3, 1, 10, 0, tzinfo=COPENHAGEN)
    assert calendar.events[0].end - start == timedelta(hours=1)


def test_summer_time_is_right() -> None:
    raw = event_ics(
        an_event(starts_at=datetime(2027, 6, 1, 8, 0, tzinfo=UTC)),
        method=Method.REQUEST,
        time_zone="Europe/Copenhagen",
    )
    assert b"DTSTART;TZID=Europe/Copenhagen:20270601T100000" in raw


def test_lines_end_in_crlf_and_long_lines_are_folded() -> None:
    raw = event_ics(an_event(description="Æ" * 300), method=Method.REQUEST, time_zone="Europe/Copenhagen")
    lines = raw.split(b"\r\n")
    assert all(b"\n" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert Calendar.from_ical(raw).events[0]["DESCRIPTION"] == "Æ" * 300


def test_a_cancellation_is_method_cancel_with_status_cancelled() -> None:
    calendar = Calendar.from_ical(event_ics(an_event(sequence=4), method=Method.CANCEL, time_zone="Europe/Copenhagen"))
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.events[0]["STATUS"] == "CANCELLED"
    assert calendar.events[0]["UID"] == "abc@samtale"


# The one builder ---------------------------------------------------------------------------------------

ORGANIZER = Participant("aase@test.example", "Åse Leder")
EMPLOYEE = Participant("soeren@test.example", "Søren Ærø")
LINK = "https://samtale.example/c/1/"


def a_file(when: TimeAndPlace, method: Method = Method.REQUEST, **changes: object) -> Calendar:
    values: dict = {
        "method": method,
        "uid": "abc@samtale",
        "sequence": 2,
        "summary": "Samtale mellem Søren Ærø og Åse Leder",
        "organizer": ORGANIZER,
        "attendees": [EMPLOYEE],
        "link": LINK,
        "link_line": f"Åbn samtalen i Samtale: {LINK}",
    }
    with translation.override("en"), override_settings(TIME_ZONE="Europe/Copenhagen"):
        return Calendar.from_ical(calendar_file(when, **(values | changes)))


def test_the_file_is_the_booked_time_and_place_with_its_uid_sequence_and_people() -> None:
    when = TimeAndPlace(datetime(2027, 3, 1, 9, 0, tzinfo=UTC), 45, "Mødelokale 2", "")
    calendar = a_file(when)
    (event,) = calendar.events
    assert calendar["METHOD"] == "REQUEST"
    assert (event["UID"], int(event["SEQUENCE"]), event["STATUS"]) == ("abc@samtale", 2, "CONFIRMED")
    assert event.start == datetime(2027, 3, 1, 10, 0, tzinfo=COPENHAGEN)
    assert event.end - event.start == timedelta(minutes=45)
    assert event["LOCATION"] == "Mødelokale 2"
    assert event["URL"] == LINK
    assert str(event["ORGANIZER"]) == "mailto:aase@test.example"
    assert str(event["ATTENDEE"]) == "mailto:soeren@test.example"
    assert event["DESCRIPTION"] == f"Åbn samtalen i Samtale: {LINK}"


def test_the_description_is_the_agenda_the_online_link_and_the_link_in_samtale_and_nothing_else() -> None:
    online = TimeAndPlace(datetime(2027, 3, 1, 9, 0, tzinfo=UTC), 60, "", "https://meet.example.dk/x")
    event = a_file(online, agenda=["Agenda:", "1. Goals", "2. Feedback"]).events[0]
    assert event["DESCRIPTION"] == (
        f"Agenda:\n1. Goals\n2. Feedback\n\nOnline meeting: https://meet.example.dk/x\n\nÅbn samtalen i Samtale: {LINK}"
    )
    # Without a room the link is the place.
    assert event["LOCATION"] == "https://meet.example.dk/x"
    assert a_file(online).events[0]["DESCRIPTION"] == (
        f"Online meeting: https://meet.example.dk/x\n\nÅbn samtalen i Samtale: {LINK}"
    )
    both = TimeAndPlace(online.starts_at, 60, "Mødelokale 2", "https://meet.example.dk/x")
    assert a_file(both).events[0]["LOCATION"] == "Mødelokale 2"


def test_without_a_leader_samtale_organizes() -> None:
    event = a_file(TimeAndPlace(datetime(2027, 3, 1, 9, 0, tzinfo=UTC), 60, "Rum"), organizer=None).events[0]
    assert str(event["ORGANIZER"]) == f"mailto:{settings.DEFAULT_FROM_EMAIL}"
    assert event["ORGANIZER"].params["CN"] == "Samtale"


def test_a_cancellation_asks_nobody_to_answer() -> None:
    calendar = a_file(TimeAndPlace(datetime(2027, 3, 1, 9, 0, tzinfo=UTC), 60, "Rum"), Method.CANCEL, sequence=5)
    (event,) = calendar.events
    assert calendar["METHOD"] == "CANCEL"
    assert (event["STATUS"], int(event["SEQUENCE"])) == ("CANCELLED", 5)
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


MOMENTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(COPENHAGEN)
).map(lambda moment: moment.astimezone(UTC).replace(second=0, microsecond=0))


def _changes_clocks(starts_at: datetime, minutes: int) -> bool:
    """Whether Copenhagen's clocks change while the meeting is on."""
    return (
        starts_at.astimezone(COPENHAGEN).utcoffset()
        != (starts_at + timedelta(minutes=minutes)).astimezone(COPENHAGEN).utcoffset()
    )


def _wall_time_is_ambiguous(moment: datetime) -> bool:
    """A wall time of the hour that happens twice: iCalendar's TZID form means the first of them."""
    local = moment.astimezone(COPENHAGEN)
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


@given(starts_at=MOMENTS, duration=st.integers(MIN_DURATION, MAX_DURATION))
@example(starts_at=datetime(2027, 3, 28, 0, 30, tzinfo=UTC), duration=30)  # ends as the clocks go forward
@example(starts_at=datetime(2027, 10, 30, 23, 30, tzinfo=UTC), duration=60)  # ends the first 01:30 in October
@example(starts_at=datetime(2026, 12, 31, 22, 30, tzinfo=UTC), duration=60)  # into the new year
@example(starts_at=datetime(2028, 2, 29, 8, 0, tzinfo=UTC), duration=240)
def test_the_file_holds_the_booked_moment_and_length_at_any_time(starts_at: datetime, duration: int) -> None:
    assume(not _changes_clocks(starts_at, duration) and not _wall_time_is_ambiguous(starts_at))
    (event,) = a_file(TimeAndPlace(starts_at, duration, "Rum")).events
    assert event.start.astimezone(UTC) == starts_at
    assert event.end.astimezone(UTC) - event.start.astimezone(UTC) == timedelta(minutes=duration)


@pytest.mark.parametrize(
    ("starts_at", "duration"),
    [
        (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), 120),  # 01:30 winter time, 2 hours, across 02:00 → 03:00
        (datetime(2027, 10, 30, 23, 30, tzinfo=UTC), 180),  # 01:30 summer time, 3 hours, across 03:00 → 02:00
        pytest.param(
            datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
            60,
            marks=pytest.mark.xfail(
                strict=True,
                reason="A calendar file's local times cannot say which of October's two 02:30s an end is:"
                " a meeting ending at the second one reads as ending at the first.",
            ),
        ),
    ],
)
def test_a_meeting_while_the_clocks_change_lasts_as_booked(starts_at: datetime, duration: int) -> None:
    (event,) = a_file(TimeAndPlace(starts_at, duration, "Rum")).events
    assert event.start.astimezone(UTC) == starts_at
    assert event.end.astimezone(UTC) - event.start.astimezone(UTC) == timedelta(minutes=duration)

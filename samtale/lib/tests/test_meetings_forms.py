"""The form part of booking a meeting, on every date: "A Saturday or Sunday is booked only when the
leader confirms it is meant", "15 to 240 minutes, a place or an http(s) link" (docs/domain.md
§ Invitation and reminders). The app's own rules come in through ``errors_for``; here a form with
a fixed ``now``, so that nothing depends on today's date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from hypothesis import example, given
from hypothesis import strategies as st

from samtale.lib.meetings.forms import PlaceFields, TimeAndPlaceForm
from samtale.lib.meetings.time_and_place import LastDay, TimeAndPlace, time_and_place_errors

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
FAR_AHEAD = st.dates(min_value=date(2027, 1, 5), max_value=date(2090, 12, 31))
WEEKEND = "The date is a weekend day"


class BookingForm(TimeAndPlaceForm):
    """A form as an app makes one: the rules of every meeting at a fixed now, and a last day."""

    last_day: date | None = None

    def errors_for(self, when: TimeAndPlace) -> dict[str, list[str]]:
        last_day = LastDay(self.last_day, "Too late.") if self.last_day else None
        return time_and_place_errors(when, now=NOW, last_day=last_day)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The form's messages are read in English (they are translated when read)."""
    with translation.override("en"):
        yield


def _data(day: date, **extra: Any) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "time": "10:00",
        "duration_minutes": "60",
        "location": "Mødelokale 2",
        "online_url": "",
        **extra,
    }


def _form(data: dict[str, Any], form: type[TimeAndPlaceForm] = BookingForm, **kwargs: Any) -> TimeAndPlaceForm:
    with timezone.override(COPENHAGEN), translation.override("en"):
        bound = form(data, **kwargs)
        bound.is_valid()
    return bound


def _when(form: TimeAndPlaceForm) -> TimeAndPlace:
    with timezone.override(COPENHAGEN):
        return form.time_and_place()


@given(day=FAR_AHEAD)
@example(day=date(2027, 3, 27))  # the Saturday before the clocks go forward
@example(day=date(2028, 2, 29))
@example(day=date(2027, 1, 5))
def test_a_weekend_day_is_booked_only_when_confirmed_and_a_weekday_without_a_question(day: date) -> None:
    weekend = day.weekday() >= 5
    form = _form(_data(day))
    assert form.is_valid() is not weekend
    assert ("weekend_confirmed" in form.fields) is weekend
    if weekend:
        (message,) = form.errors["date"]
        assert message.startswith(WEEKEND)
        confirmed = _form(_data(day, weekend_confirmed="on"))
        assert confirmed.is_valid(), confirmed.errors
        assert _when(confirmed).starts_at.astimezone(COPENHAGEN).date() == day


@given(day=FAR_AHEAD)
def test_a_weekend_date_that_is_wrong_anyway_says_only_what_is_wrong(day: date) -> None:
    class TooLate(BookingForm):
        last_day = date(2027, 1, 4)

    form = _form(_data(day), TooLate)
    assert form.errors["date"] == ["Too late."]


def test_the_box_shows_beside_a_booked_weekend_day_and_not_a_weekday() -> None:
    class Booked:
        starts_at = datetime(2027, 1, 9, 9, 0, tzinfo=UTC)  # Saturday, 10:00 in Copenhagen
        duration_minutes = 45
        location = "Kantinen"
        online_url = ""

    with timezone.override(COPENHAGEN):
        form = BookingForm(booked=Booked())  # type: ignore[arg-type]
        assert "weekend_confirmed" in form.fields
        assert form.initial == {
            "duration_minutes": 45,
            "location": "Kantinen",
            "online_url": "",
            "date": date(2027, 1, 9),
            "time": time(10, 0),
        }
        Booked.starts_at = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # Monday
        assert "weekend_confirmed" not in BookingForm(booked=Booked()).fields  # type: ignore[arg-type]
        assert "weekend_confirmed" not in BookingForm().fields
        assert list(BookingForm().fields) == ["date", "time", "duration_minutes", "location", "online_url"]


def test_the_place_or_a_link_and_only_an_http_link() -> None:
    day = date(2027, 1, 6)
    assert _form(_data(day, location="", online_url="")).errors == {
        "location": ["Give a place, an online meeting link, or both."]
    }
    assert "online_url" in _form(_data(day, location="", online_url="ftp://meet.example.dk")).errors
    online = _form(_data(day, location="", online_url="meet.example.dk/abc"))
    assert online.is_valid(), online.errors
    assert _when(online).online_url == "https://meet.example.dk/abc"
    for minutes, valid in [("14", False), ("15", True), ("240", True), ("241", False)]:
        assert _form(_data(day, duration_minutes=minutes)).is_valid() is valid


def test_place_fields_alone_ask_for_a_place_or_a_link() -> None:
    with translation.override("en"):
        form = PlaceFields({"duration_minutes": "60", "location": " ", "online_url": ""})
        assert form.errors == {"location": ["Give a place, an online meeting link, or both."]}
        assert PlaceFields({"duration_minutes": "60", "location": "Rum", "online_url": ""}).is_valid()


def test_the_apps_rules_come_after_the_fields_and_an_error_without_a_field_is_the_forms() -> None:
    class Clash(BookingForm):
        def errors_for(self, when: TimeAndPlace) -> dict[str, list[str]]:
            return {"time": ["A clash."], "employee": ["Not a field of this form."]}

    form = _form(_data(date(2027, 1, 6)), Clash)
    assert form.errors["time"] == ["A clash."]
    assert form.non_field_errors() == ["Not a field of this form."]
    # A field that is wrong already is not asked about by the app.
    assert "time" not in _form(_data(date(2027, 1, 6), duration_minutes="5"), Clash).errors


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2000, 12, 31)))
def test_by_default_a_passed_day_is_refused_as_every_meeting_is(day: date) -> None:
    """The form's own rules at the real now: a day of the last century has passed whenever the
    suite runs."""
    form = _form(_data(day), TimeAndPlaceForm)
    assert "The time has passed: choose a time in the future." in form.errors.get("date", [])


@given(day=FAR_AHEAD, hour=st.integers(0, 23), minute=st.integers(0, 59))
@example(day=date(2027, 3, 28), hour=2, minute=30)  # the hour the clocks skip
@example(day=date(2027, 10, 31), hour=2, minute=30)  # the hour that happens twice
def test_the_time_and_place_is_the_day_and_hour_in_copenhagen(day: date, hour: int, minute: int) -> None:
    form = _form(_data(day, time=f"{hour:02}:{minute:02}", weekend_confirmed="on"))
    assert form.is_valid(), form.errors
    when = _when(form)
    assert when.starts_at.tzinfo is not None
    assert when.starts_at.astimezone(COPENHAGEN).date() == day
    assert (when.duration_minutes, when.location, when.online_url) == (60, "Mødelokale 2", "")

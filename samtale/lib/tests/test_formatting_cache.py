"""The remembered ``date`` filter gives what Django's gives, per language and per time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.template import defaultfilters
from django.utils import translation

from samtale.lib.formatting import date_filter


def test_the_same_date_in_two_languages_and_the_same_instant_in_two_zones() -> None:
    day = date(2026, 12, 16)
    with translation.override("da"):
        danish = date_filter(day, "DATE_FORMAT")
        assert danish == defaultfilters.date(day, "DATE_FORMAT")
    with translation.override("en"):
        assert date_filter(day, "DATE_FORMAT") == defaultfilters.date(day, "DATE_FORMAT") != danish
    utc = datetime(2026, 12, 16, 9, 0, tzinfo=UTC)
    copenhagen = utc.astimezone(ZoneInfo("Europe/Copenhagen"))
    assert utc == copenhagen
    assert date_filter(utc, "H:i") == "09:00"
    assert date_filter(copenhagen, "H:i") == "10:00"
    assert date_filter(None) == date_filter("") == ""


def test_the_two_half_past_twos_of_the_night_the_clocks_go_back() -> None:
    zone = ZoneInfo("Europe/Copenhagen")
    summer = datetime(2026, 10, 25, 2, 30, tzinfo=zone, fold=0)
    winter = datetime(2026, 10, 25, 2, 30, tzinfo=zone, fold=1)
    # "U", seconds since 1970, tells the two apart: an hour between them.
    assert int(date_filter(winter, "U")) - int(date_filter(summer, "U")) == 3600
    assert date_filter(summer, "U") == defaultfilters.date(summer, "U")
    assert date_filter(date(2026, 10, 25), "j. F Y") == defaultfilters.date(date(2026, 10, 25), "j. F Y")

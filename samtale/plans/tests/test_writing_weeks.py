"""ISO weeks as Danes write them (samtale.lib.isoweek): ISO 8601, week 1 holds the year's first
Thursday, some years have 53 weeks, and a week without a year is the first one on or after the
conversation."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from samtale.lib import isoweek

NOV_2026 = date(2026, 11, 23)  # a Monday in week 48


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-W10", ("2027-W10", "2027-W10")),
        ("2027w3", ("2027-W03", "2027-W03")),
        ("uge 10", ("2027-W10", "2027-W10")),
        ("Uge 50", ("2026-W50", "2026-W50")),
        ("uge 48", ("2026-W48", "2026-W48")),
        ("uge 10–16", ("2027-W10", "2027-W16")),
        ("uge 10 - 16", ("2027-W10", "2027-W16")),
        ("uge 10 til uge 16", ("2027-W10", "2027-W16")),
        ("week 10-16 2028", ("2028-W10", "2028-W16")),
        ("weeks 10–16", ("2027-W10", "2027-W16")),  # as the English pages write a range
        ("uger 10-16", ("2027-W10", "2027-W16")),
        ("uge 10–16, 2028", ("2028-W10", "2028-W16")),
        ("uge 53–2", ("2026-W53", "2027-W02")),
        ("uge 50–2", ("2026-W50", "2027-W02")),
        ("uge 10, 2027", ("2027-W10", "2027-W10")),
        ("2027-W10 – 2027-W12", ("2027-W10", "2027-W12")),
    ],
)
def test_weeks_are_read(text: str, expected: tuple[str, str]) -> None:
    assert isoweek.parse_weeks(text, reference=NOV_2026) == expected


@pytest.mark.parametrize("text", ["10. marts", "næste uge", "", "1.3.2027"])
def test_other_text_is_not_weeks(text: str) -> None:
    assert isoweek.parse_weeks(text, reference=NOV_2026) is None


@pytest.mark.parametrize("text", ["uge 0", "uge 54", "2027-W53", "uge 53 2027"])
def test_weeks_that_do_not_exist_are_refused(text: str) -> None:
    with pytest.raises(isoweek.WeekError):
        isoweek.parse_weeks(text, reference=NOV_2026)


def test_week_53_exists_in_long_years_only() -> None:
    assert isoweek.weeks_in_year(2026) == 53
    assert isoweek.weeks_in_year(2027) == 52
    assert isoweek.parse_weeks("uge 53", reference=NOV_2026) == ("2026-W53", "2026-W53")
    # From January 2027, the next week 53 is in 2032.
    assert isoweek.parse_weeks("uge 53", reference=date(2027, 1, 10)) == ("2032-W53", "2032-W53")


def test_week_boundaries_follow_iso() -> None:
    # 1 January 2027 is a Friday: it belongs to week 53 of 2026.
    assert isoweek.week_of(date(2027, 1, 1)) == "2026-W53"
    assert isoweek.week_start("2027-W01") == date(2027, 1, 4)
    assert isoweek.week_end("2027-W01") == date(2027, 1, 10)
    assert isoweek.last_whole_week_by(date(2027, 5, 23)) == "2027-W20"  # a Sunday: its own week
    assert isoweek.last_whole_week_by(date(2027, 5, 22)) == "2027-W19"


def test_weeks_are_written_in_the_readers_language() -> None:
    with translation.override("en"):
        assert isoweek.format_week("2027-W10") == "week 10, 2027"
        assert isoweek.format_week("2027-W10", with_year=False) == "week 10"

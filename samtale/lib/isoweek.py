"""ISO weeks as Danes use them ("uge 10"): ISO 8601 weeks, Monday to Sunday, week 1 the week
with the year's first Thursday. Stored as ``"2027-W10"``; read from that form and from Danish
and English input: "uge 10", "uge 10 2027", "uge 10–16", "week 10-16", "2027-W10".

A week written without a year is the first such week on or after a reference date (the
conversation's date: a plan looks ahead, so "uge 10" written in November is next year's).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_ISO = re.compile(r"^(\d{4})-?[wW](\d{1,2})$")
# "uge 10", "uge 10 2027", "week 10/2027", "u10", "uge 10–16", "uge 10-16 2027"
_FREE = re.compile(
    r"^(?:uge|week|wk|u|w)\.?\s*(\d{1,2})(?:\s*(?:[-–—]|til|to)\s*(?:uge|week|u|w)?\.?\s*(\d{1,2}))?"
    r"(?:\s*[,/]?\s*(\d{4}))?$",
    re.IGNORECASE,
)
_ISO_RANGE = re.compile(r"^(\d{4}-?[wW]\d{1,2})\s*(?:[-–—]|til|to)\s*(\d{4}-?[wW]\d{1,2})$")


class WeekError(ValueError):
    """The text names no existing ISO week."""


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December is always in the year's last week."""
    return date(year, 12, 28).isocalendar().week


def make_week(year: int, week: int) -> str:
    if not 1 <= week <= weeks_in_year(year):
        raise WeekError(f"{year} has no week {week}")
    return f"{year:04d}-W{week:02d}"


def is_week(value: str) -> bool:
    match = _ISO.match(value.strip())
    if not match:
        return False
    year, week = int(match[1]), int(match[2])
    return 1 <= week <= weeks_in_year(year)


def week_of(day: date) -> str:
    iso = day.isocalendar()
    return make_week(iso.year, iso.week)


def week_start(value: str) -> date:
    """The Monday of the week."""
    year, week = _split(value)
    return date.fromisocalendar(year, week, 1)


def week_end(value: str) -> date:
    """The Sunday of the week."""
    return week_start(value) + timedelta(days=6)


def week_number(value: str) -> int:
    return _split(value)[1]


def last_whole_week_by(day: date) -> str:
    """The last week that has ended on or before ``day`` (its Sunday ≤ day)."""
    sunday = day - timedelta(days=(day.isoweekday() % 7))
    return week_of(sunday)


def _split(value: str) -> tuple[int, int]:
    match = _ISO.match(value.strip())
    if not match:
        raise WeekError(f"not an ISO week: {value!r}")
    year, week = int(match[1]), int(match[2])
    make_week(year, week)
    return year, week


def _with_year(week: int, year: int | None, reference: date) -> str:
    if year is not None:
        return make_week(year, week)
    ref = reference.isocalendar()
    candidate_year = ref.year if week >= ref.week else ref.year + 1
    # Week 53 exists only in some years: take the next year that has it.
    while week > weeks_in_year(candidate_year):
        candidate_year += 1
        if candidate_year > ref.year + 7:
            raise WeekError(f"no week {week}")
    return make_week(candidate_year, week)


def parse_weeks(text: str, *, reference: date) -> tuple[str, str] | None:
    """``(from, to)`` ISO weeks for a week or a range of weeks ("uge 10–16": weeks 10 to 16);
    ``from == to`` for a single week; None when the text is not about weeks at all. A range
    whose second week number is lower than the first runs into the next year ("uge 50–2")."""
    text = " ".join(text.split())
    match = _ISO.match(text)
    if match:
        week = make_week(int(match[1]), int(match[2]))
        return week, week
    match = _ISO_RANGE.match(text)
    if match:
        return make_week(*_split(match[1])), make_week(*_split(match[2]))
    match = _FREE.match(text)
    if not match:
        return None
    first = int(match[1])
    year = int(match[3]) if match[3] else None
    start = _with_year(first, year, reference)
    if match[2] is None:
        return start, start
    last = int(match[2])
    start_year = _split(start)[0]
    end = make_week(start_year if last >= first else start_year + 1, last)
    return start, end


def format_week(value: str, *, with_year: bool = True) -> str:
    """ "uge 10, 2027" in Danish, "week 10, 2027" in English (the current language)."""
    from django.utils.translation import gettext as _

    year, week = _split(value)
    if with_year:
        return _("week %(week)d, %(year)d") % {"week": week, "year": year}
    return _("week %(week)d") % {"week": week}


def when_text(value: str) -> str:
    """A stored date ("2027-03-01") or week ("2027-W10") as people read it, in the current
    language: "1. marts 2027", "uge 10, 2027"."""
    if not value:
        return ""
    if is_week(value):
        return format_week(value)
    from datetime import date as date_

    from django.utils.formats import date_format

    return date_format(date_.fromisoformat(value), "j. F Y")

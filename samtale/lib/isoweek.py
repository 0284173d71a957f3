"""ISO weeks as Danes use them ("uge 10"): ISO 8601 weeks, Monday to Sunday, week 1 the week
with the year's first Thursday. Stored as ``"2027-W10"``; read from that form and from Danish
and English input: "uge 10", "uge 10 2027", "uge 10–16", "week 10-16", "weeks 10–16", "2027-W10".

A week written without a year is the first such week on or after a reference date (the
conversation's date: a plan looks ahead, so "uge 10" written in November is next year's).
Written back (``week_text``, ``weeks_text``) a week carries its year only when it would not be
read that way: "uge 8", "uge 52–2", but "uge 2, 2029".
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_ISO = re.compile(r"^(\d{4})-?[wW](\d{1,2})$")
# "uge 10", "uge 10 2027", "week 10/2027", "u10", "uge 10–16", "uge 10-16 2027", "weeks 10–16"
_FREE = re.compile(
    r"^(?:uger?|weeks?|wk|u|w)\.?\s*(\d{1,2})(?:\s*(?:[-–—]|til|to)\s*(?:uge|week|u|w)?\.?\s*(\d{1,2}))?"
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


def reads_without_year(value: str, *, reference: date) -> bool:
    """Whether the week, written without its year, is read back as itself from ``reference``
    (``parse_weeks``) and lies within about a year of it: "uge 2" in November 2026 is week 2 of
    2027. Week 53 is read as the next year that has one, which may be years away: then the year
    is written."""
    year, week = _split(value)
    if year > reference.isocalendar().year + 1:
        return False
    try:
        return _with_year(week, None, reference) == value
    except WeekError:
        return False


def week_text(value: str, *, reference: date) -> str:
    """A stored week as people write and read it, in the current language: "uge 8", or
    "uge 2, 2029" when the year is not the one a reader takes from ``reference``."""
    return format_week(value, with_year=not reads_without_year(value, reference=reference))


def weeks_text(first: str, last: str, *, reference: date) -> str:
    """A stored range of weeks as people write and read it: "uge 10–16", "uge 52–2" over the
    new year, "uge 10–16, 2029" in another year; "uge 50, 2027 – uge 3, 2029" when it is longer
    than a year. ``parse_weeks`` reads each back as the same range."""
    from django.utils.translation import gettext as _

    if first == last:
        return week_text(first, reference=reference)
    (first_year, first_week), (last_year, last_week) = _split(first), _split(last)
    # What "uge 10–16" means to parse_weeks: the second week in the first one's year, or in the
    # next year when its number is lower.
    one_range = (last_year == first_year and last_week > first_week) or (
        last_year == first_year + 1 and last_week < first_week
    )
    numbers = {"first": first_week, "last": last_week}
    if one_range and reads_without_year(first, reference=reference):
        return _("weeks %(first)d–%(last)d") % numbers
    if one_range and last_year == first_year:
        return _("weeks %(first)d–%(last)d, %(year)d") % {**numbers, "year": first_year}
    # Over the new year in another year, or longer: both ends with their years, or neither.
    with_year = not (reads_without_year(first, reference=reference) and reads_without_year(last, reference=reference))
    return f"{format_week(first, with_year=with_year)} – {format_week(last, with_year=with_year)}"

"""Dates and numbers in the active language's formats (``samtale/formats``), as template filters
every template has (``TEMPLATES`` ``builtins``) and as functions for e-mails and PDFs built in
Python: "onsdag 16. december 2026" / "Wednesday 16 December 2026", "20.000" / "20,000"."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django import template
from django.template import defaultfilters
from django.utils import formats, timezone, translation

register = template.Library()


@register.filter(name="date", expects_localtime=True, is_safe=False)
def date_filter(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter, remembered: a list of a hundred people shows the same few dates
    and times again and again, and formatting one costs more than the rest of its cell. Kept per
    value, format, language and the value's own zone and offset (an aware time arrives in Danish
    time; two equal instants in different zones, or the two 02:30 of the night the clocks go back,
    are not the same text)."""
    if value in (None, ""):
        return ""
    zone = f"{value.tzinfo} {value.utcoffset()}" if isinstance(value, datetime) else ""  # fold: the night in October
    try:
        return _formatted(value, arg, translation.get_language(), zone)
    except TypeError:  # not hashable: as Django does it
        return defaultfilters.date(value, arg)


@lru_cache(maxsize=16384)
def _formatted(value: Any, arg: str | None, _language: str | None, _zone: str) -> str:
    return defaultfilters.date(value, arg)


def long_date(value: date | datetime, *, weekday: bool = False, time: bool = False) -> str:
    """The date (with ``time``, the time too; with ``weekday``, the day's name first) in the
    active language's ``DATE_FORMAT`` / ``DATETIME_FORMAT``. An aware time is shown in Danish time
    (``TIME_ZONE``), as the ``date`` filter does."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    pattern = formats.get_format("DATETIME_FORMAT" if time else "DATE_FORMAT")
    return formats.date_format(value, f"l {pattern}" if weekday else pattern)


def number(value: int | float) -> str:
    """A count with the language's thousands separator: "20.000" in Danish, "20,000" in English."""
    return formats.number_format(value, force_grouping=True)


@register.filter(name="weekday_date", expects_localtime=True)
def weekday_date_filter(value: date | datetime | None) -> str:
    return long_date(value, weekday=True) if value else ""


@register.filter(name="weekday_datetime", expects_localtime=True)
def weekday_datetime_filter(value: datetime | None) -> str:
    return long_date(value, weekday=True, time=True) if value else ""


@register.filter(name="weekday_day", expects_localtime=True)
def weekday_day_filter(value: date | datetime | None) -> str:
    """The day's name and the day without the year: "onsdag 16. december" / "Wednesday 16 December"."""
    if not value:
        return ""
    return formats.date_format(value, "l " + formats.get_format("MONTH_DAY_FORMAT"))


@register.filter(name="number")
def number_filter(value: int | float | None) -> str:
    return number(value) if value is not None else ""

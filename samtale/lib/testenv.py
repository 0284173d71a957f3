"""Loaded by pytest before Django (``-p samtale.lib.testenv`` in pyproject.toml): the settings
the test suite runs with, set as environment variables exactly as production would set them,
and the clock the suite runs at.

``SAMTALE_TEST_CLOCK`` moves the clock of the whole run (every process, xdist's workers too) to
a moment and lets it tick on from there, so the suite can be run on any day at any hour::

    SAMTALE_TEST_CLOCK=2027-03-28T01:55 make test          # the night the clocks change in March
    SAMTALE_TEST_CLOCK=2026-12-31T23:58 make test          # New Year's Eve, ISO week 53, midnight
    SAMTALE_TEST_CLOCK="2027-10-31T02:30+01:00" make test  # the second 02:30 of October's night

A moment without an offset is wall time in Europe/Copenhagen (the earlier one when it happens
twice); a moment that never happens there (02:30 on the March night) is refused. CI runs the
PostgreSQL pass with such a setting (``.ci/run``).
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("SAMTALE_SECRET_KEY", "samtale-test-secret-key-not-for-production-0123456789")
os.environ.setdefault("SAMTALE_DEBUG", "0")
# The test server speaks plain HTTP, so cookies must not require HTTPS.
os.environ.setdefault("SAMTALE_SECURE", "0")
# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CLOCK_VARIABLE = "SAMTALE_TEST_CLOCK"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class ClockError(ValueError):
    """The clock setting names no moment."""


def clock_moment(text: str) -> datetime:
    """The moment ``SAMTALE_TEST_CLOCK`` names, as an aware datetime."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ClockError(f"{CLOCK_VARIABLE}={text!r} is not a moment such as 2027-03-28T01:55") from None
    if moment.tzinfo is not None:
        return moment
    local = moment.replace(tzinfo=COPENHAGEN)
    # A wall time in the hour the clocks skip does not survive the round trip through UTC.
    if local.astimezone(ZoneInfo("UTC")).astimezone(COPENHAGEN).replace(tzinfo=None) != moment:
        raise ClockError(f"{CLOCK_VARIABLE}={text!r} never happens in Europe/Copenhagen (the clocks skip it)")
    return local


_traveller: Any = None


def pytest_configure(config: Any) -> None:
    global _traveller
    text = os.environ.get(CLOCK_VARIABLE, "")
    if not text or _traveller is not None:
        return
    import pytest
    import time_machine

    try:
        moment = clock_moment(text)
    except ClockError as error:
        raise pytest.UsageError(str(error)) from None
    _traveller = time_machine.travel(moment, tick=True)
    _traveller.start()


def pytest_report_header(config: Any) -> str | None:
    text = os.environ.get(CLOCK_VARIABLE, "")
    if not text:
        return None
    moment = clock_moment(text)
    local = moment.astimezone(COPENHAGEN)
    return f"clock: {CLOCK_VARIABLE} moved it to {moment.isoformat()} ({local:%A %H:%M %Z} in Copenhagen), ticking"

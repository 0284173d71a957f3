"""Dates and counts as Danes write them in Danish and the English in English (docs/domain.md
§ Dates, weeks and words), from one place: samtale/formats and samtale/lib/formatting.py."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from samtale.lib.formatting import long_date, number

WEDNESDAY = date(2026, 12, 16)
AFTERNOON = datetime(2026, 12, 16, 13, 0, tzinfo=ZoneInfo("UTC"))  # 14:00 in Copenhagen


@pytest.mark.parametrize(
    ("language", "plain", "weekday", "with_time"),
    [
        ("da", "16. december 2026", "onsdag 16. december 2026", "onsdag 16. december 2026 14:00"),
        ("en", "16 December 2026", "Wednesday 16 December 2026", "Wednesday 16 December 2026, 14:00"),
    ],
)
def test_a_date_reads_as_the_language_writes_it(language: str, plain: str, weekday: str, with_time: str) -> None:
    with translation.override(language):
        assert long_date(WEDNESDAY) == plain
        assert long_date(WEDNESDAY, weekday=True) == weekday
        assert long_date(AFTERNOON, weekday=True, time=True) == with_time


@pytest.mark.parametrize(("language", "expected"), [("da", "20.000 · 1.234.567"), ("en", "20,000 · 1,234,567")])
def test_a_count_has_the_languages_thousands_separator(language: str, expected: str) -> None:
    with translation.override(language):
        assert f"{number(20000)} · {number(1234567)}" == expected
        assert Template("{{ n|number }}").render(Context({"n": 20000})) == expected.split(" · ")[0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("da", "onsdag 16. december 2026 | onsdag 16. december | 16. december 2026 14:00"),
        ("en", "Wednesday 16 December 2026 | Wednesday 16 December | 16 December 2026, 14:00"),
    ],
)
def test_the_template_filters_give_the_same_words(language: str, expected: str) -> None:
    template = Template('{{ d|weekday_date }} | {{ d|weekday_day }} | {{ t|date:"DATETIME_FORMAT" }}')
    with translation.override(language):
        assert template.render(Context({"d": WEDNESDAY, "t": AFTERNOON})) == expected


def test_no_template_spells_out_a_date_format() -> None:
    """A page names a format (DATE_FORMAT, DATETIME_FORMAT) or uses a filter, so one place decides
    how a date reads in each language; only a clock time (H:i) is written out."""
    spelled = re.compile(r'\|date:"(?![A-Z_]+")[^"]*"')
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*")
        if path.is_file()
        for match in spelled.finditer(path.read_text())
    ]
    assert offenders == []

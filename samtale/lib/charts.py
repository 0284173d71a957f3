"""Charts as server-rendered SVG that people can read: axes with their labels, dates, a marked
deadline, a legend, and the same size of type on a phone and a laptop (a 360-unit-wide drawing,
shown at most 1.4 times larger). Each chart stands beside a table with its numbers.

Drawn here rather than by a chart library: the SVG must pass the Content Security Policy (no
inline ``<style>`` or script, which pygal's output carries) and render the same in WeasyPrint's
PDFs; the geometry is a few lines of arithmetic. The templates draw it
(``components/line_chart.html``, ``surveys/_scale.html``) with the classes in ``samtale.css``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import formats

# The drawing, in SVG units: the plot area inside the margins for the axes' labels.
WIDTH, HEIGHT = 360, 210
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 22, 30
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in SVG units
    label: str


@dataclass(frozen=True)
class Line:
    label: str
    css: str  # the stroke's class in samtale.css: colour and pattern (solid, dashed)
    points: str  # "x,y x,y …"


@dataclass(frozen=True)
class Marker:
    x: float
    label: str


@dataclass(frozen=True)
class LineChart:
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[Line]
    marker: Marker | None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def short_date(day: date) -> str:
    """ "7. dec." / "7 Dec": a tick on a time axis, as the language abbreviates."""
    return (
        formats.date_format(day, "j. b")
        if formats.get_format("DATE_FORMAT").startswith("j.")
        else (formats.date_format(day, "j M"))
    )


def shares_over_time(
    *,
    days: Sequence[date],
    series: Sequence[tuple[str, str, Sequence[int]]],
    total: int,
    marker: tuple[date, str] | None = None,
    x_ticks: int = 5,
) -> LineChart:
    """Lines of running counts (``series``: label, class, one value per day up to today — a
    series may be shorter than ``days``) drawn as shares of ``total``, 0–100 %, so the chart reads
    the same at 300 and at 50,000 people; ``days`` span the x axis; ``marker`` a day to mark (the
    deadline)."""
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return round(LEFT + (day - first).days * PLOT_W / span, 1)

    def y(value: int) -> float:
        return round(TOP + PLOT_H - min(value, total) * PLOT_H / max(total, 1), 1)

    step = max(1, round((len(days) - 1) / max(x_ticks - 1, 1)))
    ticks = [Tick(x(day), short_date(day)) for day in days[::step]]
    y_ticks = [Tick(round(TOP + PLOT_H - share * PLOT_H / 100, 1), f"{share}\u00a0%") for share in (0, 25, 50, 75, 100)]
    lines = [
        Line(label, css, " ".join(f"{x(day)},{y(value)}" for day, value in zip(days, values, strict=False)))
        for label, css, values in series
    ]
    mark = None
    if marker is not None and first <= marker[0] <= last:
        mark = Marker(x(marker[0]), marker[1])
    return LineChart(x_ticks=ticks, y_ticks=y_ticks, lines=lines, marker=mark)


# A scale of answers (1 to 5), for the 360 report: the team's spread, average, and the leader's own.

SCALE_LEFT, SCALE_RIGHT = 12, 188


def scale_x(value: float, *, low: int = 1, high: int = 5) -> int:
    """Where ``value`` lies on a scale drawn from ``SCALE_LEFT`` to ``SCALE_RIGHT`` (whole units)."""
    return round(SCALE_LEFT + (value - low) * (SCALE_RIGHT - SCALE_LEFT) / (high - low))


def scale_ticks(*, low: int = 1, high: int = 5) -> list[Tick]:
    return [Tick(scale_x(value, low=low, high=high), str(value)) for value in range(low, high + 1)]

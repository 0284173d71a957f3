"""The round over time: conversations held and plans signed, week by week, for the overview's chart."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from samtale.completion.models import CompletionDay, DayKind, UnitCompletion
from samtale.oversight.selectors.scope import Scope, counter_rows_q, team_outside_units
from samtale.rounds.models import Round


@dataclass(frozen=True)
class TimelinePoint:
    week_ending: date
    held: int
    signed: int


@dataclass(frozen=True)
class Timeline:
    participants: int
    held_by: date
    points: list[TimelinePoint]

    # The chart's drawing area, in SVG units.
    WIDTH = 600
    HEIGHT = 200

    def _x(self, index: int) -> float:
        return round(index * self.WIDTH / max(len(self.points) - 1, 1), 1)

    def _y(self, value: int) -> float:
        return round(self.HEIGHT - value * self.HEIGHT / max(self.participants, 1), 1)

    def _line(self, name: str) -> str:
        return " ".join(f"{self._x(i)},{self._y(getattr(p, name))}" for i, p in enumerate(self.points))

    @property
    def held_line(self) -> str:
        return self._line("held")

    @property
    def signed_line(self) -> str:
        return self._line("signed")

    @property
    def deadline_x(self) -> float | None:
        """Where the deadline's week is on the chart, if it is on it."""
        for index, point in enumerate(self.points):
            if point.week_ending >= self.held_by:
                return self._x(index)
        return None


MAX_WEEKS = 104


def round_timeline(*, round_: Round, scope: Scope, today: date | None = None) -> Timeline:
    """Conversations held and plans signed, added up week by week from the round's opening to
    its deadline (or today, if later), against the number of participants; from the counters'
    days, one query whatever the size."""
    today = today or timezone.localdate()
    start = round_.opens_on
    end = max(round_.held_by, today)
    first_sunday = start + timedelta(days=6 - start.weekday())
    weeks = [first_sunday + timedelta(weeks=i) for i in range(MAX_WEEKS)]
    weeks = [week for week in weeks if week - timedelta(days=6) <= end] or [first_sunday]
    units = counter_rows_q(scope, None)
    participants = UnitCompletion.objects.filter(round=round_).filter(units).aggregate(n=Sum("participants"))["n"] or 0
    days: dict[str, Counter[date]] = {DayKind.HELD: Counter(), DayKind.SIGNED: Counter()}
    for kind, day, count in (
        CompletionDay.objects.filter(round=round_, kind__in=days)
        .filter(units)
        .order_by()
        .values_list("kind", "day")
        .annotate(n=Sum("count"))
    ):
        days[kind][day] += count
    for tally in team_outside_units(round_, scope, None).values():
        participants += tally.counts[0]
        for (kind, day), count in tally.days.items():
            if kind in days:
                days[kind][day] += count
    held, signed = days[DayKind.HELD], days[DayKind.SIGNED]

    def running(days: Counter[date]) -> list[int]:
        ordered, totals, index, sum_ = sorted(days.items()), [], 0, 0
        for week in weeks:
            while index < len(ordered) and ordered[index][0] <= week:
                sum_ += ordered[index][1]
                index += 1
            totals.append(sum_)
        return totals

    points = [
        TimelinePoint(week_ending=week, held=h, signed=s)
        for week, h, s in zip(weeks, running(held), running(signed), strict=True)
    ]
    return Timeline(participants=participants, held_by=round_.held_by, points=points)

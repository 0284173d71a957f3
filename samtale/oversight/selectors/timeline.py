"""The round over time: conversations held and plans signed, week by week, for the overview's chart."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.completion.models import CompletionDay, DayKind, UnitCompletion
from samtale.lib.charts import LineChart, shares_over_time
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
    today: date

    @property
    def shown(self) -> list[TimelinePoint]:
        """The weeks up to this one: a line stops at today, it does not run flat into the future."""
        return [p for p in self.points if p.week_ending - timedelta(days=6) <= self.today]

    @property
    def chart(self) -> LineChart:
        """Held and signed as shares of the participants, week by week, with the deadline marked."""
        shown = self.shown
        return shares_over_time(
            days=[p.week_ending for p in self.points],
            series=[
                (_("Conversations held"), "series-held", [p.held for p in shown]),
                (_("Plans signed by both"), "series-signed", [p.signed for p in shown]),
            ],
            total=self.participants,
            marker=(self.held_by, _("Deadline")),
        )


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
    return Timeline(participants=participants, held_by=round_.held_by, points=points, today=today)

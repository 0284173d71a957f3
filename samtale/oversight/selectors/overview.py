"""How far each unit has come in a round (docs/domain.md § Completion overview): the counts of
every step, rolled up the tree, from the counters; the same number of queries whatever the size of
the organisation: one ``GROUP BY`` over the unit, one for the units shown, and the roll-up over
the materialised paths in Python."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache, cached_property
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from samtale.completion.models import COUNTED, CompletionDay, DayKind, UnitCompletion
from samtale.org.models import PATH_STEP, Unit, path_ids
from samtale.oversight.selectors.scope import Scope, counter_rows_q, team_outside_units
from samtale.rounds.models import Round


@dataclass
class Counts:
    """How many participants have reached each step, and how many are late at each."""

    participants: int = 0
    invited: int = 0
    scheduled: int = 0
    held: int = 0
    not_held: int = 0
    plan_submitted: int = 0
    plan_signed: int = 0
    follow_up_held: int = 0
    overdue_scheduling: int = 0
    overdue_held: int = 0
    overdue_plan: int = 0
    overdue_follow_up: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def percent(self, name: str) -> int:
        """The share of participants, rounded down so that 100 % means everyone."""
        return getattr(self, name) * 100 // self.participants if self.participants else 0

    @property
    def held_percent(self) -> int:
        return self.percent("held")

    @property
    def signed_percent(self) -> int:
        return self.percent("plan_signed")

    @property
    def steps(self) -> list[tuple[str, int, int]]:
        """Each step in order: its name, how many reached it, and their share."""
        return [(name, getattr(self, name), self.percent(name)) for name in STEPS]

    @property
    def late(self) -> list[tuple[str, int]]:
        """The late steps with anyone late."""
        return [(name, getattr(self, name)) for name in OVERDUE if getattr(self, name)]


COUNT_FIELDS = tuple(f.name for f in fields(Counts))
STEPS = ("invited", "scheduled", "held", "plan_submitted", "plan_signed", "follow_up_held")
OVERDUE = ("overdue_scheduling", "overdue_held", "overdue_plan", "overdue_follow_up")


@dataclass
class UnitRow:
    unit_id: int
    uuid: Any
    name: str
    code: str
    path: str
    depth: int  # below the top of what is shown
    has_more: bool = False  # more units below it than are shown
    totals: list[int] = field(default_factory=lambda: [0] * len(COUNT_FIELDS))

    @cached_property
    def counts(self) -> Counts:
        return Counts(*self.totals)

    @property
    def indent(self) -> range:
        return range(self.depth)


@dataclass
class Overview:
    round: Round
    rows: list[UnitRow]
    total: Counts
    under: Unit | None = None


LEVELS = 3  # unit levels shown at once; a unit with more below it links to its own overview


def _own_counts(round_: Round, scope: Scope, under: Unit | None, today: date) -> dict[str, list[int]]:
    """Per unit path, the values of ``Counts`` for the unit's own people (in its order); two
    queries whatever the size (three for a leader with team members outside their units)."""
    late = round_.held_by < today

    def with_late(counted: list[int], plan_late: int = 0, follow_up_late: int = 0) -> list[int]:
        """``COUNTED`` and what is late, in the order of ``Counts``."""
        participants, _invited, scheduled, held, not_held = counted[:5]
        return [
            *counted,
            participants - scheduled - not_held if late else 0,  # still to be scheduled
            participants - held - not_held if late else 0,  # invited or scheduled, not held
            plan_late,
            follow_up_late,
        ]

    own: dict[str, list[int]] = {
        path: with_late(counted)
        for path, *counted in UnitCompletion.objects.filter(round=round_)
        .filter(counter_rows_q(scope, under))
        .order_by()
        .values_list("unit__path", *COUNTED)
    }
    overdue = {DayKind.PLAN_DUE: len(COUNT_FIELDS) - 2, DayKind.FOLLOW_UP_DUE: len(COUNT_FIELDS) - 1}
    late_days = (
        CompletionDay.objects.filter(round=round_, kind__in=overdue, day__lt=today)
        .filter(counter_rows_q(scope, under))
        .order_by()
        .values_list("unit__path", "kind")
        .annotate(late=Sum("count"))
    )
    for path, kind, count in late_days:
        if path in own:
            own[path][overdue[kind]] += count
    for path, tally in team_outside_units(round_, scope, under).items():
        own[path] = with_late(
            tally.counts,
            *(sum(n for (k, day), n in tally.days.items() if k == kind and day < today) for kind in overdue),
        )
    return own


def _add(into: list[int], counts: list[int]) -> None:
    for index, value in enumerate(counts):
        into[index] += value


def completion_overview(
    *, round_: Round, scope: Scope, under: Unit | None = None, levels: int = LEVELS, today: date | None = None
) -> Overview:
    """Per unit, rolled up the tree, the counts of every step; two queries whatever the size
    (three for a leader with team members outside their units), from the counters.

    ``levels`` levels of units are shown from the top of the scope (or from ``under``); a unit
    with more units below it is marked ``has_more``, to be opened as ``under``."""
    today = today or timezone.localdate()
    own = _own_counts(round_, scope, under, today)

    @cache
    def chain(path: str) -> tuple[tuple[int, int], ...]:
        """The shown units on the path from the root down to its unit, as (id, level)."""
        parent = path[:-PATH_STEP]
        above = chain(parent) if parent else ()
        if scope.shows_unit(path) and (under is None or path.startswith(under.path)):
            return (*above, (int(path[-PATH_STEP:-1]), len(path) // PATH_STEP - 1))
        return above

    # A unit counts for itself and for every unit above it that is shown, down to ``levels``
    # levels below the top: the units are first added up by their path cut at that depth (the
    # units of one cut path count into the same shown rows), then each sum into its rows. A team
    # member's unit outside the leader's units is shown on its own, at the top.
    top = min((pairs[0][1] for path in own if (pairs := chain(path))), default=0)
    cut = (top + levels) * PATH_STEP
    sums: dict[str, list[int]] = {}
    alone: dict[str, list[int]] = {}
    deeper: set[str] = set()
    for path, counts in own.items():
        if not chain(path):
            alone[path] = counts
            continue
        key = path[:cut]
        if len(path) > cut:
            deeper.add(key)
        if key in sums:
            _add(sums[key], counts)
        else:
            sums[key] = list(counts)
    visible: dict[int, int] = {}  # unit id -> level below the top
    has_more: set[int] = set()
    counted: list[tuple[tuple[int, ...], list[int]]] = []
    for key, counts in sums.items():
        pairs = chain(key)
        for pk, level in pairs:
            visible[pk] = level - top
        if key in deeper and pairs[-1][1] - top == levels - 1:
            has_more.add(pairs[-1][0])
        counted.append((tuple(pk for pk, _level in pairs), counts))
    for path, counts in alone.items():
        pk = path_ids(path)[-1]
        visible[pk] = 0
        counted.append(((pk,), counts))
    units = {
        pk: UnitRow(pk, uuid, name, code, path, visible[pk], has_more=pk in has_more)
        for pk, uuid, name, code, path in Unit.objects.filter(pk__in=visible).values_list(
            "pk", "uuid", "name", "code", "path"
        )
    }
    total = [0] * len(COUNT_FIELDS)
    for shown, counts in counted:
        _add(total, counts)
        for pk in shown:
            if pk in units:
                _add(units[pk].totals, counts)
    rows = sorted(units.values(), key=lambda row: row.path)
    return Overview(round=round_, rows=rows, total=Counts(*total), under=under)

"""How far each unit has come in a round (docs/domain.md § Completion overview): the counts of
every step, rolled up the tree, from the counters; the same number of queries whatever the size of
the organisation. The database adds up the counters of the units below the levels shown into the
shown unit above them (a ``GROUP BY`` on the unit's path cut at the deepest level shown), so
Python rolls up a few hundred rows, not one per unit of the organisation; then one query for the
units shown."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache, cached_property
from typing import Any

from django.db.models import Max, Q, Sum
from django.db.models.functions import Length, Substr
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


def _level(path: str) -> int:
    """A unit's level from its path (the root's is 0), as ``Unit.depth`` holds it."""
    return len(path) // PATH_STEP - 1


def _top(round_: Round, scope: Scope, under: Unit | None) -> int:
    """The level of the highest unit shown: ``under``'s, the root's for the whole organisation,
    else that of the highest of the scope's units with anyone counted below it (no query when its
    units are all at one level, as they mostly are; else one a level, from the top)."""
    if under is not None:
        return _level(under.path)
    if scope.whole_organisation or not scope.unit_paths:
        return 0
    depths = sorted({_level(path) for path in scope.unit_paths})
    if len(depths) == 1:
        return depths[0]
    for level in depths:
        at_level = Q(pk__in=[])
        for path in scope.unit_paths:
            if _level(path) == level:
                at_level |= Q(unit__path__startswith=path)
        if UnitCompletion.objects.filter(round=round_).filter(at_level).exists():
            return level
    return depths[0]


def _own_counts(
    round_: Round, scope: Scope, under: Unit | None, today: date, cut: int
) -> tuple[dict[str, list[int]], set[str], dict[str, list[int]]]:
    """Per unit path cut at ``cut`` characters (a unit shown, with every unit below it that is not),
    the values of ``Counts`` (in its order); the cut paths with units below the cut; and per unit
    path, a leader's team members in units outside the leader's. Two queries whatever the size
    (three for a leader with team members outside their units), each a ``GROUP BY`` in the
    database."""
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

    key = Substr("unit__path", 1, cut)
    own: dict[str, list[int]] = {}
    deeper: set[str] = set()
    counters = (
        UnitCompletion.objects.filter(round=round_)
        .filter(counter_rows_q(scope, under))
        .order_by()
        .annotate(key=key)
        .values("key")
        .annotate(deepest=Max(Length("unit__path")), **{f"sum_{name}": Sum(name) for name in COUNTED})
        .values_list("key", "deepest", *(f"sum_{name}" for name in COUNTED))
    )
    for path, deepest, *counted in counters:
        own[path] = with_late(counted)
        if deepest > cut:
            deeper.add(path)
    overdue = {DayKind.PLAN_DUE: len(COUNT_FIELDS) - 2, DayKind.FOLLOW_UP_DUE: len(COUNT_FIELDS) - 1}
    late_days = (
        CompletionDay.objects.filter(round=round_, kind__in=overdue, day__lt=today)
        .filter(counter_rows_q(scope, under))
        .order_by()
        .annotate(key=key)
        .values_list("key", "kind")
        .annotate(late=Sum("count"))
    )
    for path, kind, count in late_days:
        if path in own:
            own[path][overdue[kind]] += count
    outside = {
        path: with_late(
            tally.counts,
            *(sum(n for (k, day), n in tally.days.items() if k == kind and day < today) for kind in overdue),
        )
        for path, tally in team_outside_units(round_, scope, under).items()
    }
    return own, deeper, outside


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
    top = _top(round_, scope, under)
    cut = (top + levels) * PATH_STEP
    own, deeper, alone = _own_counts(round_, scope, under, today, cut)

    @cache
    def chain(path: str) -> tuple[tuple[int, int], ...]:
        """The shown units on the path from the root down to its unit, as (id, level)."""
        parent = path[:-PATH_STEP]
        above = chain(parent) if parent else ()
        if scope.shows_unit(path) and (under is None or path.startswith(under.path)):
            return (*above, (int(path[-PATH_STEP:-1]), _level(path)))
        return above

    # A unit counts for itself and for every unit above it that is shown, down to ``levels``
    # levels below the top: the database has added the units up by their path cut at that depth
    # (the units of one cut path count into the same shown rows), then each sum goes into its
    # rows (a cut path above every unit shown, which only a scope with units far apart in depth
    # has, counts in the total alone). A team member's unit outside the leader's units is shown
    # on its own, at the top.
    sums = {path: counts for path, counts in own.items() if chain(path)}
    hidden = [counts for path, counts in own.items() if not chain(path)]
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
    for counts in hidden:
        _add(total, counts)
    for shown, counts in counted:
        _add(total, counts)
        for pk in shown:
            if pk in units:
                _add(units[pk].totals, counts)
    rows = sorted(units.values(), key=lambda row: row.path)
    return Overview(round=round_, rows=rows, total=Counts(*total), under=under)

"""Reads for the completion overview of a round (docs/domain.md § Completion overview): how far each
unit has come, rolled up the tree, and the people of a unit, for HR, a leader and the leader chain.

"HR sees dates and states, never text" (docs/trust.md § HR sees dates and states): every query here
names the columns it reads (``values``/``values_list``) and none of them is a content field. The
overview makes the same number of queries whatever the size of the organisation: one ``GROUP BY``
over the unit, one for the units shown, and the roll-up over the materialised paths in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from functools import cache, cached_property
from typing import Any

from django.db.models import Case, Count, DateField, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, NullIf, TruncDate
from django.utils import timezone

from samtale.access.viewer import Viewer
from samtale.completion import counters
from samtale.completion.models import COUNTED, CompletionDay, DayKind, UnitCompletion
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.org.models import PATH_STEP, Person, Unit, employed_q, path_ids
from samtale.plans.models import FollowUpStatus, PlanStatus
from samtale.rounds.models import Round, RoundStatus

OPEN = (ConversationStatus.INVITED, ConversationStatus.SCHEDULED)


@dataclass(frozen=True)
class Scope:
    """The people whose completion a viewer may see (docs/trust.md § Access matrix, "completion
    status"): HR its coverage (``whole_organisation``, or the subtrees under ``unit_paths``); a
    leader their team (``leader_id``) and, as the chain, the subtrees of the units they lead
    (``unit_paths``)."""

    whole_organisation: bool = False
    unit_paths: tuple[str, ...] = ()
    leader_id: int | None = None

    def people_q(self, prefix: str = "") -> Q:
        if self.whole_organisation:
            return Q()
        q = Q(pk__in=[])
        for path in self.unit_paths:
            q |= Q(**{f"{prefix}unit__path__startswith": path})
        if self.leader_id is not None:
            q |= Q(**{f"{prefix}personnel_leader_id": self.leader_id})
        return q

    def shows_unit(self, path: str) -> bool:
        """Whether a unit is shown with its roll-up: inside the scope's subtrees (a team member's
        own unit outside them is shown as well, without the units above it)."""
        return self.whole_organisation or any(path.startswith(root) for root in self.unit_paths)


def hr_scope(viewer: Viewer) -> Scope | None:
    """The people HR covers: the whole organisation, or the subtrees of its units."""
    if viewer.hr is None:
        return None
    return Scope(whole_organisation=viewer.hr.whole_organisation, unit_paths=viewer.hr.unit_paths)


def oversight_scope(viewer: Viewer) -> Scope | None:
    """HR's coverage, and a leader's team and subtree (someone may be both); else nothing (the
    pages answer 404)."""
    hr = hr_scope(viewer)
    if hr is not None and hr.whole_organisation:
        return hr
    if viewer.person is None or not viewer.is_leader:
        return hr
    led = tuple(unit.path for unit in viewer.led_units)
    return Scope(unit_paths=(*(hr.unit_paths if hr else ()), *led), leader_id=viewer.person.pk)


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


def _conversations(round_: Round, scope: Scope) -> Any:
    return Conversation.objects.filter(round=round_).filter(scope.people_q("employee__"))


LEVELS = 3  # unit levels shown at once; a unit with more below it links to its own overview


def _units_q(scope: Scope, under: Unit | None) -> Q:
    """The counter rows of the units in the scope (and under ``under``)."""
    q = Q()
    if not scope.whole_organisation:
        q = Q(pk__in=[])
        for path in scope.unit_paths:
            q |= Q(unit__path__startswith=path)
    if under is not None:
        q &= Q(unit__path__startswith=under.path)
    return q


def _outside(round_: Round, scope: Scope, under: Unit | None) -> dict[str, counters.Tally]:
    """A leader's team members in units outside the leader's own, counted live (a handful of
    conversations; one query), by unit path: they are shown for their unit without the rest of
    its people."""
    if scope.leader_id is None:
        return {}
    outside = Conversation.objects.filter(round=round_, employee__personnel_leader_id=scope.leader_id)
    for path in scope.unit_paths:
        outside = outside.exclude(employee__unit__path__startswith=path)
    if under is not None:
        outside = outside.filter(employee__unit__path__startswith=under.path)
    live: dict[str, counters.Tally] = {}
    for *row, path in outside.order_by().values_list(*counters.COLUMNS, "employee__unit__path"):
        live.setdefault(path, counters.Tally()).add(tuple(row))
    return live


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
        .filter(_units_q(scope, under))
        .order_by()
        .values_list("unit__path", *COUNTED)
    }
    overdue = {DayKind.PLAN_DUE: len(COUNT_FIELDS) - 2, DayKind.FOLLOW_UP_DUE: len(COUNT_FIELDS) - 1}
    late_days = (
        CompletionDay.objects.filter(round=round_, kind__in=overdue, day__lt=today)
        .filter(_units_q(scope, under))
        .order_by()
        .values_list("unit__path", "kind")
        .annotate(late=Sum("count"))
    )
    for path, kind, count in late_days:
        if path in own:
            own[path][overdue[kind]] += count
    for path, tally in _outside(round_, scope, under).items():
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


def unit_in_scope(*, unit_uuid: Any, scope: Scope) -> Unit | None:
    """The unit, if the scope shows it (for a team outside the leader's units: the member's
    unit, which shows only that team)."""
    unit = Unit.objects.filter(uuid=unit_uuid).only("pk", "uuid", "name", "code", "path", "depth").first()
    if unit is None:
        return None
    if scope.shows_unit(unit.path):
        return unit
    if scope.leader_id is not None and unit.members.filter(personnel_leader_id=scope.leader_id).exists():
        return unit
    return None


# The people of a unit ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """One participant: dates and states, never text."""

    person_uuid: Any
    name: str
    employee_number: str
    unit_name: str
    leader_id: int | None
    leader_name: str
    status: str
    starts_at: datetime | None
    held_on: date | None
    plan_status: str
    plan_due_on: date | None
    plan_submitted_at: datetime | None
    plan_signed_at: datetime | None
    follow_up_by: date | None
    follow_up_status: str
    follow_up_held_on: date | None
    overdue: tuple[str, ...]

    @property
    def status_label(self) -> str:
        return str(ConversationStatus(self.status).label)

    @property
    def plan_status_label(self) -> str:
        return str(PlanStatus(self.plan_status).label) if self.plan_status else ""

    @property
    def follow_up_status_label(self) -> str:
        return str(FollowUpStatus(self.follow_up_status).label) if self.follow_up_status else ""

    @property
    def step(self) -> str:
        """The furthest step reached, for filtering and sorting."""
        if self.follow_up_status == FollowUpStatus.HELD:
            return "follow_up_held"
        if self.plan_signed_at:
            return "plan_signed"
        if self.plan_submitted_at:
            return "plan_submitted"
        return str(self.status)

    @property
    def latest_date(self) -> date | None:
        moments: list[date] = [
            timezone.localdate(d) if isinstance(d, datetime) else d
            for d in (
                self.starts_at,
                self.held_on,
                self.plan_submitted_at,
                self.plan_signed_at,
                self.follow_up_held_on,
            )
            if d is not None
        ]
        return max(moments) if moments else None


STEP_ORDER = ("invited", "scheduled", "not_held", "held", "plan_submitted", "plan_signed", "follow_up_held")
PERSON_COLUMNS = (
    "employee__uuid",
    "employee__name",
    "employee__employee_number",
    "employee__unit__name",
    "employee__personnel_leader_id",
    "employee__personnel_leader__name",
    "status",
    "starts_at",
    "held_on",
    "plan__status",
    "plan__due_on",
    "plan__submitted_at",
    "plan__signed_at",
    "plan__follow_up_by",
    "plan__follow_up__status",
    "plan__follow_up__held_on",
)
SORTS = ("name", "state", "date")
CHUNK = 2000  # rows read at a time when every row is read (the exports)


def _step() -> Case:
    """``PersonRow.step`` in SQL, as its place in ``STEP_ORDER``."""
    return Case(
        When(plan__follow_up__status=FollowUpStatus.HELD, then=Value(STEP_ORDER.index("follow_up_held"))),
        When(plan__signed_at__isnull=False, then=Value(STEP_ORDER.index("plan_signed"))),
        When(plan__submitted_at__isnull=False, then=Value(STEP_ORDER.index("plan_submitted"))),
        *(When(status=status, then=Value(STEP_ORDER.index(status))) for status in ConversationStatus.values),
        default=Value(0),
        output_field=IntegerField(),
    )


def _latest_date() -> NullIf:
    """``PersonRow.latest_date`` in SQL: the latest of the conversation's, the plan's and the
    follow-up's dates, a moment counting by its day in Samtale's time zone (a signature at 00:30 in
    Copenhagen is that day's, not the day before's in UTC); null when there is none (SQLite's
    ``MAX`` of several values is null if one is)."""

    def day(name: str, moment: bool = False) -> Coalesce:
        value = TruncDate(name, tzinfo=timezone.get_current_timezone()) if moment else F(name)
        return Coalesce(value, Value(date.min), output_field=DateField())

    latest = Greatest(
        day("starts_at", moment=True),
        day("held_on"),
        day("plan__submitted_at", moment=True),
        day("plan__signed_at", moment=True),
        day("plan__follow_up__held_on"),
        output_field=DateField(),
    )
    return NullIf(latest, Value(date.min), output_field=DateField())


def _late_q(round_: Round, today: date) -> Q:
    """The rows with a late step (``PersonRow.overdue`` not empty); the query has ``step``."""
    late = Q(plan__due_on__lt=today, plan__signed_at__isnull=True)
    late |= Q(plan__follow_up_by__lt=today) & ~Q(step=STEP_ORDER.index("follow_up_held"))
    if round_.held_by < today:
        late |= Q(status__in=OPEN)
    return late


def _late_steps(row: dict[str, Any], deadline_passed: bool, today: date) -> tuple[str, ...]:
    """The steps a participant is late with, from a row of ``PERSON_COLUMNS``."""
    status = row["status"]
    steps = []
    if deadline_passed and status == ConversationStatus.INVITED:
        steps.append("overdue_scheduling")
    if deadline_passed and status in OPEN:
        steps.append("overdue_held")
    if row["plan__due_on"] and row["plan__signed_at"] is None and row["plan__due_on"] < today:
        steps.append("overdue_plan")
    if (
        row["plan__follow_up_by"]
        and row["plan__follow_up_by"] < today
        and row["plan__follow_up__status"] != FollowUpStatus.HELD
    ):
        steps.append("overdue_follow_up")
    return tuple(steps)


def _person_row(values: tuple[Any, ...], deadline_passed: bool, today: date) -> PersonRow:
    row = dict(zip(PERSON_COLUMNS, values, strict=True))
    return PersonRow(
        person_uuid=row["employee__uuid"],
        name=row["employee__name"],
        employee_number=row["employee__employee_number"],
        unit_name=row["employee__unit__name"],
        leader_id=row["employee__personnel_leader_id"],
        leader_name=row["employee__personnel_leader__name"] or "",
        status=row["status"],
        starts_at=row["starts_at"],
        held_on=row["held_on"],
        plan_status=row["plan__status"] or "",
        plan_due_on=row["plan__due_on"],
        plan_submitted_at=row["plan__submitted_at"],
        plan_signed_at=row["plan__signed_at"],
        follow_up_by=row["plan__follow_up_by"],
        follow_up_status=row["plan__follow_up__status"] or "",
        follow_up_held_on=row["plan__follow_up__held_on"],
        overdue=_late_steps(row, deadline_passed, today),
    )


class UnitPeople:
    """The participants in a unit and below it within a scope, filtered and sorted in SQL: the
    drill-down counts them (``count``) and reads one page (a slice, as Django's ``Paginator``
    asks), the exports read every row a chunk at a time (iterating). Only the rows read become
    ``PersonRow``s with their late steps; the queries are the same whatever the size."""

    def __init__(
        self, *, round_: Round, scope: Scope, unit: Unit, step: str, overdue: bool, sort: str, today: date
    ) -> None:
        self.round = round_
        self.scope = scope
        self.unit = unit
        self.step = step
        self.overdue = overdue
        self.sort = sort
        self.today = today
        self.deadline_passed = round_.held_by < today

    def _query(self, *, narrow: bool, everyone: bool = False) -> QuerySet[Conversation]:
        """The rows, filtered and sorted. The unit and every unit below it are a range of the path
        index (paths hold only digits and "/", all below "~"). The range on the joined unit lets
        PostgreSQL start from the units, whatever their number; ``narrow`` adds the same range as
        a subquery of people, from which SQLite starts (the (round, employee) index): quick for a
        team, but three times slower than reading the round's conversations in order for the
        whole organisation, which SQLite does without it. With ``everyone`` (the unit is the only
        top unit) there is no range to check."""
        path = self.unit.path
        query = _conversations(self.round, self.scope)
        if not everyone:
            query = query.filter(employee__unit__path__gte=path, employee__unit__path__lt=f"{path}~")
        if narrow and not everyone:
            query = query.filter(employee_id__in=Person.objects.filter(unit__path__gte=path, unit__path__lt=f"{path}~"))
        # What a filter or a sort needs is joined only then: the plain list by name joins no plan.
        if self.step or self.overdue:
            query = query.alias(step=_step())
        if self.step:
            query = query.filter(step=STEP_ORDER.index(self.step)) if self.step in STEP_ORDER else query.none()
        if self.overdue:
            query = query.filter(_late_q(self.round, self.today))
        return self._sorted(query)

    def _sorted(self, query: QuerySet[Conversation]) -> QuerySet[Conversation]:
        """By name (its employee number, unique, after it: a total order, so the pages neither
        miss nor repeat a row), after the state or the latest date when sorted by those."""
        order: tuple[Any, ...] = ("employee__name", "employee__employee_number")
        if self.sort == "state":
            query = query.alias(step=_step())
            order = ("step", *order)
        elif self.sort == "date":
            query = query.alias(latest=_latest_date())
            order = (F("latest").asc(nulls_last=True), *order)
        return query.order_by(*order)

    @cached_property
    def _counted(self) -> tuple[int, int]:
        """From the counters (one query over the round's row per unit): the participants in the
        unit and below it, and in the whole round."""
        path = self.unit.path
        units = Unit.objects.filter(path__gte=path, path__lt=f"{path}~").values("pk")
        sums = UnitCompletion.objects.filter(round=self.round).aggregate(
            below=Sum("participants", filter=Q(unit_id__in=units), default=0),
            every=Sum("participants", default=0),
        )
        return sums["below"], sums["every"]

    def count(self) -> int:
        """How many rows there are. Unfiltered, in a unit the scope shows whole, the counters'
        number (the overview's); else counted in SQL (a team outside the leader's units is a few)."""
        if not (self.step or self.overdue) and self.scope.shows_unit(self.unit.path):
            return self._counted[0]
        return self._page_query.count()

    @cached_property
    def _page_query(self) -> QuerySet[Conversation]:
        """``_query`` as suits the size of the unit: from its people if it holds a small part of the
        round (the counters tell), with no range if it holds everyone."""
        below, every = self._counted
        return self._query(narrow=below * 4 < every, everyone=self._everyone)

    @cached_property
    def _everyone(self) -> bool:
        """Whether the unit is the organisation's only top unit, which everyone is below (at 50,000
        people, checking each one's unit is a third of the whole organisation's page in SQLite)."""
        return self.unit.depth == 0 and not Unit.objects.filter(parent=None).exclude(pk=self.unit.pk).exists()

    def __getitem__(self, index: slice) -> list[PersonRow]:
        """The rows of a page: the page's keys are found first with no more joins than the filter
        and sort need, and only those rows are read with their units, leaders, plans and
        follow-ups (a subquery: one query)."""
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("UnitPeople reads a slice of rows")
        keys = self._page_query.values("pk")[index]
        rows = self._sorted(Conversation.objects.filter(pk__in=keys)).values_list(*PERSON_COLUMNS)
        return [_person_row(values, self.deadline_passed, self.today) for values in rows]

    def __iter__(self) -> Iterator[PersonRow]:
        """Every row, in one query read a chunk at a time."""
        rows = self._query(narrow=True).values_list(*PERSON_COLUMNS)
        for values in rows.iterator(chunk_size=CHUNK):
            yield _person_row(values, self.deadline_passed, self.today)


def unit_people(
    *,
    round_: Round,
    scope: Scope,
    unit: Unit,
    step: str = "",
    overdue: bool = False,
    sort: str = "name",
    today: date | None = None,
) -> UnitPeople:
    """The participants in ``unit`` and below it within the scope, filtered by ``step`` (the
    furthest step reached) and to those late, sorted by name, state or latest date (then by
    name): nothing is read until counted, sliced or iterated."""
    today = today or timezone.localdate()
    return UnitPeople(round_=round_, scope=scope, unit=unit, step=step, overdue=overdue, sort=sort, today=today)


# Which rounds ---------------------------------------------------------------------------------


def rounds_for_oversight() -> list[Round]:
    """The rounds that have started: a round being prepared has nothing to follow yet."""
    return list(Round.objects.exclude(status=RoundStatus.DRAFT).order_by("-opens_on", "name"))


def round_for_oversight(*, round_uuid: Any) -> Round | None:
    return Round.objects.exclude(status=RoundStatus.DRAFT).filter(uuid=round_uuid).first()


# Nudges -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LateLeader:
    person_id: int
    email: str
    language: str | None
    conversations: int


def leaders_of_late_conversations(*, round_: Round, scope: Scope, today: date | None = None) -> list[LateLeader]:
    """The current personnel leaders of the conversations in the scope not held by the round's
    deadline, each with how many; one query."""
    today = today or timezone.localdate()
    if round_.held_by >= today:
        return []
    rows = (
        _conversations(round_, scope)
        .filter(status__in=OPEN, employee__personnel_leader__isnull=False)
        .filter(employed_q("employee__personnel_leader__", on=today))
        .order_by()
        .values_list(
            "employee__personnel_leader_id",
            "employee__personnel_leader__email",
            "employee__personnel_leader__user__language",
        )
        .annotate(late=Count("pk"))
        .order_by("employee__personnel_leader_id")
    )
    return [LateLeader(pk, email, language, late) for pk, email, language, late in rows]


def late_conversations_led_by(*, round_: Round, leader_id: int, today: date | None = None) -> int:
    """How many of the leader's conversations in the round are not held by the deadline now."""
    today = today or timezone.localdate()
    if round_.held_by >= today:
        return 0
    return Conversation.objects.filter(round=round_, status__in=OPEN, employee__personnel_leader_id=leader_id).count()


# The round over time ---------------------------------------------------------------------------


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
    units = _units_q(scope, None)
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
    for tally in _outside(round_, scope, None).values():
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

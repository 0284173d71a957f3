"""The people of a unit and below it, one row each with dates and states (never text), filtered,
sorted and paged in SQL: the drill-down and its exports."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, datetime
from functools import cached_property
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Case, DateField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest, NullIf, TruncDate
from django.utils import timezone

from samtale.completion.models import UnitCompletion
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.lib.queries import fetch
from samtale.lib.rows import ModelRows
from samtale.org.models import Person, Unit
from samtale.oversight.selectors.scope import OPEN, Scope, conversations_in
from samtale.plans.models import FollowUpStatus
from samtale.rounds.models import Round


class PersonRow(NamedTuple):
    """One participant: dates and states, never text. A tuple: a page makes a hundred."""

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


def _late_steps(
    status: str,
    plan_due_on: date | None,
    plan_signed_at: datetime | None,
    follow_up_by: date | None,
    follow_up_status: str | None,
    deadline_passed: bool,
    today: date,
) -> tuple[str, ...]:
    """The steps a participant is late with."""
    steps = []
    if deadline_passed and status == ConversationStatus.INVITED:
        steps.append("overdue_scheduling")
    if deadline_passed and status in OPEN:
        steps.append("overdue_held")
    if plan_due_on and plan_signed_at is None and plan_due_on < today:
        steps.append("overdue_plan")
    if follow_up_by and follow_up_by < today and follow_up_status != FollowUpStatus.HELD:
        steps.append("overdue_follow_up")
    return tuple(steps)


def _person_row(values: tuple[Any, ...], deadline_passed: bool, today: date) -> PersonRow:
    """A row of ``PERSON_COLUMNS`` (``PersonRow``'s fields in order) with its late steps."""
    (uuid, name, number, unit_name, leader_id, leader_name, status, starts_at, held_on, plan_status, plan_due_on,
     plan_submitted_at, plan_signed_at, follow_up_by, follow_up_status, follow_up_held_on) = values  # fmt: skip
    return PersonRow(
        uuid,
        name,
        number,
        unit_name,
        leader_id,
        leader_name or "",
        status,
        starts_at,
        held_on,
        plan_status or "",
        plan_due_on,
        plan_submitted_at,
        plan_signed_at,
        follow_up_by,
        follow_up_status or "",
        follow_up_held_on,
        _late_steps(status, plan_due_on, plan_signed_at, follow_up_by, follow_up_status, deadline_passed, today),
    )


@functools.cache
def _counted_sql() -> str:
    """``UnitPeople._counted``'s statement, written once from the models' metadata: the unit's
    range is in its SELECT, so ``lib.queries.fetch`` would compile it on every request (half a
    millisecond)."""
    counters, units = ModelRows(UnitCompletion), ModelRows(Unit)
    path, participants = units.column("path"), counters.column("participants")
    return (
        f"SELECT SUM(CASE WHEN u.{path} >= %s AND u.{path} < %s THEN c.{participants} END), "  # noqa: S608 (names from the models' metadata)
        f"SUM(c.{participants}) FROM {counters.table} c "
        f"JOIN {units.table} u ON u.{units.column('id')} = c.{counters.column('unit')} "
        f"WHERE c.{counters.column('round')} = %s"
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
        query = conversations_in(self.round, self.scope)
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
        with connection.cursor() as cursor:
            cursor.execute(_counted_sql(), [path, f"{path}~", self.round.pk])
            below, every = cursor.fetchone()
        return below or 0, every or 0

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
        if self.unit.depth != 0:
            return False
        others = Unit.objects.filter(parent=None).exclude(pk=self.unit.pk).values_list("pk", flat=True)[:1]
        return not fetch(others, "oversight.another_top_unit")

    def __getitem__(self, index: slice) -> list[PersonRow]:
        """The rows of a page: the page's keys are found first with no more joins than the filter
        and sort need, and only those rows are read with their units, leaders, plans and
        follow-ups (a subquery: one query)."""
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("UnitPeople reads a slice of rows")
        keys = self._page_query.values("pk")[index]
        rows = self._sorted(Conversation.objects.filter(pk__in=keys)).values_list(*PERSON_COLUMNS)
        return [_person_row(values, self.deadline_passed, self.today) for values in fetch(rows, "oversight.page")]

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

"""Reads for the completion overview of a round (issue 5 §1): how far each unit has come, rolled
up the tree, and the people of a unit, for HR, a leader and the leader chain.

"HR sees dates and states, never text" (trust.md): every query here names the columns it reads
(``values``/``values_list``) and none of them is a content field. The overview makes the same
number of queries whatever the size of the organisation: one ``GROUP BY`` over the unit, one for
the units shown, and the roll-up over the materialised paths in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from samtale.access.viewer import Viewer
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.org.models import PATH_STEP, Unit, path_ids
from samtale.plans.models import FollowUpStatus, PlanStatus
from samtale.rounds.models import Round, RoundStatus

OPEN = (ConversationStatus.INVITED, ConversationStatus.SCHEDULED)


@dataclass(frozen=True)
class Scope:
    """The people whose completion a viewer may see (trust.md, "completion status"): HR its
    coverage (``whole_organisation``, or the subtrees under ``unit_paths``); a leader their team
    (``leader_id``) and, as the chain, the subtrees of the units they lead (``unit_paths``)."""

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


STEPS = ("invited", "scheduled", "held", "plan_submitted", "plan_signed", "follow_up_held")
OVERDUE = ("overdue_scheduling", "overdue_held", "overdue_plan", "overdue_follow_up")


def _step_filters(round_: Round, today: date) -> dict[str, Q]:
    """Each step as a filter on a conversation. Steps count as reached once passed: a held
    conversation was invited and scheduled too."""
    late = round_.held_by < today
    nothing = Q(pk__in=[])
    return {
        "participants": Q(),
        # The launch asks every participant to a conversation; "invited" is the leader's calendar
        # invitation with a time, sent or superseded by the conversation being held.
        "invited": Q(invitation_sent_at__isnull=False) | Q(status=ConversationStatus.HELD),
        "scheduled": Q(status__in=(ConversationStatus.SCHEDULED, ConversationStatus.HELD)),
        "held": Q(status=ConversationStatus.HELD),
        "not_held": Q(status=ConversationStatus.NOT_HELD),
        "plan_submitted": Q(plan__submitted_at__isnull=False),
        "plan_signed": Q(plan__signed_at__isnull=False),
        "follow_up_held": Q(plan__follow_up__status=FollowUpStatus.HELD),
        # Not scheduled, or not held, once the round's deadline has passed.
        "overdue_scheduling": Q(status=ConversationStatus.INVITED) if late else nothing,
        "overdue_held": Q(status__in=OPEN) if late else nothing,
        "overdue_plan": Q(plan__isnull=False, plan__signed_at__isnull=True, plan__due_on__lt=today),
        "overdue_follow_up": Q(plan__follow_up_by__lt=today)
        & (Q(plan__follow_up__isnull=True) | ~Q(plan__follow_up__status=FollowUpStatus.HELD)),
    }


@dataclass
class UnitRow:
    unit_id: int
    uuid: Any
    name: str
    code: str
    path: str
    depth: int  # below the top of what is shown
    counts: Counts = field(default_factory=Counts)
    has_more: bool = False  # more units below it than are shown

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


def completion_overview(
    *, round_: Round, scope: Scope, under: Unit | None = None, levels: int = LEVELS, today: date | None = None
) -> Overview:
    """Per unit, rolled up the tree, the counts of every step; two queries whatever the size.

    ``levels`` levels of units are shown from the top of the scope (or from ``under``); a unit
    with more units below it is marked ``has_more``, to be opened as ``under``."""
    today = today or timezone.localdate()
    filters = _step_filters(round_, today)
    conversations = _conversations(round_, scope)
    if under is not None:
        conversations = conversations.filter(employee__unit__path__startswith=under.path)
    grouped = (
        conversations.order_by()
        .values("employee__unit_id", "employee__unit__path")
        # A conversation has at most one plan and a plan at most one follow-up: no row is doubled.
        .annotate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    )
    own: dict[str, Counts] = {}
    for values in grouped:
        path = values.pop("employee__unit__path")
        values.pop("employee__unit_id")
        own[path] = Counts(**values)

    def shows(prefix: str) -> bool:
        return scope.shows_unit(prefix) and (under is None or prefix.startswith(under.path))

    # Each unit counts for itself and for every unit above it that is shown, by (id, level). A
    # team member's unit outside the leader's units is shown on its own, at the top.
    counted: dict[str, list[tuple[int, int]]] = {}
    for path in own:
        ids = path_ids(path)
        counted[path] = [(pk, level) for level, pk in enumerate(ids) if shows(_prefix(path, level))]
    levels_shown = [level for pairs in counted.values() for _pk, level in pairs]
    top = min(levels_shown, default=0)
    visible: dict[int, int] = {}  # unit id -> level below the top
    has_more: set[int] = set()
    for path, pairs in counted.items():
        if not pairs:
            visible[path_ids(path)[-1]] = 0
            continue
        for pk, level in pairs:
            if level - top < levels:
                visible[pk] = level - top
        deepest = [pk for pk, level in pairs if level - top == levels - 1]
        if deepest and pairs[-1][1] - top >= levels:
            has_more.add(deepest[0])
    units = {
        pk: UnitRow(pk, uuid, name, code, path, visible[pk], has_more=pk in has_more)
        for pk, uuid, name, code, path in Unit.objects.filter(pk__in=visible).values_list(
            "pk", "uuid", "name", "code", "path"
        )
    }
    total = Counts()
    for path, counts in own.items():
        total.add(counts)
        for pk in [pk for pk, _level in counted[path]] or [path_ids(path)[-1]]:
            if pk in units:
                units[pk].counts.add(counts)
    rows = sorted(units.values(), key=lambda row: row.path)
    return Overview(round=round_, rows=rows, total=total, under=under)


def _prefix(path: str, index: int) -> str:
    """The path of the unit ``index`` steps below the root on ``path``."""
    return path[: (index + 1) * PATH_STEP]


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
            d.date() if isinstance(d, datetime) else d
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


def unit_people(
    *,
    round_: Round,
    scope: Scope,
    unit: Unit,
    step: str = "",
    overdue: bool = False,
    sort: str = "name",
    today: date | None = None,
) -> list[PersonRow]:
    """The participants in ``unit`` and below it within the scope, one row each; one query."""
    today = today or timezone.localdate()
    late = round_.held_by < today
    rows = []
    values = (
        _conversations(round_, scope)
        .filter(employee__unit__path__startswith=unit.path)
        .order_by("employee__name", "employee__employee_number")
        .values_list(*PERSON_COLUMNS)
    )
    for value in values:
        row = dict(zip(PERSON_COLUMNS, value, strict=True))
        status = row["status"]
        late_steps = []
        if late and status == ConversationStatus.INVITED:
            late_steps.append("overdue_scheduling")
        if late and status in OPEN:
            late_steps.append("overdue_held")
        if row["plan__due_on"] and row["plan__signed_at"] is None and row["plan__due_on"] < today:
            late_steps.append("overdue_plan")
        if (
            row["plan__follow_up_by"]
            and row["plan__follow_up_by"] < today
            and row["plan__follow_up__status"] != FollowUpStatus.HELD
        ):
            late_steps.append("overdue_follow_up")
        rows.append(
            PersonRow(
                person_uuid=row["employee__uuid"],
                name=row["employee__name"],
                employee_number=row["employee__employee_number"],
                unit_name=row["employee__unit__name"],
                leader_id=row["employee__personnel_leader_id"],
                leader_name=row["employee__personnel_leader__name"] or "",
                status=status,
                starts_at=row["starts_at"],
                held_on=row["held_on"],
                plan_status=row["plan__status"] or "",
                plan_due_on=row["plan__due_on"],
                plan_submitted_at=row["plan__submitted_at"],
                plan_signed_at=row["plan__signed_at"],
                follow_up_by=row["plan__follow_up_by"],
                follow_up_status=row["plan__follow_up__status"] or "",
                follow_up_held_on=row["plan__follow_up__held_on"],
                overdue=tuple(late_steps),
            )
        )
    if step:
        rows = [row for row in rows if row.step == step]
    if overdue:
        rows = [row for row in rows if row.overdue]
    if sort == "state":
        rows.sort(key=lambda row: (STEP_ORDER.index(row.step) if row.step in STEP_ORDER else 0, row.name))
    elif sort == "date":
        rows.sort(key=lambda row: (row.latest_date is None, row.latest_date or today, row.name))
    return rows


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
        .filter(
            Q(employee__personnel_leader__end_date__isnull=True) | Q(employee__personnel_leader__end_date__gte=today)
        )
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
    its deadline (or today, if later), against the number of participants. One query of plain
    comparisons, one count per week (no date function per row: on SQLite that is Python)."""
    from datetime import time, timedelta

    today = today or timezone.localdate()
    start = round_.opens_on
    end = max(round_.held_by, today)
    first_sunday = start + timedelta(days=6 - start.weekday())
    weeks = [first_sunday + timedelta(weeks=i) for i in range(MAX_WEEKS)]
    weeks = [week for week in weeks if week - timedelta(days=6) <= end] or [first_sunday]
    zone = timezone.get_current_timezone()
    counts: dict[str, Any] = {"participants": Count("pk")}
    for index, week in enumerate(weeks):
        monday = datetime.combine(week + timedelta(days=1), time.min, tzinfo=zone)
        counts[f"held_{index}"] = Count("pk", filter=Q(status=ConversationStatus.HELD, held_on__lte=week))
        counts[f"signed_{index}"] = Count("pk", filter=Q(plan__signed_at__lt=monday))
    totals = _conversations(round_, scope).order_by().aggregate(**counts)
    points = [
        TimelinePoint(week_ending=week, held=totals[f"held_{index}"], signed=totals[f"signed_{index}"])
        for index, week in enumerate(weeks)
    ]
    return Timeline(participants=totals["participants"], held_by=round_.held_by, points=points)

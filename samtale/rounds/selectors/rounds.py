"""Reads of rounds: who takes part and why, and what a person sees of a round.

A round's conversations are read through the relation the conversations declare
(``round_.conversations``): rounds sit below conversations and import nothing from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Case, Count, FilteredRelation, Prefetch, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.org.models import ELIGIBLE_EMPLOYMENT_TYPES, EmploymentType, Person, Unit, employed_q
from samtale.org.selectors import kept_count
from samtale.rounds.models import (
    FocusArea,
    ProposalStatus,
    Round,
    RoundGoal,
    RoundStatus,
    TopicProposal,
    UnitRound,
)


@dataclass(frozen=True)
class Candidate:
    person_id: int
    employee_number: str
    name: str
    unit_name: str
    takes_part: bool
    reason: str


def round_scope_q(round_: Round, prefix: str = "") -> Q:
    """The people (or rows with a person at ``prefix``) in the round's units and below them."""
    paths = list(round_.units.values_list("path", flat=True))
    roots = set(Unit.objects.filter(parent=None).values_list("path", flat=True))
    if roots and roots <= set(paths):
        return Q()  # the whole organisation: no unit to look at for each person
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}unit__path__startswith": path})
    return q


def round_candidates(*, round_: Round, on: date | None = None) -> list[Candidate]:
    """Everyone in the round's units who is employed, each with whether they take part and why
    (docs/domain.md § Who takes part): HR checks this list before the launch."""
    on = on or timezone.localdate()
    # Each reason is translated once, not once per person: with 50,000 people that is seconds.
    by_kind = {kind: _("Employment type: %(kind)s") % {"kind": label} for kind, label in EmploymentType.choices}
    by_hr = _("HR: %(reason)s")
    no_leader = _("Has no personnel leader")
    rows = (
        Person.objects.filter(round_scope_q(round_))
        .filter(employed_q(on=on))
        .order_by("unit__path", "name", "employee_number")
        .values_list(
            "id",
            "employee_number",
            "name",
            "unit__name",
            "employment_type",
            "eligibility_override",
            "eligibility_override_reason",
            "personnel_leader_id",
        )
    )
    candidates = []
    for pk, number, name, unit_name, kind, override, override_reason, leader in rows.iterator(chunk_size=5000):
        if override is False:
            takes_part, reason = False, by_hr % {"reason": override_reason}
        elif override is True and leader is not None:
            takes_part, reason = True, by_hr % {"reason": override_reason}
        elif kind not in ELIGIBLE_EMPLOYMENT_TYPES and override is None:
            takes_part, reason = False, by_kind.get(kind, kind)
        elif leader is None:
            # The conversation is held with the personnel leader; without one there is nobody to hold it.
            takes_part, reason = False, no_leader
        else:
            takes_part, reason = True, by_kind.get(kind, kind)
        candidates.append(Candidate(pk, number, name, unit_name, takes_part, reason))
    return candidates


def unit_rounds_for(*, round_: Round, unit: Unit) -> QuerySet[UnitRound]:
    """The round in ``unit`` and in every unit above it: a department's focus areas apply to its
    teams too."""
    return (
        UnitRound.objects.filter(round=round_, unit_id__in=unit.lineage_ids)
        .select_related("unit")
        .order_by("unit__path")
    )


def focus_areas_for(*, round_: Round, unit: Unit) -> list[FocusArea]:
    """The focus areas that apply to a person in ``unit``: their unit's and those above it."""
    return list(
        FocusArea.objects.filter(unit_round__round=round_, unit_round__unit_id__in=unit.lineage_ids)
        .select_related("unit_round__unit")
        .order_by("unit_round__unit__path", "order", "id")
    )


# The round's pages (docs/domain.md § The round) ------------------------------------------------


def round_units_q(round_: Round) -> Q:
    """The units taking part: the round's units and every unit below them."""
    q = Q(pk__in=[])
    for unit in round_.units.all():
        q |= Q(path__startswith=unit.path)
    return q


def round_for_page(*, round_uuid: UUID | str) -> Round | None:
    """A round with what every round page shows: its concept, its units and its goals."""
    return (
        Round.objects.select_related("concept", "created_by")
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by("path")),
            Prefetch("goals", queryset=RoundGoal.objects.order_by("order", "id")),
        )
        .filter(uuid=round_uuid)
        .first()
    )


def rounds_for_list() -> QuerySet[Round]:
    return Round.objects.select_related("concept").order_by("-opens_on", "name")


def top_units(*, levels: int = 2) -> QuerySet[Unit]:
    """The top of the organisation, to choose a round's units from: with 5,000 units a list of
    them all helps nobody; units further down are given by their codes."""
    return Unit.objects.filter(depth__lt=levels).order_by("path")


@dataclass(frozen=True)
class LaunchPreview:
    """What a launch would do now: who would get a conversation, who has one, who is left out."""

    taking_part: int
    already: int
    would_add: int
    left_out: int


def takes_part_q() -> Q:
    """Who takes part, as a condition on a person (the rules of ``round_candidates``): a personnel
    leader to hold the conversation, and HR's yes, or no word from HR and an employment type that
    takes part."""
    return Q(personnel_leader__isnull=False) & (
        Q(eligibility_override=True)
        | Q(eligibility_override__isnull=True, employment_type__in=ELIGIBLE_EMPLOYMENT_TYPES)
    )


def round_launch_preview(*, round_: Round, kept: bool = False) -> LaunchPreview:
    """The counts of the round page, whatever the size (the list of who is in and out, with the
    reasons, is ``round_candidates``). Counting who takes part reads every person in the round's
    units (tens of milliseconds at 50,000): with ``kept`` (the round page) the counts are kept
    under everything they are counted from (``kept_count``: here the round, its units' paths and
    how many conversations it has; they are never deleted). The launch confirmation counts afresh."""
    scope = round_scope_q(round_)
    already = round_.conversations.count()

    def count() -> dict[str, int]:
        # A left join to the person's conversation in this round (at most one), which both
        # databases answer with one pass over each table; an EXISTS per person was 50,000 probes.
        tally = (
            Person.objects.filter(scope)
            .filter(employed_q())
            .annotate(here=FilteredRelation("conversations", condition=Q(conversations__round=round_)))
            .aggregate(
                candidates=Count("pk"),
                taking_part=Count("pk", filter=takes_part_q()),
                would_add=Count("pk", filter=takes_part_q() & Q(here__isnull=True)),
            )
        )
        return {
            "taking_part": tally["taking_part"],
            "would_add": tally["would_add"],
            "left_out": tally["candidates"] - tally["taking_part"],
        }

    counts = kept_count("round-preview", (round_.pk, repr(scope), already), count) if kept else count()
    return LaunchPreview(already=already, **counts)


@dataclass(frozen=True)
class Participants:
    rows: list[tuple[Candidate, bool]]  # each candidate, and whether they have a conversation already
    taking_part: int
    left_out: int


def round_participants(*, round_: Round, show: str = "") -> Participants:
    """Who is in the round and who is out, and why (docs/domain.md § Who takes part): ``show`` is
    "in", "out" or "" for everyone."""
    candidates = round_candidates(round_=round_)
    have = set(round_.conversations.all().values_list("employee_id", flat=True))
    taking_part = sum(1 for c in candidates if c.takes_part)
    left_out = len(candidates) - taking_part
    if show == "in":
        candidates = [c for c in candidates if c.takes_part]
    elif show == "out":
        candidates = [c for c in candidates if not c.takes_part]
    return Participants(
        rows=[(c, c.person_id in have) for c in candidates],
        taking_part=taking_part,
        left_out=left_out,
    )


def person_uuids(*, person_ids: list[int]) -> dict[int, UUID]:
    """The people's random identifiers, for links from one page of a list."""
    return dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "uuid"))


@dataclass
class UnitProgress:
    """How far the units under one of the round's units have come (counts only, no contents)."""

    unit: Unit | None  # None for the total
    units: int = 0
    led: int = 0
    with_focus_areas: int = 0
    opened: int = 0
    proposals: int = 0


def round_progress(*, round_: Round) -> list[UnitProgress]:
    """Per unit of the round, then the total: how many units (and of those, how many have a
    leader to write focus areas), how many have focus areas, how many are opened. Two queries
    whatever the size of the organisation."""
    roots = list(round_.units.all())
    rows = {unit.pk: UnitProgress(unit) for unit in roots}
    total = UnitProgress(None)

    def owners(path: str) -> list[UnitProgress]:
        return [rows[unit.pk] for unit in roots if path.startswith(unit.path)]

    # The units counted in SQL, per root and in all: thousands of units, a handful of figures.
    counts: dict[str, Any] = {"units": Count("pk"), "led": Count("leader")}
    for index, root in enumerate(roots):
        below = Q(path__startswith=root.path)
        counts |= {f"units_{index}": Count("pk", filter=below), f"led_{index}": Count("leader", filter=below)}
    figures = Unit.objects.filter(round_units_q(round_)).aggregate(**counts)
    total.units, total.led = figures["units"], figures["led"]
    for index, root in enumerate(roots):
        rows[root.pk].units, rows[root.pk].led = figures[f"units_{index}"], figures[f"led_{index}"]
    unit_rounds = (
        UnitRound.objects.filter(round=round_)
        .annotate(areas=Count("focus_areas", distinct=True), topics=Count("proposals", distinct=True))
        .values_list("unit__path", "areas", "opened_at", "topics")
    )
    for path, areas, opened_at, topics in unit_rounds:
        for row in [*owners(path), total]:
            row.with_focus_areas += bool(areas)
            row.opened += opened_at is not None
            row.proposals += topics
    return [*rows.values(), total]


def unit_in_round(*, round_: Round, unit_uuid: UUID | str) -> Unit | None:
    """The unit, if it takes part in the round."""
    return Unit.objects.filter(round_units_q(round_), uuid=unit_uuid).select_related("leader").first()


def unit_round_for(*, round_: Round, unit: Unit) -> UnitRound:
    """The round in the unit; an unsaved one until its leader first writes something (the round
    in a unit is created on first use)."""
    found = UnitRound.objects.select_related("opened_by").filter(round=round_, unit=unit).first()
    if found is None:
        return UnitRound(round=round_, unit=unit)
    found.round, found.unit = round_, unit
    return found


def unit_round_focus_areas(*, unit_round: UnitRound) -> list[FocusArea]:
    if unit_round.pk is None:
        return []
    return list(FocusArea.objects.filter(unit_round=unit_round).order_by("order", "id"))


def focus_areas_above(*, round_: Round, unit: Unit) -> list[FocusArea]:
    """The focus areas of the units above ``unit``: they apply to it too."""
    return list(
        FocusArea.objects.filter(unit_round__round=round_, unit_round__unit_id__in=unit.ancestor_ids)
        .select_related("unit_round__unit")
        .order_by("unit_round__unit__path", "order", "id")
    )


def unit_round_proposals(*, unit_round: UnitRound) -> list[TopicProposal]:
    """Every proposed topic of the unit, for its leader to answer: the waiting ones first."""
    if unit_round.pk is None:
        return []
    return list(
        TopicProposal.objects.filter(unit_round=unit_round)
        .select_related("proposed_by", "answered_by")
        .order_by(
            Case(When(status=ProposalStatus.PROPOSED, then=0), default=1),
            "created_at",
        )
    )


def proposals_of(*, unit_round: UnitRound, person: Person) -> list[TopicProposal]:
    if unit_round.pk is None:
        return []
    return list(
        TopicProposal.objects.filter(unit_round=unit_round, proposed_by=person)
        .select_related("answered_by")
        .order_by("created_at")
    )


def proposal_for_page(*, proposal_uuid: UUID | str) -> TopicProposal | None:
    return (
        TopicProposal.objects.select_related(
            "unit_round", "unit_round__round", "unit_round__unit", "proposed_by", "answered_by"
        )
        .filter(uuid=proposal_uuid)
        .first()
    )


def goal_in_round(*, round_: Round, goal_uuid: UUID | str) -> RoundGoal | None:
    return RoundGoal.objects.filter(round=round_, uuid=goal_uuid).first()


def focus_area_in(*, unit_round: UnitRound, focus_area_uuid: UUID | str) -> FocusArea | None:
    if unit_round.pk is None:
        return None
    return FocusArea.objects.filter(unit_round=unit_round, uuid=focus_area_uuid).first()


# What a person sees of the running rounds ----------------------------------------------------------


def rounds_running_for(*, unit: Unit) -> list[Round]:
    """The launched rounds that ``unit`` takes part in, newest first."""
    return list(
        Round.objects.filter(status=RoundStatus.LAUNCHED, units__id__in=unit.lineage_ids)
        .distinct()
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by("path")),
            Prefetch("goals", queryset=RoundGoal.objects.order_by("order", "id")),
        )
        .order_by("-opens_on", "name")
    )


def round_being_prepared() -> Round | None:
    """The round management writes goals for: the newest one that is not closed."""
    return Round.objects.exclude(status=RoundStatus.CLOSED).order_by("-opens_on", "-created_at").first()


def round_waiting_for_goals() -> Round | None:
    """The round being prepared, while it is not launched yet: management's to write goals for
    (``goal_count`` annotated)."""
    return (
        Round.objects.filter(status=RoundStatus.DRAFT)
        .annotate(goal_count=Count("goals"))
        .order_by("-opens_on", "-created_at")
        .first()
    )


@dataclass(frozen=True)
class RoundInMyUnit:
    """The round as an employee meets it: the goals, the focus areas of their unit and the
    units above it, and whether they may propose topics yet."""

    round: Round
    unit_round: UnitRound
    focus_areas: list[FocusArea]
    waiting_proposals: int


def round_in_my_unit(*, person: Person, led_units: Sequence[Unit] = ()) -> list[RoundInMyUnit]:
    """The round in the person's unit, as one of its employees meets it. A leader meets the round
    of a unit they lead as its leader (``led_units_in_rounds``), not as an employee waiting for
    their leader's focus areas."""
    if any(unit.pk == person.unit_id for unit in led_units):
        return []
    rounds = rounds_running_for(unit=person.unit)
    if not rounds:
        return []
    areas = (
        FocusArea.objects.filter(unit_round__round__in=rounds, unit_round__unit_id__in=person.unit.lineage_ids)
        .select_related("unit_round__unit")
        .order_by("unit_round__unit__path", "order", "id")
    )
    own = {
        ur.round_id: ur
        for ur in UnitRound.objects.filter(round__in=rounds, unit=person.unit).annotate(
            waiting=Count(
                "proposals",
                filter=Q(proposals__proposed_by=person, proposals__status=ProposalStatus.PROPOSED),
            )
        )
    }
    result = []
    for round_ in rounds:
        unit_round = own.get(round_.pk) or UnitRound(round=round_, unit=person.unit)
        unit_round.round, unit_round.unit = round_, person.unit
        result.append(
            RoundInMyUnit(
                round=round_,
                unit_round=unit_round,
                focus_areas=[a for a in areas if a.unit_round.round_id == round_.pk],
                waiting_proposals=getattr(unit_round, "waiting", 0),
            )
        )
    return result


@dataclass(frozen=True)
class LedUnitInRound:
    """One of a leader's units in a running round: how far it has come."""

    round: Round
    unit: Unit
    focus_areas: int
    opened_at: datetime | None
    waiting_proposals: int


def led_units_in_rounds(*, led_units: Sequence[Unit]) -> list[LedUnitInRound]:
    """The units a leader leads, in each launched round they take part in."""
    if not led_units:
        return []
    lineage = {pk for unit in led_units for pk in unit.lineage_ids}
    rounds = list(
        Round.objects.filter(status=RoundStatus.LAUNCHED, units__id__in=lineage)
        .distinct()
        .prefetch_related("units")
        .order_by("-opens_on", "name")
    )
    if not rounds:
        return []
    unit_rounds = {
        (ur.round_id, ur.unit_id): ur
        for ur in UnitRound.objects.filter(round__in=rounds, unit__in=led_units).annotate(
            areas=Count("focus_areas", distinct=True),
            waiting=Count("proposals", filter=Q(proposals__status=ProposalStatus.PROPOSED), distinct=True),
        )
    }
    result = []
    for round_ in rounds:
        paths = [u.path for u in round_.units.all()]
        for unit in led_units:
            if not any(unit.path.startswith(path) for path in paths):
                continue
            found = unit_rounds.get((round_.pk, unit.pk))
            result.append(
                LedUnitInRound(
                    round=round_,
                    unit=unit,
                    focus_areas=getattr(found, "areas", 0),
                    opened_at=found.opened_at if found else None,
                    waiting_proposals=getattr(found, "waiting", 0),
                )
            )
    return result

"""Reads of rounds: the round's pages, who takes part and why, and the focus areas that apply to a
person. The round in a unit is read in ``unit_round``, the running rounds as a person meets them
in ``running``.

A round's conversations are read through the relation the conversations declare
(``round_.conversations``): rounds sit below conversations and import nothing from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Count, FilteredRelation, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.org.models import ELIGIBLE_EMPLOYMENT_TYPES, EmploymentType, Person, Unit, employed_q
from samtale.org.selectors import kept_count
from samtale.rounds.models import (
    Round,
    RoundGoal,
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
    unit_path: str = ""


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
            "unit__path",
            "employment_type",
            "eligibility_override",
            "eligibility_override_reason",
            "personnel_leader_id",
        )
    )
    candidates = []
    for pk, number, name, unit_name, path, kind, override, override_reason, leader in rows.iterator(chunk_size=5000):
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
        candidates.append(Candidate(pk, number, name, unit_name, takes_part, reason, path))
    return candidates


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


PARTICIPANT_SORTS: dict[str, Callable[[Candidate], tuple[Any, ...]]] = {
    "name": lambda c: (c.name, c.employee_number),
    "number": lambda c: (c.employee_number,),
    "unit": lambda c: (c.unit_name, c.name),
    "part": lambda c: (not c.takes_part, c.reason, c.name),
}


def round_participants(*, round_: Round, show: str = "", unit: Unit | None = None, sort: str = "") -> Participants:
    """Who is in the round and who is out, and why (docs/domain.md § Who takes part): ``show`` is
    "in", "out" or "" for everyone; ``unit`` keeps those in it and the units below; ``sort`` is a
    column (``-`` first for descending), else the tree's order."""
    candidates = round_candidates(round_=round_)
    if unit is not None:
        candidates = [c for c in candidates if c.unit_path.startswith(unit.path)]
    have = set(round_.conversations.all().values_list("employee_id", flat=True))
    taking_part = sum(1 for c in candidates if c.takes_part)
    left_out = len(candidates) - taking_part
    if show == "in":
        candidates = [c for c in candidates if c.takes_part]
    elif show == "out":
        candidates = [c for c in candidates if not c.takes_part]
    if sort.lstrip("-") in PARTICIPANT_SORTS:
        candidates = sorted(candidates, key=PARTICIPANT_SORTS[sort.lstrip("-")], reverse=sort.startswith("-"))
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


def goal_in_round(*, round_: Round, goal_uuid: UUID | str) -> RoundGoal | None:
    return RoundGoal.objects.filter(round=round_, uuid=goal_uuid).first()

"""What a person sees of the running rounds: the round in their unit as an employee meets it, the
units a leader leads in each round, and the round management writes goals for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q

from samtale.lib.queries import fetch
from samtale.org.models import Person, Unit
from samtale.rounds.models import FocusArea, ProposalStatus, Round, RoundGoal, RoundStatus, UnitRound


def rounds_running_for(*, unit: Unit) -> list[Round]:
    """The launched rounds that ``unit`` takes part in, newest first."""
    return fetch(
        Round.objects.filter(status=RoundStatus.LAUNCHED, units__id__in=unit.lineage_ids)
        .distinct()
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by("path")),
            Prefetch("goals", queryset=RoundGoal.objects.order_by("order", "id")),
        )
        .order_by("-opens_on", "name"),
        "rounds.rounds_running_for",
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
    areas = fetch(
        FocusArea.objects.filter(unit_round__round__in=rounds, unit_round__unit_id__in=person.unit.lineage_ids)
        .select_related("unit_round__unit")
        .order_by("unit_round__unit__path", "order", "id"),
        "rounds.focus_areas_in_my_unit",
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

"""The round in a unit (docs/domain.md § Before the conversation, steps 1–2): its focus areas,
those of the units above it, and the topics proposed in it."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Case, When

from samtale.lib.queries import fetch
from samtale.org.models import Person, Unit
from samtale.rounds.models import FocusArea, ProposalStatus, Round, TopicProposal, UnitRound


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


def focus_area_in(*, unit_round: UnitRound, focus_area_uuid: UUID | str) -> FocusArea | None:
    if unit_round.pk is None:
        return None
    return FocusArea.objects.filter(unit_round=unit_round, uuid=focus_area_uuid).first()


def focus_areas_for(*, round_: Round, unit: Unit) -> list[FocusArea]:
    """The focus areas that apply to a person in ``unit``: their unit's and those above it."""
    return fetch(
        FocusArea.objects.filter(unit_round__round=round_, unit_round__unit_id__in=unit.lineage_ids)
        .select_related("unit_round__unit")
        .order_by("unit_round__unit__path", "order", "id"),
        "rounds.focus_areas_for",
    )

"""Fetching a round and what belongs to it for a viewer, as ``samtale.access.lookups`` does for
people and conversations: a missing object and one the viewer may not see give the same 404; a
refused write to something the viewer may read gives 403 (``lookups.require_write``)."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from samtale.access import round_policies
from samtale.access.viewer import Viewer
from samtale.rounds.models import FocusArea, Round, RoundGoal, TopicProposal, UnitRound
from samtale.rounds.selectors.rounds import goal_in_round, round_for_page, unit_in_round
from samtale.rounds.selectors.unit_round import focus_area_in, proposal_for_page, unit_round_for


def round_for_viewer(viewer: Viewer, round_uuid: UUID | str) -> Round:
    """A round whose goals the viewer may read."""
    round_ = round_for_page(round_uuid=round_uuid)
    if round_ is None or not round_policies.may_view_round(viewer, round_):
        raise Http404
    return round_


def round_for_hr(viewer: Viewer, round_uuid: UUID | str) -> Round:
    """A round as HR runs it: its participants, its launch. Nobody else sees these pages."""
    if not round_policies.may_manage_rounds(viewer):
        raise Http404
    round_ = round_for_page(round_uuid=round_uuid)
    if round_ is None:
        raise Http404
    return round_


def goal_for_viewer(viewer: Viewer, round_uuid: UUID | str, goal_uuid: UUID | str) -> RoundGoal:
    round_ = round_for_viewer(viewer, round_uuid)
    goal = goal_in_round(round_=round_, goal_uuid=goal_uuid)
    if goal is None:
        raise Http404
    goal.round = round_
    return goal


def unit_round_for_viewer(viewer: Viewer, round_uuid: UUID | str, unit_uuid: UUID | str) -> UnitRound:
    """The round in a unit that takes part, for those who may see it (the unit's people, its
    leaders and those above, HR covering it). Unsaved until its leader first writes to it."""
    round_ = round_for_viewer(viewer, round_uuid)
    unit = unit_in_round(round_=round_, unit_uuid=unit_uuid)
    if unit is None:
        raise Http404
    unit_round = unit_round_for(round_=round_, unit=unit)
    if not round_policies.may_view_unit_round(viewer, unit_round):
        raise Http404
    return unit_round


def focus_area_for_viewer(
    viewer: Viewer, round_uuid: UUID | str, unit_uuid: UUID | str, focus_area_uuid: UUID | str
) -> FocusArea:
    unit_round = unit_round_for_viewer(viewer, round_uuid, unit_uuid)
    focus_area = focus_area_in(unit_round=unit_round, focus_area_uuid=focus_area_uuid)
    if focus_area is None:
        raise Http404
    focus_area.unit_round = unit_round
    return focus_area


def proposal_for_viewer(viewer: Viewer, proposal_uuid: UUID | str) -> TopicProposal:
    """A proposed topic: only the one who proposed it and the unit's leader see it."""
    proposal = proposal_for_page(proposal_uuid=proposal_uuid)
    if proposal is None or not round_policies.may_view_proposal(viewer, proposal):
        raise Http404
    return proposal

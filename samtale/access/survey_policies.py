"""Who may do what with the evaluation of a round and the 360-degree evaluation of leaders
(trust.md: "evaluation and 360 answers: submit own"; "results: only aggregates of at least 5
answers, for the scope the role covers"). Plain predicates, deny by default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from samtale.access import round_policies
from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer

if TYPE_CHECKING:
    from samtale.org.models import Person
    from samtale.surveys.models import Invitation


def may_manage_surveys(viewer: Viewer) -> bool:
    """ "HR opens an evaluation for a round … HR runs an evaluation of leaders" (issue 5): HR
    covering the whole organisation, who runs the rounds."""
    return round_policies.may_manage_rounds(viewer)


def may_answer(viewer: Viewer, invitation: Invitation) -> bool:
    """ "Submit own": only the person asked answers, once."""
    return viewer.person_id is not None and invitation.person_id == viewer.person_id


def results_unit_paths(viewer: Viewer) -> tuple[str, ...] | None:
    """The part of the organisation whose evaluation results the viewer may read, as unit paths
    (an empty tuple is the whole organisation), or None: HR its coverage, a leader the units
    they lead and every unit below them."""
    if viewer.person is None:
        return None
    if viewer.hr is not None and viewer.hr.whole_organisation:
        return ()
    paths = (*(viewer.hr.unit_paths if viewer.hr else ()), *(unit.path for unit in viewer.led_units))
    return paths or None


def may_view_leader_report(viewer: Viewer, leader: Person) -> bool:
    """ "The leader sees their own report …; their leader sees it too" (issue 5 §3): the leader,
    their personnel leader and the leaders above them. HR sees aggregates across leaders only."""
    return bool(relations_to(viewer, leader) & {Relation.SELF, Relation.PERSONNEL_LEADER, Relation.CHAIN})


def may_view_leader_aggregates(viewer: Viewer) -> bool:
    """ "HR sees aggregates across leaders", for the leaders it covers."""
    return viewer.person is not None and viewer.hr is not None

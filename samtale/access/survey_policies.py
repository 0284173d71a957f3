"""Who may do what with the evaluation of a round and the 360-degree evaluation of leaders
(docs/trust.md § Access matrix: "evaluation and 360 answers: submit own"; results "only aggregates
of at least the survey's threshold of answers, for the scope the role covers"). Plain predicates,
deny by default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from samtale.access import round_policies
from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer

if TYPE_CHECKING:
    from samtale.org.models import Person
    from samtale.surveys.models import Invitation


def may_manage_surveys(viewer: Viewer) -> bool:
    """HR opens the evaluation of a round and runs the 360-degree evaluation of leaders: HR covering
    the whole organisation, who runs the rounds (docs/trust.md § Beyond the matrix)."""
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
    """A 360 report is read by the leader it is about, their personnel leader and the leaders above
    them; HR reads only aggregates across leaders (docs/trust.md § Beyond the matrix)."""
    return bool(relations_to(viewer, leader) & {Relation.SELF, Relation.PERSONNEL_LEADER, Relation.CHAIN})


def may_view_leader_aggregates(viewer: Viewer) -> bool:
    """ "HR sees aggregates across leaders", for the leaders it covers."""
    return viewer.person is not None and viewer.hr is not None

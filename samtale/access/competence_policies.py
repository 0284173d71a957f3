"""Who may do what with competences, courses and the education record (docs/trust.md § Access
matrix, § Competences and courses). Plain predicates, deny by default.

A person's register and education record are read as a plan is: by the employee, the personnel
leader and the leader chain. HR and the education consultant keep the catalogues and see only
aggregates (the overview, the seats of a session); neither ever reads a person's register or the
reason given for a seat request. The education consultant sees who is approved for a seat in the
units they cover, to enrol them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer
from samtale.org.models import Person

if TYPE_CHECKING:
    from samtale.learning.models import SeatRequest

READERS = frozenset({Relation.SELF, Relation.PERSONNEL_LEADER, Relation.CHAIN})


# The catalogues ---------------------------------------------------------------------------------


def may_manage_competences(viewer: Viewer) -> bool:
    """The competence catalogue, its scales and the job profiles are the organisation's, kept by HR
    covering the whole organisation (as the concepts are)."""
    return viewer.hr is not None and viewer.hr.whole_organisation


def may_view_catalogue(viewer: Viewer) -> bool:
    """Everyone with a person record reads the competence and course catalogues."""
    return viewer.person is not None


def may_manage_courses(viewer: Viewer) -> bool:
    """ "They (and HR) keep the course catalogue": the education consultants, and HR covering the
    whole organisation."""
    return viewer.education is not None or may_manage_competences(viewer)


# A person's register and education record ---------------------------------------------------------


def may_view_register(viewer: Viewer, person: Person) -> bool:
    """ "Readable by the employee, the personnel leader and the chain, as a plan is."
    ``person.unit`` should be loaded."""
    return bool(relations_to(viewer, person) & READERS)


def may_register(viewer: Viewer, person: Person) -> bool:
    """The employee records their own level per competence, with an example."""
    return Relation.SELF in relations_to(viewer, person)


def may_assess(viewer: Viewer, person: Person) -> bool:
    """The personnel leader records their assessment, and the level both settled on."""
    return Relation.PERSONNEL_LEADER in relations_to(viewer, person)


def may_download_record(viewer: Viewer, person: Person) -> bool:
    """The education record is downloadable by the person it is about."""
    return Relation.SELF in relations_to(viewer, person)


# Seat requests --------------------------------------------------------------------------------------


def _educates(viewer: Viewer, person: Person) -> bool:
    return viewer.education is not None and viewer.education.covers(person.unit)


def may_view_seat_request(viewer: Viewer, seat_request: SeatRequest) -> bool:
    """The employee, the leaders who read the plan, and the education consultant covering the
    employee once the leader has approved (to enrol). ``seat_request.person.unit`` should be loaded."""
    if relations_to(viewer, seat_request.person) & READERS:
        return True
    return seat_request.approved_at is not None and _educates(viewer, seat_request.person)


def may_read_request_reason(viewer: Viewer, seat_request: SeatRequest) -> bool:
    """The reason is between the employee and the leaders; never HR or the education consultant."""
    return bool(relations_to(viewer, seat_request.person) & READERS)


def may_request_seat(viewer: Viewer, person: Person) -> bool:
    """The employee requests a seat from their plan's course activity."""
    return Relation.SELF in relations_to(viewer, person)


def may_decide_seat_request(viewer: Viewer, seat_request: SeatRequest) -> bool:
    """ "The leader approves or declines within the budget": the personnel leader."""
    return Relation.PERSONNEL_LEADER in relations_to(viewer, seat_request.person)


def may_enrol(viewer: Viewer, seat_request: SeatRequest) -> bool:
    """The education consultant covering the employee enrols, puts on the waiting list, cancels."""
    return _educates(viewer, seat_request.person)


def may_withdraw_seat_request(viewer: Viewer, seat_request: SeatRequest) -> bool:
    """The employee withdraws their request or cancels their seat."""
    return Relation.SELF in relations_to(viewer, seat_request.person)


def may_mark_completed(viewer: Viewer, seat_request: SeatRequest) -> bool:
    """After the course the employee marks it completed (the education consultant may too)."""
    return Relation.SELF in relations_to(viewer, seat_request.person) or _educates(viewer, seat_request.person)


# The overview for the competence strategy ------------------------------------------------------------


def may_view_competence_overview(viewer: Viewer) -> bool:
    """HR over the units it covers and the leaders over the units they lead: aggregates only, for
    groups of at least the anonymity threshold."""
    return viewer.hr is not None or bool(viewer.led_units)

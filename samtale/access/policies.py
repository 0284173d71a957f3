"""Who may do what, as plain predicates. Each quotes the rule it holds (docs/trust.md and
docs/domain.md). Deny by default: a predicate that does not say yes says no."""

from __future__ import annotations

from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer
from samtale.org.models import Person, Unit

# The people whose page (name, unit, title, leaders) a viewer may open.
_SEES_PERSON = {
    Relation.SELF,
    Relation.PERSONNEL_LEADER,
    Relation.CHAIN,
    Relation.DAILY_LEADER,
    Relation.HR,
}
# Employment details: employment type, dates, MUS eligibility and the reason for an override.
_SEES_EMPLOYMENT = {Relation.SELF, Relation.PERSONNEL_LEADER, Relation.CHAIN, Relation.HR}


def may_view_person(viewer: Viewer, person: Person) -> bool:
    """A person's page is seen by the person, their personnel leader, daily leader and leader chain,
    and by HR for the units they cover. Everyone else gets 404, exactly as for a person who does not
    exist (docs/trust.md § Beyond the matrix)."""
    return bool(relations_to(viewer, person) & _SEES_PERSON)


def may_view_employment(viewer: Viewer, person: Person) -> bool:
    """Employment type, dates and eligibility are personnel data: the person, the personnel leader,
    the leader chain and HR. The daily leader leads the work, not the employment."""
    return bool(relations_to(viewer, person) & _SEES_EMPLOYMENT)


def may_view_placement_history(viewer: Viewer, person: Person) -> bool:
    """When the person changed unit or leader: HR and the leader chain, who act on it, and the person."""
    return bool(relations_to(viewer, person) & {Relation.SELF, Relation.CHAIN, Relation.HR})


def may_change_placement(viewer: Viewer, person: Person) -> bool:
    """HR moves people and changes their leaders by hand, for the units they cover ("When an
    employee changes leader (by import or by hand)", docs/trust.md § Leader change)."""
    return Relation.HR in relations_to(viewer, person)


def may_place_in(viewer: Viewer, unit: Unit) -> bool:
    """HR moves people only into the units they cover."""
    return viewer.hr is not None and viewer.hr.covers(unit)


def may_name_as_leader(viewer: Viewer, person: Person) -> bool:
    """HR names as leaders only people in the units they cover: naming a leader hands them the
    person's data, so it stays inside HR's own part of the organisation."""
    return viewer.hr is not None and viewer.hr.covers(person.unit)


def may_set_unit_leader(viewer: Viewer, unit: Unit) -> bool:
    """A unit's leader is chosen by HR for the units they cover. Everyone may read the unit, so
    anyone else is refused with 403, not 404: "a denied write to an object the user may read answers
    403" (docs/trust.md § Access matrix)."""
    return viewer.hr is not None and viewer.hr.covers(unit)


def may_override_eligibility(viewer: Viewer, person: Person) -> bool:
    """ "Eligibility follows the employment type, and HR can override it per person"
    (docs/domain.md § Who takes part), for the units HR covers."""
    return Relation.HR in relations_to(viewer, person)


def may_view_unit_members(viewer: Viewer, unit: Unit) -> bool:
    """Who works in a unit is shown to its leader and the leaders above it, and to HR covering it.
    The tree itself (units and their leaders) is shown to everyone signed in."""
    if viewer.person is None:
        return False
    if viewer.hr is not None and viewer.hr.covers(unit):
        return True
    lineage = set(unit.lineage_ids)
    return any(led.pk in lineage for led in viewer.led_units)


def may_view_organisation(viewer: Viewer) -> bool:
    """The organisation tree: every employee (units and their leaders are no secret)."""
    return viewer.person is not None


def may_import_organisation(viewer: Viewer) -> bool:
    """An import replaces the whole organisation, so only HR covering the whole organisation runs it."""
    return viewer.hr is not None and viewer.hr.whole_organisation


def may_manage_roles(viewer: Viewer) -> bool:
    """Roles beside the line grant access, so only HR covering the whole organisation assigns them."""
    return viewer.hr is not None and viewer.hr.whole_organisation


def may_search_people(viewer: Viewer) -> bool:
    """HR looks people up in the units they cover."""
    return viewer.hr is not None


def may_view_team(viewer: Viewer) -> bool:
    """ "My team" is for personnel leaders, daily leaders and leaders of units."""
    return viewer.is_leader or viewer.has_daily_reports


def may_administer(viewer: Viewer) -> bool:
    """The superuser administers configuration and accounts, not content: "content models are not
    readable through the admin" (docs/trust.md § The administrator)."""
    return viewer.user.is_active and viewer.user.is_staff

"""Who may do what with privacy: the audit trail, the retention schedule, legal holds, a person's
export and erasure (docs/trust.md § Erasure and retention and § The data protection officer).
Plain predicates, deny by default. None of them opens any content: the data protection officer
sees who did what and when, the schedule and the holds, never what a record says."""

from __future__ import annotations

from samtale.access.viewer import Viewer
from samtale.org.models import Person


def may_oversee_privacy(viewer: Viewer) -> bool:
    """The audit trail, the retention schedule with what is due and what was deleted, and the legal
    holds: the data protection officer (databeskyttelsesrådgiver)."""
    return viewer.dpo is not None


def may_decide_privacy(viewer: Viewer) -> bool:
    """The data protection officer decides what a person's export holds of the leader's preparation."""
    return viewer.dpo is not None and viewer.dpo.whole_organisation


def _covers(viewer: Viewer, person: Person, *, hr: bool) -> bool:
    roles = [viewer.dpo, viewer.hr] if hr else [viewer.dpo]
    return any(role is not None and role.covers(person.unit) for role in roles)


def may_hold(viewer: Viewer, person: Person) -> bool:
    """A legal hold is placed and lifted by HR or the data protection officer covering the person."""
    return _covers(viewer, person, hr=True)


def may_export_for(viewer: Viewer, person: Person) -> bool:
    """HR or the data protection officer produces a person's data for their access request (Art. 15)."""
    return _covers(viewer, person, hr=True)


def may_erase(viewer: Viewer, person: Person) -> bool:
    """Erasure before the records' time (Art. 17) is decided with the data protection officer's role."""
    return _covers(viewer, person, hr=False)


def may_export_own(viewer: Viewer) -> bool:
    """Everyone with a person record downloads what Samtale holds about them (Art. 15 and 20)."""
    return viewer.person is not None

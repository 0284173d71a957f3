"""How a viewer stands to a person, derived from the current organisation.

Because relations are worked out on every request from who leads whom *now*, "the plan
follows the new leader" needs no copied permissions: a former leader has no relation the
moment the change is saved.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from samtale.access.viewer import Viewer
from samtale.org.models import Person

if TYPE_CHECKING:
    from samtale.conversations.models import Conversation


class Relation(StrEnum):
    SELF = "self"
    PERSONNEL_LEADER = "personnel_leader"
    # Leaders above the personnel leader: department heads, directors, who "can always read the
    # plan" (docs/domain.md § Confidentiality).
    CHAIN = "chain"
    DAILY_LEADER = "daily_leader"
    UNION_REP = "union_rep"
    HR = "hr"
    # Only for one conversation: the daily leader the personnel leader agreed to, and the union
    # representative the leader summoned at the employee's wish.
    INVITED_DAILY_LEADER = "invited_daily_leader"
    INVITED_UNION_REP = "invited_union_rep"


def relations_to(viewer: Viewer, person: Person) -> frozenset[Relation]:
    """Every relation the viewer has to the person (often none). ``person.unit`` should be
    loaded; the result is remembered for the rest of the request."""
    key = ("person", person.pk)
    cached = viewer.cache.get(key)
    if cached is not None:
        return cached
    relations: set[Relation] = set()
    if viewer.person is not None:
        me = viewer.person.pk
        if person.pk == me:
            relations.add(Relation.SELF)
        else:
            if person.personnel_leader_id == me:
                relations.add(Relation.PERSONNEL_LEADER)
            if person.daily_leader_id == me:
                relations.add(Relation.DAILY_LEADER)
            if viewer.is_leader and _in_leader_chain(viewer, person):
                relations.add(Relation.CHAIN)
            if viewer.hr is not None and viewer.hr.covers(person.unit):
                relations.add(Relation.HR)
            if viewer.union_rep is not None and viewer.union_rep.covers(person.unit):
                relations.add(Relation.UNION_REP)
    result = frozenset(relations)
    viewer.cache[key] = result
    return result


def _in_leader_chain(viewer: Viewer, person: Person) -> bool:
    """The chain derives from the tree and from the personnel-leader relation: the leaders of the
    person's unit and of every unit above it, and the leaders above the personnel leader. "Every
    leader above them" (docs/trust.md § Access matrix): never someone below them, so nobody is in
    the chain of their own leaders, whatever a unit's leadership says."""
    lineage = set(person.unit.lineage_ids)
    if any(unit.pk in lineage for unit in viewer.led_units):
        return person.pk not in _own_leader_line(viewer)
    if not viewer.has_reports:
        return False
    return viewer.person_id in Person.objects.leader_line(person.pk)[1:]


def _own_leader_line(viewer: Viewer) -> set[int]:
    line = viewer.cache.get("own_leader_line")
    if line is None:
        assert viewer.person is not None
        line = viewer.cache["own_leader_line"] = set(Person.objects.leader_line(viewer.person.pk))
    return line


def conversation_relations(viewer: Viewer, conversation: Conversation) -> frozenset[Relation]:
    """How the viewer stands to one conversation: as to its employee, except that a daily leader
    or a union representative counts only when invited to this very conversation.
    ``conversation.employee`` (with its unit) should be loaded."""
    from samtale.conversations.models import DailyLeaderStatus, UnionRepStatus

    key = ("conversation", conversation.pk)
    cached = viewer.cache.get(key)
    if cached is not None:
        return cached
    relations = set(relations_to(viewer, conversation.employee)) - {Relation.DAILY_LEADER, Relation.UNION_REP}
    me = viewer.person_id
    if me is not None:
        if conversation.daily_leader_id == me and conversation.daily_leader_status == DailyLeaderStatus.AGREED:
            relations.add(Relation.INVITED_DAILY_LEADER)
        if conversation.union_rep_id == me and conversation.union_rep_status == UnionRepStatus.SUMMONED:
            relations.add(Relation.INVITED_UNION_REP)
    result = frozenset(relations)
    viewer.cache[key] = result
    return result

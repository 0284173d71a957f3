"""Whose completion a viewer sees (docs/trust.md § Access matrix, "completion status"), and that
scope as queries: its conversations, its rows of the counters, and a leader's team members
outside the units they lead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from samtale.access.viewer import Viewer
from samtale.completion import counters
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.lib.queries import one_or_none
from samtale.org.models import Unit
from samtale.rounds.models import Round

# The states of a conversation not held yet: late once the round's deadline has passed.
OPEN = (ConversationStatus.INVITED, ConversationStatus.SCHEDULED)


@dataclass(frozen=True)
class Scope:
    """The people whose completion a viewer may see (docs/trust.md § Access matrix, "completion
    status"): HR its coverage (``whole_organisation``, or the subtrees under ``unit_paths``); a
    leader their team (``leader_id``) and, as the chain, the subtrees of the units they lead
    (``unit_paths``)."""

    whole_organisation: bool = False
    unit_paths: tuple[str, ...] = ()
    leader_id: int | None = None

    def people_q(self, prefix: str = "") -> Q:
        if self.whole_organisation:
            return Q()
        q = Q(pk__in=[])
        for path in self.unit_paths:
            q |= Q(**{f"{prefix}unit__path__startswith": path})
        if self.leader_id is not None:
            q |= Q(**{f"{prefix}personnel_leader_id": self.leader_id})
        return q

    def shows_unit(self, path: str) -> bool:
        """Whether a unit is shown with its roll-up: inside the scope's subtrees (a team member's
        own unit outside them is shown as well, without the units above it)."""
        return self.whole_organisation or any(path.startswith(root) for root in self.unit_paths)


def hr_scope(viewer: Viewer) -> Scope | None:
    """The people HR covers: the whole organisation, or the subtrees of its units."""
    if viewer.hr is None:
        return None
    return Scope(whole_organisation=viewer.hr.whole_organisation, unit_paths=viewer.hr.unit_paths)


def oversight_scope(viewer: Viewer) -> Scope | None:
    """HR's coverage, and a leader's team and subtree (someone may be both); else nothing (the
    pages answer 404)."""
    hr = hr_scope(viewer)
    if hr is not None and hr.whole_organisation:
        return hr
    if viewer.person is None or not viewer.is_leader:
        return hr
    led = tuple(unit.path for unit in viewer.led_units)
    return Scope(unit_paths=(*(hr.unit_paths if hr else ()), *led), leader_id=viewer.person.pk)


def conversations_in(round_: Round, scope: Scope) -> Any:
    """The round's conversations with the people in the scope."""
    return Conversation.objects.filter(round=round_).filter(scope.people_q("employee__"))


def counter_rows_q(scope: Scope, under: Unit | None) -> Q:
    """The counter rows of the units in the scope (and under ``under``)."""
    q = Q()
    if not scope.whole_organisation:
        q = Q(pk__in=[])
        for path in scope.unit_paths:
            q |= Q(unit__path__startswith=path)
    if under is not None:
        q &= Q(unit__path__startswith=under.path)
    return q


def team_outside_units(round_: Round, scope: Scope, under: Unit | None) -> dict[str, counters.Tally]:
    """A leader's team members in units outside the leader's own, counted live (a handful of
    conversations; one query), by unit path: they are shown for their unit without the rest of
    its people."""
    if scope.leader_id is None:
        return {}
    outside = Conversation.objects.filter(round=round_, employee__personnel_leader_id=scope.leader_id)
    for path in scope.unit_paths:
        outside = outside.exclude(employee__unit__path__startswith=path)
    if under is not None:
        outside = outside.filter(employee__unit__path__startswith=under.path)
    live: dict[str, counters.Tally] = {}
    for *row, path in outside.order_by().values_list(*counters.COLUMNS, "employee__unit__path"):
        live.setdefault(path, counters.Tally()).add(tuple(row))
    return live


def unit_in_scope(*, unit_uuid: Any, scope: Scope) -> Unit | None:
    """The unit, if the scope shows it (for a team outside the leader's units: the member's
    unit, which shows only that team)."""
    unit = one_or_none(
        Unit.objects.filter(uuid=unit_uuid).only("pk", "uuid", "name", "code", "path", "depth"),
        key="oversight.unit_in_scope",
    )
    if unit is None:
        return None
    if scope.shows_unit(unit.path):
        return unit
    if scope.leader_id is not None and unit.members.filter(personnel_leader_id=scope.leader_id).exists():
        return unit
    return None

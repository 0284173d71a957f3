"""Changes to the organisation by hand. (The import, for whole files, is in ``importing``.)

Each service checks the policy (``samtale.access``), changes with ``update_fields``, keeps the
history and writes the audit event in one transaction; it also guards the organisation's own
rules: no leader loops, no unit loops. Views look the objects up first, so that a stranger gets
404 before a service is asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_event_build, audit_record, audit_record_many
from samtale.lib.bulk import update_rows
from samtale.org.models import (
    MAX_DEPTH,
    ChangeSource,
    Person,
    PlacementChange,
    PlacementField,
    Role,
    Unit,
    path_segment,
)
from samtale.org.signals import placements_changed

if TYPE_CHECKING:
    from samtale.accounts.models import User


class UnitLoopError(ValueError):
    pass


def unit_tree_rebuild() -> int:
    """Recompute every unit's materialised path and depth from the parent links; returns how
    many changed. Units are few (thousands at most), so the whole tree is read at once."""
    rows = list(Unit.objects.values_list("id", "parent_id", "path", "depth"))
    parent_of = {pk: parent for pk, parent, _path, _depth in rows}
    computed: dict[int, str] = {}

    def path_of(pk: int) -> str:
        chain: list[int] = []
        node: int | None = pk
        while node is not None and node not in computed:
            if node in chain or len(chain) > MAX_DEPTH:
                raise UnitLoopError(f"unit {node} is its own ancestor")
            chain.append(node)
            node = parent_of.get(node)
        prefix = computed[node] if node is not None else ""
        for member in reversed(chain):
            prefix += path_segment(member)
            computed[member] = prefix
        return computed[pk]

    changed = []
    for pk, _parent, path, depth in rows:
        new_path = path_of(pk)
        new_depth = new_path.count("/") - 1
        if new_path != path or new_depth != depth:
            changed.append((pk, new_path, new_depth))
    return update_rows(Unit, ["path", "depth"], changed)


def placement_change_build(
    *,
    person: Person,
    field: str,
    old: Unit | Person | None,
    new: Unit | Person | None,
    source: str,
    actor: User | None,
) -> PlacementChange:
    return PlacementChange(
        person=person,
        field=field,
        old_id=old.pk if old else None,
        new_id=new.pk if new else None,
        old_label=str(old) if old else "",
        new_label=str(new) if new else "",
        source=source,
        changed_by=actor if actor and actor.pk else None,
    )


@transaction.atomic
def person_change_placement(
    *,
    viewer: Viewer,
    person: Person,
    unit: Unit,
    personnel_leader: Person | None,
    daily_leader: Person | None,
) -> list[str]:
    """Move a person and/or change their leaders by hand. Returns the fields that changed.

    The time of the change is kept (``PlacementChange``), and the access rules use the new
    state at once: they read the current organisation, so the former leader loses access on
    their next request."""
    require_write(policies.may_change_placement(viewer, person) and policies.may_place_in(viewer, unit))
    for leader in (personnel_leader, daily_leader):
        require_write(leader is None or policies.may_name_as_leader(viewer, leader))
    actor = viewer.user
    # Lock the person and the new leader (in id order, so two changes cannot deadlock): two
    # changes at once could otherwise each pass the loop check and together make a loop.
    locked = [person.pk, *([personnel_leader.pk] if personnel_leader else [])]
    list(Person.objects.select_for_update(of=("self",)).filter(pk__in=locked).order_by("pk").values_list("pk"))
    person = Person.objects.select_related("unit", "personnel_leader", "daily_leader").get(pk=person.pk)
    if personnel_leader is not None:
        if personnel_leader.pk == person.pk:
            raise ValidationError({"personnel_leader": _("A person cannot be their own personnel leader.")})
        if person.pk in Person.objects.leader_line(personnel_leader.pk):
            raise ValidationError(
                {
                    "personnel_leader": _("%(leader)s is below %(person)s, so this would make a loop.")
                    % {"leader": personnel_leader, "person": person}
                }
            )
    if daily_leader is not None and daily_leader.pk == person.pk:
        raise ValidationError({"daily_leader": _("A person cannot be their own daily leader.")})

    changes: list[PlacementChange] = []
    events = []
    changed: list[str] = []
    for field, new in (
        (PlacementField.UNIT, unit),
        (PlacementField.PERSONNEL_LEADER, personnel_leader),
        (PlacementField.DAILY_LEADER, daily_leader),
    ):
        old = getattr(person, field)
        if (old.pk if old else None) == (new.pk if new else None):
            continue
        setattr(person, field, new)
        changed.append(field)
        changes.append(
            placement_change_build(
                person=person, field=field, old=old, new=new, source=ChangeSource.MANUAL, actor=actor
            )
        )
        events.append(
            audit_event_build(
                actor=actor,
                action=f"org.{field}_changed",
                target=person,
                subject_person_id=person.pk,
                data={"from": old.pk if old else None, "to": new.pk if new else None, "source": "manual"},
            )
        )
    if not changed:
        return []
    person.updated_at = timezone.now()
    person.save(update_fields=[*changed, "updated_at"])
    PlacementChange.objects.bulk_create(changes)
    audit_record_many(events)
    placements_changed.send(sender=PlacementChange, changes=changes)
    return changed


@transaction.atomic
def person_set_eligibility(*, viewer: Viewer, person: Person, override: bool | None, reason: str) -> None:
    """HR overrides whether a person takes part in MUS, with the reason; None follows the
    employment type again."""
    require_write(policies.may_override_eligibility(viewer, person))
    reason = reason.strip()
    if override is not None and not reason:
        raise ValidationError({"reason": _("Give the reason for the override.")})
    if override is None:
        reason = ""
    if person.eligibility_override == override and person.eligibility_override_reason == reason:
        return
    old = person.eligibility_override
    person.eligibility_override = override
    person.eligibility_override_reason = reason
    person.updated_at = timezone.now()
    person.save(update_fields=["eligibility_override", "eligibility_override_reason", "updated_at"])
    audit_record(
        actor=viewer.user,
        action="org.eligibility_overridden",
        target=person,
        subject_person_id=person.pk,
        data={"from": old, "to": override},
    )


@transaction.atomic
def unit_set_leader(*, viewer: Viewer, unit: Unit, leader: Person | None) -> None:
    """HR chooses a unit's leader by hand; the import keeps the choice until the file names one."""
    require_write(policies.may_set_unit_leader(viewer, unit))
    require_write(leader is None or policies.may_name_as_leader(viewer, leader))
    if unit.leader_id == (leader.pk if leader else None) and unit.leader_set_by_hand:
        return
    old = unit.leader_id
    unit.leader = leader
    unit.leader_set_by_hand = True
    unit.save(update_fields=["leader", "leader_set_by_hand"])
    audit_record(
        actor=viewer.user,
        action="org.unit_leader_changed",
        target=unit,
        data={"from": old, "to": leader.pk if leader else None},
    )


@transaction.atomic
def role_assign(*, viewer: Viewer, person: Person, kind: str, units: Iterable[Unit], region: str = "") -> Role:
    """Give a person a role beside the line (HR, union representative, management) covering the
    given units, or the whole organisation when there are none. A second assignment of the same
    kind replaces the coverage of the first."""
    require_write(policies.may_manage_roles(viewer))
    units = list(units)
    role, created = Role.objects.get_or_create(person=person, kind=kind, defaults={"region": region.strip()})
    if not created and role.region != region.strip():
        role.region = region.strip()
        role.save(update_fields=["region"])
    role.units.set(units)
    audit_record(
        actor=viewer.user,
        action="org.role_assigned",
        target=role,
        subject_person_id=person.pk,
        data={"kind": kind, "units": [unit.code for unit in units], "region": role.region},
    )
    return role


@transaction.atomic
def role_remove(*, viewer: Viewer, role: Role) -> None:
    require_write(policies.may_manage_roles(viewer))
    audit_record(
        actor=viewer.user,
        action="org.role_removed",
        target=role,
        subject_person_id=role.person_id,
        data={"kind": role.kind},
    )
    role.delete()

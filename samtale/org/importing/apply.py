"""Applying an organisation file: all or nothing, in one transaction, with bulk SQL.

The plan is made again inside the transaction, against the organisation as it is at that
moment, so a preview that has gone stale can never be applied blindly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samtale.accounts.models import User, unusable_password
from samtale.accounts.services import invitation_messages_build
from samtale.audit.models import AuditEvent
from samtale.audit.services import audit_event_build, audit_record, audit_record_many
from samtale.lib.bulk import chunks, insert_rows, statistics_refresh, update_rows
from samtale.org.importing.import_plan import ImportPlan, build_import_plan
from samtale.org.importing.reader import read_table
from samtale.org.importing.rows import PersonRow
from samtale.org.models import ChangeSource, Person, PlacementChange, PlacementField, Unit
from samtale.org.services import unit_tree_rebuild
from samtale.org.signals import placements_changed
from samtale.outbox.services import outbox_enqueue_many

if TYPE_CHECKING:
    from samtale.org.models import ImportRun

CHUNK = 900  # below SQLite's limit on variables in one statement
BATCH = 2000


def _chunks[T](items: Sequence[T]) -> Iterator[Sequence[T]]:
    return chunks(items, CHUNK)


@dataclass
class ImportOutcome:
    plan: ImportPlan
    applied: bool = False
    invitations: int = 0
    # The file is correct but would end many people's employment, and that was not confirmed.
    needs_confirmation: bool = False


def organisation_import(
    *,
    content: bytes,
    file_name: str,
    actor: User | None,
    dry_run: bool = False,
    send_invitations: bool = True,
    confirm_endings: bool = False,
    run: ImportRun | None = None,
) -> ImportOutcome:
    """Read, check and (unless ``dry_run``) apply an HR export. Raises ``ImportFileError`` when
    the file cannot be read at all; otherwise the outcome's plan lists every bad row, and when
    there is one nothing is written. A file that would end many people's employment at once is
    applied only with ``confirm_endings``."""
    table = read_table(content, file_name)
    if dry_run:
        return ImportOutcome(plan=build_import_plan(table))
    with transaction.atomic():
        plan = build_import_plan(table)
        if not plan.ok:
            return ImportOutcome(plan=plan)
        if plan.ends_many and not confirm_endings:
            return ImportOutcome(plan=plan, needs_confirmation=True)
        invitations = _apply(plan, actor=actor, send_invitations=send_invitations) if plan.has_changes else 0
        if plan.has_changes:
            statistics_refresh(Unit, Person, User)
        audit_record(
            actor=actor,
            action="org.import_applied",
            target=run,
            data={"file": file_name, **plan.summary(), "invitations": invitations},
        )
    return ImportOutcome(plan=plan, applied=True, invitations=invitations)


def _apply(plan: ImportPlan, *, actor: User | None, send_invitations: bool) -> int:
    now = timezone.now()
    changed_by = actor if actor is not None and actor.pk else None
    unit_id = _apply_units(plan)
    number_to_id: dict[str, int] = dict(Person.objects.values_list("employee_number", "id"))
    # Addresses may move between people in one file (two swap, or a new hire takes one someone
    # gives up): the old ones are released first, so no moment holds an address twice.
    _release_changed_emails(plan)
    new_users = _create_people(plan, unit_id=unit_id, number_to_id=number_to_id, now=now)
    history, events = _change_people(plan, unit_id=unit_id, number_to_id=number_to_id, now=now, actor=changed_by)
    events += _end_people(plan, now=now, actor=changed_by)
    events += _set_unit_leaders(plan, unit_id=unit_id, number_to_id=number_to_id, actor=changed_by)
    events += _unit_events(plan, actor=changed_by)
    PlacementChange.objects.bulk_create(history, batch_size=BATCH)
    audit_record_many(events)
    placements_changed.send(sender=PlacementChange, changes=history)
    if send_invitations and new_users:
        return outbox_enqueue_many(messages=invitation_messages_build(users=new_users))
    return 0


def _release_changed_emails(plan: ImportPlan) -> None:
    moving = [person_id for person_id, _row, change in plan.change if "email" in change.fields]
    if not moving:
        return
    user_of: dict[int, int] = {}
    for chunk in _chunks(moving):
        user_of.update(Person.objects.filter(id__in=chunk, user__isnull=False).values_list("id", "user_id"))
    update_rows(Person, ["email"], [(pk, f"moving-{pk}@invalid") for pk in moving])
    update_rows(User, ["email"], [(user_id, f"moving-{user_id}@invalid") for user_id in user_of.values()])


def _apply_units(plan: ImportPlan) -> dict[str, int]:
    Unit.objects.bulk_create(
        [Unit(code=spec.code, name=spec.name or spec.code, path="", depth=0) for spec in plan.units_create],
        batch_size=BATCH,
    )
    unit_id: dict[str, int] = dict(Unit.objects.values_list("code", "id"))
    parents: list[tuple[int, int | None]] = [
        (unit_id[spec.code], unit_id[spec.parent_code]) for spec in plan.units_create if spec.parent_code
    ]
    names: list[tuple[int, str]] = []
    for pk, _code, changes in plan.units_change:
        if "name" in changes:
            names.append((pk, changes["name"]))
        if "parent_code" in changes:
            parents.append((pk, unit_id[changes["parent_code"]] if changes["parent_code"] else None))
    update_rows(Unit, ["parent"], parents)
    update_rows(Unit, ["name"], names)
    if plan.units_create or plan.units_change:
        unit_tree_rebuild()
    return unit_id


def _leader_levels(rows: list[PersonRow], creating: set[str]) -> list[list[PersonRow]]:
    """New people grouped so that every new person's personnel leader is created in an earlier
    group (the plan has already refused loops); within a level, daily leaders come first, so
    most daily leaders exist when the people they lead are created."""
    leader_of = {row.employee_number: row.values.get("personnel_leader_number") or None for row in rows}
    level: dict[str, int] = {}

    def level_of(number: str) -> int:
        chain = []
        node: str | None = number
        while node is not None and node not in level:
            chain.append(node)
            leader = leader_of.get(node)
            node = leader if leader in creating else None
        depth = level[node] + 1 if node is not None else 0
        for member in reversed(chain):
            level[member] = depth
            depth += 1
        return level[number]

    daily_leaders = {row.values.get("daily_leader_number") for row in rows}
    groups: dict[tuple[int, bool], list[PersonRow]] = {}
    for row in rows:
        groups.setdefault((level_of(row.employee_number), row.employee_number not in daily_leaders), []).append(row)
    return [groups[key] for key in sorted(groups)]


def _create_people(plan: ImportPlan, *, unit_id: dict[str, int], number_to_id: dict[str, int], now: Any) -> list[User]:
    """Every new person gets an account of their own, without a password (the plan has refused
    addresses that belong to an account already)."""
    if not plan.create:
        return []
    language = settings.LANGUAGE_CODE
    user_rows = [
        {
            "email": row.values["email"],
            "name": row.values["name"],
            "password": unusable_password(),
            "language": language,
            "date_joined": now,
        }
        for row in plan.create
    ]
    user_id = insert_rows(User, user_rows, key="email")
    today = timezone.localdate()
    # Those who are employed get an invitation; someone in the file who has already left does not.
    new_users = [
        User(id=user_id[row.values["email"]], email=row.values["email"], name=row.values["name"], language=language)
        for row in plan.create
        if not (isinstance(row.values.get("end_date"), date) and row.values["end_date"] < today)
    ]

    has = plan.columns
    creating = {row.employee_number for row in plan.create}
    later: list[tuple[str, str]] = []  # daily leaders created in the same group or after
    for group in _leader_levels(plan.create, creating):
        people = []
        for row in group:
            values = row.values
            leader = values.get("personnel_leader_number") or None
            daily = values.get("daily_leader_number") or None
            if daily and daily not in number_to_id:
                later.append((row.employee_number, daily))
            people.append(
                {
                    "employee_number": row.employee_number,
                    "name": values["name"],
                    "email": values["email"],
                    "unit_id": unit_id[values["unit_code"]],
                    "job_title": values.get("job_title", "") if "job_title" in has else "",
                    "employment_type": values["employment_type"],
                    "start_date": values.get("start_date"),
                    "end_date": values.get("end_date"),
                    "personnel_leader_id": number_to_id[leader] if leader else None,
                    "daily_leader_id": number_to_id.get(daily) if daily else None,
                    "user_id": user_id.get(values["email"]),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        number_to_id.update(insert_rows(Person, people, key="employee_number"))
    update_rows(Person, ["daily_leader"], [(number_to_id[number], number_to_id[daily]) for number, daily in later])
    return new_users


_PLACEMENT = {
    "unit": PlacementField.UNIT,
    "personnel_leader": PlacementField.PERSONNEL_LEADER,
    "daily_leader": PlacementField.DAILY_LEADER,
}


def _change_people(
    plan: ImportPlan, *, unit_id: dict[str, int], number_to_id: dict[str, int], now: Any, actor: User | None
) -> tuple[list[PlacementChange], list[AuditEvent]]:
    if not plan.change:
        return [], []
    # One prepared UPDATE per changed field, for the people whose value of that field changed: a
    # bulk_update of several fields would write every listed field for every person in the batch.
    values: dict[str, list[tuple[int, Any]]] = {}
    history: list[PlacementChange] = []
    events: list[AuditEvent] = []
    names = _leader_names(plan)
    uuids = _person_uuids([person_id for person_id, _row, _change in plan.change])
    unit_names = dict(Unit.objects.values_list("code", "name"))
    user_updates: list[tuple[int, dict[str, str]]] = []
    for person_id, _row, change in plan.change:
        for field, (old, new) in change.fields.items():
            if field == "unit":
                value: Any = unit_id[new]
            elif field in ("personnel_leader", "daily_leader"):
                value = number_to_id[new] if new else None
            else:
                value = new if new is not None or field.endswith("_date") else ""
            values.setdefault(field, []).append((person_id, value))
            if field in _PLACEMENT:
                label = unit_names if field == "unit" else names
                history.append(
                    PlacementChange(
                        person_id=person_id,
                        field=_PLACEMENT[field],
                        old_id=(unit_id.get(old) if field == "unit" else number_to_id.get(old)) if old else None,
                        new_id=(unit_id[new] if field == "unit" else number_to_id[new]) if new else None,
                        old_label=label.get(old, old or "") if old else "",
                        new_label=label.get(new, new) if new else "",
                        changed_at=now,
                        source=ChangeSource.IMPORT,
                        changed_by=actor,
                    )
                )
                events.append(
                    audit_event_build(
                        actor=actor,
                        action=f"org.{field}_changed",
                        target=("person", uuids[person_id]),
                        subject_person_id=person_id,
                        data={"from": old, "to": new, "source": "import"},
                        at=now,
                    )
                )
        if "name" in change.fields or "email" in change.fields:
            user_updates.append((person_id, {k: change.fields[k][1] for k in ("name", "email") if k in change.fields}))
    values["updated_at"] = [(person_id, now) for person_id, _row, _change in plan.change]
    for field, rows in values.items():
        update_rows(Person, [field], rows)
    _update_users(user_updates)
    return history, events


def _person_uuids(ids: list[int]) -> dict[int, str]:
    uuids: dict[int, str] = {}
    for chunk in _chunks(ids):
        uuids.update((pk, str(uuid)) for pk, uuid in Person.objects.filter(id__in=chunk).values_list("id", "uuid"))
    return uuids


def _leader_names(plan: ImportPlan) -> dict[str, str]:
    """Employee number -> name, for the history of leader changes: the name in the file, or the
    stored name of a former leader who is no longer in it."""
    names = {row.employee_number: row.values.get("name", "") for row in plan.rows}
    missing = sorted(
        {
            old
            for _id, _row, change in plan.change
            for field, (old, _new) in change.fields.items()
            if field in ("personnel_leader", "daily_leader") and old and old not in names
        }
    )
    for chunk in _chunks(missing):
        names.update(Person.objects.filter(employee_number__in=chunk).values_list("employee_number", "name"))
    return names


def _update_users(updates: list[tuple[int, dict[str, str]]]) -> None:
    """A person's sign-in follows their name and e-mail address in the HR system."""
    if not updates:
        return
    user_of: dict[int, int] = {}
    for chunk in _chunks([person_id for person_id, _ in updates]):
        user_of.update(Person.objects.filter(id__in=chunk, user__isnull=False).values_list("id", "user_id"))
    for field in ("name", "email"):
        update_rows(
            User,
            [field],
            [
                (user_of[person_id], values[field])
                for person_id, values in updates
                if person_id in user_of and field in values
            ],
        )


def _end_people(plan: ImportPlan, *, now: Any, actor: User | None) -> list[AuditEvent]:
    by_date: dict[date, list[int]] = {}
    for person_id, _number, _name, end_date in plan.end:
        by_date.setdefault(end_date, []).append(person_id)
    for end_date, ids in by_date.items():
        for chunk in _chunks(ids):
            Person.objects.filter(id__in=chunk).update(end_date=end_date, updated_at=now)
    uuids = _person_uuids([person_id for person_id, _number, _name, _end in plan.end])
    return [
        audit_event_build(
            actor=actor,
            action="org.employment_ended",
            target=("person", uuids[person_id]),
            subject_person_id=person_id,
            data={"end_date": end_date.isoformat(), "source": "import"},
        )
        for person_id, _number, _name, end_date in plan.end
    ]


def _set_unit_leaders(
    plan: ImportPlan, *, unit_id: dict[str, int], number_to_id: dict[str, int], actor: User | None
) -> list[AuditEvent]:
    """Unit leaders as the plan worked them out. Leading a unit puts a person in the leader chain
    of everyone below it, so each change is audited."""
    changes = [(unit_id[code], number_to_id[number] if number else None) for code, number in plan.unit_leaders.items()]
    update_rows(Unit, ["leader", "leader_set_by_hand"], [(pk, leader, False) for pk, leader in changes])
    uuids = dict(Unit.objects.filter(id__in=[pk for pk, _ in changes]).values_list("id", "uuid"))
    return [
        audit_event_build(
            actor=actor,
            action="org.unit_leader_changed",
            target=("unit", uuids[unit_id[code]]),
            data={"to": number, "source": "import"},
        )
        for code, number in plan.unit_leaders.items()
    ]


def _unit_events(plan: ImportPlan, *, actor: User | None) -> list[AuditEvent]:
    """A unit that moves changes who is above everyone in it; a rename is kept for the record."""
    changed = [pk for pk, _code, _changes in plan.units_change]
    uuids = dict(Unit.objects.filter(id__in=changed).values_list("id", "uuid"))
    events = []
    for pk, _code, changes in plan.units_change:
        if "parent_code" in changes:
            events.append(
                audit_event_build(
                    actor=actor,
                    action="org.unit_moved",
                    target=("unit", uuids[pk]),
                    data={"to": changes["parent_code"], "source": "import"},
                )
            )
        if "name" in changes:
            events.append(
                audit_event_build(
                    actor=actor,
                    action="org.unit_renamed",
                    target=("unit", uuids[pk]),
                    data={"to": changes["name"], "source": "import"},
                )
            )
    return events

"""Applying an organisation file: all or nothing, in one transaction, with bulk SQL.

The plan is made again inside the transaction, against the organisation as it is at that
moment, so a preview that has gone stale can never be applied blindly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samtale.accounts.models import User, unusable_password
from samtale.accounts.services import invitation_messages_build
from samtale.audit.models import AuditEvent
from samtale.audit.services import audit_record, audit_record_many
from samtale.org.importing.plan import Plan, PersonRow, build_plan
from samtale.org.importing.reader import read_table
from samtale.org.models import ChangeSource, Person, PlacementChange, PlacementField, Unit
from samtale.lib.bulk import update_rows
from samtale.org.services import unit_tree_rebuild
from samtale.outbox.services import outbox_enqueue_many

if TYPE_CHECKING:
    from samtale.org.models import ImportRun

T = TypeVar("T")
CHUNK = 900  # below SQLite's limit on variables in one statement
BATCH = 2000


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class ImportOutcome:
    plan: Plan
    applied: bool = False
    invitations: int = 0


def organisation_import(
    *,
    content: bytes,
    file_name: str,
    actor: User | None,
    dry_run: bool = False,
    send_invitations: bool = True,
    run: ImportRun | None = None,
) -> ImportOutcome:
    """Read, check and (unless ``dry_run``) apply an HR export. Raises ``ImportFileError`` when
    the file cannot be read at all; otherwise the outcome's plan lists every bad row, and when
    there is one nothing is written."""
    table = read_table(content, file_name)
    if dry_run:
        return ImportOutcome(plan=build_plan(table))
    with transaction.atomic():
        plan = build_plan(table)
        if not plan.ok:
            return ImportOutcome(plan=plan)
        invitations = _apply(plan, actor=actor, send_invitations=send_invitations) if plan.has_changes else 0
        audit_record(
            actor=actor,
            action="org.import_applied",
            target=run,
            data={"file": file_name, **plan.summary(), "invitations": invitations},
        )
    return ImportOutcome(plan=plan, applied=True, invitations=invitations)


def _apply(plan: Plan, *, actor: User | None, send_invitations: bool) -> int:
    now = timezone.now()
    today = timezone.localdate()
    changed_by = actor if actor is not None and actor.pk else None
    unit_id = _apply_units(plan)
    number_to_id: dict[str, int] = dict(Person.objects.values_list("employee_number", "id"))
    new_users = _create_people(plan, unit_id=unit_id, number_to_id=number_to_id, now=now)
    _set_daily_leaders_of_new(plan, number_to_id)
    history, events = _change_people(plan, unit_id=unit_id, number_to_id=number_to_id, now=now,
                                     actor=changed_by)
    events += _end_people(plan, today=today, now=now, actor=changed_by)
    _set_unit_leaders(plan, unit_id=unit_id, number_to_id=number_to_id)
    PlacementChange.objects.bulk_create(history, batch_size=BATCH)
    audit_record_many(events)
    if send_invitations and new_users:
        return outbox_enqueue_many(messages=invitation_messages_build(users=new_users))
    return 0


def _apply_units(plan: Plan) -> dict[str, int]:
    Unit.objects.bulk_create(
        [Unit(code=spec.code, name=spec.name or spec.code, path="", depth=0) for spec in plan.units_create],
        batch_size=BATCH,
    )
    unit_id: dict[str, int] = dict(Unit.objects.values_list("code", "id"))
    updates: list[Unit] = []
    for spec in plan.units_create:
        if spec.parent_code:
            updates.append(Unit(id=unit_id[spec.code], parent_id=unit_id[spec.parent_code],
                                name=spec.name or spec.code))
    for pk, changes in plan.units_change:
        unit = Unit.objects.only("id", "name", "parent_id").get(pk=pk)
        if "name" in changes:
            unit.name = changes["name"]
        if "parent_code" in changes:
            unit.parent_id = unit_id[changes["parent_code"]] if changes["parent_code"] else None
        updates.append(unit)
    if updates:
        Unit.objects.bulk_update(updates, ["parent", "name"], batch_size=500)
    if plan.units_create or plan.units_change:
        unit_tree_rebuild()
    return unit_id


def _leader_levels(rows: list[PersonRow], creating: set[str]) -> list[list[PersonRow]]:
    """New people grouped so that every new person's personnel leader is created in an earlier
    group (the plan has already refused loops)."""
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

    groups: dict[int, list[PersonRow]] = {}
    for row in rows:
        groups.setdefault(level_of(row.employee_number), []).append(row)
    return [groups[key] for key in sorted(groups)]


def _create_people(plan: Plan, *, unit_id: dict[str, int], number_to_id: dict[str, int], now: Any) -> list[User]:
    if not plan.create:
        return []
    emails = [row.values["email"] for row in plan.create]
    existing_users: dict[str, User] = {}
    for chunk in _chunks(emails):
        for user in User.objects.filter(email__in=chunk).select_related("person"):
            existing_users[user.email] = user
    new_users = [
        User(email=row.values["email"], name=row.values["name"], password=unusable_password(),
             language=settings.LANGUAGE_CODE)
        for row in plan.create
        if row.values["email"] not in existing_users
    ]
    User.objects.bulk_create(new_users, batch_size=BATCH)
    user_by_email = {**{u.email: u for u in new_users}, **existing_users}
    # An existing account is linked only when no other person holds it.
    taken = {u.email for u in existing_users.values() if hasattr(u, "person")}

    has = plan.columns
    creating = {row.employee_number for row in plan.create}
    for group in _leader_levels(plan.create, creating):
        people = []
        for row in group:
            values = row.values
            leader = values.get("personnel_leader_number") or None
            user = user_by_email[values["email"]] if values["email"] not in taken else None
            people.append(
                Person(
                    employee_number=row.employee_number,
                    name=values["name"],
                    email=values["email"],
                    unit_id=unit_id[values["unit_code"]],
                    job_title=values.get("job_title", "") if "job_title" in has else "",
                    employment_type=values["employment_type"],
                    start_date=values.get("start_date"),
                    end_date=values.get("end_date"),
                    personnel_leader_id=number_to_id[leader] if leader else None,
                    user_id=user.pk if user else None,
                    created_at=now,
                    updated_at=now,
                )
            )
        Person.objects.bulk_create(people, batch_size=BATCH)
        for person in people:
            number_to_id[person.employee_number] = person.pk
    return new_users


def _set_daily_leaders_of_new(plan: Plan, number_to_id: dict[str, int]) -> None:
    update_rows(Person, ["daily_leader"], [
        (number_to_id[row.employee_number], number_to_id[row.values["daily_leader_number"]])
        for row in plan.create
        if row.values.get("daily_leader_number")
    ])


_PLACEMENT = {
    "unit": PlacementField.UNIT,
    "personnel_leader": PlacementField.PERSONNEL_LEADER,
    "daily_leader": PlacementField.DAILY_LEADER,
}


def _change_people(
    plan: Plan, *, unit_id: dict[str, int], number_to_id: dict[str, int], now: Any, actor: User | None
) -> tuple[list[PlacementChange], list[AuditEvent]]:
    if not plan.change:
        return [], []
    fields: set[str] = set()
    people: list[Person] = []
    history: list[PlacementChange] = []
    events: list[AuditEvent] = []
    names = {row.employee_number: row.values.get("name", "") for row in plan.rows}
    unit_names = dict(Unit.objects.values_list("code", "name"))
    user_updates: list[tuple[int, dict[str, str]]] = []
    for person_id, _row, change in plan.change:
        person = Person(id=person_id, updated_at=now)
        for field, (old, new) in change.fields.items():
            fields.add(field)
            if field == "unit":
                person.unit_id = unit_id[new]
            elif field in ("personnel_leader", "daily_leader"):
                setattr(person, f"{field}_id", number_to_id[new] if new else None)
            else:
                setattr(person, field, new if new is not None or field.endswith("_date") else "")
            if field in _PLACEMENT:
                label = unit_names if field == "unit" else names
                history.append(PlacementChange(
                    person_id=person_id, field=_PLACEMENT[field],
                    old_id=(unit_id.get(old) if field == "unit" else number_to_id.get(old)) if old else None,
                    new_id=(unit_id[new] if field == "unit" else number_to_id[new]) if new else None,
                    old_label=label.get(old, old or "") if old else "",
                    new_label=label.get(new, new) if new else "",
                    changed_at=now, source=ChangeSource.IMPORT, changed_by=actor,
                ))
                events.append(AuditEvent(
                    actor_id=actor.pk if actor else None, actor_label=actor.email if actor else "import",
                    action=f"org.{field}_changed", target_type="person", subject_person_id=person_id,
                    data={"from": old, "to": new, "source": "import"}, at=now,
                ))
        if "name" in change.fields or "email" in change.fields:
            user_updates.append((person_id, {k: change.fields[k][1] for k in ("name", "email") if k in change.fields}))
        people.append(person)
    model_fields = [f for f in fields if f not in ("personnel_leader", "daily_leader", "unit")]
    model_fields += [f for f in ("unit", "personnel_leader", "daily_leader") if f in fields]
    Person.objects.bulk_update(people, [*model_fields, "updated_at"], batch_size=BATCH)
    _update_users(user_updates)
    return history, events


def _update_users(updates: list[tuple[int, dict[str, str]]]) -> None:
    """A person's sign-in follows their name and e-mail address in the HR system."""
    if not updates:
        return
    user_of: dict[int, int] = {}
    ids = [person_id for person_id, _ in updates]
    for chunk in _chunks(ids):
        user_of.update(Person.objects.filter(id__in=chunk, user__isnull=False).values_list("id", "user_id"))
    users = []
    for person_id, values in updates:
        if person_id in user_of:
            user = User(id=user_of[person_id])
            user.name = values.get("name", "")
            user.email = values.get("email", "")
            users.append((user, values))
    for field in ("name", "email"):
        batch = [user for user, values in users if field in values]
        User.objects.bulk_update(batch, [field], batch_size=BATCH)


def _end_people(plan: Plan, *, today: date, now: Any, actor: User | None) -> list[AuditEvent]:
    ids = [person_id for person_id, _number, _name in plan.end]
    for chunk in _chunks(ids):
        Person.objects.filter(id__in=chunk).update(end_date=today, updated_at=now)
    return [
        AuditEvent(actor_id=actor.pk if actor else None, actor_label=actor.email if actor else "import",
                   action="org.employment_ended", target_type="person", subject_person_id=person_id,
                   data={"end_date": today.isoformat(), "source": "import"}, at=now)
        for person_id in ids
    ]


def _set_unit_leaders(plan: Plan, *, unit_id: dict[str, int], number_to_id: dict[str, int]) -> None:
    update_rows(Unit, ["leader"], [
        (unit_id[code], number_to_id[number] if number else None) for code, number in plan.unit_leaders.items()
    ])

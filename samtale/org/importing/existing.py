"""The organisation as Samtale holds it before the import, read in a few bulk queries: what the
file is compared with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from samtale.accounts.models import User
from samtale.org.models import Person, Unit


@dataclass
class Existing:
    people: dict[str, tuple[Any, ...]]  # employee number -> row of PERSON_COLUMNS
    number_by_id: dict[int, str]
    unit_code_by_id: dict[int, str]
    unit_by_code: dict[str, tuple[int, str, int | None, int | None]]  # code -> id, name, parent, leader
    email_owner: dict[str, str]  # e-mail -> employee number
    accounts_without_person: set[str]  # e-mail addresses of accounts that are no person (administrators)
    leaders_set_by_hand: set[str]  # codes of the units whose leader HR chose by hand


PERSON_COLUMNS = (
    "id",
    "employee_number",
    "name",
    "email",
    "unit_id",
    "job_title",
    "employment_type",
    "start_date",
    "end_date",
    "personnel_leader_id",
    "daily_leader_id",
)


def load_existing() -> Existing:
    people: dict[str, tuple[Any, ...]] = {}
    number_by_id: dict[int, str] = {}
    email_owner: dict[str, str] = {}
    for values in Person.objects.values_list(*PERSON_COLUMNS).iterator(chunk_size=5000):
        people[values[1]] = values
        number_by_id[values[0]] = values[1]
        email_owner[values[3].lower()] = values[1]
    units: dict[str, tuple[int, str, int | None, int | None]] = {
        code: (pk, name, parent, leader)
        for pk, code, name, parent, leader in Unit.objects.values_list("id", "code", "name", "parent_id", "leader_id")
    }
    return Existing(
        people=people,
        number_by_id=number_by_id,
        unit_code_by_id={pk: code for code, (pk, *_rest) in units.items()},
        unit_by_code=units,
        email_owner=email_owner,
        accounts_without_person=set(User.objects.filter(person__isnull=True).values_list("email", flat=True)),
        leaders_set_by_hand=set(Unit.objects.filter(leader_set_by_hand=True).values_list("code", flat=True)),
    )

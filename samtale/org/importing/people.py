"""The people in the file against the people in Samtale: whose e-mail address is taken, who is new,
what changed for whom, and whose employment ends because they are no longer in the file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from samtale.org.importing.existing import PERSON_COLUMNS, Existing
from samtale.org.importing.rows import PersonRow

if TYPE_CHECKING:
    from samtale.org.importing.import_plan import ImportPlan

# Fields of a person compared with the file, when the file has the column.
PERSON_FIELDS = (
    "name",
    "email",
    "unit",
    "job_title",
    "employment_type",
    "start_date",
    "end_date",
    "personnel_leader",
    "daily_leader",
)
_COLUMN_FOR_FIELD = {
    "unit": "unit_code",
    "personnel_leader": "personnel_leader_number",
    "daily_leader": "daily_leader_number",
}


@dataclass
class Change:
    employee_number: str
    name: str
    line: int
    fields: dict[str, tuple[Any, Any]]  # field -> (old, new), values as shown to people


def check_emails_against_others(rows: list[PersonRow], existing: Existing, plan: ImportPlan) -> None:
    """An e-mail address is one person's sign-in: it may not belong to someone who is not in the file,
    nor to an account that is no person at all."""
    in_file = {row.employee_number for row in rows}
    for row in rows:
        email = row.values.get("email")
        owner = existing.email_owner.get(email) if email else None
        if owner is not None and owner != row.employee_number and owner not in in_file:
            plan.errors.append(
                (
                    row.line,
                    _("The e-mail address %(email)s belongs to employee number %(number)s, who is not in the file.")
                    % {"email": email, "number": owner},
                )
            )
        elif email in existing.accounts_without_person:
            # Never hand an existing sign-in (an administrator's, say) to a person from a file.
            plan.errors.append(
                (
                    row.line,
                    _(
                        "The e-mail address %(email)s belongs to an account that is not a person "
                        "in the organisation, such as an administrator's. Give the person another "
                        "address."
                    )
                    % {"email": email},
                )
            )


def plan_people(rows: list[PersonRow], existing: Existing, plan: ImportPlan, today: date) -> None:
    present = plan.columns
    seen: set[str] = set()
    for row in rows:
        seen.add(row.employee_number)
        current = existing.people.get(row.employee_number)
        if current is None:
            plan.create.append(row)
            continue
        fields: dict[str, tuple[Any, Any]] = {}
        old = dict(zip(PERSON_COLUMNS, current, strict=True))
        for name in PERSON_FIELDS:
            column = _COLUMN_FOR_FIELD.get(name, name)
            if column not in present:
                continue
            new = row.values.get(column)
            if name == "unit":
                before: Any = existing.unit_code_by_id.get(old["unit_id"])
            elif name in ("personnel_leader", "daily_leader"):
                before = existing.number_by_id.get(old[f"{name}_id"]) if old[f"{name}_id"] else None
                new = new or None
            else:
                before = old[name]
                if name == "job_title":
                    new = new or ""
            if name == "email":
                before = (before or "").lower()
            if before != new:
                fields[name] = (before, new)
        if "end_date" not in present and old["end_date"] is not None and old["end_date"] < today:
            # The file lists only the people employed now: someone in it who had left is back.
            fields["end_date"] = (old["end_date"], None)
        if fields:
            plan.change.append((old["id"], row, Change(row.employee_number, old["name"], row.line, fields)))
        else:
            plan.unchanged += 1
    plan.employed_before = sum(1 for values in existing.people.values() if values[8] is None or values[8] >= today)
    for number, values in existing.people.items():
        if number in seen:
            continue
        # Today, or the start date of someone who was to start later (an end date never comes
        # before the start date).
        start_date, end_date = values[7], values[8]
        ends_on = max(today, start_date) if start_date else today
        if end_date is None or end_date > ends_on:
            plan.end.append((values[0], number, values[2], ends_on))

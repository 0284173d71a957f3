"""From the rows of an HR export to an import plan: what will be created, changed and ended, or
every reason it cannot be applied, each with its line number.

The file is the whole organisation: people not in it get an end date (nothing is deleted),
and every leader must be a row of the file. Planning reads the current organisation in a
few bulk queries and never writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.org.importing.existing import load_existing
from samtale.org.importing.leaders import check_leaders
from samtale.org.importing.people import Change, check_emails_against_others, plan_people
from samtale.org.importing.reader import COLUMNS, Table
from samtale.org.importing.rows import PersonRow, check_duplicates, parse_rows
from samtale.org.importing.unit_leaders import plan_unit_leaders
from samtale.org.importing.units import UnitSpec, plan_units
from samtale.org.models import EmploymentType

# More than this share of the people employed, and more than this many, ending at once needs a
# confirmation (see ImportPlan.ends_many).
MASS_ENDING_SHARE = 0.1
MASS_ENDING_AT_LEAST = 5

# The preview keeps the first rows of each kind (new, changed, ended people), and the page shows
# them a page at a time below the summary and the apply button.
PREVIEW_LIMIT = 2000
PREVIEW_PAGE = 100


@dataclass
class ImportPlan:
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows: list[PersonRow] = field(default_factory=list)
    units_create: list[UnitSpec] = field(default_factory=list)
    # unit id, code, and the changes: name / parent_code, with old_name / old_parent_code for the preview
    units_change: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    create: list[PersonRow] = field(default_factory=list)
    change: list[tuple[int, PersonRow, Change]] = field(default_factory=list)  # person id, row, change
    end: list[tuple[int, str, str, date]] = field(default_factory=list)  # person id, number, name, end date
    unchanged: int = 0
    unit_leaders: dict[str, str | None] = field(default_factory=dict)  # unit code -> leader number
    columns: frozenset[str] = frozenset()
    employed_before: int = 0  # people employed before the import
    names: dict[str, str] = field(default_factory=dict)  # employee number -> name, for the preview
    unit_parents: dict[str, str | None] = field(default_factory=dict)  # every unit code -> its parent's
    unit_names: dict[str, str] = field(default_factory=dict)  # unit code -> name, for the preview
    previous_unit_leaders: dict[str, str | None] = field(default_factory=dict)  # for the preview

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def ends_many(self) -> bool:
        """A file that ends the employment of many people at once is more often a cut-off export
        than a wave of resignations: it is applied only when someone confirms it."""
        return len(self.end) > max(MASS_ENDING_AT_LEAST, self.employed_before * MASS_ENDING_SHARE)

    @property
    def has_changes(self) -> bool:
        return bool(
            self.units_create or self.units_change or self.create or self.change or self.end or self.unit_leaders
        )

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "units_created": len(self.units_create),
            "units_changed": len(self.units_change),
            "unit_leaders_changed": len(self.unit_leaders),
            "created": len(self.create),
            "changed": len(self.change),
            "ended": len(self.end),
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }

    def preview(self, limit: int = PREVIEW_LIMIT) -> dict[str, Any]:
        """What a person checks before applying: the first ``limit`` of each kind, as plain text
        (the page shows them ``PREVIEW_PAGE`` at a time)."""
        return {
            "created": [
                {
                    "line": r.line,
                    "employee_number": r.employee_number,
                    "name": r.values.get("name", ""),
                    "unit": r.values.get("unit_code", ""),
                }
                for r in self.create[:limit]
            ],
            "changed": [
                {
                    "line": c.line,
                    "employee_number": c.employee_number,
                    "name": c.name,
                    "fields": [
                        [_field_label(f), self._show(f, old), self._show(f, new)] for f, (old, new) in c.fields.items()
                    ],
                }
                for _id, _row, c in self.change[:limit]
            ],
            "ended": [{"employee_number": number, "name": name} for _id, number, name, _end in self.end[:limit]],
            "units_created": [{"code": u.code, "name": u.name or ""} for u in self.units_create[:limit]],
            "units_changed": [
                {
                    "code": code,
                    "name": self.unit_names.get(code, code),
                    "changes": [
                        [_("name"), changes["old_name"], changes["name"]]
                        if key == "name"
                        else [_("parent unit"), _show(changes["old_parent_code"]), _show(changes["parent_code"])]
                        for key in ("name", "parent_code")
                        if key in changes
                    ],
                }
                for _pk, code, changes in self.units_change[:limit]
            ],
            "unit_leaders": [
                {
                    "code": code,
                    "name": self.unit_names.get(code, code),
                    "old": self._show("personnel_leader", self.previous_unit_leaders.get(code)),
                    "new": self._show("personnel_leader", number),
                }
                for code, number in list(self.unit_leaders.items())[:limit]
            ],
        }

    def _show(self, field: str, value: Any) -> str:
        if field in ("personnel_leader", "daily_leader") and value and value in self.names:
            return f"{self.names[value]} ({value})"
        return _show(value)


def _field_label(name: str) -> str:
    labels = {
        "name": _("name"),
        "email": _("e-mail"),
        "unit": _("unit"),
        "job_title": _("job title"),
        "employment_type": _("employment type"),
        "start_date": _("start date"),
        "end_date": _("end date"),
        "personnel_leader": _("personnel leader"),
        "daily_leader": _("daily leader"),
    }
    return labels.get(name, name)


def _show(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, date):
        return value.isoformat()
    if value in EmploymentType.values:
        return str(EmploymentType(value).label)
    return str(value)


def build_import_plan(table: Table, *, today: date | None = None) -> ImportPlan:
    today = today or timezone.localdate()
    plan = ImportPlan(errors=list(table.header_errors), columns=frozenset(c for c in table.columns if c))
    if any(line == 1 for line, _message in table.header_errors):
        # Without a readable header the rows cannot be understood; report the header alone.
        plan.errors.sort(key=lambda e: e[0])
        return plan
    heading = {column: table.headings.get(column, column) for column in COLUMNS}

    rows = parse_rows(table, plan, heading)
    plan.rows = rows
    if not table.rows:
        plan.errors.append((2, _("The file has headings but nobody in it.")))
        return plan
    by_number = check_duplicates(rows, plan)
    existing = load_existing()
    units = plan_units(rows, plan, existing)
    check_emails_against_others(rows, existing, plan)
    check_leaders(rows, by_number, plan, heading)
    if plan.errors:
        plan.errors.sort(key=lambda e: e[0])
        return plan
    plan.names = {number: values[2] for number, values in existing.people.items()}
    plan.names.update((row.employee_number, row.values.get("name", "")) for row in rows)
    plan_people(rows, existing, plan, today)
    plan_unit_leaders(rows, units, existing, plan, today)
    return plan

"""Files for the import tests: the persona organisation (``build_org``) as an HR system would
export it, and small helpers to change it, write it as CSV or XLSX and count what is stored."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone

from samtale.accounts.models import User
from samtale.audit.models import AuditEvent
from samtale.org.importing.import_plan import ImportPlan, build_import_plan
from samtale.org.importing.reader import COLUMNS, read_table
from samtale.org.models import Person, PlacementChange, Unit
from samtale.outbox.models import OutboxMessage
from samtale.testing import csv_bytes

# The columns of a typical HR export; the unit leader column is optional and tested on its own.
COLUMN_NAMES = [column for column in COLUMNS if column != "unit_leader_number"]
ENGLISH = {column: aliases[0] for column, aliases in COLUMNS.items()}
DANISH = {column: aliases[1] for column, aliases in COLUMNS.items()}


def org_records() -> list[dict[str, Any]]:
    """The people employed now, one dict per row (canonical column -> value), ordered by
    employee number; written independently of the exporter that is under test."""
    today = timezone.localdate()
    people = (
        Person.objects.select_related("unit", "unit__parent", "personnel_leader", "daily_leader")
        .exclude(end_date__lt=today)
        .order_by("employee_number")
    )
    return [
        {
            "employee_number": p.employee_number,
            "name": p.name,
            "email": p.email,
            "unit_code": p.unit.code,
            "unit_name": p.unit.name,
            "parent_unit_code": p.unit.parent.code if p.unit.parent else "",
            "job_title": p.job_title,
            "employment_type": p.employment_type,
            "personnel_leader_number": p.personnel_leader.employee_number if p.personnel_leader else "",
            "daily_leader_number": p.daily_leader.employee_number if p.daily_leader else "",
            "start_date": p.start_date.isoformat() if p.start_date else "",
            "end_date": p.end_date.isoformat() if p.end_date else "",
        }
        for p in people
    ]


def record(records: list[dict[str, Any]], number: str) -> dict[str, Any]:
    return next(r for r in records if r["employee_number"] == number)


def line_of(records: list[dict[str, Any]], number: str) -> int:
    """The line of a person's row in a file written by ``org_file`` (the header is line 1)."""
    return next(i for i, r in enumerate(records, start=2) if r["employee_number"] == number)


def new_record(number: str, name: str, /, *, unit: str = "LON", leader: str = "", **values: Any) -> dict[str, Any]:
    unit_names = dict(Unit.objects.values_list("code", "name"))
    parents = {u.code: (u.parent.code if u.parent else "") for u in Unit.objects.select_related("parent")}
    return {
        "employee_number": number,
        "name": name,
        "email": f"{number}@new.example",
        "unit_code": unit,
        "unit_name": unit_names.get(unit, ""),
        "parent_unit_code": parents.get(unit, ""),
        "job_title": "Konsulent",
        "employment_type": "permanent",
        "personnel_leader_number": leader,
        "daily_leader_number": "",
        "start_date": "",
        "end_date": "",
        **values,
    }


def org_file(
    records: list[dict[str, Any]],
    *,
    headings: dict[str, str] = ENGLISH,
    columns: list[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    columns = columns or COLUMN_NAMES
    rows = [[headings[c] for c in columns], *[[r.get(c, "") for c in columns] for r in records]]
    content = csv_bytes(rows, delimiter=delimiter, encoding=encoding)
    return b"\xef\xbb\xbf" + content if bom else content


def xlsx_file(rows: list[list[Any]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_plan_for(content: bytes, file_name: str = "organisation.csv", *, today: date | None = None) -> ImportPlan:
    return build_import_plan(read_table(content, file_name), today=today)


def error_lines(plan: ImportPlan) -> list[int]:
    return [line for line, _message in plan.errors]


def stored_counts() -> dict[str, int]:
    """How many rows each table the import writes to holds."""
    return {
        "people": Person.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "audit": AuditEvent.objects.count(),
        "placement_changes": PlacementChange.objects.count(),
    }


def people_state() -> list[tuple[Any, ...]]:
    """Every stored value the import may change, for 'nothing changed' checks."""
    return list(
        Person.objects.order_by("id").values_list(
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
            "user_id",
            "updated_at",
        )
    ) + list(Unit.objects.order_by("id").values_list("id", "code", "name", "parent_id", "leader_id", "path"))

"""The drill-down's rows as a spreadsheet (CSV or XLSX): dates and states only, every cell that
could run as a formula neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.conversations.models import ConversationStatus
from samtale.lib.spreadsheet import neutralise_formula
from samtale.oversight.selectors import PersonRow
from samtale.plans.models import FollowUpStatus, PlanStatus


def overdue_labels() -> dict[str, str]:
    return {
        "overdue_scheduling": _("Not scheduled by the deadline"),
        "overdue_held": _("Not held by the deadline"),
        "overdue_plan": _("Plan not signed by its due date"),
        "overdue_follow_up": _("Follow-up not held in time"),
    }


def _when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def header() -> list[str]:
    return [
        _("Name"),
        _("Employee number"),
        _("Unit"),
        _("Personnel leader"),
        _("Conversation"),
        _("Time"),
        _("Held on"),
        _("Development plan"),
        _("Plan due on"),
        _("Plan handed in"),
        _("Plan signed"),
        _("Follow-up by"),
        _("Follow-up"),
        _("Follow-up held on"),
        _("Late"),
    ]


def cells(rows: Iterable[PersonRow]) -> list[list[str]]:
    statuses = dict(ConversationStatus.choices)
    plans = dict(PlanStatus.choices)
    follow_ups = dict(FollowUpStatus.choices)
    late = overdue_labels()
    table = [header()]
    for row in rows:
        table.append(
            [
                row.name,
                row.employee_number,
                row.unit_name,
                row.leader_name,
                str(statuses.get(row.status, row.status)),
                _when(row.starts_at),
                _when(row.held_on),
                str(plans.get(row.plan_status, row.plan_status)),
                _when(row.plan_due_on),
                _when(row.plan_submitted_at),
                _when(row.plan_signed_at),
                _when(row.follow_up_by),
                str(follow_ups.get(row.follow_up_status, row.follow_up_status)),
                _when(row.follow_up_held_on),
                "; ".join(late[step] for step in row.overdue),
            ]
        )
    return [[neutralise_formula(str(cell)) for cell in line] for line in table]


def as_csv(rows: Iterable[PersonRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(cells(rows))
    # With a byte order mark, Excel reads the file as UTF-8 (æ, ø, å).
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(rows: Iterable[PersonRow]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Completion"))
    for line in cells(rows):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

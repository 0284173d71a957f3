"""The drill-down's rows as a spreadsheet (CSV or XLSX): dates and states only, every cell that
could run as a formula neutralised."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.conversations.models import ConversationStatus
from samtale.lib.spreadsheet import neutralise_formula
from samtale.oversight.selectors.drill_down import PersonRow
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


def lines(rows: Iterable[PersonRow]) -> Iterator[list[str]]:
    """The header, then a line per row, every cell neutralised."""
    statuses = dict(ConversationStatus.choices)
    plans = dict(PlanStatus.choices)
    follow_ups = dict(FollowUpStatus.choices)
    late = overdue_labels()
    yield [neutralise_formula(cell) for cell in header()]
    for row in rows:
        line = [
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
        yield [neutralise_formula(str(cell)) for cell in line]


def write_csv(rows: Iterable[PersonRow], file: IO[bytes]) -> int:
    """The rows as CSV into ``file``; returns how many rows."""
    # With a byte order mark, Excel reads the file as UTF-8 (æ, ø, å).
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    written = -1  # the header is not a row
    for line in lines(rows):
        writer.writerow(line)
        written += 1
    text.flush()
    text.detach()  # the file stays open for the response
    return written


def write_xlsx(rows: Iterable[PersonRow], file: IO[bytes]) -> int:
    """The rows as an XLSX workbook into ``file`` (openpyxl's write-only mode keeps the rows on
    disk until it saves); returns how many rows."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Completion"))
    written = -1
    for line in lines(rows):
        sheet.append(line)
        written += 1
    workbook.save(file)
    return written


def as_file(rows: Iterable[PersonRow], kind: str) -> tuple[IO[bytes], int]:
    """The rows as a CSV or (``kind`` "xlsx") XLSX file in a temporary file, read from its
    start; and how many rows. The rows are read a chunk at a time, so memory stays the same
    whatever their number; the file is deleted when closed."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (the response sends and closes it)
    try:
        written = write_xlsx(rows, file) if kind == "xlsx" else write_csv(rows, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file, written

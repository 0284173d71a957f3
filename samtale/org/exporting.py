"""The organisation as a file in the import's own format, for HR to correct and import again."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils import timezone, translation

from samtale.accounts.models import User
from samtale.audit.services import audit_record
from samtale.lib.spreadsheet import neutralise_formula
from samtale.org.importing.reader import COLUMNS
from samtale.org.models import Person, Unit

_VALUES = (
    "employee_number",
    "name",
    "email",
    "unit__code",
    "unit__name",
    "unit__parent__code",
    "unit__leader__employee_number",
    "job_title",
    "employment_type",
    "personnel_leader__employee_number",
    "daily_leader__employee_number",
    "start_date",
    "end_date",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def organisation_rows(*, danish_headings: bool) -> Iterator[list[str]]:
    """Everyone employed, and anyone who has left but is still named as someone's leader (with
    their end date), so that the file imports again as it is."""
    yield [aliases[1] if danish_headings else aliases[0] for aliases in COLUMNS.values()]
    active = Person.objects.employed()
    still_named = (
        Q(pk__in=active.values("personnel_leader_id"))
        | Q(pk__in=active.values("daily_leader_id"))
        | Q(pk__in=Unit.objects.values("leader_id"))
    )
    people = (
        Person.objects.filter(Q(pk__in=active.values("pk")) | still_named)
        .order_by("unit__code", "employee_number")
        .values_list(*_VALUES)
    )
    for values in people.iterator(chunk_size=5000):
        yield [neutralise_formula("" if value is None else str(value)) for value in values]


def organisation_csv_response(*, actor: User) -> StreamingHttpResponse:
    audit_record(actor=actor, action="org.exported")
    writer = csv.writer(_Echo(), delimiter=";")
    rows = organisation_rows(danish_headings=translation.get_language() == "da")
    # Excel opens a UTF-8 file with a byte order mark correctly.
    content: Any = (
        "\ufeff" + writer.writerow(row) if index == 0 else writer.writerow(row) for index, row in enumerate(rows)
    )
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="organisation-{stamp}.csv"'
    return response

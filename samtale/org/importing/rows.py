"""The rows of an HR export, read one at a time: each value normalised (dates, employment types,
e-mail addresses) and checked, then the rows checked against each other for an employee number or
e-mail address given twice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from samtale.org.importing.reader import REQUIRED_COLUMNS, Table
from samtale.org.models import EmploymentType

if TYPE_CHECKING:
    from samtale.org.importing.import_plan import ImportPlan

# Values accepted for the employment type, in English and Danish (compared after normalising).
EMPLOYMENT_TYPE_VALUES: dict[str, tuple[str, ...]] = {
    EmploymentType.PERMANENT: ("permanent", "fastansat", "fast ansat", "fast", "fastansættelse"),
    EmploymentType.FIXED_TERM: ("fixed term", "tidsbegrænset", "tidsbegrænset ansat", "midlertidig"),
    EmploymentType.SPECIAL_TERMS: (
        "special terms",
        "flex job",
        "flexjob",
        "særlige vilkår",
        "fleksjob",
        "det rummelige arbejdsmarked",
        "rummelige arbejdsmarked",
    ),
    EmploymentType.TRAINEE: ("trainee", "elev", "lærling", "apprentice"),
    EmploymentType.TEMP: ("temp", "temporary", "vikar"),
    EmploymentType.JOB_TRAINING: ("job training", "jobtræning", "job træning", "løntilskud"),
}


def _normalise_value(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value.strip().lower())


_EMPLOYMENT_LOOKUP = {
    _normalise_value(alias): kind for kind, aliases in EMPLOYMENT_TYPE_VALUES.items() for alias in aliases
}

_DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
)


MAX_LENGTHS = {
    "employee_number": 50,
    "name": 200,
    "email": 254,
    "unit_code": 50,
    "unit_name": 200,
    "parent_unit_code": 50,
    "job_title": 200,
    "personnel_leader_number": 50,
    "daily_leader_number": 50,
}


class DateError(ValueError):
    pass


def parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern, order in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise DateError(_("%(value)s is not a real date.") % {"value": text}) from None
    raise DateError(
        _("“%(value)s” is not a date. Write dates as YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY.") % {"value": text}
    )


@dataclass
class PersonRow:
    line: int
    employee_number: str
    values: dict[str, Any]  # field -> value, only for the columns the file has


def parse_rows(table: Table, plan: ImportPlan, heading: dict[str, str]) -> list[PersonRow]:
    rows: list[PersonRow] = []
    present = plan.columns
    for line, raw in table.rows:
        values: dict[str, Any] = {}
        row_ok = True

        def error(message: str, line: int = line) -> None:
            nonlocal row_ok
            row_ok = False
            plan.errors.append((line, message))

        too_long: set[str] = set()
        for column in present:
            value = raw.get(column, "")
            if isinstance(value, str) and column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
                error(
                    _("%(column)s is longer than %(max)s characters.")
                    % {"column": heading[column], "max": MAX_LENGTHS[column]}
                )
                too_long.add(column)
                continue
            if column in ("start_date", "end_date"):
                try:
                    values[column] = parse_date(value)
                except DateError as problem:
                    error(f"{heading[column]}: {problem}")
                continue
            values[column] = value if isinstance(value, str) else str(value)

        for column in REQUIRED_COLUMNS:
            if column in present and column not in too_long and not values.get(column):
                error(_("%(column)s is empty, but it is required.") % {"column": heading[column]})

        email = values.get("email")
        if email:
            email = email.lower()
            values["email"] = email
            try:
                validate_email(email)
            except ValidationError:
                error(_("“%(value)s” is not a valid e-mail address.") % {"value": email})

        kind = values.get("employment_type")
        if kind:
            normalised = _EMPLOYMENT_LOOKUP.get(_normalise_value(kind))
            if normalised is None:
                known = ", ".join(
                    sorted(
                        {aliases[0] for aliases in EMPLOYMENT_TYPE_VALUES.values()}
                        | {aliases[1] for aliases in EMPLOYMENT_TYPE_VALUES.values()}
                    )
                )
                error(
                    _("Unknown employment type “%(value)s”. Use one of: %(known)s.") % {"value": kind, "known": known}
                )
            else:
                values["employment_type"] = str(normalised)

        start, end = values.get("start_date"), values.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            error(
                _("The end date %(end)s is before the start date %(start)s.")
                % {"end": end.isoformat(), "start": start.isoformat()}
            )

        number = values.get("employee_number", "")
        if row_ok or number:
            rows.append(PersonRow(line=line, employee_number=number, values=values))
    return rows


def check_duplicates(rows: list[PersonRow], plan: ImportPlan) -> dict[str, PersonRow]:
    by_number: dict[str, PersonRow] = {}
    by_email: dict[str, PersonRow] = {}
    for row in rows:
        number = row.employee_number
        if number:
            first = by_number.get(number)
            if first is not None:
                plan.errors.append(
                    (
                        row.line,
                        _("Employee number %(number)s is also on line %(other)s.")
                        % {"number": number, "other": first.line},
                    )
                )
            else:
                by_number[number] = row
        email = row.values.get("email")
        if email:
            first = by_email.get(email)
            if first is not None:
                plan.errors.append(
                    (
                        row.line,
                        _("The e-mail address %(email)s is also on line %(other)s.")
                        % {"email": email, "other": first.line},
                    )
                )
            else:
                by_email[email] = row
    return by_number

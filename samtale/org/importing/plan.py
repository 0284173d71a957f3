"""From the rows of an HR export to a plan: what will be created, changed and ended, or every
reason it cannot be applied, each with its line number.

The file is the whole organisation: people not in it get an end date (nothing is deleted),
and every leader must be a row of the file. Planning reads the current organisation in a
few bulk queries and never writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.accounts.models import User
from samtale.org.importing.reader import COLUMNS, REQUIRED_COLUMNS, Table
from samtale.org.models import MAX_DEPTH, EmploymentType, Person, Unit

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

# More than this share of the people employed, and more than this many, ending at once needs a
# confirmation (see Plan.ends_many).
MASS_ENDING_SHARE = 0.1
MASS_ENDING_AT_LEAST = 5

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


@dataclass
class UnitSpec:
    code: str
    line: int
    name: str | None = None
    parent_code: str | None = None
    has_parent_column: bool = False
    leader_number: str | None = None  # named in the file's unit leader column


@dataclass
class Change:
    employee_number: str
    name: str
    line: int
    fields: dict[str, tuple[Any, Any]]  # field -> (old, new), values as shown to people


@dataclass
class Plan:
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

    def preview(self, limit: int = 200) -> dict[str, Any]:
        """What a person checks before applying: the first ``limit`` of each kind, as plain text."""
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


def build_plan(table: Table, *, today: date | None = None) -> Plan:
    today = today or timezone.localdate()
    plan = Plan(errors=list(table.header_errors), columns=frozenset(c for c in table.columns if c))
    if any(line == 1 for line, _message in table.header_errors):
        # Without a readable header the rows cannot be understood; report the header alone.
        plan.errors.sort(key=lambda e: e[0])
        return plan
    heading = {column: table.headings.get(column, column) for column in COLUMNS}

    rows = _parse_rows(table, plan, heading)
    plan.rows = rows
    if not table.rows:
        plan.errors.append((2, _("The file has headings but nobody in it.")))
        return plan
    by_number = _check_duplicates(rows, plan)
    existing = _load_people()
    units = _plan_units(rows, plan, existing)
    _check_emails_against_others(rows, existing, plan)
    _check_leaders(rows, by_number, plan, heading)
    if plan.errors:
        plan.errors.sort(key=lambda e: e[0])
        return plan
    plan.names = {number: values[2] for number, values in existing.people.items()}
    plan.names.update((row.employee_number, row.values.get("name", "")) for row in rows)
    _plan_people(rows, existing, plan, today)
    _plan_unit_leaders(rows, units, existing, plan, today)
    return plan


def _parse_rows(table: Table, plan: Plan, heading: dict[str, str]) -> list[PersonRow]:
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


def _check_duplicates(rows: list[PersonRow], plan: Plan) -> dict[str, PersonRow]:
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


@dataclass
class _Existing:
    people: dict[str, tuple[Any, ...]]  # employee number -> row of _PERSON_COLUMNS
    number_by_id: dict[int, str]
    unit_code_by_id: dict[int, str]
    unit_by_code: dict[str, tuple[int, str, int | None, int | None]]  # code -> id, name, parent, leader
    email_owner: dict[str, str]  # e-mail -> employee number
    accounts_without_person: set[str]  # e-mail addresses of accounts that are no person (administrators)
    leaders_set_by_hand: set[str]  # codes of the units whose leader HR chose by hand


_PERSON_COLUMNS = (
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


def _load_people() -> _Existing:
    people: dict[str, tuple[Any, ...]] = {}
    number_by_id: dict[int, str] = {}
    email_owner: dict[str, str] = {}
    for values in Person.objects.values_list(*_PERSON_COLUMNS).iterator(chunk_size=5000):
        people[values[1]] = values
        number_by_id[values[0]] = values[1]
        email_owner[values[3].lower()] = values[1]
    units: dict[str, tuple[int, str, int | None, int | None]] = {
        code: (pk, name, parent, leader)
        for pk, code, name, parent, leader in Unit.objects.values_list("id", "code", "name", "parent_id", "leader_id")
    }
    return _Existing(
        people=people,
        number_by_id=number_by_id,
        unit_code_by_id={pk: code for code, (pk, *_rest) in units.items()},
        unit_by_code=units,
        email_owner=email_owner,
        accounts_without_person=set(User.objects.filter(person__isnull=True).values_list("email", flat=True)),
        leaders_set_by_hand=set(Unit.objects.filter(leader_set_by_hand=True).values_list("code", flat=True)),
    )


def _check_emails_against_others(rows: list[PersonRow], existing: _Existing, plan: Plan) -> None:
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


def _plan_units(rows: list[PersonRow], plan: Plan, existing: _Existing) -> dict[str, UnitSpec]:
    """The units named in the file: consistent names and parents, known parents, no loops."""
    specs: dict[str, UnitSpec] = {}
    has_name = "unit_name" in plan.columns
    has_parent = "parent_unit_code" in plan.columns
    for row in rows:
        code = row.values.get("unit_code")
        if not code:
            continue
        name = row.values.get("unit_name") or None
        parent = row.values.get("parent_unit_code") or None
        leader = row.values.get("unit_leader_number") or None
        spec = specs.get(code)
        if spec is None:
            specs[code] = UnitSpec(
                code=code,
                line=row.line,
                name=name,
                parent_code=parent,
                has_parent_column=has_parent,
                leader_number=leader,
            )
            continue
        if leader and spec.leader_number and leader != spec.leader_number:
            plan.errors.append(
                (
                    row.line,
                    _("Unit %(code)s is led by %(leader)s here but by %(other)s on line %(line)s.")
                    % {"code": code, "leader": leader, "other": spec.leader_number, "line": spec.line},
                )
            )
        elif leader and not spec.leader_number:
            spec.leader_number = leader
        if has_name and name and spec.name and name != spec.name:
            plan.errors.append(
                (
                    row.line,
                    _("Unit %(code)s is called “%(name)s” here but “%(other)s” on line %(line)s.")
                    % {"code": code, "name": name, "other": spec.name, "line": spec.line},
                )
            )
        elif has_name and name and not spec.name:
            spec.name = name
        if has_parent and parent != spec.parent_code:
            plan.errors.append(
                (
                    row.line,
                    _("Unit %(code)s has the parent unit “%(parent)s” here but “%(other)s” on line %(line)s.")
                    % {"code": code, "parent": parent or "–", "other": spec.parent_code or "–", "line": spec.line},
                )
            )

    existing_units = {code: (pk, name, parent) for code, (pk, name, parent, _leader) in existing.unit_by_code.items()}
    code_by_id = existing.unit_code_by_id
    parents: dict[str, str | None] = {
        code: (code_by_id.get(parent) if parent else None) for code, (_pk, _n, parent) in existing_units.items()
    }
    for code, spec in specs.items():
        current = existing_units.get(code)
        if current is None and not spec.name:
            plan.errors.append(
                (
                    spec.line,
                    _("Unit %(code)s is new, so it needs a unit name (%(column)s).")
                    % {"code": code, "column": " / ".join(COLUMNS["unit_name"])},
                )
            )
        if spec.has_parent_column:
            if spec.parent_code and spec.parent_code not in specs and spec.parent_code not in existing_units:
                plan.errors.append(
                    (
                        spec.line,
                        _("The parent unit %(code)s is neither in the file nor in Samtale.")
                        % {"code": spec.parent_code},
                    )
                )
            parents[code] = spec.parent_code
        elif current is None:
            parents[code] = None

    for loop in _find_loops(parents):
        if not any(code in specs for code in loop):
            continue
        shown = " → ".join([*loop, loop[0]])
        for code in loop:
            if code in specs:
                plan.errors.append((specs[code].line, _("Units go round in a loop: %(loop)s.") % {"loop": shown}))
                break

    if not plan.errors:
        _check_depth(specs, parents, plan)
    if not plan.errors:
        for code, spec in specs.items():
            current = existing_units.get(code)
            if current is None:
                plan.units_create.append(spec)
                continue
            pk, name, parent_id = current
            changes: dict[str, Any] = {}
            if spec.name and spec.name != name:
                changes.update(name=spec.name, old_name=name)
            old_parent = code_by_id.get(parent_id) if parent_id else None
            if spec.has_parent_column and spec.parent_code != old_parent:
                changes.update(parent_code=spec.parent_code, old_parent_code=old_parent)
            if changes:
                plan.units_change.append((pk, code, changes))
    plan.unit_parents = parents
    return specs


def _check_depth(specs: dict[str, UnitSpec], parents: dict[str, str | None], plan: Plan) -> None:
    """Samtale keeps each unit's path from the top; it holds at most MAX_DEPTH levels."""
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        chain = []
        node: str | None = code
        while node is not None and node not in depth:
            chain.append(node)
            node = parents.get(node)
        level = depth[node] if node is not None else -1
        for member in reversed(chain):
            level += 1
            depth[member] = level
        return depth[code]

    for code, spec in specs.items():
        if depth_of(code) >= MAX_DEPTH:
            plan.errors.append(
                (
                    spec.line,
                    _("Unit %(code)s lies %(depth)s levels down; Samtale holds at most %(max)s levels.")
                    % {"code": code, "depth": depth_of(code) + 1, "max": MAX_DEPTH},
                )
            )


def _find_loops(parent_of: dict[str, str | None]) -> list[list[str]]:
    """Every cycle in a child -> parent map, each once, in walking order."""
    state: dict[str, int] = {}  # 1 on the current walk, 2 finished
    loops: list[list[str]] = []
    for start in parent_of:
        if state.get(start):
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and not state.get(node):
            state[node] = 1
            walk.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            loops.append(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    return loops


def _check_leaders(rows: list[PersonRow], by_number: dict[str, PersonRow], plan: Plan, heading: dict[str, str]) -> None:
    leader_of: dict[str, str | None] = {}
    for row in rows:
        for column, label in (("personnel_leader_number", "personnel"), ("daily_leader_number", "daily")):
            leader = row.values.get(column)
            if not leader:
                continue
            if leader == row.employee_number:
                message = (
                    _("The person is their own personnel leader.")
                    if label == "personnel"
                    else _("The person is their own daily leader.")
                )
                plan.errors.append((row.line, message))
            elif leader not in by_number:
                plan.errors.append(
                    (
                        row.line,
                        _("%(column)s %(number)s is not in the file.") % {"column": heading[column], "number": leader},
                    )
                )
        if row.employee_number and by_number.get(row.employee_number) is row:
            leader = row.values.get("personnel_leader_number") or None
            leader_of[row.employee_number] = leader if leader != row.employee_number else None
    if "unit_leader_number" in plan.columns:
        for row in rows:
            leader = row.values.get("unit_leader_number")
            if leader and leader not in by_number:
                plan.errors.append(
                    (
                        row.line,
                        _("%(column)s %(number)s is not in the file.")
                        % {"column": heading["unit_leader_number"], "number": leader},
                    )
                )
    for loop in _find_loops(leader_of):
        shown = " → ".join(
            _("%(number)s (line %(line)s)") % {"number": n, "line": by_number[n].line} for n in [*loop, loop[0]]
        )
        for number in loop:
            plan.errors.append(
                (by_number[number].line, _("Personnel leaders go round in a loop: %(loop)s.") % {"loop": shown})
            )


def _plan_people(rows: list[PersonRow], existing: _Existing, plan: Plan, today: date) -> None:
    present = plan.columns
    seen: set[str] = set()
    for row in rows:
        seen.add(row.employee_number)
        current = existing.people.get(row.employee_number)
        if current is None:
            plan.create.append(row)
            continue
        fields: dict[str, tuple[Any, Any]] = {}
        old = dict(zip(_PERSON_COLUMNS, current, strict=True))
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


def _plan_unit_leaders(
    rows: list[PersonRow], specs: dict[str, UnitSpec], existing: _Existing, plan: Plan, today: date
) -> None:
    """Who leads each unit in the file, in this order:

    1. the leader the file names in its unit leader column;
    2. a leader HR chose by hand, while they are still in the file;
    3. the current leader, if they are above (or are) everyone in the unit and below it;
    4. else the lowest person above everyone in the unit and every unit below it in the
       personnel-leader lines (often a member: the head of a department), who leads at least one
       of them — for a unit of one person, that person's own leader. Being the leader of a unit puts a person in
       the leader chain of everyone below it (docs/trust.md § Access matrix), so nobody who is not
       above them all can become its leader: not a team leader who happens to lead the most members,
       not a peer.
    When nobody is above them all (people without a personnel leader), the unit has no leader."""
    leader_of = {row.employee_number: row.values.get("personnel_leader_number") or None for row in rows}
    in_file = set(leader_of)
    if "personnel_leader_number" not in plan.columns:
        # Without the relation in the file, the stored one is the truth.
        for number, values in existing.people.items():
            if number in in_file:
                leader_of[number] = existing.number_by_id.get(values[9]) if values[9] else None
    employed: dict[str, list[str]] = {}
    for row in rows:
        end = row.values.get("end_date")
        if isinstance(end, date) and end < today:
            continue
        employed.setdefault(row.values["unit_code"], []).append(row.employee_number)

    # People who are someone's personnel leader in the file: only they can lead a unit.
    leads_someone = {leader for leader in leader_of.values() if leader}
    depth_memo: dict[str, int] = {}

    def depth(number: str) -> int:
        chain = []
        node: str | None = number
        while node is not None and node not in depth_memo:
            chain.append(node)
            node = leader_of.get(node)
        level = depth_memo[node] if node is not None else -1
        for member in reversed(chain):
            level += 1
            depth_memo[member] = level
        return depth_memo[number]

    def common_leader(a: str | None, b: str | None) -> str | None:
        """The lowest person in both personnel-leader lines (each line includes the person)."""
        while a is not None and b is not None and a != b:
            # Climb from the deeper of the two; at equal depth, from both.
            depth_a, depth_b = depth(a), depth(b)
            if depth_a >= depth_b:
                a = leader_of.get(a)
            if depth_b >= depth_a:
                b = leader_of.get(b)
        return a if a == b else None

    def in_line_of(person: str | None, candidate: str | None) -> bool:
        """Whether ``candidate`` is ``person`` or above them."""
        node = person
        while node is not None:
            if node == candidate:
                return True
            node = leader_of.get(node)
        return False

    children: dict[str, list[str]] = {}
    for code, parent in plan.unit_parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(code)
    # For each unit with someone employed in or below it: the lowest person above them all
    # (None when their lines never meet). A unit that is not a key has nobody.
    above_all: dict[str, str | None] = {}

    def derive(code: str) -> None:
        # Units are visited bottom-up with an explicit stack: trees can be deep.
        order, stack = [], [code]
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(children.get(node, []))
        for node in reversed(order):
            if node in above_all:
                continue
            people = employed.get(node, []) + [above_all[c] for c in children.get(node, []) if c in above_all]
            if not people:
                continue
            found = people[0]
            for person in people[1:]:
                found = common_leader(found, person)
            above_all[node] = found

    for code, spec in specs.items():
        current = existing.unit_by_code.get(code)
        current_leader = existing.number_by_id.get(current[3]) if current and current[3] else None
        plan.unit_names[code] = spec.name or (current[1] if current else code)
        plan.previous_unit_leaders[code] = current_leader
        leader: str | None
        if spec.leader_number:
            leader = spec.leader_number
        elif code in existing.leaders_set_by_hand and current_leader in in_file:
            leader = current_leader
        else:
            derive(code)
            if code not in above_all:
                # Nobody employed in or below the unit: it keeps its leader while they are in the file.
                leader = current_leader if current_leader in in_file else None
            elif current_leader in in_file and in_line_of(above_all[code], current_leader):
                # The current leader is above (or is) everyone in the unit: it stays theirs.
                leader = current_leader
            elif above_all[code] is not None and above_all[code] not in leads_someone:
                # One person alone (or people all in one line): the unit is led from above them.
                leader = leader_of.get(above_all[code] or "")
            else:
                leader = above_all[code]
        if leader != current_leader:
            plan.unit_leaders[code] = leader

"""The competence catalogue, the registered levels and the course catalogue in and out of CSV and
XLSX files (docs/domain.md § Competences and courses).

Each import is all or nothing, as the organisation's: the file is read by the organisation
import's reader (its checks of size, rows, encodings and Excel files are the same), every bad row
is reported with its line number in the user's language, and when there is one nothing is
written. ``dry_run`` checks the file and counts what would change. The imports create and
change; they never delete.

- ``competences_import`` — the catalogue, by code (``COMPETENCE_SPEC``);
- ``levels_import`` — registered levels, e.g. moved from SAP HR (``LEVEL_SPEC``): a line per
  person, competence and side (the employee's own level or the leader's assessment), applied in
  bulk SQL with one ``RegistrationChange`` per changed line and the counters rebuilt once;
- ``courses_import`` — the courses with their sessions, a line per session (``COURSE_SPEC``).

``competences_export`` and ``courses_export`` write the same columns, so an export imports again
unchanged.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import re
import time as time_
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samtale.accounts.models import User
from samtale.audit.services import audit_record
from samtale.competences.counters import counters_rebuild
from samtale.competences.defaults import DEFAULT_SCALE_KEY, DEFAULT_SCALE_NAME, default_scale
from samtale.competences.models import (
    ChangeSide,
    Competence,
    CompetenceGroup,
    Course,
    CourseSession,
    ProviderKind,
    Registration,
    RegistrationChange,
    Scale,
    ScaleLevel,
)
from samtale.competences.services.courses import check_session
from samtale.competences.services.register import TEXT_LIMIT
from samtale.lib.bulk import chunks, foreign_keys_checked_at_end, insert_rows, update_rows
from samtale.lib.spreadsheet import neutralise_formula
from samtale.org.importing.reader import Columns, Table, read_table
from samtale.org.importing.rows import DateError, parse_date
from samtale.org.models import Person

COMPETENCE_SPEC = Columns(
    {
        "code": ("code", "kode"),
        "name": ("name", "navn"),
        "group": ("group", "gruppe"),
        "description": ("description", "beskrivelse"),
        "scale": ("scale", "skala"),
        "active": ("active", "i brug", "aktiv"),
    },
    required=("code", "name", "group"),
)

# A line per person, competence and side: a file of a whole organisation's levels is many times
# the size of its organisation file.
LEVEL_SPEC = Columns(
    {
        "employee_number": ("employee_number", "medarbejdernummer"),
        "competence": ("competence", "kompetence"),
        "level": ("level", "niveau"),
        "example": ("example", "eksempel"),
        "side": ("side", "part"),
    },
    required=("employee_number", "competence", "level"),
    limit_factor=8,
)

COURSE_SPEC = Columns(
    {
        "code": ("code", "kode"),
        "title": ("title", "titel"),
        "provider_kind": ("provider_kind", "udbyder type", "udbydertype"),
        "provider": ("provider", "udbyder"),
        "description": ("description", "beskrivelse"),
        "competences": ("competences", "kompetencer"),
        "price": ("price", "pris"),
        "session_start": ("session_start", "startdato"),
        "session_end": ("session_end", "slutdato"),
        "start_time": ("start_time", "starttid"),
        "end_time": ("end_time", "sluttid"),
        "place": ("place", "sted"),
        "online": ("online", "online"),
        "seats": ("seats", "pladser"),
        "registration_deadline": ("registration_deadline", "tilmeldingsfrist"),
    },
    required=("code", "title", "provider_kind"),
)

# The values a file may write, in English and Danish (compared after normalising); the first
# Danish one is what the export writes.
GROUP_VALUES: dict[str, tuple[str, ...]] = {
    CompetenceGroup.PROFESSIONAL: ("professional", "faglige", "faglig", "professionel"),
    CompetenceGroup.PERSONAL: ("personal", "personlige", "personlig"),
    CompetenceGroup.SOCIAL: ("social", "sociale"),
}
PROVIDER_VALUES: dict[str, tuple[str, ...]] = {
    ProviderKind.INTERNAL: ("internal", "intern", "interne"),
    ProviderKind.EXTERNAL: ("external", "ekstern", "eksterne"),
}
SIDE_VALUES: dict[str, tuple[str, ...]] = {
    ChangeSide.EMPLOYEE: ("employee", "medarbejder", "medarbejderen"),
    ChangeSide.LEADER: ("leader", "leder", "lederen"),
}
YES = ("ja", "yes", "j", "y", "1", "true", "sand")
NO = ("nej", "no", "n", "0", "false", "falsk")

COURSE_COLUMNS = ("title", "provider_kind", "provider", "description", "competences", "price")
SESSION_COLUMNS = (
    "session_start",
    "session_end",
    "start_time",
    "end_time",
    "place",
    "online",
    "seats",
    "registration_deadline",
)
# Rows given to the database at a time by the levels import (bounds the memory of the lists).
LEVEL_BATCH = 100_000
# New registrations from which an import loads them in bulk (``foreign_keys_checked_at_end``).
BULK_LOAD = 50_000


def _normalise(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value.strip().casefold())


def _lookup(values: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_normalise(alias): key for key, aliases in values.items() for alias in aliases}


_GROUPS = _lookup(GROUP_VALUES)
_PROVIDERS = _lookup(PROVIDER_VALUES)
_SIDES = _lookup(SIDE_VALUES)
_YES_NO = {**dict.fromkeys(YES, True), **dict.fromkeys(NO, False)}


@dataclass
class ImportResult:
    """What an import found: the rows read; the competences, registrations or courses created,
    changed and left as they were (in a dry run: would be); for courses their sessions too; and
    every bad row as (line, message). When there is an error, nothing was written."""

    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    sessions_created: int = 0
    sessions_changed: int = 0
    sessions_unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "sessions_created": self.sessions_created,
            "sessions_changed": self.sessions_changed,
            "sessions_unchanged": self.sessions_unchanged,
        }


# What the imports share ---------------------------------------------------------------------------


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


class _Rows:
    """The rows of a table with the checks every import makes, each error on its line and with the
    column's heading as the file writes it."""

    def __init__(self, table: Table, spec: Columns, result: ImportResult) -> None:
        self.table = table
        self.spec = spec
        self.result = result
        self.present = frozenset(column for column in table.columns if column)

    def heading(self, column: str) -> str:
        return self.table.headings.get(column) or self.spec.columns[column][0]

    def error(self, line: int, message: str) -> None:
        self.result.errors.append((line, message))

    def required(self, line: int, column: str, value: str) -> bool:
        if not value:
            self.error(line, _("%(column)s is empty, but it is required.") % {"column": self.heading(column)})
            return False
        return True

    def short(self, line: int, column: str, value: str, limit: int) -> bool:
        if len(value) > limit:
            self.error(
                line,
                _("%(column)s is longer than %(max)s characters.") % {"column": self.heading(column), "max": limit},
            )
            return False
        return True

    def yes_no(self, line: int, column: str, value: str) -> bool | None:
        """True or False; None (with an error) for anything else. Call it for a value that is given."""
        answer = _YES_NO.get(_normalise(value))
        if answer is None:
            self.error(
                line,
                _("%(column)s: “%(value)s” is not yes or no. Write yes or no (ja or nej).")
                % {"column": self.heading(column), "value": value},
            )
        return answer


def _begin(table: Table, spec: Columns) -> tuple[ImportResult, _Rows, bool]:
    """The result with the header's errors, the row checker, and whether the rows can be read
    (not without a readable header)."""
    result = ImportResult(rows=len(table.rows), errors=list(table.header_errors))
    rows = _Rows(table, spec, result)
    if any(line == 1 for line, _message in table.header_errors):
        return result, rows, False
    if not table.rows:
        result.errors.append((2, _("The file has headings but no rows.")))
        return result, rows, False
    return result, rows, True


def _done(result: ImportResult) -> ImportResult:
    result.errors.sort(key=lambda error: error[0])
    return result


# The competence catalogue -----------------------------------------------------------------------


def _scale_names() -> tuple[dict[str, int], list[str]]:
    """Every name a scale may be written by -> its id; and the scales' names for a message. The
    default scale is known by its name in every language too (the export writes it in one)."""
    lookup: dict[str, int] = {}
    labels: list[str] = []
    for scale in Scale.objects.order_by("id"):
        names = {scale.name}
        if scale.key == DEFAULT_SCALE_KEY:
            names.add(scale.key)
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    names.add(str(DEFAULT_SCALE_NAME))
        for name in names:
            if name.strip():
                lookup.setdefault(_normalise(name), scale.pk)
        labels.append(scale.label)
    return lookup, labels


@dataclass
class _CatalogueChanges:
    create: list[Competence] = field(default_factory=list)
    change: list[Competence] = field(default_factory=list)
    new_on_default_scale: list[Competence] = field(default_factory=list)


def _plan_competences(table: Table) -> tuple[ImportResult, _CatalogueChanges]:
    result, rows, readable = _begin(table, COMPETENCE_SPEC)
    changes = _CatalogueChanges()
    if not readable:
        return _done(result), changes
    existing = {competence.code: competence for competence in Competence.objects.all()}
    registered = set(Registration.objects.order_by().values_list("competence_id", flat=True).distinct())
    scales, scale_labels = _scale_names()
    lines: dict[str, int] = {}
    for line, raw in table.rows:
        errors_before = len(result.errors)
        code, name = _text(raw.get("code")), _text(raw.get("name"))
        group_text, description = _text(raw.get("group")), _text(raw.get("description"))
        scale_text, active_text = _text(raw.get("scale")), _text(raw.get("active"))
        if rows.required(line, "code", code) and rows.short(line, "code", code, 50):
            if "," in code or ";" in code:
                rows.error(line, _("A code cannot hold a comma or a semicolon: “%(code)s”.") % {"code": code})
            elif code in lines:
                rows.error(line, _("The code %(code)s is also on line %(line)s.") % {"code": code, "line": lines[code]})
            else:
                lines[code] = line
        if rows.required(line, "name", name):
            rows.short(line, "name", name, 200)
        rows.short(line, "description", description, 2000)
        group = _GROUPS.get(_normalise(group_text)) if group_text else None
        if rows.required(line, "group", group_text) and group is None:
            rows.error(
                line,
                _(
                    "“%(value)s” is not a competence group. "
                    "Write professional, personal or social (faglig, personlig or social)."
                )
                % {"value": group_text},
            )
        scale_id = scales.get(_normalise(scale_text)) if scale_text else None
        if scale_text and scale_id is None:
            rows.error(
                line,
                _("There is no level scale named “%(value)s”. The scales are: %(scales)s.")
                % {"value": scale_text, "scales": ", ".join(scale_labels)},
            )
        active = rows.yes_no(line, "active", active_text) if active_text else None
        if len(result.errors) > errors_before or group is None:
            continue
        current = existing.get(code)
        if current is None:
            competence = Competence(
                code=code,
                name=name,
                group=group,
                description=description,
                active=True if active is None else active,
            )
            if scale_id is None:
                changes.new_on_default_scale.append(competence)
            else:
                competence.scale_id = scale_id
            changes.create.append(competence)
            continue
        values: dict[str, Any] = {"name": name, "group": group}
        if "description" in rows.present:
            values["description"] = description
        if scale_id is not None:
            values["scale_id"] = scale_id
        if active is not None:
            values["active"] = active
        different = {key: value for key, value in values.items() if getattr(current, key) != value}
        if "scale_id" in different and current.pk in registered:
            rows.error(line, _("People have registered this competence; its scale can no longer change."))
            continue
        if different:
            for key, value in different.items():
                setattr(current, key, value)
            changes.change.append(current)
        else:
            result.unchanged += 1
    result.created, result.changed = len(changes.create), len(changes.change)
    return _done(result), changes


def competences_import(*, content: bytes, file_name: str, actor: User | None, dry_run: bool = False) -> ImportResult:
    """Read, check and (unless ``dry_run``) apply a file of the competence catalogue: competences
    are created or changed by their code, never deleted. Raises ``ImportFileError`` when the file
    cannot be read at all; otherwise every bad row is in the result, and then nothing is written."""
    table = read_table(content, file_name, COMPETENCE_SPEC)
    if dry_run:
        return _plan_competences(table)[0]
    with transaction.atomic():
        result, changes = _plan_competences(table)
        if not result.ok:
            return result
        if changes.new_on_default_scale:
            default_id = default_scale().pk
            for competence in changes.new_on_default_scale:
                competence.scale_id = default_id
        Competence.objects.bulk_create(changes.create, batch_size=500)
        Competence.objects.bulk_update(
            changes.change, ["name", "group", "description", "scale", "active"], batch_size=500
        )
        audit_record(
            actor=actor,
            action="competences.catalogue_imported",
            data={
                "file": file_name,
                "rows": result.rows,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
            },
        )
        result.applied = True
    return result


# The registered levels -------------------------------------------------------------------------


@dataclass
class _LevelPlan:
    """What the levels import writes, all of it stamped ``now``: new registrations (as rows for
    ``insert_rows``), the changed ones (as rows for ``update_rows``), and the history of the
    changed ones: (registration id, level, text). The history of the new ones is read off them
    by the database (``_new_history_sql``)."""

    now: datetime
    new: list[dict[str, Any]] = field(default_factory=list)
    update: list[tuple[Any, ...]] = field(default_factory=list)
    history: list[tuple[int, int, str]] = field(default_factory=list)


_UPDATED = (
    "employee_level",
    "example",
    "employee_at",
    "leader_level",
    "leader_note",
    "leader_at",
    "assessed_by",
    "settled_at",
    "level",
)
_EXISTING = (
    "pk",
    "person_id",
    "competence_id",
    *(f"{name}_id" if name == "assessed_by" else name for name in _UPDATED),
)


def _existing_registrations(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], tuple[Any, ...]]:
    """The stored registrations of the (person, competence) pairs, as rows of ``_EXISTING``: by
    person when the file has few people, else by competence (a whole organisation's levels)."""
    keys = set(keys)
    person_ids = sorted({person_id for person_id, _competence_id in keys})
    found: dict[tuple[int, int], tuple[Any, ...]] = {}
    if len(person_ids) <= 5000:
        batches: Iterable[Any] = (Registration.objects.filter(person_id__in=batch) for batch in chunks(person_ids, 500))
    else:
        competence_ids = sorted({competence_id for _person_id, competence_id in keys})
        batches = [Registration.objects.filter(competence_id__in=competence_ids)]
    for queryset in batches:
        for row in queryset.order_by().values_list(*_EXISTING).iterator(chunk_size=20000):
            key = (row[1], row[2])
            if key in keys:
                found[key] = row
    return found


def _plan_levels(table: Table) -> tuple[ImportResult, _LevelPlan]:
    result, rows, readable = _begin(table, LEVEL_SPEC)
    plan = _LevelPlan(now=timezone.now())
    if not readable:
        return _done(result), plan
    people: dict[str, int] = dict(Person.objects.values_list("employee_number", "pk"))
    competences = {
        code: (pk, scale_id, name)
        for pk, code, scale_id, name in Competence.objects.values_list("pk", "code", "scale_id", "name")
    }
    scale_values: dict[int, set[int]] = {}
    for scale_id, value in ScaleLevel.objects.values_list("scale_id", "value"):
        scale_values.setdefault(scale_id, set()).add(value)
    ranges = {scale_id: (min(values), max(values)) for scale_id, values in scale_values.items()}
    has_example = "example" in rows.present
    error = rows.error
    numbers: dict[str, int | None] = {str(value): value for value in range(100)}
    side_of: dict[str, str | None] = {"": ChangeSide.EMPLOYEE}
    # code -> (id, its scale's levels as the file writes them -> level): the usual line, at once
    usual = {
        code: (pk, {str(value): value for value in scale_values.get(scale_id, ())})
        for code, (pk, scale_id, _name) in competences.items()
    }
    employee, limit = ChangeSide.EMPLOYEE, TEXT_LIMIT
    # (person, competence) -> [the employee's (level, text, line), the leader's], as the file gives them
    wanted: dict[tuple[int, int], list[tuple[int, str, int] | None]] = {}
    for line, raw in table.rows:
        number, code, level_text = raw.get("employee_number", ""), raw.get("competence", ""), raw.get("level", "")
        example, side_text = raw.get("example", ""), raw.get("side", "")
        # The usual line: known person and competence, a level of its scale, a known side.
        person_id, known = people.get(number), usual.get(code)
        if person_id is not None and known is not None:
            level = known[1].get(level_text)
            side = side_of.get(side_text)
            if level is not None and side is not None and len(example) <= limit:
                key = (person_id, known[0])
                slot = wanted.get(key)
                if slot is None:
                    slot = wanted[key] = [None, None]
                index = 0 if side == employee else 1
                given = slot[index]
                if given is None:
                    slot[index] = (level, example, line)
                    continue
        # Anything else is checked and said in full.
        number, code, level_text = raw.get("employee_number", ""), raw.get("competence", ""), raw.get("level", "")
        example, side_text = raw.get("example", ""), raw.get("side", "")
        if type(number) is not str or type(code) is not str or type(level_text) is not str:
            number, code, level_text = _text(number), _text(code), _text(level_text)
        if type(example) is not str or type(side_text) is not str:
            example, side_text = _text(example), _text(side_text)
        row_ok = True
        person_id = competence = level = None
        if not number:
            row_ok = rows.required(line, "employee_number", number)
        else:
            person_id = people.get(number)
            if person_id is None:
                row_ok = False
                error(line, _("There is no one with employee number %(number)s.") % {"number": number})
        if not code:
            row_ok = rows.required(line, "competence", code)
        else:
            competence = competences.get(code)
            if competence is None:
                row_ok = False
                error(line, _("There is no competence with the code %(code)s.") % {"code": code})
        if not level_text:
            row_ok = rows.required(line, "level", level_text)
        else:
            level = numbers.get(level_text)
            if level is None:
                level = numbers[level_text] = int(level_text) if _whole(level_text) else None
            if level is None:
                row_ok = False
                error(
                    line,
                    _("%(column)s: “%(value)s” is not a level. Write the level as a whole number.")
                    % {"column": rows.heading("level"), "value": level_text},
                )
            elif competence is not None and level not in scale_values.get(competence[1], ()):
                row_ok = False
                first, last = ranges.get(competence[1], (1, 1))
                error(
                    line,
                    _("Level %(level)s is not on the scale of “%(competence)s”: %(first)s to %(last)s.")
                    % {"level": level, "competence": competence[2], "first": first, "last": last},
                )
        if example and len(example) > TEXT_LIMIT:
            row_ok = rows.short(line, "example", example, TEXT_LIMIT)
        side = side_of.get(side_text)
        if side is None:
            side = side_of[side_text] = _SIDES.get(_normalise(side_text)) if side_text else ChangeSide.EMPLOYEE
        if side is None:
            row_ok = False
            error(
                line,
                _("%(column)s: “%(value)s” is not a side. Write employee or leader (medarbejder or leder).")
                % {"column": rows.heading("side"), "value": side_text},
            )
        if not row_ok or person_id is None or competence is None or level is None:
            continue
        key = (person_id, competence[0])
        slot = wanted.get(key)
        if slot is None:
            slot = wanted[key] = [None, None]
        index = 0 if side == ChangeSide.EMPLOYEE else 1
        given = slot[index]
        if given is not None:
            error(
                line,
                _("This level of %(code)s for employee number %(number)s is also on line %(line)s.")
                % {"code": code, "number": number, "line": given[2]},
            )
            continue
        slot[index] = (level, example, line)
    if result.errors:
        return _done(result), plan

    now = plan.now
    existing = _existing_registrations(wanted)
    for key, (own, assessed) in wanted.items():
        stored = existing.get(key)
        if stored is None:
            employee_level = own[0] if own else None
            leader_level = assessed[0] if assessed else None
            plan.new.append(
                {
                    "person_id": key[0],
                    "competence_id": key[1],
                    "employee_level": employee_level,
                    "example": own[1] if own else "",
                    "employee_at": now if own else None,
                    "leader_level": leader_level,
                    "leader_note": assessed[1] if assessed else "",
                    "leader_at": now if assessed else None,
                    "assessed_by_id": None,
                    "settled_at": now if employee_level is not None and employee_level == leader_level else None,
                    "level": employee_level if employee_level is not None else leader_level,
                }
            )
            continue
        (
            pk,
            _person,
            _competence,
            employee_level,
            example,
            employee_at,
            leader_level,
            note,
            leader_at,
            by,
            settled,
            _was,
        ) = stored
        changed = False
        if own is not None and (own[0] != employee_level or (has_example and own[1] != example)):
            employee_level, employee_at, changed = own[0], now, True
            example = own[1] if has_example else example
            plan.history.append((pk, own[0], own[1]))
        if assessed is not None and (assessed[0] != leader_level or (has_example and assessed[1] != note)):
            leader_level, leader_at, by, changed = assessed[0], now, None, True
            note = assessed[1] if has_example else note
            plan.history.append((pk, assessed[0], assessed[1]))
        if not changed:
            result.unchanged += 1
            continue
        agreed = employee_level is not None and employee_level == leader_level
        settled = (settled or now) if agreed else None
        level = employee_level if employee_level is not None else leader_level
        plan.update.append(
            (pk, employee_level, example, employee_at, leader_level, note, leader_at, by, settled, level)
        )
    result.created, result.changed = len(plan.new), len(plan.update)
    return _done(result), plan


def ordered_uuids(count: int) -> Iterator[UUID]:
    """UUIDs for rows made together, rising in the order they come (RFC 9562's version 7: the time
    in milliseconds, a counter, and 44 random bits), so that the unique index on them grows at
    its end rather than at a random place for every one of a million rows."""
    head = ((int(time_.time() * 1000) & (2**48 - 1)) << 80) | (0x7 << 76) | (0b10 << 62)
    noise = os.urandom(8 * count)
    for index in range(count):
        counter = index & (2**30 - 1)  # 12 bits in "rand_a", 18 at the top of "rand_b"
        random = int.from_bytes(noise[8 * index : 8 * index + 8]) >> 20
        yield UUID(int=head | ((counter >> 18) << 64) | ((counter & (2**18 - 1)) << 44) | random)


def _new_history_sql() -> list[str]:
    """The history of the registrations the import made, read off them by the database: a change
    for the employee's level and one for the leader's, where the line gave it (its time is the
    import's, on the registrations made after ``last``)."""
    quote = connection.ops.quote_name
    registration, change = Registration._meta, RegistrationChange._meta

    def column(meta: Any, name: str) -> str:
        return quote(str(meta.get_field(name).column))

    target = ", ".join(column(change, name) for name in ("registration", "side", "level", "text", "by", "at"))
    statements = []
    for level, text, at in (("employee_level", "example", "employee_at"), ("leader_level", "leader_note", "leader_at")):
        statements.append(
            f"INSERT INTO {quote(change.db_table)} ({target}) "  # noqa: S608 (names from the models' metadata)
            f"SELECT {column(registration, 'id')}, %s, {column(registration, level)}, {column(registration, text)}, "
            f"NULL, %s FROM {quote(registration.db_table)} "
            f"WHERE {column(registration, 'id')} > %s AND {column(registration, at)} = %s"
        )
    return statements


def _apply_levels(plan: _LevelPlan) -> None:
    imported = str(ChangeSide.IMPORTED)
    if plan.new:
        last = Registration.objects.aggregate(last=Max("pk"))["last"] or 0
        uuids = ordered_uuids(len(plan.new))
        # A whole organisation's levels (moved from SAP HR) are loaded as the database's manual
        # advises: the keys to people and competences checked once for all rows, not row by row.
        loading = foreign_keys_checked_at_end(Registration) if len(plan.new) >= BULK_LOAD else nullcontext()
        with loading:
            for rows in chunks(plan.new, LEVEL_BATCH):
                for row in rows:
                    row["uuid"] = next(uuids)
                insert_rows(Registration, list(rows))
        at = Registration._meta.get_field("employee_at").get_db_prep_save(plan.now, connection)
        with connection.cursor() as cursor:
            for statement in _new_history_sql():
                cursor.execute(statement, [imported, at, last, at])
    update_rows(Registration, _UPDATED, plan.update)
    for batch in chunks(plan.history, LEVEL_BATCH):
        insert_rows(
            RegistrationChange,
            [
                {"registration_id": pk, "side": imported, "level": level, "text": text, "by_id": None, "at": plan.now}
                for pk, level, text in batch
            ],
        )


def levels_import(*, content: bytes, file_name: str, actor: User | None, dry_run: bool = False) -> ImportResult:
    """Read, check and (unless ``dry_run``) apply a file of registered levels, e.g. moved from SAP
    HR: a line per employee number, competence code and side (the employee's own level, the
    default, or the leader's assessment), with an optional example (the leader's note on a leader's
    line). Registrations are created or changed, in bulk; each changed line is kept in the
    registration's history as imported, and the counters are counted again once. The register
    counts the employee's level, else the leader's; a registration whose two levels agree is
    settled. Raises ``ImportFileError`` when the file cannot be read at all; otherwise every bad
    row is in the result, and then nothing is written."""
    with _without_cycle_collection():
        table = read_table(content, file_name, LEVEL_SPEC)
        if dry_run:
            return _plan_levels(table)[0]
        with transaction.atomic():
            result, plan = _plan_levels(table)
            del table  # the rows are in the plan now; let a million of them go
            if not result.ok:
                return result
            if plan.new or plan.update:
                _apply_levels(plan)
                counters_rebuild()
            audit_record(
                actor=actor,
                action="competences.levels_imported",
                data={"rows": result.rows, "created": result.created, "changed": result.changed},
            )
            result.applied = True
        return result


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's collector of reference cycles paused: the import makes millions of small objects
    (a dict and a tuple or two per line) without a cycle among them, and each of the collector's
    full passes would walk all of them again; a third of the import's time at a million lines.
    Reference counting frees them as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# The course catalogue ---------------------------------------------------------------------------

_PRICE_LIMIT = Decimal("99999999.99")


def parse_price(text: str) -> Decimal | None:
    """A price as Danes and spreadsheets write it: "1.234,50", "1234,50", "1234.50", "12.500",
    "1,234.50", "1 234 kr." (None for anything else, and for more than two decimals)."""
    value = re.sub(r"(?i)\s|\u00a0|kr\.?|dkk", "", text)
    if not re.fullmatch(r"\d[\d.,]*", value):
        return None
    if "," in value and "." in value:
        decimal_mark = "," if value.rindex(",") > value.rindex(".") else "."
    elif "," in value:
        decimal_mark = ","  # as Danes write it: "12,345" is not twelve thousand
    elif "." in value:
        decimal_mark = "." if re.fullmatch(r"\d+\.\d{1,2}", value) else ""
    else:
        decimal_mark = ""
    thousands = {",", "."} - {decimal_mark}
    whole, _mark, cents = value.rpartition(decimal_mark) if decimal_mark else (value, "", "")
    for mark in thousands:
        if mark in whole and not re.fullmatch(rf"\d{{1,3}}(\{mark}\d{{3}})+", whole):
            return None
        whole = whole.replace(mark, "")
    if not whole.isdigit() or len(cents) > 2 or (cents and not cents.isdigit()):
        return None
    try:
        price = Decimal(f"{whole}.{cents or '0'}").quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return price if price <= _PRICE_LIMIT else None


def parse_time(value: Any) -> time | None:
    """ "9:00", "09.00", "09:00:00", or an Excel time (None for anything else)."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", _text(value))
    if not match:
        return None
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


@dataclass
class _CourseLine:
    line: int
    course: Course
    competence_ids: list[int] | None  # None: the file has no competences column
    created: bool
    changed: bool = False


@dataclass
class _CoursePlan:
    courses: list[_CourseLine] = field(default_factory=list)
    sessions: list[tuple[str, CourseSession]] = field(default_factory=list)  # (course code, session)


def _session_fields(session: CourseSession) -> tuple[Any, ...]:
    return (
        session.starts_on,
        session.ends_on,
        session.start_time,
        session.end_time,
        session.place,
        session.online,
        session.seats,
        session.registration_deadline,
    )


def _plan_courses(table: Table) -> tuple[ImportResult, _CoursePlan]:
    result, rows, readable = _begin(table, COURSE_SPEC)
    plan = _CoursePlan()
    if not readable:
        return _done(result), plan
    today = timezone.localdate()
    courses = {course.code: course for course in Course.objects.all()}
    course_competences: dict[int, set[int]] = {}
    for course_id, competence_id in Course.competences.through.objects.values_list("course_id", "competence_id"):
        course_competences.setdefault(course_id, set()).add(competence_id)
    sessions: dict[tuple[int, date], CourseSession] = {}
    for session in CourseSession.objects.filter(cancelled_at=None).order_by("-id"):
        sessions[(session.course_id, session.starts_on)] = session  # the first made, if two start on one day
    competence_ids = dict(Competence.objects.values_list("code", "pk"))
    first: dict[str, tuple[int, dict[str, str]]] = {}  # course code -> its first line and values
    lines: dict[str, _CourseLine] = {}
    session_lines: dict[tuple[str, date], int] = {}
    for line, raw in table.rows:
        errors_before = len(result.errors)
        code = _text(raw.get("code"))
        if not rows.required(line, "code", code) or not rows.short(line, "code", code, 50):
            continue
        given = {column: _text(raw.get(column)) for column in COURSE_COLUMNS if column in rows.present}
        if code in first:
            # The course is the first line's; the lines after it repeat its values or leave them
            # empty (nothing more to say of a course whose first line is wrong already).
            first_line, first_given = first[code] if code in lines else (0, given)
            for column, value in given.items():
                if value and value != first_given.get(column, ""):
                    rows.error(
                        line,
                        _("The course %(code)s has another %(column)s on line %(line)s.")
                        % {"code": code, "column": rows.heading(column), "line": first_line},
                    )
        else:
            first[code] = (line, given)
            title = given.get("title", "")
            if rows.required(line, "title", title):
                rows.short(line, "title", title, 200)
            kind_text = given.get("provider_kind", "")
            kind = _PROVIDERS.get(_normalise(kind_text)) if kind_text else None
            if rows.required(line, "provider_kind", kind_text) and kind is None:
                rows.error(
                    line,
                    _("“%(value)s” is not a kind of provider. Write internal or external (intern or ekstern).")
                    % {"value": kind_text},
                )
            rows.short(line, "provider", given.get("provider", ""), 200)
            rows.short(line, "description", given.get("description", ""), 4000)
            price_text = given.get("price", "")
            price = parse_price(price_text) if price_text else None
            if price_text and price is None:
                rows.error(
                    line,
                    _("%(column)s: “%(value)s” is not a price. Write it as 1234,50 or 1.234,50.")
                    % {"column": rows.heading("price"), "value": price_text},
                )
            ids: list[int] | None = None
            if "competences" in given:
                ids = []
                for competence_code in filter(None, (c.strip() for c in re.split(r"[;,]", given["competences"]))):
                    if competence_code not in competence_ids:
                        rows.error(
                            line, _("There is no competence with the code %(code)s.") % {"code": competence_code}
                        )
                    elif competence_ids[competence_code] not in ids:
                        ids.append(competence_ids[competence_code])
            if len(result.errors) == errors_before and kind is not None:
                current = courses.get(code)
                course = current or Course(code=code)
                values: dict[str, Any] = {"title": title, "provider_kind": kind}
                for column in ("provider", "description"):
                    if column in given:
                        values[column] = given[column]
                if "price" in given:
                    values["price"] = price
                changed = any(getattr(course, key) != value for key, value in values.items())
                if current is not None and ids is not None:
                    changed = changed or set(ids) != course_competences.get(current.pk, set())
                for key, value in values.items():
                    setattr(course, key, value)
                lines[code] = _CourseLine(line=line, course=course, competence_ids=ids, created=current is None)
                lines[code].changed = changed and current is not None

        # The session of the line, if it has one.
        session_values = {column: raw.get(column, "") for column in SESSION_COLUMNS}
        if not any(_text(value) for value in session_values.values()):
            continue
        dates: dict[str, date | None] = {}
        for column in ("session_start", "session_end", "registration_deadline"):
            try:
                dates[column] = parse_date(session_values.get(column, ""))
            except DateError as problem:
                rows.error(line, f"{rows.heading(column)}: {problem}")
        starts_on = dates.get("session_start")
        if "session_start" in dates and starts_on is None:
            rows.required(line, "session_start", "")
        deadline = dates.get("registration_deadline")
        if "registration_deadline" in dates and deadline is None:
            rows.required(line, "registration_deadline", "")
        times: dict[str, time | None] = {}
        for column in ("start_time", "end_time"):
            text = session_values.get(column, "")
            times[column] = parse_time(text) if _text(text) else None
            if _text(text) and times[column] is None:
                rows.error(
                    line,
                    _("%(column)s: “%(value)s” is not a time. Write it as HH:MM.")
                    % {"column": rows.heading(column), "value": _text(text)},
                )
        seats_text = _text(session_values.get("seats", ""))
        seats = int(seats_text) if _whole(seats_text) else None
        if not seats_text:
            rows.required(line, "seats", "")
        elif seats is None:
            rows.error(
                line,
                _("%(column)s: “%(value)s” is not a number of seats. Write a whole number.")
                % {"column": rows.heading("seats"), "value": seats_text},
            )
        place = _text(session_values.get("place", ""))
        rows.short(line, "place", place, 200)
        online_text = _text(session_values.get("online", ""))
        online = rows.yes_no(line, "online", online_text) if online_text else False
        if starts_on is not None:
            if (code, starts_on) in session_lines:
                rows.error(
                    line,
                    _("The session of %(code)s on %(date)s is also on line %(line)s.")
                    % {"code": code, "date": starts_on.isoformat(), "line": session_lines[(code, starts_on)]},
                )
            else:
                session_lines[(code, starts_on)] = line
        if len(result.errors) > errors_before or code not in lines:
            continue
        if starts_on is None or deadline is None or seats is None or online is None:
            continue  # each has given its error
        course_line = lines[code]
        stored = sessions.get((course_line.course.pk, starts_on)) if course_line.course.pk else None
        session = CourseSession(
            course=course_line.course,
            starts_on=starts_on,
            ends_on=dates.get("session_end") or starts_on,
            start_time=times["start_time"],
            end_time=times["end_time"],
            place=place,
            online=online,
            seats=seats,
            registration_deadline=deadline,
        )
        if stored is not None:
            if _session_fields(stored) == _session_fields(session):
                result.sessions_unchanged += 1
                continue
            session.pk, session.uuid = stored.pk, stored.uuid
            session.enrolled, session.waiting = stored.enrolled, stored.waiting
        try:
            check_session(session, today=today)
        except ValidationError as problem:
            for message in problem.messages:
                rows.error(line, message)
            continue
        if stored is None:
            result.sessions_created += 1
        else:
            result.sessions_changed += 1
        plan.sessions.append((code, session))
    plan.courses = list(lines.values())
    result.created = sum(1 for course in plan.courses if course.created)
    result.changed = sum(1 for course in plan.courses if course.changed)
    result.unchanged = len(plan.courses) - result.created - result.changed
    return _done(result), plan


def courses_import(*, content: bytes, file_name: str, actor: User | None, dry_run: bool = False) -> ImportResult:
    """Read, check and (unless ``dry_run``) apply a file of the course catalogue: a line per
    session, the lines of one course sharing its code (a course without sessions has one line with
    the session's columns empty). Courses are created or changed by their code, their sessions by
    their first day (the session rules of ``check_session`` hold: a new or changed session lies
    ahead, closes registration on or before its first day, …); nothing is deleted. Raises
    ``ImportFileError`` when the file cannot be read at all; otherwise every bad row is in the
    result, and then nothing is written."""
    table = read_table(content, file_name, COURSE_SPEC)
    if dry_run:
        return _plan_courses(table)[0]
    with transaction.atomic():
        result, plan = _plan_courses(table)
        if not result.ok:
            return result
        for course_line in plan.courses:
            if course_line.created or course_line.changed:
                course_line.course.save()
                if course_line.competence_ids is not None:
                    course_line.course.competences.set(course_line.competence_ids)
        for _code, session in plan.sessions:
            session.save()  # takes its course's id, now that the course is saved
        audit_record(
            actor=actor,
            action="competences.courses_imported",
            data={"file": file_name, **result.summary()},
        )
        result.applied = True
    return result


# Exports ----------------------------------------------------------------------------------------


def _danish(values: dict[str, tuple[str, ...]], key: str) -> str:
    return values[key][1]


def _yes_no(value: bool) -> str:
    return "ja" if value else "nej"


def competence_rows() -> list[list[Any]]:
    """The catalogue in the import's columns, with Danish headings and values, by code."""
    rows: list[list[Any]] = [[aliases[1] for aliases in COMPETENCE_SPEC.columns.values()]]
    for competence in Competence.objects.select_related("scale").order_by("code"):
        rows.append(
            [
                competence.code,
                competence.name,
                _danish(GROUP_VALUES, competence.group),
                competence.description,
                competence.scale.label,
                _yes_no(competence.active),
            ]
        )
    return rows


def _price(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _clock(value: time | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


def course_rows() -> list[list[Any]]:
    """The course catalogue in the import's columns, a line per session that is not cancelled (a
    course without one on a line of its own), with Danish headings and values, by code."""
    rows: list[list[Any]] = [[aliases[1] for aliases in COURSE_SPEC.columns.values()]]
    courses = Course.objects.order_by("code").prefetch_related("competences")
    sessions: dict[int, list[CourseSession]] = {}
    for session in CourseSession.objects.filter(cancelled_at=None).order_by("starts_on", "id"):
        sessions.setdefault(session.course_id, []).append(session)
    for course in courses:
        codes = ", ".join(sorted(competence.code for competence in course.competences.all()))
        head = [
            course.code,
            course.title,
            _danish(PROVIDER_VALUES, course.provider_kind),
            course.provider,
            course.description,
            codes,
            _price(course.price),
        ]
        course_sessions: Sequence[CourseSession | None] = sessions.get(course.pk) or [None]
        for each in course_sessions:
            if each is None:
                rows.append([*head, "", "", "", "", "", "", "", ""])
                continue
            session = each
            rows.append(
                [
                    *head,
                    session.starts_on,
                    session.ends_on,
                    _clock(session.start_time),
                    _clock(session.end_time),
                    session.place,
                    _yes_no(session.online),
                    session.seats,
                    session.registration_deadline,
                ]
            )
    return rows


def _file(rows: list[list[Any]], format: str) -> bytes:
    def cell(value: Any) -> Any:
        return neutralise_formula(value) if isinstance(value, str) else value

    if format == "csv":
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        for row in rows:
            writer.writerow([cell(_text(value)) if isinstance(value, date) else cell(value) for value in row])
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    if format == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append([cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"Unknown format {format!r}; use csv or xlsx.")


def competences_export(format: str) -> bytes:
    """The competence catalogue as a file for ``competences_import``: "csv" (UTF-8 with a byte
    order mark, semicolons, as Excel opens it) or "xlsx"."""
    return _file(competence_rows(), format)


def courses_export(format: str) -> bytes:
    """The course catalogue as a file for ``courses_import``: "csv" or "xlsx"."""
    return _file(course_rows(), format)

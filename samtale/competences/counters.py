"""Keeping ``LevelCount`` equal to the registers it counts (docs/domain.md § Competences and
courses, the overview).

A registration counts in its person's unit and in every unit above it, at its ``level``, and as
``short`` when the level is below what the person's job profile expects. So the overview of any
unit reads a few hundred rows, whatever the size of the organisation below it.

- ``counters_shift`` — a service that changed registrations adds the old contribution's negative
  and the new one, in its transaction (an UPSERT that adds, on SQLite and PostgreSQL alike);
- ``counters_people_moved`` — people moved between units (HR, the import): their registrations
  leave the old units' lines and join the new ones';
- ``counters_rebuild`` — every count again from the registers, in bulk (after an import of
  levels, and each night in the daily sweep, which also follows job titles and profiles that
  changed and people who left).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from samtale.competences.models import ExpectedLevel, JobProfile, LevelCount, Registration
from samtale.lib.bulk import chunks
from samtale.org.models import Person, Unit, employed_q, path_ids

# (unit id, competence id, level) -> (people, short)
Deltas = dict[tuple[int, int, int], list[int]]


@dataclass(frozen=True)
class Profiles:
    """Every job profile: its expected levels, and which profile a job title (compared
    case-insensitively) or a unit has."""

    levels: dict[int, dict[int, int]]  # profile id -> competence id -> level
    by_title: dict[str, int]
    by_unit: dict[int, int]

    @classmethod
    def load(cls) -> Profiles:
        levels: dict[int, dict[int, int]] = {}
        by_title: dict[str, int] = {}
        by_unit: dict[int, int] = {}
        # In the profiles' order, so that of two titles differing only in case the first counts, as
        # on the register (``selectors.register.profile_for``). A profile without levels still
        # applies (it expects nothing): a title's empty profile stops the search at the title.
        for pk, title, unit_id in JobProfile.objects.values_list("pk", "job_title", "unit_id"):
            levels[pk] = {}
            if title:
                by_title.setdefault(title.casefold(), pk)
            elif unit_id is not None:
                by_unit[unit_id] = pk
        for profile_id, competence_id, level in ExpectedLevel.objects.values_list(
            "profile_id", "competence_id", "level"
        ):
            levels[profile_id][competence_id] = level
        return cls(levels=levels, by_title=by_title, by_unit=by_unit)

    def profile(self, *, job_title: str, unit_path: str) -> int | None:
        """The id of the person's profile: their job title's, else the nearest of their unit and the
        units above it; None when none applies."""
        if job_title and job_title.casefold() in self.by_title:
            return self.by_title[job_title.casefold()]
        for unit_id in reversed(path_ids(unit_path)):
            if unit_id in self.by_unit:
                return self.by_unit[unit_id]
        return None

    def expected(self, *, job_title: str, unit_path: str) -> dict[int, int]:
        """The person's profile's levels by competence; {} when none applies."""
        profile_id = self.profile(job_title=job_title, unit_path=unit_path)
        return {} if profile_id is None else self.levels[profile_id]


def _add(deltas: Deltas, *, unit_path: str, competence_id: int, level: int, short: bool, sign: int) -> None:
    for unit_id in path_ids(unit_path):
        entry = deltas.setdefault((unit_id, competence_id, level), [0, 0])
        entry[0] += sign
        entry[1] += sign if short else 0


_UPSERT = """
INSERT INTO competences_levelcount (unit_id, competence_id, level, people, short) VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (unit_id, competence_id, level) DO UPDATE
SET people = competences_levelcount.people + excluded.people, short = competences_levelcount.short + excluded.short
"""


def _apply(deltas: Deltas) -> None:
    rows = [(u, c, lv, p, s) for (u, c, lv), (p, s) in deltas.items() if p or s]
    if not rows:
        return
    with connection.cursor() as cursor:
        for batch in chunks(sorted(rows)):  # in key order, so two writers lock rows in the same order
            cursor.executemany(_UPSERT, batch)


@dataclass(frozen=True)
class Contribution:
    """What one registration adds to the counters."""

    unit_path: str
    competence_id: int
    level: int
    short: bool


def contribution(registration: Registration, person: Person, profiles: Profiles | None = None) -> Contribution | None:
    """What the registration counts for (None for someone no longer employed)."""
    if not person.is_employed():
        return None
    profiles = profiles or Profiles.load()
    expected = profiles.expected(job_title=person.job_title, unit_path=person.unit.path)
    wanted = expected.get(registration.competence_id)
    return Contribution(
        unit_path=person.unit.path,
        competence_id=registration.competence_id,
        level=registration.level,
        short=wanted is not None and registration.level < wanted,
    )


def counters_shift(changes: Iterable[tuple[Contribution | None, Contribution | None]]) -> None:
    """Registrations changed from the first contribution to the second (None: none)."""
    deltas: Deltas = {}
    for old, new in changes:
        for part, sign in ((old, -1), (new, 1)):
            if part is not None:
                _add(
                    deltas,
                    unit_path=part.unit_path,
                    competence_id=part.competence_id,
                    level=part.level,
                    short=part.short,
                    sign=sign,
                )
    _apply(deltas)


def counters_people_moved(moves: Sequence[tuple[int, str, str]]) -> None:
    """People moved: (person id, the old unit's path, the new unit's path)."""
    if not moves:
        return
    profiles = Profiles.load()
    paths = {person_id: (old, new) for person_id, old, new in moves if old != new}
    deltas: Deltas = {}
    rows = Registration.objects.filter(person_id__in=list(paths), person__in=Person.objects.filter(employed_q()))
    for person_id, job_title, competence_id, level in rows.values_list(
        "person_id", "person__job_title", "competence_id", "level"
    ):
        old, new = paths[person_id]
        for path, sign in ((old, -1), (new, 1)):
            wanted = profiles.expected(job_title=job_title, unit_path=path).get(competence_id)
            short = wanted is not None and level < wanted
            _add(deltas, unit_path=path, competence_id=competence_id, level=level, short=short, sign=sign)
    _apply(deltas)


# Counted in the database, from the registers of the people employed today: per unit, competence
# and level first (a few hundred thousand groups for a million registrations), then into each unit
# and every unit above it (``line``: a unit and each of its ancestors). Each person's profile is
# found as everywhere (``Profiles.profile``) and given to the database as the job titles and the
# units of each profile that expects levels (``{profile}``: a CASE, worked out once per person).
_REBUILD = """
INSERT INTO {count} (unit_id, competence_id, level, people, short)
WITH RECURSIVE line (unit_id, ancestor_id, parent_id) AS (
    SELECT id, id, parent_id FROM {unit}
    UNION ALL
    SELECT line.unit_id, above.id, above.parent_id FROM line JOIN {unit} above ON above.id = line.parent_id
),
people AS MATERIALIZED (
    SELECT employed.id, employed.unit_id, {profile} AS profile_id FROM ({employed}) employed
),
counted AS (
    SELECT p.unit_id, r.competence_id, r.level, COUNT(*) AS people,
           SUM(CASE WHEN r.level < e.level THEN 1 ELSE 0 END) AS short
    FROM {registration} r
    JOIN people p ON p.id = r.person_id
    LEFT JOIN {expected} e ON e.profile_id = p.profile_id AND e.competence_id = r.competence_id
    GROUP BY p.unit_id, r.competence_id, r.level
)
SELECT line.ancestor_id, counted.competence_id, counted.level, SUM(counted.people), SUM(counted.short)
FROM counted JOIN line ON line.unit_id = counted.unit_id
GROUP BY line.ancestor_id, counted.competence_id, counted.level
"""


def _profile_case(profiles: Profiles, employed: QuerySet[Person]) -> tuple[str, list[Any]]:
    """SQL giving the id of an employed person's profile (``employed.job_title``, ``.unit_id``): a
    title's profile first, then the nearest unit's; NULL when none applies or it expects nothing."""
    titles: dict[int, list[str]] = {}
    units: dict[int, list[int]] = {}
    for job_title, unit_id, path in employed.values_list("job_title", "unit_id", "unit__path").distinct():
        profile_id = profiles.profile(job_title=job_title, unit_path=path)
        if profile_id is None:
            continue
        if job_title and job_title.casefold() in profiles.by_title:
            # Even a title's profile that expects nothing: it stops the search at the title.
            titles.setdefault(profile_id, []).append(job_title)
        elif profiles.levels[profile_id]:
            units.setdefault(profile_id, []).append(unit_id)
    # A list given whole: an array on PostgreSQL, JSON read as a table on SQLite.
    postgres = connection.vendor == "postgresql"
    whens: list[str] = []
    params: list[Any] = []
    for column, kind, members in (("employed.job_title", "text", titles), ("employed.unit_id", "bigint", units)):
        one_of = f"= ANY(%s::{kind}[])" if postgres else "IN (SELECT value FROM json_each(%s))"
        for profile_id, values in members.items():
            distinct = list(dict.fromkeys(values))  # a job title is in many units
            whens.append(f"WHEN {column} {one_of} THEN CAST(%s AS bigint)")
            params += [distinct if postgres else json.dumps(distinct), profile_id]
    if not whens:
        return "CAST(NULL AS bigint)", []
    return f"CASE {' '.join(whens)} END", params


@transaction.atomic
def counters_rebuild() -> int:
    """Every count again from the registers of the people employed today, in the database; returns
    the number of counter rows."""
    employed = Person.objects.filter(employed_q()).order_by()
    profile_sql, profile_params = _profile_case(Profiles.load(), employed)
    people_sql, people_params = employed.values("id", "unit_id", "job_title").query.sql_with_params()
    quote = connection.ops.quote_name
    sql = _REBUILD.format(
        count=quote(LevelCount._meta.db_table),
        unit=quote(Unit._meta.db_table),
        registration=quote(Registration._meta.db_table),
        expected=quote(ExpectedLevel._meta.db_table),
        employed=people_sql,
        profile=profile_sql,
    )
    LevelCount.objects.all().delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A million registrations grouped twice: in memory rather than in files on disk.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        # In the statement's order: the profiles' CASE, then the people employed.
        cursor.execute(sql, [*profile_params, *people_params])
        return max(cursor.rowcount, 0)

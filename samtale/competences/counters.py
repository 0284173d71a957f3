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

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count

from samtale.competences.models import ExpectedLevel, JobProfile, LevelCount, Registration
from samtale.lib.bulk import chunks, insert_rows
from samtale.org.models import Person, employed_q, path_ids

# (unit id, competence id, level) -> (people, short)
Deltas = dict[tuple[int, int, int], list[int]]


@dataclass(frozen=True)
class Profiles:
    """Every job profile's expected levels, by job title (compared case-insensitively) and by unit."""

    by_title: dict[str, dict[int, int]]
    by_unit: dict[int, dict[int, int]]

    @classmethod
    def load(cls) -> Profiles:
        by_title: dict[str, dict[int, int]] = {}
        by_unit: dict[int, dict[int, int]] = {}
        rows = ExpectedLevel.objects.values_list("profile__job_title", "profile__unit_id", "competence_id", "level")
        for title, unit_id, competence_id, level in rows:
            if title:
                by_title.setdefault(title.casefold(), {})[competence_id] = level
            elif unit_id is not None:
                by_unit.setdefault(unit_id, {})[competence_id] = level
        # Profiles without levels still apply (they expect nothing): a title's empty profile stops
        # the search at the title.
        for title, unit_id in JobProfile.objects.values_list("job_title", "unit_id"):
            if title:
                by_title.setdefault(title.casefold(), {})
            elif unit_id is not None:
                by_unit.setdefault(unit_id, {})
        return cls(by_title=by_title, by_unit=by_unit)

    def expected(self, *, job_title: str, unit_path: str) -> dict[int, int]:
        """The person's profile: their job title's, else the nearest of their unit and the units
        above it; {} when none applies."""
        if job_title and job_title.casefold() in self.by_title:
            return self.by_title[job_title.casefold()]
        for unit_id in reversed(path_ids(unit_path)):
            if unit_id in self.by_unit:
                return self.by_unit[unit_id]
        return {}


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


@transaction.atomic
def counters_rebuild() -> int:
    """Every count again from the registers of the people employed today, in bulk; returns the
    number of counter rows."""
    profiles = Profiles.load()
    counts: Counter[tuple[int, int, int]] = Counter()
    shorts: Counter[tuple[int, int, int]] = Counter()
    # Counted in the database per unit, job title, competence and level (a few hundred thousand groups
    # for a million registrations), then added up the lines of units in Python.
    rows = (
        Registration.objects.filter(person__in=Person.objects.filter(employed_q()))
        .values("person__unit__path", "person__job_title", "competence_id", "level")
        .annotate(people=Count("id"))
        .order_by()
        .values_list("person__unit__path", "person__job_title", "competence_id", "level", "people")
    )
    lines: dict[str, list[int]] = {}  # a unit's path -> its line of units (a few thousand paths)
    wanted_by: dict[tuple[str, str], dict[int, int]] = {}  # (job title, path) -> the profile's levels
    for path, job_title, competence_id, level, people in rows.iterator(chunk_size=20000):
        line = lines.get(path)
        if line is None:
            line = lines[path] = path_ids(path)
        expected = wanted_by.get((job_title, path))
        if expected is None:
            expected = wanted_by[(job_title, path)] = profiles.expected(job_title=job_title, unit_path=path)
        wanted = expected.get(competence_id)
        short = wanted is not None and level < wanted
        for unit_id in line:
            key = (unit_id, competence_id, level)
            counts[key] += people
            if short:
                shorts[key] += people
    LevelCount.objects.all().delete()
    insert_rows(
        LevelCount,
        [
            {"unit_id": u, "competence_id": c, "level": lv, "people": n, "short": shorts.get((u, c, lv), 0)}
            for (u, c, lv), n in counts.items()
        ],
    )
    return len(counts)

"""Who is looking: the signed-in user with what the organisation says about them right now.

Built once per request from the current organisation (never from copied permissions), with
a constant number of queries whatever the organisation's size.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from samtale.lib.rows import ModelRows
from samtale.org.models import Person, Role, RoleKind, Unit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samtale.accounts.models import User


@dataclass(frozen=True)
class Coverage:
    """The part of the organisation a role beside the line covers: the subtrees under
    ``unit_paths``, or everything when there are none."""

    unit_paths: tuple[str, ...]
    region: str = ""

    @property
    def whole_organisation(self) -> bool:
        return not self.unit_paths

    def covers(self, unit: Unit) -> bool:
        return self.whole_organisation or any(unit.path.startswith(p) for p in self.unit_paths)

    def people_q(self, prefix: str = "") -> Q:
        """A filter for the people (or objects with a person) inside the coverage."""
        if self.whole_organisation:
            return Q()
        q = Q(pk__in=[])
        for path in self.unit_paths:
            q |= Q(**{f"{prefix}unit__path__startswith": path})
        return q


@dataclass(frozen=True)
class Viewer:
    user: User
    person: Person | None
    led_units: tuple[Unit, ...] = ()
    has_reports: bool = False
    has_daily_reports: bool = False
    hr: Coverage | None = None
    union_rep: Coverage | None = None
    management: Coverage | None = None
    dpo: Coverage | None = None
    education: Coverage | None = None
    # Relations already worked out in this request, by person id.
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def person_id(self) -> int | None:
        return self.person.pk if self.person else None

    @property
    def is_leader(self) -> bool:
        """Leads a unit or is someone's personnel leader."""
        return bool(self.led_units) or self.has_reports


def viewer_for(user: User) -> Viewer:
    """Two queries on every request, whatever the organisation's size: the person with their unit,
    their leaders and whether anyone reports to them; then their roles with the units each covers,
    and the units they lead. Written in SQL once per process (``_ViewerSql``): the ORM would compile
    the same statements again on every request, which cost more than running them."""
    if not user.is_authenticated:
        return Viewer(user=user, person=None)
    sql = _viewer_sql()
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(sql.person, [today, today, user.pk])
        row = cursor.fetchone()
        if row is None:
            return Viewer(user=user, person=None)
        person = sql.person_from(row)
        if not person.is_employed():
            # Someone whose employment has ended: no relations.
            return Viewer(user=user, person=None)
        cursor.execute(sql.roles_and_units, [person.pk, person.pk])
        rows = cursor.fetchall()
    covered: dict[str, tuple[str, list[str]]] = {}
    led: list[Unit] = []
    for row in rows:
        if row[0] == "role":
            kind, region, path = row[1], row[2], row[3]
            paths = covered.setdefault(kind, (region, []))[1]
            if path is not None:
                paths.append(path)
        else:
            unit = sql.units.instance(row, 4)
            if unit is not None:
                led.append(unit)
    coverages = {
        kind: Coverage(unit_paths=tuple(sorted(paths)), region=region) for kind, (region, paths) in covered.items()
    }
    return Viewer(
        user=user,
        person=person,
        led_units=tuple(sorted(led, key=lambda unit: unit.path)),
        has_reports=person.has_reports,  # type: ignore[attr-defined]
        has_daily_reports=person.has_daily_reports,  # type: ignore[attr-defined]
        hr=coverages.get(RoleKind.HR),
        union_rep=coverages.get(RoleKind.UNION_REP),
        management=coverages.get(RoleKind.MANAGEMENT),
        dpo=coverages.get(RoleKind.DPO),
        education=coverages.get(RoleKind.EDUCATION),
    )


@dataclass(frozen=True)
class _ViewerSql:
    """The viewer's two statements, from the models' own metadata, and how to read their rows."""

    person: str
    roles_and_units: str
    people: ModelRows[Person]
    units: ModelRows[Unit]

    def person_from(self, row: tuple[Any, ...]) -> Person:
        """The person with their unit and leaders, as ``select_related`` would give them."""
        people, units = self.people, self.units
        person = people.instance(row)
        assert person is not None
        Person.unit.field.set_cached_value(person, units.instance(row, people.width))  # type: ignore[attr-defined]
        offset = people.width + units.width
        for relation in (Person.personnel_leader, Person.daily_leader):  # type: ignore[attr-defined]
            relation.field.set_cached_value(person, people.instance(row, offset))
            offset += people.width
        person.has_reports, person.has_daily_reports = bool(row[offset]), bool(row[offset + 1])  # type: ignore[attr-defined]
        return person


@functools.cache
def _viewer_sql() -> _ViewerSql:
    people, units = ModelRows(Person), ModelRows(Unit)
    roles = ModelRows(Role)
    through = ModelRows(Role._meta.get_field("units").remote_field.through)  # type: ignore[union-attr, arg-type]
    end, key = people.column("end_date"), people.column("id")
    employed = f"(r.{end} IS NULL OR r.{end} >= %s)"
    reports = f"SELECT 1 FROM {people.table} r WHERE {employed} AND r"  # noqa: S608 (names from the models' metadata)
    person = (
        f"SELECT {people.columns('p')}, {units.columns('u')}, {people.columns('pl')}, {people.columns('dl')}, "  # noqa: S608
        f"EXISTS ({reports}.{people.column('personnel_leader')} = p.{key}), "
        f"EXISTS ({reports}.{people.column('daily_leader')} = p.{key}) "
        f"FROM {people.table} p JOIN {units.table} u ON u.{units.column('id')} = p.{people.column('unit')} "
        f"LEFT JOIN {people.table} pl ON pl.{people.column('id')} = p.{people.column('personnel_leader')} "
        f"LEFT JOIN {people.table} dl ON dl.{people.column('id')} = p.{people.column('daily_leader')} "
        f"WHERE p.{people.column('user')} = %s"
    )
    nulls = ", ".join("NULL" for _ in range(units.width))
    roles_and_units = (
        f"SELECT 'role', ro.{roles.column('kind')}, ro.{roles.column('region')}, cu.{units.column('path')}, {nulls} "  # noqa: S608
        f"FROM {roles.table} ro "
        f"LEFT JOIN {through.table} ru ON ru.{through.column('role')} = ro.{roles.column('id')} "
        f"LEFT JOIN {units.table} cu ON cu.{units.column('id')} = ru.{through.column('unit')} "
        f"WHERE ro.{roles.column('person')} = %s "
        f"UNION ALL SELECT 'unit', NULL, NULL, NULL, {units.columns('lu')} "
        f"FROM {units.table} lu WHERE lu.{units.column('leader')} = %s"
    )
    return _ViewerSql(person=person, roles_and_units=roles_and_units, people=people, units=units)


def get_viewer(request: HttpRequest) -> Viewer:
    """The viewer of this request, built on first use."""
    viewer = getattr(request, "_samtale_viewer", None)
    if viewer is None or viewer.user is not request.user:
        viewer = viewer_for(request.user)  # type: ignore[arg-type]
        request._samtale_viewer = viewer  # type: ignore[attr-defined]
    return viewer

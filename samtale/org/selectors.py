"""Reads of the organisation. Each returns what a page needs with its related rows, in a
number of queries that does not grow with the organisation."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from samtale.lib.casefold import Casefold

if TYPE_CHECKING:
    from samtale.access.viewer import Coverage
from samtale.org.models import PATH_STEP, ImportRun, Person, PlacementChange, Role, RoleKind, Unit, employed_q

# The personnel-leader relation is walked with a recursive query (SQLite and PostgreSQL both
# have WITH RECURSIVE). The depth bound keeps a loop in bad data from running for ever; the
# import and the services refuse loops in the first place.


# How long a kept count stays at most when nothing it is counted from changed.
KEPT_SECONDS = 10 * 60


def kept_count[T](name: str, parts: tuple[Any, ...], count: Callable[[], T]) -> T:
    """``count()``, kept in the cache under everything a count over the organisation's people is
    counted from, so a kept count is never one a fresh count would not give: ``parts`` (what the
    caller counts over: a round, its units, its number of conversations), the day (people leave
    on a date), the last change to a person (every service that changes one stamps
    ``updated_at``; the import too) and the last import applied (the only way units move).
    Counting 50,000 people is tens of milliseconds; the stamp is two index lookups. Counts only:
    no person's data goes into the cache."""
    stamp = (
        name,
        parts,
        timezone.localdate(),
        Person.objects.aggregate(changed=Max("updated_at"))["changed"],
        ImportRun.objects.filter(applied_at__isnull=False).aggregate(last=Max("applied_at"))["last"],
    )
    key = f"org:kept:{name}:" + hashlib.sha256(repr(stamp).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, KEPT_SECONDS)
    return found


def unit_ancestors(*, unit: Unit) -> list[Unit]:
    """The units above ``unit``, from the root down, with their leaders."""
    by_id = {u.pk: u for u in Unit.objects.select_related("leader").filter(pk__in=unit.ancestor_ids)}
    return [by_id[i] for i in unit.ancestor_ids if i in by_id]


def unit_children_with_headcount(*, unit: Unit | None) -> list[Unit]:
    """The units right below ``unit`` (or the roots), each with ``headcount``: the active people
    in its whole subtree, counted in one grouped query."""
    children: list[Unit] = list(
        Unit.objects.select_related("leader")
        .filter(parent=unit)
        .annotate(has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))))
        .order_by("name", "code")
    )
    if not children:
        return children
    counts = kept_count("headcount", (unit.pk if unit else None,), lambda: _headcounts(below=unit))
    for child in children:
        child.headcount = counts.get(child.path, 0)  # type: ignore[attr-defined]
    return children


def _headcounts(*, below: Unit | None) -> dict[str, int]:
    """The active people under each unit right below ``below`` (by the unit's path), added up in
    SQL: a few rows back, not one per unit. Each database has its fast way (50,000 people, 5,500
    units): PostgreSQL hashes every person's unit and groups by the branch; SQLite counts each
    unit's people on the (unit, end date) index and groups the units."""
    child_depth = 0 if below is None else below.depth + 1
    length = (child_depth + 1) * PATH_STEP  # of a child's path, which starts every path under it
    rows: Iterable[tuple[str, int | None]]
    if connection.vendor == "postgresql":
        rows = (
            Person.objects.employed()
            .order_by()
            .filter(Q() if below is None else Q(unit__path__startswith=below.path))
            .annotate(branch=Substr("unit__path", 1, length))
            .values("branch")
            .annotate(n=Count("pk"))
            .values_list("branch", "n")
        )
    else:
        per_unit = (
            Person.objects.employed().filter(unit=OuterRef("pk")).order_by().values("unit").annotate(n=Count("pk"))
        )
        rows = (
            Unit.objects.order_by()
            .filter(Q() if below is None else Q(path__startswith=below.path))
            .annotate(branch=Substr("path", 1, length), n=Subquery(per_unit.values("n"), output_field=IntegerField()))
            .values("branch")
            .annotate(total=Sum("n"))
            .values_list("branch", "total")
        )
    return {branch: n or 0 for branch, n in rows}


def unit_members(*, unit: Unit) -> QuerySet[Person]:
    return (
        Person.objects.employed()
        .filter(unit=unit)
        .select_related("personnel_leader")
        .order_by("name", "employee_number")
    )


def person_placement_history(*, person: Person, limit: int = 20) -> list[PlacementChange]:
    return list(PlacementChange.objects.filter(person=person).select_related("changed_by")[:limit])


def person_direct_reports(*, leader: Person) -> QuerySet[Person]:
    return Person.objects.employed().filter(personnel_leader=leader).select_related("unit").order_by("name")


def person_daily_reports(*, leader: Person) -> QuerySet[Person]:
    return (
        Person.objects.employed()
        .filter(daily_leader=leader)
        .select_related("unit", "personnel_leader")
        .order_by("name")
    )


def contact_roles_for(*, person: Person, kind: str = RoleKind.HR) -> list[Role]:
    """The people in a role beside the line whose coverage includes the person's unit: for HR,
    the contact persons for MUS questions shown to the employee."""
    today = timezone.localdate()
    roles = (
        # The role holder still employed, as a condition on the joined person: an IN over every
        # active person made SQLite read the whole organisation for the few roles there are.
        Role.objects.filter(kind=kind)
        .filter(employed_q("person__", on=today))
        .filter(Q(units__isnull=True) | Q(units__id__in=person.unit.lineage_ids))
        .select_related("person", "person__unit")
        .distinct()
        .order_by("person__name")
    )
    return list(roles)


def person_by_number(*, number: str, coverage: Coverage | None) -> Person | None:
    """A current employee by number, only inside ``coverage`` (None: nowhere)."""
    if coverage is None or not number:
        return None
    return (
        Person.objects.employed()
        .filter(coverage.people_q())
        .select_related("unit")
        .filter(employee_number=number)
        .first()
    )


def unit_by_code(*, code: str, coverage: Coverage | None) -> Unit | None:
    if coverage is None or not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    return unit if unit is not None and coverage.covers(unit) else None


def people_search(*, base: QuerySet[Person], query: str) -> QuerySet[Person]:
    query = query.strip()
    if not query:
        return base
    return base.annotate(name_folded=Casefold("name")).filter(
        Q(name_folded__contains=query.casefold()) | Q(employee_number=query) | Q(email=query.lower())
    )

"""Reads of the organisation. Each returns what a page needs with its related rows, in a
number of queries that does not grow with the organisation."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from samtale.lib.casefold import Casefold
from samtale.lib.queries import fetch

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


def person_direct_reports(*, leader: Person) -> list[Person]:
    return fetch(
        Person.objects.employed().filter(personnel_leader=leader).select_related("unit").order_by("name"),
        "org.person_direct_reports",
    )


def person_daily_reports(*, leader: Person) -> list[Person]:
    return fetch(
        Person.objects.employed()
        .filter(daily_leader=leader)
        .select_related("unit", "personnel_leader")
        .order_by("name"),
        "org.person_daily_reports",
    )


def contact_roles_for(*, person: Person, kind: str = RoleKind.HR) -> list[Role]:
    """The people in a role beside the line whose coverage includes the person's unit: for HR,
    the contact persons for MUS questions shown to the employee."""
    return contact_roles(person=person, kinds=(kind,))[kind]


def contact_roles(*, person: Person, kinds: tuple[str, ...]) -> dict[str, list[Role]]:
    """``contact_roles_for`` of several kinds in one query (the start page shows three)."""
    today = timezone.localdate()
    roles = (
        # The role holder still employed, as a condition on the joined person: an IN over every
        # active person made SQLite read the whole organisation for the few roles there are.
        Role.objects.filter(kind__in=kinds)
        .filter(employed_q("person__", on=today))
        .filter(Q(units__isnull=True) | Q(units__id__in=person.unit.lineage_ids))
        .select_related("person", "person__unit")
        .distinct()
        .order_by("person__name", "id")
    )
    found: dict[str, list[Role]] = {kind: [] for kind in kinds}
    for role in fetch(roles, "org.contact_roles"):
        found[role.kind].append(role)
    return found


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


# A name this alike (PostgreSQL's word similarity, 0 to 1) is found although it is misspelt.
TYPO_SIMILARITY = 0.5


def people_search(*, base: QuerySet[Person], query: str) -> QuerySet[Person]:
    """People whose name contains the query (Danish letters folded), or whose employee number or
    e-mail it is. On PostgreSQL also a name that is alike although misspelt ("Sørensne"), by
    trigram word similarity (the ``pg_trgm`` extension, made by ``org/0005``); SQLite finds the
    exact spelling only."""
    query = query.strip()
    if not query:
        return base
    match = Q(name_folded__contains=query.casefold()) | Q(employee_number=query) | Q(email=query.lower())
    found = base.annotate(name_folded=Casefold("name"))
    if connection.vendor == "postgresql" and len(query) >= 3:
        from django.contrib.postgres.search import TrigramWordSimilarity

        found = found.annotate(alike=TrigramWordSimilarity(query, "name"))
        match |= Q(alike__gte=TYPO_SIMILARITY)
    return found.filter(match)


# The people list's filters and columns (HR's people page) --------------------------------------

PEOPLE_SORTS = {
    "name": ("name", "employee_number"),
    "number": ("employee_number",),
    "unit": ("unit__name", "name"),
    "leader": ("personnel_leader__name", "name"),
    "title": ("job_title", "name"),
}
PEOPLE_STATES = ("employed", "not_signed_in", "ended")


def people_filtered(
    *,
    base: QuerySet[Person],
    unit: Unit | None = None,
    leader: str = "",
    role: str = "",
    state: str = "employed",
    sort: str = "name",
) -> QuerySet[Person]:
    """HR's people list narrowed by a unit (with the units below it), the personnel leader's name,
    a role (``leader`` for someone who leads a unit or people) and a state, in a column's order
    (``-`` first for descending). All in the database: the page costs what it shows."""
    found = base
    if state == "ended":
        found = found.exclude(employed_q())
    else:
        found = found.filter(employed_q())
        if state == "not_signed_in":
            # No password chosen yet (the import makes accounts without one).
            unusable = {"user__password__startswith": UNUSABLE_PASSWORD_PREFIX}
            found = found.filter(Q(user__isnull=True) | Q(**unusable))
    if unit is not None:
        found = found.filter(unit__path__startswith=unit.path)
    if leader.strip():
        found = found.annotate(leader_folded=Casefold("personnel_leader__name")).filter(
            leader_folded__contains=leader.strip().casefold()
        )
    if role == "leader":
        leads = Unit.objects.filter(leader=OuterRef("pk"))
        reports = Person.objects.filter(employed_q(), personnel_leader=OuterRef("pk"))
        found = found.filter(Q(Exists(leads)) | Q(Exists(reports)))
    elif role in RoleKind.values:
        found = found.filter(Exists(Role.objects.filter(person=OuterRef("pk"), kind=role)))
    descending = sort.startswith("-")
    fields = PEOPLE_SORTS.get(sort.lstrip("-"), PEOPLE_SORTS["name"])
    return found.order_by(*(f"-{field}" if descending else field for field in fields), "pk")


def units_matching(*, text: str, coverage: Coverage, limit: int = 20) -> list[tuple[Unit, str]]:
    """Units within the coverage whose name contains ``text`` or whose code starts with it, at any
    depth, with the names of the units above each ("Kommunen › Økonomi"). Two queries."""
    wanted = text.strip()
    units = list(
        Unit.objects.annotate(name_folded=Casefold("name"))
        .filter(Q(name_folded__contains=wanted.casefold()) | Q(code__istartswith=wanted))
        .filter(_covered_units_q(coverage))
        .order_by("name", "code")[:limit]
    )
    above = {pk for unit in units for pk in unit.lineage_ids if pk != unit.pk}
    names = dict(Unit.objects.filter(pk__in=above).values_list("pk", "name"))
    return [(unit, " › ".join(names[pk] for pk in unit.lineage_ids if pk != unit.pk and pk in names)) for unit in units]


def _covered_units_q(coverage: Coverage) -> Q:
    if coverage.whole_organisation:
        return Q()
    q = Q(pk__in=[])
    for path in coverage.unit_paths:
        q |= Q(path__startswith=path)
    return q

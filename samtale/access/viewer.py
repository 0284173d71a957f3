"""Who is looking: the signed-in user with what the organisation says about them right now.

Built once per request from the current organisation (never from copied permissions), with
a constant number of queries whatever the organisation's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from samtale.org.models import Person, Role, RoleKind, Unit, employed_q

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
    """Three queries on every request, whatever the organisation's size: the person with whether
    anyone reports to them, their roles with the units each covers, the units they lead."""
    person: Person | None = None
    if user.is_authenticated:
        current = employed_q()
        person = (
            Person.objects.select_related("unit", "personnel_leader", "daily_leader")
            .filter(user=user)
            .annotate(
                has_reports=Exists(Person.objects.filter(current, personnel_leader=OuterRef("pk"))),
                has_daily_reports=Exists(Person.objects.filter(current, daily_leader=OuterRef("pk"))),
            )
            .first()
        )
    if person is None or not person.is_employed():
        # An administrator without a person, or someone whose employment has ended: no relations.
        return Viewer(user=user, person=None)

    covered: dict[str, tuple[str, list[str]]] = {}
    for kind, region, path in (
        Role.objects.filter(person=person).order_by().values_list("kind", "region", "units__path")
    ):
        paths = covered.setdefault(kind, (region, []))[1]
        if path is not None:
            paths.append(path)
    coverages = {
        kind: Coverage(unit_paths=tuple(sorted(paths)), region=region) for kind, (region, paths) in covered.items()
    }
    return Viewer(
        user=user,
        person=person,
        led_units=tuple(Unit.objects.filter(leader=person).order_by("path")),
        has_reports=person.has_reports,  # type: ignore[attr-defined]
        has_daily_reports=person.has_daily_reports,  # type: ignore[attr-defined]
        hr=coverages.get(RoleKind.HR),
        union_rep=coverages.get(RoleKind.UNION_REP),
        management=coverages.get(RoleKind.MANAGEMENT),
        dpo=coverages.get(RoleKind.DPO),
        education=coverages.get(RoleKind.EDUCATION),
    )


def get_viewer(request: HttpRequest) -> Viewer:
    """The viewer of this request, built on first use."""
    viewer = getattr(request, "_samtale_viewer", None)
    if viewer is None or viewer.user is not request.user:
        viewer = viewer_for(request.user)  # type: ignore[arg-type]
        request._samtale_viewer = viewer  # type: ignore[attr-defined]
    return viewer

"""The overview for the competence strategy (docs/domain.md § Competences and courses; docs/trust.md
§ Anonymity): for a unit the viewer covers (HR) or leads, per competence how many are at each level,
how many are below their job profile, and the units below it to drill into; and the demand for the
coming sessions against their seats. Only aggregates, only for groups of at least the threshold,
and never a group that could be worked out by subtracting shown ones (``lib.suppression``, as the
evaluations): a unit is shown only if it is shown on its parent's page, all the way up.

It reads ``LevelCount`` rows for the unit's lineage and the units beside it on the way down: a
few hundred rows whatever the size of the organisation below."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access.viewer import Viewer
from samtale.competences.models import Competence, CompetenceGroup, CourseSession, LevelCount, ScaleLevel
from samtale.learning.counters import PLANS
from samtale.learning.models import ActivityCount, RequestStatus, SeatRequest
from samtale.lib.spreadsheet import neutralise_formula
from samtale.lib.suppression import DEFAULT_THRESHOLD, ROOT, shown_parts
from samtale.org.models import Unit, path_ids
from samtale.plans.content import activity_type_ref
from samtale.plans.models import BUILT_IN_ACTIVITY_TYPES, ActivityType

THRESHOLD = DEFAULT_THRESHOLD
DEMAND = (RequestStatus.REQUESTED, RequestStatus.APPROVED, RequestStatus.ENROLLED, RequestStatus.WAITING)


@dataclass
class Line:
    competence: Competence
    levels: list[tuple[int, int]]  # (level, people) for each level of the scale
    people: int
    short: int
    cells: list[int | None] = field(default_factory=list)  # people per column of ``Overview.columns``


@dataclass
class Child:
    unit: Unit
    shown: int = 0  # competences shown for it


@dataclass
class Overview:
    unit: Unit
    scope: list[Unit]
    lines: list[Line]
    hidden: int  # competences registered here but not shown (too few, or given away by others)
    children: list[Child] = field(default_factory=list)
    demand: list[dict[str, Any]] = field(default_factory=list)
    columns: list[int] = field(default_factory=list)  # the levels of every scale shown, in order
    plans: int = 0  # signed plans in the unit and below it (shown from the threshold up)
    activities: list[tuple[str, int]] = field(default_factory=list)  # (type, activities) from the threshold up

    @property
    def groups(self) -> list[tuple[str, list[Line]]]:
        """The lines by competence group, in the catalogue's order of the groups."""
        return [
            (str(label), rows)
            for value, label in CompetenceGroup.choices
            if (rows := [line for line in self.lines if line.competence.group == value])
        ]


def scope_units(viewer: Viewer) -> list[Unit]:
    """The units the viewer may look at from the top: HR's coverage (the top units for the whole
    organisation) and the units the viewer leads."""
    units: list[Unit] = []
    if viewer.hr is not None:
        if viewer.hr.whole_organisation:
            units += list(Unit.objects.filter(parent__isnull=True).order_by("name"))
        else:
            units += list(Unit.objects.filter(path__in=viewer.hr.unit_paths).order_by("path"))
    units += [unit for unit in viewer.led_units if all(unit.pk != u.pk for u in units)]
    return units


def _within(unit: Unit, scope: list[Unit]) -> bool:
    return any(unit.path.startswith(top.path) for top in scope)


def overview_for(viewer: Viewer, unit_uuid: UUID | None = None, *, given: bool = False) -> Overview:
    """The overview of the unit (the first of the viewer's scope when none is ``given``; a unit
    given that is not one of the scope's, or not a unit at all, is a 404)."""
    scope = scope_units(viewer)
    if not scope:
        raise Http404
    unit = scope[0]
    if given:
        chosen = Unit.objects.filter(uuid=unit_uuid).first() if unit_uuid else None
        if chosen is None or not _within(chosen, scope):
            raise Http404
        unit = chosen
    lineage = path_ids(unit.path)
    children_of: dict[int, list[int]] = defaultdict(list)
    for pk, parent in Unit.objects.filter(Q(parent_id__in=lineage) | Q(parent__isnull=True)).values_list(
        "pk", "parent_id"
    ):
        children_of[parent or ROOT].append(pk)
    wanted = set(lineage) | {pk for kids in children_of.values() for pk in kids}
    rows = LevelCount.objects.filter(unit_id__in=wanted, people__gt=0).values_list(
        "unit_id", "competence_id", "level", "people", "short"
    )
    totals: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))  # competence -> unit -> people
    levels: dict[int, dict[int, int]] = defaultdict(dict)  # competence -> level -> people (the unit)
    short: dict[int, int] = defaultdict(int)
    for unit_id, competence_id, level, people, short_people in rows:
        totals[competence_id][unit_id] += people
        if unit_id == unit.pk:
            levels[competence_id][level] = people
            short[competence_id] += short_people
    competences = Competence.objects.in_bulk(list(totals))
    scale_levels: dict[int, list[int]] = defaultdict(list)
    for scale_id, value in ScaleLevel.objects.filter(
        scale_id__in={c.scale_id for c in competences.values()}
    ).values_list("scale_id", "value"):
        scale_levels[scale_id].append(value)
    lines: list[Line] = []
    hidden = 0
    shown_children: dict[int, int] = defaultdict(int)
    for competence_id, by_unit in totals.items():
        visible = _shown_down(by_unit, lineage, children_of)
        if visible is None:
            if by_unit.get(unit.pk):
                hidden += 1
            continue
        competence = competences[competence_id]
        lines.append(
            Line(
                competence=competence,
                levels=[
                    (value, levels[competence_id].get(value, 0)) for value in sorted(scale_levels[competence.scale_id])
                ],
                people=by_unit.get(unit.pk, 0),
                short=short[competence_id],
            )
        )
        for child in visible:
            shown_children[child] += 1
    lines.sort(key=lambda line: line.competence.name)
    columns = sorted({level for line in lines for level, _people in line.levels})
    for line in lines:
        on_scale = dict(line.levels)
        line.cells = [on_scale.get(level) if level in on_scale else None for level in columns]
    children = [
        Child(unit=child, shown=shown_children.get(child.pk, 0))
        for child in Unit.objects.filter(parent=unit).order_by("name")
    ]
    plans, activities = _activities(unit)
    return Overview(
        unit=unit,
        scope=scope,
        lines=lines,
        hidden=hidden,
        children=children,
        demand=_demand(unit),
        columns=columns,
        plans=plans,
        activities=activities,
    )


def _activities(unit: Unit) -> tuple[int, list[tuple[str, int]]]:
    """The activities of each type planned in the signed plans of the unit and below it, from the
    kept counts (``learning.counters``): only when at least the threshold of plans are signed, and
    only the types planned at least that many times."""
    totals = dict(
        ActivityCount.objects.filter(unit__path__startswith=unit.path)
        .values("activity_type")
        .annotate(n=Sum("activities"))
        .values_list("activity_type", "n")
    )
    plans = totals.pop(PLANS, 0)
    if plans < THRESHOLD:
        return 0, []
    refs = [ref for ref, n in totals.items() if n >= THRESHOLD]
    uuids = [ref for ref in refs if len(ref) == 32]
    names = {activity_type_ref(t): t.label for t in ActivityType.objects.filter(Q(key__in=refs) | Q(uuid__in=uuids))}
    shown = [(names.get(ref) or str(BUILT_IN_ACTIVITY_TYPES.get(ref, ref)), totals[ref]) for ref in refs]
    return plans, sorted(shown, key=lambda row: (-row[1], row[0]))


def _shown_down(by_unit: dict[int, int], lineage: list[int], children_of: dict[int, list[int]]) -> list[int] | None:
    """Walk from the whole organisation down to the unit: the unit's figures are shown only if every
    step shows the next unit; then the unit's children that may be shown beside it."""
    group = ROOT
    for step in [*lineage, None]:
        parts = {child: by_unit.get(child, 0) for child in children_of.get(group, [])}
        direct = by_unit.get(group, 0) - sum(parts.values()) if group != ROOT else 0
        visible = shown_parts(direct=max(direct, 0), parts=parts, threshold=THRESHOLD)
        if step is None:
            return visible
        if step not in visible:
            return None
        group = step
    return None


def _demand(unit: Unit) -> list[dict[str, Any]]:
    """Per course with a coming session: the seats asked for by people in the unit and below it
    (waiting for an answer, approved, enrolled, on a waiting list) against the sessions' seats.
    Only counts of at least the threshold are shown."""
    today = timezone.localdate()
    asked = (
        SeatRequest.objects.filter(
            status__in=DEMAND, session__starts_on__gte=today, person__unit__path__startswith=unit.path
        )
        .values("session__course_id", "session__course__title")
        .annotate(asked=Count("id"))
        .order_by("-asked", "session__course__title")
    )
    rows = [row for row in asked[:200] if row["asked"] >= THRESHOLD]
    seats = dict(
        CourseSession.objects.filter(
            course_id__in=[row["session__course_id"] for row in rows], starts_on__gte=today, cancelled_at__isnull=True
        )
        .values("course_id")
        .annotate(seats=Sum("seats"))
        .values_list("course_id", "seats")
    )
    return [
        {
            "course": row["session__course__title"],
            "asked": row["asked"],
            "seats": seats.get(row["session__course_id"], 0),
        }
        for row in rows
    ]


def overview_context(viewer: Viewer, unit_uuid: UUID | None, *, given: bool) -> dict[str, Any]:
    result = overview_for(viewer, unit_uuid, given=given)
    return {"overview": result, "threshold": THRESHOLD, "crumbs": _crumbs(result)}


def _crumbs(result: Overview) -> list[dict[str, Any]]:
    lineage = path_ids(result.unit.path)
    above = Unit.objects.in_bulk(lineage)
    crumbs = []
    for pk in lineage:
        candidate = above.get(pk)
        if candidate is not None and _within(candidate, result.scope):
            crumbs.append({"unit": candidate, "current": pk == result.unit.pk})
    return crumbs


def overview_csv(viewer: Viewer, unit_uuid: UUID | None, *, given: bool) -> HttpResponse:
    result = overview_for(viewer, unit_uuid, given=given)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="kompetenceoverblik-{result.unit.code}-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Unit"), _("Competence"), _("Group"), _("Level"), _("People"), _("Below the profile")])
    for line in result.lines:
        for level, people in line.levels:
            writer.writerow(
                [
                    neutralise_formula(result.unit.name),
                    neutralise_formula(line.competence.name),
                    line.competence.get_group_display(),
                    level,
                    people,
                    line.short,
                ]
            )
    return response

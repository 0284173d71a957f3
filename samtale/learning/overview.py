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

from django.db import connection
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access.viewer import Viewer
from samtale.competences.models import Competence, CompetenceGroup, Course, CourseSession, LevelCount, ScaleLevel
from samtale.learning.counters import PLANS
from samtale.learning.models import RequestStatus, SeatRequest
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
            if by_unit.get(unit.pk, 0) >= THRESHOLD:
                hidden += 1  # enough people, but a figure that subtraction would give away
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
    plans, activities = _activities(unit, lineage, children_of)
    return Overview(
        unit=unit,
        scope=scope,
        lines=lines,
        hidden=hidden,
        children=children,
        demand=_demand(unit, lineage, children_of),
        columns=columns,
        plans=plans,
        activities=activities,
    )


def _subtree_totals(rows: Any, needed: set[int]) -> dict[Any, dict[int, int]]:
    """From rows of (a unit's path, a key, a count for the unit's own people): per key, the totals of
    the ``needed`` units with everything below them."""
    totals: dict[Any, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for path, key, count in rows:
        for unit_id in path_ids(path):
            if unit_id in needed:
                totals[key][unit_id] += count
    return totals


# The kept counts of the needed units' subtrees, added up in the database: a few rows per unit shown,
# whatever the size of the organisation below (the paths hold digits and "/" only, so LIKE is a prefix).
_SUBTREE_SUMS = """
SELECT n.id, c.activity_type, SUM(c.activities)
FROM learning_activitycount c
JOIN org_unit u ON u.id = c.unit_id
JOIN org_unit n ON u.path LIKE n.path || '%%'
WHERE n.id IN ({ids}) AND c.activities > 0
GROUP BY n.id, c.activity_type
"""


def _subtree_sums(units: set[int]) -> list[tuple[int, str, int]]:
    if not units:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_SUBTREE_SUMS.format(ids=", ".join(["%s"] * len(units))), sorted(units))
        return [(unit_id, activity_type, int(total)) for unit_id, activity_type, total in cursor.fetchall()]


def _activities(unit: Unit, lineage: list[int], children_of: dict[int, list[int]]) -> tuple[int, list[tuple[str, int]]]:
    """How many signed plans of the unit and below it hold an activity of each type (kept counts,
    ``learning.counters``), each figure shown only as the competence lines are: from the threshold
    up, and never one that subtraction from the figures around it would give away."""
    needed = set(lineage) | {pk for kids in children_of.values() for pk in kids}
    totals: dict[Any, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, activity_type, plans in _subtree_sums(needed):
        totals[activity_type][unit_id] = plans
    if _shown_down(totals.get(PLANS, {}), lineage, children_of) is None:
        return 0, []
    refs = [
        ref
        for ref, by_unit in totals.items()
        if ref != PLANS and _shown_down(by_unit, lineage, children_of) is not None
    ]
    uuids = [ref for ref in refs if len(ref) == 32]
    names = (
        {activity_type_ref(t): t.label for t in ActivityType.objects.filter(Q(key__in=refs) | Q(uuid__in=uuids))}
        if refs
        else {}
    )
    shown = [(names.get(ref) or str(BUILT_IN_ACTIVITY_TYPES.get(ref, ref)), totals[ref][unit.pk]) for ref in refs]
    return totals[PLANS][unit.pk], sorted(shown, key=lambda row: (-row[1], row[0]))


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


def _demand(unit: Unit, lineage: list[int], children_of: dict[int, list[int]]) -> list[dict[str, Any]]:
    """Per course with a coming session: how many people of the unit and below it asked for a seat
    (waiting for an answer, approved, enrolled, on a waiting list) against the sessions' seats. People,
    not requests; each figure shown only as the competence lines are."""
    today = timezone.localdate()
    needed = set(lineage) | {pk for kids in children_of.values() for pk in kids}
    rows = (
        SeatRequest.objects.filter(status__in=DEMAND, session__starts_on__gte=today)
        .values("person__unit__path", "session__course_id")
        .annotate(people=Count("person", distinct=True))
        .values_list("person__unit__path", "session__course_id", "people")
    )
    totals = _subtree_totals(rows, needed)
    shown = [
        course_id
        for course_id, by_unit in totals.items()
        if by_unit.get(unit.pk) and _shown_down(by_unit, lineage, children_of) is not None
    ]
    courses = dict(Course.objects.filter(pk__in=shown).values_list("pk", "title"))
    seats = dict(
        CourseSession.objects.filter(course_id__in=shown, starts_on__gte=today, cancelled_at__isnull=True)
        .values("course_id")
        .annotate(seats=Sum("seats"))
        .values_list("course_id", "seats")
    )
    found = [
        {"course": courses.get(course_id, ""), "asked": totals[course_id][unit.pk], "seats": seats.get(course_id, 0)}
        for course_id in shown
    ]
    return sorted(found, key=lambda row: (-row["asked"], row["course"]))


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

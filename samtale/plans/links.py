"""What a plan's goals and activities link to (docs/domain.md § Competences and courses): a goal to
the competences it builds and to the unit's focus area or the round's goal it serves, so the
cascade from the management's goals through the unit to the person can be followed; a course
activity to a course of the catalogue.

The content names them by uuid (``"competences": ["<hex>", …]``, ``"serves": "goal:<hex>"`` or
``"focus:<hex>"``, an activity's ``"course": "<hex>"``); ``Links`` holds the names for reading and
the choices for writing, and reads the codes people type for a course."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from samtale.competences.models import Competence, Course
from samtale.plans.content import PlanContent
from samtale.plans.models import Plan
from samtale.rounds.models import FocusArea, RoundGoal


@dataclass(frozen=True)
class Links:
    competences: dict[str, str] = field(default_factory=dict)  # hex -> name
    competence_groups: dict[str, str] = field(default_factory=dict)  # hex -> group's name
    serves: dict[str, str] = field(default_factory=dict)  # "goal:<hex>" / "focus:<hex>" -> its text
    courses: dict[str, tuple[str, str]] = field(default_factory=dict)  # hex -> (code, title)

    def course_ref(self, typed: str) -> str | None:
        """The course a person typed by its code (or its code and title, as the list offers it);
        None when there is no such course."""
        code = typed.split(" ")[0].strip().casefold()
        for ref, (course_code, _title) in self.courses.items():
            if course_code.casefold() == code or ref == typed:
                return ref
        return None

    def course_typed(self, ref: str) -> str:
        if ref in self.courses:
            return self.courses[ref][0]
        return ref


def used_in(*contents: PlanContent) -> tuple[set[str], set[str], set[str]]:
    """The competences, the goals and focus areas served, and the courses ``contents`` name."""
    competences: set[str] = set()
    serves: set[str] = set()
    courses: set[str] = set()
    for content in contents:
        for goal in content.get("goals", []):
            competences.update(goal.get("competences", []))
            if goal.get("serves"):
                serves.add(goal["serves"])
            for activity in goal.get("activities", []):
                if activity.get("course"):
                    courses.add(activity["course"])
    return competences, serves, courses


def _serves(refs: Iterable[str]) -> dict[str, str]:
    goals = [ref.split(":", 1)[1] for ref in refs if ref.startswith("goal:")]
    areas = [ref.split(":", 1)[1] for ref in refs if ref.startswith("focus:")]
    named: dict[str, str] = {}
    if goals:
        for goal in RoundGoal.objects.filter(uuid__in=goals):
            named[f"goal:{goal.uuid.hex}"] = _("The round's goal: %(text)s") % {"text": goal.text}
    if areas:
        for area in FocusArea.objects.filter(uuid__in=areas).select_related("unit_round__unit"):
            named[f"focus:{area.uuid.hex}"] = _("Focus area of %(unit)s: %(text)s") % {
                "unit": area.unit_round.unit.name,
                "text": area.text,
            }
    return named


def link_labels(*contents: PlanContent) -> Links:
    """The names of what ``contents`` link to, for reading (no query when they link to nothing)."""
    competences, serves, courses = used_in(*contents)
    return Links(
        competences={c.uuid.hex: c.name for c in Competence.objects.filter(uuid__in=competences)}
        if competences
        else {},
        serves=_serves(serves) if serves else {},
        courses={c.uuid.hex: (c.code, c.title) for c in Course.objects.filter(uuid__in=courses)} if courses else {},
    )


def link_choices(plan: Plan, content: PlanContent) -> Links:
    """What the plan's goals and activities may link to: the competences and courses in use (and
    any the plan names already), the goals of the plan's round and the focus areas of the
    employee's unit and those above it in that round."""
    competences, serves, courses = used_in(content)
    conversation = plan.conversation
    rows = Competence.objects.filter(Q(active=True) | Q(uuid__in=competences)).order_by("group", "name")
    serve_refs = [
        f"goal:{g.hex}" for g in RoundGoal.objects.filter(round_id=conversation.round_id).values_list("uuid", flat=True)
    ]
    serve_refs += [
        f"focus:{a.hex}"
        for a in FocusArea.objects.filter(
            unit_round__round_id=conversation.round_id, unit_round__unit_id__in=plan.employee.unit.lineage_ids
        ).values_list("uuid", flat=True)
    ]
    return Links(
        competences={c.uuid.hex: c.name for c in rows},
        competence_groups={c.uuid.hex: c.get_group_display() for c in rows},
        serves=_serves([*serve_refs, *serves]),
        courses={
            c.uuid.hex: (c.code, c.title)
            for c in Course.objects.filter(Q(active=True) | Q(uuid__in=courses)).only("uuid", "code", "title")
        },
    )

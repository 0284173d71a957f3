"""The content as people read it, built in one place for every reader: the plan's page (its
writing section and the saved text beside a crossed save), each version's page and the signing
pages, the PDF, and the comparison of two versions (``diff``), which compares the lines built
here. So the same item reads in the same words wherever it is shown: "What someone typed comes
back as they would write it ("uge 8", "4.4.2027"), in their language, wherever it is shown:
form, page, comparison of versions, PDF" (docs/domain.md § Dates, weeks and words). Only the
form writes dates and weeks back as typed (``forms.writing.raw_from_content``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from samtale.plans.content import (
    FollowUpTopic,
    PlanContent,
    activity_type_ref,
    follow_up_point,
    point_text,
    reference_date,
    span_text,
    version_content,
)
from samtale.plans.links import Links, link_labels
from samtale.plans.models import BUILT_IN_ACTIVITY_TYPES, ActivityType

if TYPE_CHECKING:
    from samtale.plans.models import PlanVersion


@dataclass(frozen=True)
class ReadableFocusArea:
    id: str
    text: str
    must_improve: bool

    def lines(self) -> dict[str, str]:
        """The item's fields in words, by the stored field's name: what a comparison compares."""
        return {"text": self.text, "must_improve": _("Yes") if self.must_improve else _("No")}


@dataclass(frozen=True)
class ReadableTopic:
    id: str
    text: str
    responsible: str  # who, in words: "The leader", or the name written for someone else
    by: str  # "uge 10", "3. februar 2027"

    def lines(self) -> dict[str, str]:
        return {"text": self.text, "responsible": self.responsible, "by": self.by}


@dataclass(frozen=True)
class ReadableActivity:
    id: str
    type_label: str  # the type's name in the reader's language
    text: str
    when: str  # when it runs: "uge 10–16", "uge 52–2", "4. april 2027 – uge 16", "until uge 16"
    when_from: str  # the two ends of ``when`` each as a point ("uge 10", "uge 16"), for a comparison
    when_to: str
    starts: str
    follow_up_how: str
    follow_up_when: str
    course: str = ""  # the catalogue's course: "K-FERIE Ferieloven i praksis"

    def lines(self) -> dict[str, str]:
        return {
            "text": self.text,
            "type": self.type_label,
            "course": self.course,
            "from": self.when_from,
            "to": self.when_to,
            "starts": self.starts,
            "follow_up_how": self.follow_up_how,
            "follow_up_when": self.follow_up_when,
        }


@dataclass(frozen=True)
class ReadableGoal:
    id: str
    text: str
    measure: str
    milestones: str
    activities: tuple[ReadableActivity, ...]
    competences: tuple[str, ...] = ()  # the competences it builds, by name
    serves: str = ""  # "The round's goal: …", "Focus area of Løn: …"

    def lines(self) -> dict[str, str]:
        return {
            "text": self.text,
            "measure": self.measure,
            "milestones": self.milestones,
            "competences": ", ".join(self.competences),
            "serves": self.serves,
        }


@dataclass(frozen=True)
class ReadablePlan:
    focus_areas: tuple[ReadableFocusArea, ...]
    follow_up_topics: tuple[ReadableTopic, ...]
    goals: tuple[ReadableGoal, ...]
    follow_up: str  # the follow-up conversation: "uge 18", "3. maj 2027", or ""


type ReadableItem = ReadableFocusArea | ReadableTopic | ReadableGoal | ReadableActivity


def activity_type_labels(*contents: PlanContent) -> dict[str, str]:
    """The catalogue's names for the activity types ``contents`` use (by key or uuid), in the
    current language: one query, none when no activity has a type."""
    wanted = {
        str(activity.get("type", ""))
        for content in contents
        for goal in content.get("goals", [])
        for activity in goal.get("activities", [])
    }
    wanted.discard("")
    if not wanted:
        return {}
    # A built-in type by its key, one of HR's by its uuid's hex (activity_type_ref).
    uuids = [value for value in wanted if len(value) == 32 and all(c in "0123456789abcdef" for c in value)]
    return {
        activity_type_ref(activity_type): activity_type.label
        for activity_type in ActivityType.objects.filter(Q(key__in=wanted) | Q(uuid__in=uuids))
    }


def _type_label(ref: str, labels: Mapping[str, str]) -> str:
    """A type's name; a type the catalogue does not have reads as it is stored, never as nothing."""
    if ref in labels:
        return labels[ref]
    if ref in BUILT_IN_ACTIVITY_TYPES:
        return str(BUILT_IN_ACTIVITY_TYPES[ref])
    return ref


def readable_content(
    content: PlanContent,
    *,
    labels: Mapping[str, str],
    reference: date,
    follow_up: str = "",
    links: Links | None = None,
) -> ReadablePlan:
    """``content`` in words: the activity types by their names (``labels``, by key or uuid), who
    is responsible in words, dates and weeks as people read them from ``reference`` (the
    conversation's date, ``reference_date``), and ``follow_up`` (a stored point, the
    version's) likewise, and what goals and activities link to by name (``links``, from
    ``plans.links.link_labels``). The one place a plan's text is made readable."""
    named = links or Links()

    def course(ref: str) -> str:
        if not ref:
            return ""
        code, title = named.courses.get(ref, ("", ""))
        return f"{code} {title}".strip() or _("(a course no longer in the catalogue)")

    responsible = {"employee": _("The employee"), "leader": _("The leader")}

    def point(value: str) -> str:
        return point_text(value or "", reference=reference)

    def who(topic: FollowUpTopic) -> str:
        if topic.get("responsible") == "other":
            return topic.get("responsible_name") or ""
        return responsible.get(topic.get("responsible", ""), "")

    return ReadablePlan(
        focus_areas=tuple(
            ReadableFocusArea(
                id=area.get("id", ""), text=area.get("text", ""), must_improve=bool(area.get("must_improve"))
            )
            for area in content.get("focus_areas", [])
        ),
        follow_up_topics=tuple(
            ReadableTopic(
                id=topic.get("id", ""),
                text=topic.get("text", ""),
                responsible=who(topic),
                by=point(topic.get("by", "")),
            )
            for topic in content.get("follow_up_topics", [])
        ),
        goals=tuple(
            ReadableGoal(
                id=goal.get("id", ""),
                text=goal.get("text", ""),
                measure=goal.get("measure", ""),
                milestones=goal.get("milestones", ""),
                activities=tuple(
                    ReadableActivity(
                        id=activity.get("id", ""),
                        type_label=_type_label(activity.get("type", ""), labels),
                        text=activity.get("text", ""),
                        when=span_text(activity.get("from", ""), activity.get("to", ""), reference=reference),
                        when_from=point(activity.get("from", "")),
                        when_to=point(activity.get("to", "")),
                        starts=activity.get("starts", ""),
                        follow_up_how=activity.get("follow_up_how", ""),
                        follow_up_when=point(activity.get("follow_up_when", "")),
                        course=course(activity.get("course", "")),
                    )
                    for activity in goal.get("activities", [])
                ),
                competences=tuple(named.competences.get(ref, "–") for ref in goal.get("competences", [])),
                serves=named.serves.get(goal.get("serves", ""), "") if goal.get("serves") else "",
            )
            for goal in content.get("goals", [])
        ),
        follow_up=point(follow_up),
    )


def readable_version(version: PlanVersion, *, labels: Mapping[str, str] | None = None) -> ReadablePlan:
    """``readable_content`` for a stored version: its content and follow-up, read from its plan's
    conversation; the types' names looked up unless ``labels`` gives them."""
    content = version_content(version)
    return readable_content(
        content,
        labels=activity_type_labels(content) if labels is None else labels,
        reference=reference_date(version.plan),
        follow_up=follow_up_point(version),
        links=link_labels(content),
    )

"""Helpers for the plan's tests: a held conversation with its plan, and content to save."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from samtale.access.viewer import Viewer, viewer_for
from samtale.conversations.services import meeting
from samtale.plans.forms.writing import RawContent
from samtale.plans.models import Plan, PlanVersion
from samtale.testing import Mus, Org


def as_(org: Org, persona: str) -> Viewer:
    return viewer_for(org.user(persona))


def held_plan(org: Org, mus: Mus) -> Plan:
    """The employee's conversation marked held today by the leader: the plan exists."""
    meeting.conversation_mark_held(
        viewer=as_(org, "leader"), conversation=mus.conversation, held_on=timezone.localdate()
    )
    return Plan.objects.select_related("conversation__round__concept", "employee").get(conversation=mus.conversation)


def save_plan(org: Org, plan: Plan, content: RawContent | None = None, *, persona: str = "employee") -> PlanVersion:
    """The plan saved once through the writing service (by the employee: the plan is started)."""
    from samtale.plans.services import writing

    version = version_of(plan)
    return writing.plan_save(
        viewer=as_(org, persona),
        version=version,
        content=content if content is not None else raw(),
        follow_up="",
        revision=version.revision,
    )


def follow_up_week(weeks: int = 10) -> int:
    """The number of the week ``weeks`` from today: "uge N" is then a follow-up within the
    concept's 6 months of a conversation held today, whatever day the tests run ("uge 20" was
    next year's week 20, beyond the 6 months, from the end of May)."""
    from datetime import timedelta

    return (timezone.localdate() + timedelta(weeks=weeks)).isocalendar().week


def version_of(plan: Plan) -> PlanVersion:
    version = plan.versions.order_by("-number").first()
    assert version is not None
    return version


def raw(
    *,
    focus: str = "Mere ansvar for lønkørslen",
    goal: str = "Kan køre lønnen alene",
    measure: str = "Har kørt lønnen tre måneder uden hjælp",
    activity_type: str = "peer_training",
    start: str = "uge 10–16",
    end: str = "",
    starts: str = "Min leder",
    **extra: Any,
) -> RawContent:
    """Content as the form posts it: one focus area, one goal with one activity."""
    return {
        "focus_areas": [{"prefix": "fa-0", "id": "", "text": focus, "must_improve": extra.get("must_improve", False)}],
        "follow_up_topics": extra.get("topics", []),
        "goals": [
            {
                "prefix": "goal-0",
                "id": "",
                "text": goal,
                "measure": measure,
                "milestones": "",
                "activities": [
                    {
                        "prefix": "goal-0-act-0",
                        "id": "",
                        "type": activity_type,
                        "text": "Sidemandsoplæring med Kåre",
                        "from": start,
                        "to": end,
                        "starts": starts,
                        "follow_up_how": "Evalueres på teammøde",
                        "follow_up_when": "",
                    }
                ],
            }
        ],
    }


def topic(**fields: str) -> dict[str, str]:
    """A follow-up topic as the form posts it: "Deltid", nobody responsible and no deadline
    unless ``fields`` say so."""
    row = {"prefix": "topic-0", "id": "", "text": "Deltid", "responsible": "", "responsible_name": "", "by": ""}
    return row | fields


def post_data(content: RawContent, *, follow_up: str = "", revision: int = 0) -> dict[str, Any]:
    """The form's fields for ``raw`` content."""
    data: dict[str, Any] = {"revision": str(revision), "follow_up": follow_up}
    data["fa-count"] = str(len(content["focus_areas"]))
    for row in content["focus_areas"]:
        data[f"{row['prefix']}-id"] = row.get("id", "")
        data[f"{row['prefix']}-text"] = row["text"]
        if row.get("must_improve"):
            data[f"{row['prefix']}-must_improve"] = "on"
    data["topic-count"] = str(len(content["follow_up_topics"]))
    for row in content["follow_up_topics"]:
        for key, value in row.items():
            if key != "prefix":
                data[f"{row['prefix']}-{key}"] = value
    data["goal-count"] = str(len(content["goals"]))
    for goal in content["goals"]:
        for key in ("id", "text", "measure", "milestones", "serves"):
            data[f"{goal['prefix']}-{key}"] = goal.get(key, "")
        if goal.get("competences"):
            data[f"{goal['prefix']}-competences"] = goal["competences"]
        data[f"{goal['prefix']}-act-count"] = str(len(goal["activities"]))
        for activity in goal["activities"]:
            for key, value in activity.items():
                if key != "prefix":
                    data[f"{activity['prefix']}-{key}"] = value
    return data

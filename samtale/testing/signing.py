"""Helpers for the signing tests (the writing tests have theirs in plans.py): a held
conversation with a plan whose version 1 is complete, handed in, signed by one side or by both,
built through the signing services. The plan itself is made through the models when the
conversation's outcome has not made it, so these tests do not depend on how the writing area
starts it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

from django.utils import timezone

from samtale.access.viewer import Viewer, viewer_for
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.plans.content import PlanContent, empty_content, version_content
from samtale.plans.models import Plan, PlanStatus, PlanVersion
from samtale.plans.services import signing
from samtale.testing import PASSWORD, Mus, Org


def as_(org: Org, persona: str) -> Viewer:
    return viewer_for(org.user(persona))


def english(org: Org, *personas: str) -> None:
    for persona in personas:
        user = org.user(persona)
        user.language = "en"
        user.save(update_fields=["language"])


def _id() -> str:
    return uuid4().hex


def complete_content() -> PlanContent:
    """A plan with every required part: a focus area (one that must improve), a topic, a goal
    with two activities."""
    return {
        "focus_areas": [
            {"id": _id(), "text": "Lønsystemet: blive sikker i de nye moduler", "must_improve": False},
            {"id": _id(), "text": "Svartider på mails", "must_improve": True},
        ],
        "follow_up_topics": [
            {"id": _id(), "text": "Deltid i foråret", "responsible": "leader", "responsible_name": "", "by": "2027-W10"}
        ],
        "goals": [
            {
                "id": _id(),
                "text": "Kan selv køre lønkørslen",
                "measure": "Har kørt to lønkørsler uden hjælp",
                "milestones": "Første kørsel med sidemand i marts",
                "activities": [
                    {
                        "id": _id(),
                        "type": "peer_training",
                        "text": "Sidemandsoplæring hos Kåre",
                        "from": "2027-W10",
                        "to": "2027-W16",
                        "starts": "min leder",
                        "follow_up_how": "evalueres på teammøde",
                        "follow_up_when": "2027-W17",
                    },
                    {
                        "id": _id(),
                        "type": "professional_courses",
                        "text": "Kursus i lønmodulet",
                        "from": "2027-04-01",
                        "to": "2027-04-02",
                        "starts": "mig",
                        "follow_up_how": "kort opsummering til teamet",
                        "follow_up_when": "2027-05-01",
                    },
                ],
            }
        ],
    }


def held(mus: Mus) -> Conversation:
    conversation: Conversation = mus.conversation
    conversation.refresh_from_db()  # a rolled-back test may have left the object ahead of the database
    if conversation.status != ConversationStatus.HELD:
        held_on = timezone.localdate() - timedelta(days=2)
        Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.HELD, held_on=held_on)
        conversation.refresh_from_db()
    return conversation


def make_plan(mus: Mus, *, content: PlanContent | None = None, complete: bool = True) -> Plan:
    """The employee's plan with version 1 (complete unless told otherwise), a draft."""
    conversation = held(mus)
    assert conversation.held_on is not None
    plan = Plan.objects.filter(conversation=conversation).first()
    if plan is None:
        plan = Plan.objects.create(
            conversation=conversation,
            employee_id=conversation.employee_id,
            due_on=conversation.held_on + timedelta(days=14),
        )
    text = content if content is not None else (complete_content() if complete else empty_content())
    follow_up_on = conversation.held_on + timedelta(days=150) if complete else None
    version = plan.versions.order_by("-number").first()
    if version is None:
        PlanVersion.objects.create(
            plan=plan, number=1, status=PlanStatus.DRAFT, content=copy.deepcopy(text), follow_up_on=follow_up_on
        )
    else:
        PlanVersion.objects.filter(pk=version.pk).update(content=copy.deepcopy(text), follow_up_on=follow_up_on)
    return reload(plan)


def reload(plan: Plan) -> Plan:
    return Plan.objects.select_related("employee", "employee__unit", "employee__personnel_leader", "conversation").get(
        pk=plan.pk
    )


def submitted_plan(org: Org, mus: Mus) -> Plan:
    plan = make_plan(mus)
    signing.plan_submit(viewer=as_(org, "employee"), plan=plan)
    return reload(plan)


def sign_as(org: Org, plan: Plan, persona: str, password: str = PASSWORD) -> Any:
    return signing.plan_sign(viewer=as_(org, persona), plan=reload(plan), password=password)


def signed_plan(org: Org, mus: Mus) -> Plan:
    plan = submitted_plan(org, mus)
    sign_as(org, plan, "leader")
    sign_as(org, plan, "employee")
    return reload(plan)


def edit_current(plan: Plan, change: Callable[[PlanContent], object]) -> PlanVersion:
    """Change the current (unsigned) version's content as the employee's form would."""
    version = signing.current_version(plan)
    content = copy.deepcopy(version_content(version))
    change(content)
    PlanVersion.objects.filter(pk=version.pk).update(content=content)
    version.refresh_from_db()
    return version

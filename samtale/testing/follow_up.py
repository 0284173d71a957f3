"""Helpers for the follow-up's tests: a held conversation with a plan whose first version both
have signed, built directly through the models (so these tests do not depend on how a plan is
written and signed), and the ids of its goals and activities."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from samtale.access.viewer import Viewer, viewer_for
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.org.models import Person
from samtale.plans import content
from samtale.plans.models import Plan, PlanStatus, PlanVersion, Side, Signature
from samtale.testing import Mus, Org

GOAL = "a" * 32
ACTIVITY = "b" * 32
SECOND_GOAL = "c" * 32
SECOND_ACTIVITY = "d" * 32


def as_(org: Org, persona: str) -> Viewer:
    return viewer_for(org.user(persona))


def complete_content() -> content.PlanContent:
    """A plan as the employee would hand it in: a focus area, two goals with an activity each."""
    return {
        "focus_areas": [{"id": "f" * 32, "text": "Mere ansvar for lønkørslen", "must_improve": False}],
        "follow_up_topics": [],
        "goals": [
            {
                "id": GOAL,
                "text": "Kan køre lønnen alene",
                "measure": "Har kørt lønnen tre måneder uden hjælp",
                "milestones": "",
                "activities": [
                    {
                        "id": ACTIVITY,
                        "type": "peer_training",
                        "text": "Sidemandsoplæring med Kåre",
                        "from": "2027-W10",
                        "to": "2027-W16",
                        "starts": "Min leder",
                        "follow_up_how": "Evalueres på teammøde",
                        "follow_up_when": "2027-W17",
                    }
                ],
            },
            {
                "id": SECOND_GOAL,
                "text": "Kender de nye regler for feriepenge",
                "measure": "Kan forklare dem for teamet",
                "milestones": "",
                "activities": [
                    {
                        "id": SECOND_ACTIVITY,
                        "type": "professional_courses",
                        "text": "Kursus i ferieloven",
                        "from": "",
                        "to": "",
                        "starts": "Jeg selv",
                        "follow_up_how": "Oplæg på teammøde",
                        "follow_up_when": "",
                    }
                ],
            },
        ],
    }


def make_signed_plan(
    conversation: Conversation,
    *,
    leader: Person,
    held_on: date | None = None,
    follow_up_by: date | None = None,
    signed: bool = True,
) -> Plan:
    """The conversation marked held by ``leader`` and its plan, whose first version (complete
    content, the follow-up agreed by ``follow_up_by`` or not at all) is signed by the employee and
    ``leader`` unless ``signed`` is False; straight through the models."""
    held_on = held_on or timezone.localdate()
    Conversation.objects.filter(pk=conversation.pk).update(
        status=ConversationStatus.HELD, held_on=held_on, held_with=leader
    )
    conversation.refresh_from_db()
    plan, _created = Plan.objects.get_or_create(
        conversation=conversation,
        defaults={"employee": conversation.employee, "due_on": held_on + timedelta(days=14)},
    )
    version = plan.versions.order_by("-number").first()
    if version is None:
        version = PlanVersion.objects.create(plan=plan, number=1, content=complete_content())
    if signed and not version.is_frozen:
        now = timezone.now()
        version.content = complete_content()
        version.follow_up_on = follow_up_by
        version.status = PlanStatus.SIGNED
        version.submitted_at = now
        version.save(update_fields=["content", "follow_up_on", "status", "submitted_at"])
        version.content_hash = content.content_hash(version)
        version.signed_at = now
        version.save(update_fields=["content_hash", "signed_at"])
        for side, person in ((Side.LEADER, leader), (Side.EMPLOYEE, conversation.employee)):
            Signature.objects.create(
                version=version, person=person, side=side, signed_at=now, content_hash=version.content_hash
            )
        plan.status = PlanStatus.SIGNED
        plan.submitted_at = plan.submitted_at or now
        plan.signed_at = plan.signed_at or now
        plan.follow_up_by = follow_up_by
        plan.save(update_fields=["status", "submitted_at", "signed_at", "follow_up_by"])
    return Plan.objects.select_related(
        "employee", "employee__unit", "employee__personnel_leader", "conversation", "conversation__round__concept"
    ).get(pk=plan.pk)


def draft_plan(org: Org, mus: Mus, *, held_on: date | None = None) -> Plan:
    """A held conversation with a plan that is not signed yet."""
    return make_signed_plan(mus.conversation, leader=org.leader, held_on=held_on, signed=False)


def signed_plan(
    org: Org,
    mus: Mus,
    *,
    held_on: date | None = None,
    follow_up_by: date | None = None,
    leader: Person | None = None,
) -> Plan:
    """The employee's conversation held by their leader, and the plan signed by both."""
    return make_signed_plan(mus.conversation, leader=leader or org.leader, held_on=held_on, follow_up_by=follow_up_by)


def move_employee_to(org: Org, new_leader: Person, *, unit: Any = None) -> None:
    """HR moves the employee to the new leader's unit (so the former leader, who leads Løn, is
    not in the employee's leader chain either) with the new personnel leader, by hand, through
    the organisation's service."""
    from samtale.org.services import person_change_placement

    person_change_placement(
        viewer=as_(org, "hr"),
        person=org.employee,
        unit=unit or new_leader.unit,
        personnel_leader=new_leader,
        daily_leader=org.employee.daily_leader,
    )
    org.employee.refresh_from_db()

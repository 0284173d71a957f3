"""Fetching an object for a viewer. A missing object and an object the viewer may not see give the
same 404, so a stranger never learns that something exists (docs/trust.md § Access matrix)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from samtale.access import policies
from samtale.access.viewer import Viewer
from samtale.lib.queries import one_or_none
from samtale.org.models import Person, Unit

if TYPE_CHECKING:
    from samtale.conversations.models import Conversation
    from samtale.plans.models import Plan


def person_for_viewer(viewer: Viewer, person_uuid: UUID | str) -> Person:
    person = one_or_none(
        Person.objects.select_related("unit", "personnel_leader", "daily_leader", "user").filter(uuid=person_uuid),
        key="access.person_for_viewer",
    )
    if person is None or not policies.may_view_person(viewer, person):
        raise Http404
    return person


def person_for_placement_change(viewer: Viewer, person_uuid: UUID | str) -> Person:
    """404 for those who may not see the person; 403 for those who may see but not change."""
    person = person_for_viewer(viewer, person_uuid)
    if not policies.may_change_placement(viewer, person):
        raise PermissionDenied
    return person


def unit_for_viewer(viewer: Viewer, unit_uuid: UUID | str) -> Unit:
    unit = one_or_none(
        Unit.objects.select_related("leader", "parent").filter(uuid=unit_uuid), key="access.unit_for_viewer"
    )
    if unit is None or not policies.may_view_organisation(viewer):
        raise Http404
    return unit


def require(allowed: bool) -> None:
    """For pages that are not about one object (the import, the role list): a viewer without the
    role gets 404, as if the page did not exist."""
    if not allowed:
        raise Http404


def conversation_for_viewer(viewer: Viewer, conversation_uuid: UUID | str) -> Conversation:
    """A conversation whose invitation the viewer may see; else 404."""
    from samtale.access.round_policies import may_view_conversation
    from samtale.conversations.models import Conversation

    conversation = one_or_none(
        Conversation.objects.select_related(
            "round",
            "round__concept",
            "employee",
            "employee__unit",
            "employee__personnel_leader",
            "daily_leader",
            "union_rep",
        ).filter(uuid=conversation_uuid),
        key="access.conversation_for_viewer",
    )
    if conversation is None or not may_view_conversation(viewer, conversation):
        raise Http404
    return conversation


def plan_for_viewer(viewer: Viewer, plan_uuid: UUID | str) -> Plan:
    """A development plan the viewer may read; else 404."""
    from samtale.access.plan_policies import may_view_plan
    from samtale.plans.models import Plan

    plan = one_or_none(
        Plan.objects.select_related(
            "employee",
            "employee__unit",
            "employee__personnel_leader",
            "conversation",
            "conversation__round",
            "conversation__round__concept",
        ).filter(uuid=plan_uuid),
        key="access.plan_for_viewer",
    )
    if plan is None or not may_view_plan(viewer, plan):
        raise Http404
    return plan


def plan_of_conversation(viewer: Viewer, conversation: Conversation) -> Plan | None:
    """For the conversation's page: its plan, if there is one and the viewer may read it."""
    from samtale.access.plan_policies import may_view_plan
    from samtale.plans.models import Plan

    plan = one_or_none(
        Plan.objects.select_related("employee", "employee__unit").filter(conversation=conversation),
        key="access.plan_of_conversation",
    )
    if plan is None or not may_view_plan(viewer, plan):
        return None
    return plan


def require_write(allowed: bool) -> None:
    """A write to an object the viewer may read: 403 when refused, since the viewer already knows it
    exists (docs/trust.md § Access matrix)."""
    if not allowed:
        raise PermissionDenied


def leader_for_report(viewer: Viewer, survey_uuid: UUID | str, person_uuid: UUID | str) -> tuple[Any, Person]:
    """A 360 and the leader it asks about, for those who may read the leader's report; 404 for
    everyone else, also when the survey or the leader does not exist."""
    from samtale.access.survey_policies import may_view_leader_report
    from samtale.surveys.models import Invitation, Side, Survey, SurveyKind

    survey = one_or_none(
        Survey.objects.select_related("round").filter(uuid=survey_uuid, kind=SurveyKind.LEADER_360),
        key="access.leader_for_report",
    )
    leader = one_or_none(
        Person.objects.select_related("unit").filter(uuid=person_uuid), key="access.leader_for_report.2"
    )
    if survey is None or leader is None:
        raise Http404
    asked_about = Invitation.objects.filter(survey=survey, subject=leader, side=Side.SELF).exists()
    if not asked_about or not may_view_leader_report(viewer, leader):
        raise Http404
    return survey, leader


def person_for_privacy(viewer: Viewer, person_uuid: UUID | str) -> Person:
    """A person whose legal hold, export or erasure the viewer handles (HR or the data protection
    officer covering them, whether employed or left); else 404."""
    from samtale.access.privacy_policies import may_hold

    person = one_or_none(
        Person.objects.select_related("unit", "user").filter(uuid=person_uuid), key="access.person_for_privacy"
    )
    if person is None or not may_hold(viewer, person):
        raise Http404
    return person


def person_for_register(viewer: Viewer, person_uuid: UUID | str) -> Person:
    """A person whose competence register and education record the viewer may read (the person,
    the personnel leader, the chain); else 404, whether the person exists or not."""
    from samtale.access.competence_policies import may_view_register

    person = one_or_none(
        Person.objects.select_related("unit", "personnel_leader", "user").filter(uuid=person_uuid),
        key="access.person_for_register",
    )
    if person is None or not may_view_register(viewer, person):
        raise Http404
    return person


def seat_request_for_viewer(viewer: Viewer, request_uuid: UUID | str) -> Any:
    """A seat request the viewer may see; else 404."""
    from samtale.access.competence_policies import may_view_seat_request
    from samtale.learning.models import SeatRequest

    seat_request = one_or_none(
        SeatRequest.objects.select_related(
            "person__unit", "person__personnel_leader", "session__course", "plan"
        ).filter(uuid=request_uuid),
        key="access.seat_request_for_viewer",
    )
    if seat_request is None or not may_view_seat_request(viewer, seat_request):
        raise Http404
    return seat_request

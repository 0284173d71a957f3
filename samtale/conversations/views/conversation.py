from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from samtale.access import lookups, policies
from samtale.access.relations import Relation, conversation_relations
from samtale.access.viewer import get_viewer
from samtale.conversations.selectors.steps import conversation_steps, side_for
from samtale.conversations.views import meeting, scheduling
from samtale.lib.queries import fetch
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.selectors.unit_round import focus_areas_for


@login_required
def detail(request: AuthenticatedRequest, conversation_uuid: str) -> HttpResponse:
    """The conversation's page: what each person may see of it, section by section."""
    viewer = get_viewer(request)
    conversation = lookups.conversation_for_viewer(viewer, conversation_uuid)
    relations = conversation_relations(viewer, conversation)
    context = {
        "conversation": conversation,
        "is_employee": Relation.SELF in relations,
        "is_leader": Relation.PERSONNEL_LEADER in relations,
        # The way back: a leader's team; for the employee, and for a daily leader or union
        # representative invited to it, the start page (where "Shared with you" lists it).
        "back_to_team": Relation.SELF not in relations and policies.may_view_team(viewer),
        "phases": fetch(conversation.round.concept.phases.all(), "rounds.concept_phases"),
        "focus_areas": focus_areas_for(round_=conversation.round, unit=conversation.employee.unit),
        **scheduling.section_context(viewer, conversation),
        **meeting.section_context(viewer, conversation),
        "plan": lookups.plan_of_conversation(viewer, conversation),
        "steps": conversation_steps(conversation, side=side_for(relations)),
    }
    return render(request, "conversations/detail.html", context)

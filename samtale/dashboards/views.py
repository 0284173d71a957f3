from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from samtale.access import lookups, plan_policies, policies, round_policies
from samtale.access.viewer import get_viewer
from samtale.conversations.selectors.conversation import conversations_attended_by, conversations_of, team_conversations
from samtale.lib.requests import AuthenticatedRequest
from samtale.org import selectors
from samtale.org.models import RoleKind
from samtale.plans.selectors import plans_shared_with
from samtale.rounds.selectors.running import led_units_in_rounds, round_in_my_unit, round_waiting_for_goals
from samtale.surveys.selectors.surveys import invitations_waiting


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """My conversations: the start page of every employee, with whom to ask about MUS."""
    viewer = get_viewer(request)
    if viewer.person is None:
        if policies.may_administer(viewer):
            return redirect("admin:index")
        return render(request, "dashboards/no_person.html")
    me = viewer.person
    return render(
        request,
        "dashboards/home.html",
        {
            "me": me,
            "hr_contacts": selectors.contact_roles_for(person=me, kind=RoleKind.HR),
            "union_reps": selectors.contact_roles_for(person=me, kind=RoleKind.UNION_REP),
            "conversations": conversations_of(employee=me),
            # The round in the employee's unit, and the units a leader leads in it.
            "mine": round_in_my_unit(person=me, led_units=viewer.led_units),
            "led": led_units_in_rounds(led_units=viewer.led_units),
            "evaluations": invitations_waiting(person=me),
            # Management: the round being prepared waits for its goals.
            "goals_wanted": round_waiting_for_goals() if round_policies.may_write_goals(viewer) else None,
            # The daily leader and the union representative: what employees invited or shared them to.
            "attended": [
                c for c in conversations_attended_by(person=me) if round_policies.may_view_conversation(viewer, c)
            ],
            "shared_plans": [p for p in plans_shared_with(viewer=viewer) if plan_policies.may_view_plan(viewer, p)],
        },
    )


@login_required
def team(request: AuthenticatedRequest) -> HttpResponse:
    """The leader's team: each direct report's conversation in every launched round (scheduled,
    preparation shared, held, overdue), then the people they lead."""
    viewer = get_viewer(request)
    lookups.require(policies.may_view_team(viewer))
    assert viewer.person is not None
    return render(
        request,
        "dashboards/team.html",
        {
            "rounds": team_conversations(leader=viewer.person),
            "reports": selectors.person_direct_reports(leader=viewer.person),
            "daily_reports": selectors.person_daily_reports(leader=viewer.person),
            "led_units": viewer.led_units,
        },
    )

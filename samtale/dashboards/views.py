from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from samtale.access import lookups, plan_policies, policies
from samtale.access.viewer import get_viewer
from samtale.conversations.selectors.conversation import team_conversations
from samtale.dashboards.todo import start_page_for, todo_list
from samtale.lib.requests import AuthenticatedRequest
from samtale.org import selectors
from samtale.org.models import RoleKind
from samtale.plans.selectors.shared import plans_shared_with


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """My conversations: the start page of every employee, with whom to ask about MUS."""
    viewer = get_viewer(request)
    if viewer.person is None:
        if policies.may_administer(viewer):
            return redirect("admin:index")
        return render(request, "dashboards/no_person.html")
    me = viewer.person
    page = start_page_for(viewer)
    contacts = selectors.contact_roles(person=me, kinds=(RoleKind.HR, RoleKind.UNION_REP, RoleKind.EDUCATION))
    return render(
        request,
        "dashboards/home.html",
        {
            "me": me,
            "todo": todo_list(viewer, page),
            "hr_contacts": contacts[RoleKind.HR],
            "union_reps": contacts[RoleKind.UNION_REP],
            "educators": contacts[RoleKind.EDUCATION],
            "conversations": page.conversations,
            "mine": page.mine,
            "led": page.led,
            "goals_wanted": page.goals_wanted,
            # The daily leader and the union representative: what employees invited or shared them to.
            "attended": page.attended,
            "shared_plans": [p for p in plans_shared_with(viewer=viewer) if plan_policies.may_view_plan(viewer, p)],
        },
    )


_LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def organisation_logo(request: HttpRequest) -> HttpResponse:
    """The organisation's logo (``ORGANISATION_LOGO``), for the header and the e-mails; public,
    like the sign-in page it shows on, and kept by browsers for a day."""
    path = Path(settings.ORGANISATION_LOGO) if settings.ORGANISATION_LOGO else None
    kind = _LOGO_TYPES.get(path.suffix.lower()) if path else None
    if path is None or kind is None or not path.is_file():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type=kind)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def todo_count(request: AuthenticatedRequest) -> HttpResponse:
    """The number beside "My conversations" in the menu: how many things the start page lists. Asked
    by the menu after the page has loaded (htmx), so no page waits for it; the start page writes it
    from the list it shows."""
    viewer = get_viewer(request)
    count = len(todo_list(viewer, start_page_for(viewer))) if viewer.person is not None else 0
    response = render(request, "dashboards/_todo_count.html", {"count": count})
    response["Cache-Control"] = "private, no-store"
    return response


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

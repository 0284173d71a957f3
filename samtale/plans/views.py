"""The plan's page: one page composed of the sections of each area (writing, signing,
follow-up), each asked for what it needs by its ``section_context``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from samtale.access import lookups
from samtale.access.viewer import Viewer, get_viewer
from samtale.lib.requests import AuthenticatedRequest
from samtale.plans import follow_up_views, signing_views, writing, writing_views
from samtale.plans.models import Plan


def render_detail(
    request: AuthenticatedRequest, viewer: Viewer, plan: Plan, *, status: int = 200, **writing_extra: Any
) -> HttpResponse:
    context = {
        **writing_views.section_context(request, viewer, plan, **writing_extra),
        **signing_views.section_context(request, viewer, plan),
        **follow_up_views.section_context(request, viewer, plan),
    }
    return render(request, "plans/detail.html", context, status=status)


@login_required
def detail(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """The development plan: 404 for anyone who may not read it; every reader but the employee is
    recorded in the audit trail (docs/trust.md § Audit trail)."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    writing.plan_read_record(viewer=viewer, plan=plan)
    return render_detail(request, viewer, plan)

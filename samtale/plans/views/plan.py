"""The plan's page: one page composed of the sections of each area (writing, signing,
follow-up), each asked for what it needs by its ``section_context``; and the comment, whose form
errors show the whole page again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samtale.access import lookups, plan_policies
from samtale.access.relations import relations_to
from samtale.access.viewer import Viewer, get_viewer
from samtale.conversations.selectors.steps import conversation_steps, side_for
from samtale.lib.requests import AuthenticatedRequest
from samtale.plans.forms.writing import CommentForm
from samtale.plans.models import Plan
from samtale.plans.selectors.steps import plan_steps
from samtale.plans.services.follow_up import follow_up_of, is_signed
from samtale.plans.services.signing import current_version
from samtale.plans.services.writing import plan_comment_add, plan_read_record
from samtale.plans.views import follow_up, signing, writing


def render_detail(
    request: AuthenticatedRequest, viewer: Viewer, plan: Plan, *, status: int = 200, **writing_extra: Any
) -> HttpResponse:
    side = side_for(relations_to(viewer, plan.employee))
    # Read once for the steps and the three sections: the current version, and the follow-up
    # conversation (there is none before the plan is signed).
    version = current_version(plan)
    record = follow_up_of(plan) if is_signed(plan) else None
    context = {
        # The plan's own steps from the plan in hand, not asked for again.
        "steps": conversation_steps(plan.conversation, side=side, later=plan_steps(plan, side=side, follow_up=record)),
        **writing.section_context(request, viewer, plan, version=version, **writing_extra),
        **signing.section_context(request, viewer, plan, version=version),
        **follow_up.section_context(request, viewer, plan, version=version, record=record),
    }
    return render(request, "plans/detail.html", context, status=status)


@login_required
def detail(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """The development plan: 404 for anyone who may not read it; every reader but the employee is
    recorded in the audit trail (docs/trust.md § Audit trail)."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    plan_read_record(viewer=viewer, plan=plan)
    return render_detail(request, viewer, plan)


@login_required
@require_POST
def comment_add(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """The leader comments or suggests; the employee is told."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    lookups.require_write(plan_policies.may_comment_on_plan(viewer, plan))
    form = CommentForm(request.POST)
    if form.is_valid():
        version = current_version(plan)
        try:
            plan_comment_add(viewer=viewer, version=version, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your comment is saved, and the employee is told."))
            return redirect(reverse("plans:detail", args=[plan.uuid]) + "#comments")
    plan_read_record(viewer=viewer, plan=plan)  # the page shows the plan again
    return render_detail(request, viewer, plan, comment_form=form, status=400)

"""The round's strategic goals: management writes, edits, orders and removes them; everyone taking
part reads them (docs/domain.md § Before the conversation, step 1, and § The round)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samtale.access import lookups, round_policies
from samtale.access.viewer import Viewer, get_viewer
from samtale.lib.confirm import Question, ask_first
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.forms.rounds import TextForm, add_service_errors, goal_form
from samtale.rounds.lookups import goal_for_viewer, round_for_viewer
from samtale.rounds.models import Round, RoundStatus
from samtale.rounds.services import goals


def _context(viewer: Viewer, round_: Round, form: TextForm | None = None) -> dict[str, Any]:
    may_write = round_policies.may_write_goals(viewer) and round_.status != RoundStatus.CLOSED
    return {
        "round": round_,
        "goals": list(round_.goals.all()),
        "may_write": may_write,
        "may_manage": round_policies.may_manage_rounds(viewer),
        "form": form or (goal_form() if may_write else None),
    }


@login_required
def goal_list(request: AuthenticatedRequest, round_uuid: str) -> HttpResponse:
    """The goals; management adds one by posting here."""
    viewer = get_viewer(request)
    round_ = round_for_viewer(viewer, round_uuid)
    if request.method != "POST":
        return render(request, "rounds/goals.html", _context(viewer, round_))
    lookups.require_write(round_policies.may_write_goals(viewer))
    form = goal_form(request.POST)
    if form.is_valid():
        try:
            goals.goal_add(viewer=viewer, round_=round_, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The goal is added."))
            return redirect("rounds:goals", round_uuid=round_.uuid)
    return render(request, "rounds/goals.html", _context(viewer, round_, form), status=400)


@login_required
def goal_edit(request: AuthenticatedRequest, round_uuid: str, goal_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    goal = goal_for_viewer(viewer, round_uuid, goal_uuid)
    lookups.require_write(round_policies.may_write_goals(viewer))
    form = goal_form(request.POST if request.method == "POST" else None, initial={"text": goal.text})
    if form.is_bound and form.is_valid():
        try:
            goals.goal_update(viewer=viewer, goal=goal, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("rounds:goals", round_uuid=goal.round.uuid)
    context = {"round": goal.round, "goal": goal, "form": form}
    return render(request, "rounds/goals_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def goal_move(request: AuthenticatedRequest, round_uuid: str, goal_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    goal = goal_for_viewer(viewer, round_uuid, goal_uuid)
    lookups.require_write(round_policies.may_write_goals(viewer))
    try:
        goals.goal_move(viewer=viewer, goal=goal, direction=-1 if request.POST.get("direction") == "up" else 1)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("rounds:goals", round_uuid=goal.round.uuid)


@login_required
@require_POST
def goal_remove(request: AuthenticatedRequest, round_uuid: str, goal_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    goal = goal_for_viewer(viewer, round_uuid, goal_uuid)
    lookups.require_write(round_policies.may_write_goals(viewer))
    question = Question(
        title=_("Remove the goal “%(text)s”?") % {"text": Truncator(goal.text).chars(80)},
        confirm=_("Yes, remove it"),
        cancel_url=reverse("rounds:goals", args=[goal.round.uuid]),
        consequences=(_("It goes from the round; it cannot be brought back, only written again."),),
        danger=True,
    )
    if (asked := ask_first(request, question)) is not None:
        return asked
    try:
        goals.goal_remove(viewer=viewer, goal=goal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The goal is removed."))
    return redirect("rounds:goals", round_uuid=goal.round.uuid)

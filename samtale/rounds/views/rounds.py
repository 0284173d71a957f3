"""Rounds: HR creates and launches them, management writes the goals, leaders write their unit's
focus areas and open the round, employees propose topics.

This module holds HR's pages (the list, creating and changing a round, the participants) and the
way in for everyone else; the goals are in ``views.goals``, the round in a unit in
``views.unit_round``, and the launch, which invites everyone, in
``samtale.conversations.views.invitation``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from samtale.access import lookups, round_policies
from samtale.access.viewer import get_viewer
from samtale.lib.requests import AuthenticatedRequest
from samtale.org.selectors import unit_by_code
from samtale.rounds.forms.rounds import ParticipantsFilterForm, RoundForm, add_service_errors
from samtale.rounds.lookups import round_for_hr
from samtale.rounds.models import RoundStatus
from samtale.rounds.selectors.rounds import (
    person_uuids,
    round_launch_preview,
    round_participants,
    round_progress,
    rounds_for_list,
)
from samtale.rounds.selectors.running import led_units_in_rounds, round_being_prepared, round_in_my_unit
from samtale.rounds.services import rounds

PAGE_SIZE = 50


def _fragment(request: AuthenticatedRequest) -> bool:
    """An htmx request for part of a page; a history restore (the Back button) wants it whole."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(round_policies.may_manage_rounds(viewer))
    return render(request, "rounds/round_list.html", {"rounds": rounds_for_list()})


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(round_policies.may_manage_rounds(viewer))
    form = RoundForm.new(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = rounds.round_create(
                viewer=viewer,
                name=data["name"],
                concept=data["concept"],
                opens_on=data["opens_on"],
                held_by=data["held_by"],
                units=data["all_units"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round %(name)s is created.") % {"name": round_.name})
            return redirect("rounds:detail", round_uuid=round_.uuid)
    return render(request, "rounds/round_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def edit(request: AuthenticatedRequest, round_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    round_ = round_for_hr(viewer, round_uuid)
    if round_.status != RoundStatus.DRAFT:
        messages.info(request, _("The round has been launched and can no longer be changed."))
        return redirect("rounds:detail", round_uuid=round_.uuid)
    form = RoundForm.for_round(round_, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            rounds.round_update(
                viewer=viewer,
                round_=round_,
                name=data["name"],
                concept=data["concept"],
                opens_on=data["opens_on"],
                held_by=data["held_by"],
                units=data["all_units"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round is saved."))
            return redirect("rounds:detail", round_uuid=round_.uuid)
    context = {"form": form, "round": round_}
    return render(request, "rounds/round_form.html", context, status=400 if form.errors else 200)


@login_required
def detail(request: AuthenticatedRequest, round_uuid: str) -> HttpResponse:
    """The round as HR follows it: status, dates, units, goals, and how far the units have come."""
    viewer = get_viewer(request)
    round_ = round_for_hr(viewer, round_uuid)
    context = {
        "round": round_,
        "goals": list(round_.goals.all()),
        "progress": round_progress(round_=round_),
        "preview": round_launch_preview(round_=round_, kept=True),
        "past_held_by": round_.held_by < timezone.localdate(),
    }
    return render(request, "rounds/round_detail.html", context)


@login_required
@vary_on_headers("HX-Request")
def participants(request: AuthenticatedRequest, round_uuid: str) -> HttpResponse:
    """Who is in and who is out, and why: HR checks this before the launch."""
    viewer = get_viewer(request)
    round_ = round_for_hr(viewer, round_uuid)
    form = ParticipantsFilterForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    show, sort = chosen.get("show", ""), chosen.get("sort", "")
    unit = unit_by_code(code=chosen.get("unit", "").strip(), coverage=viewer.hr)
    participants = round_participants(round_=round_, show=show, unit=unit, sort=sort)
    page = Paginator(participants.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    uuids = person_uuids(person_ids=[candidate.person_id for candidate, _has in page.object_list])
    context = {
        "round": round_,
        "form": form,
        "show": show,
        "participants": participants,
        "page": page,
        "rows": [(candidate, has, uuids.get(candidate.person_id)) for candidate, has in page.object_list],
        "params": filters.urlencode(),
        "sort": sort,
        "sort_base": {key: value for key, value in filters.items() if key != "sort"},
    }
    if _fragment(request):
        return render(request, "rounds/round_participants.html#results", context)
    return render(request, "rounds/round_participants.html", context)


@login_required
def current(request: AuthenticatedRequest) -> HttpResponse:
    """The way in from the navigation: management to the goals of the round being prepared,
    a leader to their unit in the running round; a list when there is more than one."""
    viewer = get_viewer(request)
    lookups.require(viewer.person is not None)
    if round_policies.may_manage_rounds(viewer):
        return redirect("rounds:list")
    preparing = round_being_prepared() if round_policies.may_write_goals(viewer) else None
    if preparing is not None:
        return redirect("rounds:goals", round_uuid=preparing.uuid)
    led = led_units_in_rounds(led_units=viewer.led_units)
    if len(led) == 1:
        return redirect("rounds:unit_round", round_uuid=led[0].round.uuid, unit_uuid=led[0].unit.uuid)
    mine = round_in_my_unit(person=viewer.person, led_units=viewer.led_units) if viewer.person else []
    context: dict[str, Any] = {"led": led, "mine": mine}
    return render(request, "rounds/round_current.html", context)

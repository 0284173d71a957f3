"""The round in a unit (docs/domain.md § Before the conversation, steps 1–2): its leader says what
the goals mean for the unit, writes its focus areas, opens the round in the unit and answers the
topics its employees propose; the employees read the goals and focus areas and propose topics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samtale.access import lookups, round_policies
from samtale.access.viewer import Viewer, get_viewer
from samtale.lib.confirm import Question, ask_first
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.forms.rounds import (
    AnswerForm,
    IntroductionForm,
    TextForm,
    add_service_errors,
    focus_area_form,
    proposal_form,
)
from samtale.rounds.lookups import focus_area_for_viewer, proposal_for_viewer, unit_round_for_viewer
from samtale.rounds.models import RoundStatus, TopicProposal, UnitRound
from samtale.rounds.selectors.unit_round import (
    focus_areas_above,
    proposals_of,
    unit_round_focus_areas,
    unit_round_proposals,
)
from samtale.rounds.services import unit_round


def _url(found: UnitRound, anchor: str = "") -> str:
    url = reverse("rounds:unit_round", args=[found.round.uuid, found.unit.uuid])
    return f"{url}#{anchor}" if anchor else url


def answer_form(proposal: TopicProposal, data: Any = None) -> AnswerForm:
    return AnswerForm(data, prefix=f"answer-{proposal.uuid}")


def _context(viewer: Viewer, found: UnitRound, **forms: Form) -> dict[str, Any]:
    round_ = found.round
    leads = round_policies.may_lead_unit_round(viewer, found) and round_.status == RoundStatus.LAUNCHED
    may_propose = found.pk is not None and round_policies.may_propose_topic_in(viewer, found)
    may_propose = may_propose and round_.status == RoundStatus.LAUNCHED
    if leads:
        proposals = unit_round_proposals(unit_round=found)
    elif viewer.person is not None:
        proposals = proposals_of(unit_round=found, person=viewer.person)
    else:
        proposals = []
    answering = forms.pop("answering", None)
    return {
        "round": round_,
        "unit": found.unit,
        "unit_round": found,
        "goals": list(round_.goals.all()),
        "focus_areas": unit_round_focus_areas(unit_round=found),
        "focus_areas_above": focus_areas_above(round_=round_, unit=found.unit),
        "leads": leads,
        "may_propose": may_propose,
        "is_member": viewer.person is not None and viewer.person.unit_id == found.unit.pk,
        "proposals": [
            (p, (answering if answering is not None and answering.prefix == f"answer-{p.uuid}" else answer_form(p)))
            for p in proposals
        ],
        "introduction_form": forms.get("introduction_form")
        or (IntroductionForm(initial={"introduction": found.introduction}) if leads else None),
        "focus_area_form": forms.get("focus_area_form") or (focus_area_form() if leads else None),
        "proposal_form": forms.get("proposal_form") or (proposal_form() if may_propose else None),
        "open_errors": forms.get("open_errors"),
    }


def _invalid(request: AuthenticatedRequest, viewer: Viewer, found: UnitRound, **forms: Any) -> HttpResponse:
    return render(request, "rounds/unit_round.html", _context(viewer, found, **forms), status=400)


@login_required
def unit_round_detail(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    found = unit_round_for_viewer(viewer, round_uuid, unit_uuid)
    return render(request, "rounds/unit_round.html", _context(viewer, found))


def _for_leader(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str) -> tuple[Viewer, UnitRound]:
    viewer = get_viewer(request)
    found = unit_round_for_viewer(viewer, round_uuid, unit_uuid)
    lookups.require_write(round_policies.may_lead_unit_round(viewer, found))
    return viewer, found


@login_required
@require_POST
def introduction(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str) -> HttpResponse:
    viewer, found = _for_leader(request, round_uuid, unit_uuid)
    form = IntroductionForm(request.POST)
    if form.is_valid():
        try:
            found = unit_round.unit_round_set_introduction(
                viewer=viewer, unit_round=found, introduction=form.cleaned_data["introduction"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("What the goals mean for the unit is saved."))
            return redirect(_url(found, "introduction"))
    return _invalid(request, viewer, found, introduction_form=form)


@login_required
@require_POST
def focus_area_add(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str) -> HttpResponse:
    viewer, found = _for_leader(request, round_uuid, unit_uuid)
    form = focus_area_form(request.POST)
    if form.is_valid():
        try:
            area = unit_round.focus_area_add(viewer=viewer, unit_round=found, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The focus area is added."))
            return redirect(_url(area.unit_round, "focus-areas"))
    return _invalid(request, viewer, found, focus_area_form=form)


@login_required
def focus_area_edit(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str, area_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    area = focus_area_for_viewer(viewer, round_uuid, unit_uuid, area_uuid)
    lookups.require_write(round_policies.may_lead_unit_round(viewer, area.unit_round))
    form: TextForm = focus_area_form(request.POST if request.method == "POST" else None, initial={"text": area.text})
    if form.is_bound and form.is_valid():
        try:
            unit_round.focus_area_update(viewer=viewer, focus_area=area, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The focus area is saved."))
            return redirect(_url(area.unit_round, "focus-areas"))
    context = {"unit_round": area.unit_round, "round": area.unit_round.round, "area": area, "form": form}
    return render(request, "rounds/unit_round_focus_area.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def focus_area_move(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str, area_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    area = focus_area_for_viewer(viewer, round_uuid, unit_uuid, area_uuid)
    lookups.require_write(round_policies.may_lead_unit_round(viewer, area.unit_round))
    direction = -1 if request.POST.get("direction") == "up" else 1
    try:
        unit_round.focus_area_move(viewer=viewer, focus_area=area, direction=direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_url(area.unit_round, "focus-areas"))


@login_required
@require_POST
def focus_area_remove(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str, area_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    area = focus_area_for_viewer(viewer, round_uuid, unit_uuid, area_uuid)
    lookups.require_write(round_policies.may_lead_unit_round(viewer, area.unit_round))
    question = Question(
        title=_("Remove the focus area “%(text)s”?") % {"text": Truncator(area.text).chars(80)},
        confirm=_("Yes, remove it"),
        cancel_url=_url(area.unit_round, "focus-areas"),
        consequences=(_("It goes from the unit's round for everyone; it cannot be brought back, only written again."),),
        danger=True,
    )
    if (asked := ask_first(request, question)) is not None:
        return asked
    try:
        unit_round.focus_area_remove(viewer=viewer, focus_area=area)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The focus area is removed."))
    return redirect(_url(area.unit_round, "focus-areas"))


@login_required
@require_POST
def open_in_unit(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    found = unit_round_for_viewer(viewer, round_uuid, unit_uuid)
    lookups.require_write(round_policies.may_open_unit_round(viewer, found))
    if found.opened_at is not None:  # a form posted twice
        messages.info(request, _("The round is already open in the unit."))
        return redirect(_url(found))
    try:
        told = unit_round.unit_round_open(viewer=viewer, unit_round=found)
    except ValidationError as error:
        return _invalid(request, viewer, found, open_errors=error.messages)
    messages.success(
        request,
        ngettext(
            "The round is open in the unit. %(count)s employee is told by e-mail and may now propose topics.",
            "The round is open in the unit. %(count)s employees are told by e-mail and may now propose topics.",
            told,
        )
        % {"count": told},
    )
    return redirect(_url(found))


@login_required
@require_POST
def propose(request: AuthenticatedRequest, round_uuid: str, unit_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    found = unit_round_for_viewer(viewer, round_uuid, unit_uuid)
    lookups.require_write(found.pk is not None and round_policies.may_propose_topic_in(viewer, found))
    form = proposal_form(request.POST)
    if form.is_valid():
        try:
            unit_round.topic_propose(viewer=viewer, unit_round=found, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your topic is proposed. Your leader will answer it."))
            return redirect(_url(found, "my-proposals"))
    return _invalid(request, viewer, found, proposal_form=form)


@login_required
@require_POST
def answer(request: AuthenticatedRequest, proposal_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    proposal = proposal_for_viewer(viewer, proposal_uuid)
    lookups.require_write(round_policies.may_answer_proposal(viewer, proposal))
    found = proposal.unit_round
    form = answer_form(proposal, request.POST)
    if form.is_valid():
        try:
            unit_round.proposal_answer(
                viewer=viewer,
                proposal=proposal,
                accept=form.cleaned_data["decision"] == AnswerForm.ACCEPT,
                answer=form.cleaned_data["answer"],
                add_as_focus_area=form.cleaned_data["add_as_focus_area"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Answered already (a form posted twice) or the round has closed: nothing to correct.
                messages.error(request, " ".join(error.messages))
                return redirect(_url(found, "proposals"))
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer is saved, and %(name)s is told.") % {"name": proposal.proposed_by})
            return redirect(_url(found, "proposals"))
    found = unit_round_for_viewer(viewer, found.round.uuid, found.unit.uuid)
    return _invalid(request, viewer, found, answering=form)

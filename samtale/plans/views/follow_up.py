"""The plan's follow-up views: progress per goal and activity with its history, departures, the
follow-up conversation (call, change, cancel, calendar file, held), and the employee's choice to
pass the minutes of earlier conversations on to a new leader. ``section_context`` gives the plan
page (``views.plan``) what its section needs.

Every page looks the plan up through ``samtale.access.lookups`` (404 for a stranger), then asks
the policy for the part it shows: those who may not see the follow-up get 404 as for a missing
plan; a refused write to a follow-up they may read is 403."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import EllipsisType
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samtale.access import lookups, plan_policies
from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer, get_viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import Conversation
from samtale.lib.confirm import Question, ask_first
from samtale.lib.meetings.calendar import Method
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.lib.queries import one_or_none
from samtale.lib.requests import AuthenticatedRequest
from samtale.plans.emails.follow_up import follow_up_ics
from samtale.plans.forms.follow_up import DepartureForm, FollowUpCallForm, FollowUpHeldForm, ProgressForm
from samtale.plans.models import Departure, FollowUp, FollowUpStatus, Plan, PlanVersion, Progress, ProgressStatus
from samtale.plans.services import follow_up, leader_change


@dataclass(frozen=True)
class ItemState:
    item: follow_up.Item
    latest: Progress | None
    history: list[Progress]


def _states(plan: Plan, current: PlanVersion | None = None) -> list[ItemState]:
    """Each item of the signed version with its progress; ``current``: the plan's current
    version, read already (when it is the signed one, it is not read again)."""
    history = follow_up.progress_history(plan)
    signed = current if current is not None and current.signed_at is not None else follow_up.signed_version(plan)
    states = []
    for item in follow_up.plan_items(signed):
        rows = history.get(item.id, [])
        states.append(ItemState(item, rows[0] if rows else None, rows))
    return states


def section_context(
    request: HttpRequest,
    viewer: Viewer,
    plan: Plan,
    *,
    version: PlanVersion | None = None,
    record: FollowUp | EllipsisType | None = ...,
) -> dict[str, Any]:
    """What templates/plans/_follow_up.html needs on the plan's page: nothing for those who may
    not see the follow-up (HR, an invited daily leader or union representative). ``version``
    (the current one) and ``record`` (the follow-up conversation, or None) when read already."""
    if not plan_policies.may_view_progress(viewer, plan):
        return {"follow_up_section": None}
    signed = follow_up.is_signed(plan)
    if record is ...:
        record = follow_up.follow_up_of(plan) if signed else None
    # Before the plan is signed there is no follow-up, no progress and no departure to read.
    states = _states(plan, version) if signed else []
    return {
        "follow_up_section": {
            "signed": signed,
            "deadline": follow_up.follow_up_deadline(plan),
            "follow_up": record,
            "items": len(states),
            "done": sum(1 for s in states if s.latest and s.latest.status == ProgressStatus.DONE),
            "departures": plan.departures.count() if signed else 0,
        }
    }


def _readable(viewer: Viewer, plan_uuid: str) -> Plan:
    """The plan, if the viewer may see its follow-up: else 404, as for a missing plan."""
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    lookups.require(plan_policies.may_view_progress(viewer, plan))
    return plan


def _writable(
    request: AuthenticatedRequest, plan_uuid: str, allowed: Callable[[Viewer, Plan], bool]
) -> tuple[Viewer, Plan]:
    viewer = get_viewer(request)
    plan = _readable(viewer, plan_uuid)
    lookups.require_write(allowed(viewer, plan))
    return viewer, plan


def _to_follow_up(plan: Plan, anchor: str = "") -> HttpResponse:
    response = redirect("plans:follow_up", plan_uuid=plan.uuid)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _refused(request: AuthenticatedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _read_record(viewer: Viewer, plan: Plan) -> None:
    """The leader chain reading the progress notes reads confidential text it did not write."""
    if relations_to(viewer, plan.employee) & {Relation.SELF, Relation.PERSONNEL_LEADER}:
        return
    audit_record(actor=viewer.user, action="plans.follow_up_read", target=plan, subject_person_id=plan.employee_id)


# The follow-up page ----------------------------------------------------------------------------------


@login_required
def page(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """Progress per goal and activity with its history, departures and the follow-up conversation."""
    viewer = get_viewer(request)
    plan = _readable(viewer, plan_uuid)
    _read_record(viewer, plan)
    relations = relations_to(viewer, plan.employee)
    current = follow_up.follow_up_of(plan)
    context = {
        "plan": plan,
        "is_employee": Relation.SELF in relations,
        "signed": follow_up.is_signed(plan),
        "states": _states(plan) if follow_up.is_signed(plan) else [],
        "departures": list(Departure.objects.filter(plan=plan).select_related("raised_by").order_by("-created_at")),
        "follow_up": current,
        "deadline": follow_up.follow_up_deadline(plan),
        "may_record": plan_policies.may_record_progress(viewer, plan),
        "may_call": plan_policies.may_call_follow_up(viewer, plan),
        "held_late": current is not None
        and current.held_on is not None
        and follow_up.follow_up_deadline(plan) is not None
        and current.held_on > follow_up.follow_up_deadline(plan),  # type: ignore[operator]
    }
    return render(request, "plans/follow_up.html", context)


# Progress and departures ---------------------------------------------------------------------------------


@login_required
def progress(request: AuthenticatedRequest, plan_uuid: str, item_id: str) -> HttpResponse:
    viewer, plan = _writable(request, plan_uuid, plan_policies.may_record_progress)
    item = next((i for i in follow_up.plan_items(follow_up.signed_version(plan)) if i.id == item_id), None)
    if item is None:
        raise Http404
    history = follow_up.progress_history(plan).get(item.id, [])
    initial = {"on": timezone.localdate(), "status": history[0].status if history else ProgressStatus.NOT_STARTED}
    form = ProgressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.progress_record(viewer=viewer, plan=plan, item=item.id, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The progress is recorded."))
            return _to_follow_up(plan, f"item-{item.id}")
    context = {"plan": plan, "item": item, "history": history, "form": form}
    return render(request, "plans/progress_record.html", context, status=400 if form.errors else 200)


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        form.add_error(None, error)


@login_required
def departure(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    viewer, plan = _writable(request, plan_uuid, plan_policies.may_record_progress)
    form = DepartureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.departure_register(viewer=viewer, plan=plan, why=form.cleaned_data["why"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The departure is registered, and the other side is told."))
            return _to_follow_up(plan, "departures-heading")
    context = {"plan": plan, "form": form, "is_employee": Relation.SELF in relations_to(viewer, plan.employee)}
    return render(request, "plans/follow_up_departure.html", context, status=400 if form.errors else 200)


# The follow-up conversation -----------------------------------------------------------------------------


@login_required
def call(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    viewer, plan = _writable(request, plan_uuid, plan_policies.may_call_follow_up)
    current = follow_up.follow_up_of(plan)
    form = FollowUpCallForm(request.POST or None, plan=plan, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            changed = follow_up.follow_up_call(viewer=viewer, plan=plan, when=form.time_and_place())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if changed:
                messages.success(request, _("The time is saved and the invitation is on its way."))
            else:
                messages.info(request, _("Nothing changed, so no invitation was sent again."))
            return _to_follow_up(plan, "follow-up-heading")
    context = {"plan": plan, "form": form, "follow_up": current, "deadline": follow_up.follow_up_deadline(plan)}
    return render(request, "plans/follow_up_call.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def cancel(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    viewer, plan = _writable(request, plan_uuid, plan_policies.may_call_follow_up)
    question = Question(
        title=_("Cancel the time of the follow-up conversation with %(name)s?") % {"name": plan.employee.name},
        confirm=_("Yes, cancel the time"),
        cancel_url=reverse("plans:follow_up", args=[plan.uuid]),
        consequences=(_("The employee gets an e-mail, and the entry goes from the calendar."),),
        danger=True,
    )
    if (asked := ask_first(request, question)) is not None:
        return asked
    try:
        if follow_up.follow_up_cancel(viewer=viewer, plan=plan):
            messages.success(request, _("The time is cancelled and the employee is told. Choose a new time."))
    except ValidationError as error:
        _refused(request, error)
    return _to_follow_up(plan, "follow-up-heading")


@login_required
def held(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    viewer, plan = _writable(request, plan_uuid, plan_policies.may_call_follow_up)
    current = follow_up.follow_up_of(plan)
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if current is not None and current.status == FollowUpStatus.HELD:
        initial = {"held_on": current.held_on, "reached": current.reached, "carries_over": current.carries_over}
    elif current is not None and current.starts_at is not None and current.starts_at <= timezone.now():
        initial["held_on"] = timezone.localtime(current.starts_at).date()
    form = FollowUpHeldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.follow_up_mark_held(viewer=viewer, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The follow-up conversation is recorded; the employee can read it."))
            return _to_follow_up(plan, "follow-up-heading")
    context = {"plan": plan, "form": form, "follow_up": current, "deadline": follow_up.follow_up_deadline(plan)}
    return render(request, "plans/follow_up_held.html", context, status=400 if form.errors else 200)


@login_required
def ics(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    """The follow-up's invitation as a calendar file, for everyone who may see the follow-up."""
    viewer = get_viewer(request)
    plan = lookups.plan_for_viewer(viewer, plan_uuid)
    lookups.require(plan_policies.may_view_follow_up(viewer, plan))
    current: FollowUp | None = one_or_none(FollowUp.objects.filter(plan=plan), key="plans.views.follow_up.ics")
    if current is None or current.status != FollowUpStatus.SCHEDULED or current.starts_at is None:
        raise Http404
    current.plan = plan
    when = TimeAndPlace.of(current)
    assert when is not None
    content = follow_up_ics(
        current,
        when,
        method=Method.REQUEST,
        sequence=current.calendar_sequence,
        organizer=plan.employee.personnel_leader,
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8; method=REQUEST")
    day = timezone.localtime(when.starts_at).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="follow-up-{day}.ics"'
    return response


# Minutes and a new leader ----------------------------------------------------------------------------------


@login_required
def minutes_consent(request: AuthenticatedRequest) -> HttpResponse:
    """The employee's own page: which earlier conversations' minutes their current personnel
    leader may read. Agreeing and withdrawing are posted here."""
    viewer = get_viewer(request)
    lookups.require(viewer.person is not None)
    assert viewer.person is not None
    if request.method == "POST":
        wanted = request.POST.get("conversation", "")
        conversation = (
            Conversation.objects.select_related("employee", "employee__unit", "employee__personnel_leader")
            .filter(uuid=wanted, employee=viewer.person)
            .first()
            if _is_uuid(wanted)
            else None
        )
        if conversation is None:
            raise Http404
        try:
            if request.POST.get("action") == "withdraw":
                if leader_change.minutes_consent_withdraw(viewer=viewer, conversation=conversation):
                    messages.success(request, _("Your leader no longer reads these minutes."))
            elif leader_change.minutes_consent_grant(viewer=viewer, conversation=conversation):
                messages.success(request, _("Your leader can now read these minutes."))
        except ValidationError as error:
            _refused(request, error)
        return redirect("plans:minutes_consent")
    context = {
        "leader": viewer.person.personnel_leader,
        "earlier": leader_change.earlier_conversations(employee=viewer.person),
    }
    return render(request, "plans/follow_up_minutes.html", context)


def _is_uuid(value: str) -> bool:
    from uuid import UUID

    try:
        UUID(value)
    except ValueError:
        return False
    return True

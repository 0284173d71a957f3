"""The pages of learning (docs/domain.md § Competences and courses): the courses of a plan and the
seat asked for from one, a seat request (the leader's answer, the education consultant's
enrolment, the employee's cancellation and completion), the leader's team, the education
consultant's enrolment and a session's participants, and the overview for the competence strategy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samtale.access import competence_policies, plan_policies
from samtale.access.lookups import plan_for_viewer, require, require_write, seat_request_for_viewer
from samtale.access.viewer import get_viewer
from samtale.audit.services import audit_record
from samtale.competences.models import Course, CourseSession
from samtale.learning import selectors, services
from samtale.learning.forms import CompletedForm, DecisionForm, SeatRequestForm
from samtale.learning.models import RequestStatus
from samtale.lib.confirm import Question, ask_first
from samtale.lib.requests import AuthenticatedRequest, query_uuid
from samtale.org.models import Person, employed_q

TEAM_PAGE = 50


def _context(tab: str, **extra: Any) -> dict[str, Any]:
    return {"tab": tab, "nav_section": "competences", **extra}


# A plan's courses ---------------------------------------------------------------------------------


@login_required
def plan_courses(request: AuthenticatedRequest, plan_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    plan = plan_for_viewer(viewer, plan_uuid)
    require(plan_policies.may_view_progress(viewer, plan))
    context = _context(
        "register",
        plan=plan,
        activities=selectors.course_activities(plan),
        may_request=competence_policies.may_request_seat(viewer, plan.employee),
    )
    return render(request, "learning/plan_courses.html", context)


@login_required
def request_seat(request: AuthenticatedRequest, plan_uuid: str, activity_id: str) -> HttpResponse:
    """The employee asks for a seat on a session of the course their activity names (or one they
    choose from the catalogue)."""
    viewer = get_viewer(request)
    plan = plan_for_viewer(viewer, plan_uuid)
    require_write(competence_policies.may_request_seat(viewer, plan.employee))
    activity = next((a for a in selectors.course_activities(plan) if a.id == activity_id), None)
    if activity is None:
        raise Http404
    course = activity.course
    chosen = query_uuid(request, "course")
    if course is None and chosen is not None:
        course = Course.objects.active().filter(uuid=chosen).first()
    today = timezone.localdate()
    sessions = selectors.sessions_open(course, today=today) if course else []
    form = SeatRequestForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and course is not None and form.is_valid():
        try:
            created = services.seat_request(
                viewer=viewer,
                plan=plan,
                activity_id=activity_id,
                session=form.cleaned_data["session"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your leader is asked; you will get an e-mail with the answer."))
            return redirect("learning:request", created.uuid)
    context = _context(
        "register",
        plan=plan,
        activity=activity,
        course=course,
        sessions=sessions,
        form=form,
        courses=Course.objects.active().order_by("title").only("uuid", "title") if activity.course is None else [],
    )
    return render(request, "learning/request_seat.html", context)


# A seat request -------------------------------------------------------------------------------------


@login_required
def seat_request(request: AuthenticatedRequest, request_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    found = seat_request_for_viewer(viewer, request_uuid)
    if viewer.person_id != found.person_id:
        audit_record(
            actor=request.user, action="learning.request_read", target=found, subject_person_id=found.person_id
        )
    status = found.status
    context = _context(
        "register",
        seat_request=found,
        session=found.session,
        course=found.session.course,
        own=viewer.person_id == found.person_id,
        may_read_reason=competence_policies.may_read_request_reason(viewer, found),
        may_decide=competence_policies.may_decide_seat_request(viewer, found) and status == RequestStatus.REQUESTED,
        may_enrol=competence_policies.may_enrol(viewer, found)
        and status in (RequestStatus.APPROVED, RequestStatus.WAITING),
        may_cancel=(
            competence_policies.may_withdraw_seat_request(viewer, found) or competence_policies.may_enrol(viewer, found)
        )
        and status in (RequestStatus.REQUESTED, RequestStatus.APPROVED, RequestStatus.ENROLLED, RequestStatus.WAITING),
        may_complete=competence_policies.may_mark_completed(viewer, found)
        and status == RequestStatus.ENROLLED
        and found.session.starts_on <= timezone.localdate(),
        decision_form=DecisionForm(),
        completed_form=CompletedForm(initial={"completed_on": min(timezone.localdate(), found.session.ends_on)}),
    )
    return render(request, "learning/request.html", context)


def _act(request: AuthenticatedRequest, found: Any, act: Any, done: str) -> HttpResponse:
    try:
        act()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("learning:request", found.uuid)


@login_required
@require_POST
def decide(request: AuthenticatedRequest, request_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    found = seat_request_for_viewer(viewer, request_uuid)
    require_write(competence_policies.may_decide_seat_request(viewer, found))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you approve the seat."))
        return redirect("learning:request", found.uuid)
    approve = form.cleaned_data["decision"] == "approve"
    return _act(
        request,
        found,
        lambda: services.seat_request_decide(
            viewer=viewer, seat_request=found, approve=approve, note=form.cleaned_data["note"]
        ),
        _("The seat is approved; the education consultant enrols the employee.")
        if approve
        else _("The request is declined."),
    )


@login_required
@require_POST
def enrol(request: AuthenticatedRequest, request_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    found = seat_request_for_viewer(viewer, request_uuid)
    require_write(competence_policies.may_enrol(viewer, found))
    try:
        enrolled = services.seat_enrol(viewer=viewer, seat_request=found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("learning:request", found.uuid)
    if enrolled.status == RequestStatus.ENROLLED:
        messages.success(
            request, _("%(name)s is enrolled and gets the calendar invitation.") % {"name": found.person.name}
        )
    else:
        messages.warning(
            request, _("The session is full: %(name)s is on the waiting list.") % {"name": found.person.name}
        )
    back = request.POST.get("next", "")
    return redirect(back if back == reverse("learning:enrolment") else reverse("learning:request", args=[found.uuid]))


@login_required
@require_POST
def cancel(request: AuthenticatedRequest, request_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    found = seat_request_for_viewer(viewer, request_uuid)
    may = competence_policies.may_withdraw_seat_request(viewer, found) or competence_policies.may_enrol(viewer, found)
    require_write(may)
    question = Question(
        title=_("Cancel the seat on “%(course)s”?") % {"course": found.session.course.title},
        confirm=_("Yes, cancel it"),
        cancel_url=reverse("learning:request", args=[found.uuid]),
        consequences=[_("A seat given up goes to the first on the waiting list.")],
    )
    asked = ask_first(request, question)
    if asked is not None:
        return asked
    return _act(request, found, lambda: services.seat_cancel(viewer=viewer, seat_request=found), _("Cancelled."))


@login_required
@require_POST
def completed(request: AuthenticatedRequest, request_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    found = seat_request_for_viewer(viewer, request_uuid)
    require_write(competence_policies.may_mark_completed(viewer, found))
    form = CompletedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the course was completed."))
        return redirect("learning:request", found.uuid)
    return _act(
        request,
        found,
        lambda: services.seat_complete(
            viewer=viewer, seat_request=found, completed_on=form.cleaned_data["completed_on"]
        ),
        _("The course is completed: it is in your education record and the plan's progress."),
    )


# The leader's team, the education consultant's enrolment and sessions ----------------------------------


@login_required
def team(request: AuthenticatedRequest) -> HttpResponse:
    """The leader's reports with the state of their registers, and the seats to answer."""
    viewer = get_viewer(request)
    require(viewer.is_leader and viewer.person is not None)
    differ = Q(
        competence_registrations__employee_level__isnull=False,
        competence_registrations__leader_level__isnull=False,
    ) & ~Q(competence_registrations__employee_level=F("competence_registrations__leader_level"))
    reports = (
        Person.objects.filter(employed_q(), personnel_leader=viewer.person)
        .annotate(
            registered=Count("competence_registrations"),
            to_settle=Count("competence_registrations", filter=differ),
            to_assess=Count("competence_registrations", filter=Q(competence_registrations__leader_level__isnull=True)),
        )
        .order_by("name", "id")
    )
    page = Paginator(reports, TEAM_PAGE).get_page(request.GET.get("page"))
    context = _context("team", page=page, to_answer=list(selectors.to_answer(viewer)[:100]))
    return render(request, "learning/team.html", context)


@login_required
def enrolment(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    require(viewer.education is not None)
    page = Paginator(selectors.to_enrol(viewer), selectors.QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "learning/enrolment.html", _context("enrolment", page=page))


@login_required
def session(request: AuthenticatedRequest, session_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    require(competence_policies.may_manage_courses(viewer))
    found = get_object_or_404(CourseSession.objects.select_related("course"), uuid=session_uuid)
    context = _context(
        "courses",
        session=found,
        course=found.course,
        participants=selectors.participants(found, viewer),
        sees_people=viewer.education is not None,
        may_cancel=found.cancelled_at is None and found.ends_on >= timezone.localdate(),
    )
    return render(request, "learning/session.html", context)


@login_required
@require_POST
def session_cancel(request: AuthenticatedRequest, session_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    require(competence_policies.may_manage_courses(viewer))
    found = get_object_or_404(CourseSession.objects.select_related("course"), uuid=session_uuid)
    question = Question(
        title=_("Cancel the session of “%(course)s” on %(day)s?")
        % {"course": found.course.title, "day": found.starts_on.strftime("%d.%m.%Y")},
        confirm=_("Yes, cancel the session"),
        cancel_url=reverse("learning:session", args=[found.uuid]),
        consequences=[
            _("Everyone enrolled, waiting or approved is told, with a calendar file that removes the entry.")
        ],
        danger=True,
    )
    asked = ask_first(request, question)
    if asked is not None:
        return asked
    try:
        count = services.session_cancel(viewer=viewer, session=found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The session is cancelled; %(count)d people are told.") % {"count": count})
    return redirect("learning:session", found.uuid)


# The overview for the competence strategy ---------------------------------------------------------------


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    from samtale.learning.overview import overview_context

    viewer = get_viewer(request)
    require(competence_policies.may_view_competence_overview(viewer))
    context = _context("overview", **overview_context(viewer, query_uuid(request, "unit"), given="unit" in request.GET))
    return render(request, "learning/overview.html", context)


@login_required
def overview_export(request: AuthenticatedRequest) -> HttpResponse:
    from samtale.learning.overview import overview_csv

    viewer = get_viewer(request)
    require(competence_policies.may_view_competence_overview(viewer))
    return overview_csv(viewer, query_uuid(request, "unit"), given="unit" in request.GET)

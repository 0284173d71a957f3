"""The writes of learning (docs/domain.md § Competences and courses): a seat requested from a
plan's course activity, the leader's answer (an open item of the plan's conversation until then),
enrolment with a waiting list, cancellation, and completion into the plan's progress and the
education record. Each checks its policy, changes inside one transaction under a row lock on the
session (so two people never take the last seat) and writes its audit event; e-mails go through the
outbox in the same transaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import competence_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.competences.models import CourseSession, EntryKind
from samtale.competences.services.record import education_entry_record
from samtale.conversations.services.meeting import open_item_add, open_item_answer
from samtale.learning.models import LIVE, RequestStatus, SeatRequest
from samtale.org.models import Person
from samtale.outbox.services import outbox_enqueue
from samtale.plans.content import version_content
from samtale.plans.models import Plan, ProgressStatus
from samtale.plans.services.follow_up import activity_source, progress_record

REASON_LIMIT = 2000
# The leader answers within this many days, and never after the session's registration deadline.
ANSWER_DAYS = 14


def _mail(kind: str, seat_request: SeatRequest, to: Person, *, stamp: str = "") -> None:
    outbox_enqueue(
        kind=kind,
        to_email=to.email,
        language=to.account_language,
        context={"request": seat_request.pk, "person": to.pk},
        dedupe_key=f"{kind}:{seat_request.uuid}:{stamp or timezone.now().isoformat()}",
    )


def plan_activity(plan: Plan, activity_id: str) -> dict | None:
    """The activity of the plan's latest version with this id (None when there is none)."""
    version = plan.versions.order_by("-number").first()
    if version is None:
        return None
    for goal in version_content(version).get("goals", []):
        for activity in goal.get("activities", []):
            if activity.get("id") == activity_id:
                return dict(activity)
    return None


def _session_locked(session: CourseSession) -> CourseSession:
    return CourseSession.objects.select_for_update().select_related("course").get(pk=session.pk)


def _check_open(session: CourseSession, *, today: date) -> None:
    if session.cancelled_at is not None:
        raise ValidationError(_("This session is cancelled. Choose another session."))
    if not session.course.active:
        raise ValidationError(_("The course is no longer offered."))
    if session.starts_on < today:
        raise ValidationError(_("This session has started or is over. Choose a later session."))
    if session.registration_deadline < today:
        raise ValidationError(_("The registration deadline for this session has passed. Choose a later session."))
    if session.is_full:
        raise ValidationError(
            _(
                "This session is full (%(seats)d of %(seats)d seats taken). Choose another session, or ask "
                "your education consultant about the waiting list."
            )
            % {"seats": session.seats}
        )


@transaction.atomic
def seat_request(*, viewer: Viewer, plan: Plan, activity_id: str, session: CourseSession, reason: str) -> SeatRequest:
    """The employee asks for a seat on ``session`` for a course activity of their plan. The leader
    is told and answers within the budget; until then it is an open item of the conversation."""
    person = plan.employee
    require_write(competence_policies.may_request_seat(viewer, person))
    today = timezone.localdate()
    activity = plan_activity(plan, activity_id)
    if activity is None:
        raise ValidationError(_("The plan has no such activity."))
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": _("Keep it under %(limit)d characters.") % {"limit": REASON_LIMIT}})
    session = _session_locked(session)
    _check_open(session, today=today)
    if SeatRequest.objects.filter(person=person, session=session, status__in=LIVE).exists():
        raise ValidationError(_("You have already asked for a seat on this session."))
    answer_by = max(min(today + timedelta(days=ANSWER_DAYS), session.registration_deadline), today)
    item = open_item_add(
        viewer=viewer,
        conversation=plan.conversation,
        text=_("Seat on the course “%(course)s” (%(day)s): does it fit the education budget?")
        % {"course": session.course.title, "day": session.starts_on.strftime("%d.%m.%Y")},
        responsible=person.personnel_leader.name if person.personnel_leader else "",
        deadline=answer_by,
    )
    created = SeatRequest.objects.create(
        person=person,
        session=session,
        plan=plan,
        activity=activity_id,
        reason=reason,
        answer_by=answer_by,
        open_item=item,
    )
    audit_record(
        actor=viewer.user,
        action="learning.seat_requested",
        target=created,
        subject_person_id=person.pk,
        data={"course": session.course.code},
    )
    if person.personnel_leader is not None:
        _mail("learning.seat_requested", created, person.personnel_leader, stamp="requested")
    return created


def _locked_request(seat_request: SeatRequest) -> SeatRequest:
    return (
        SeatRequest.objects.select_for_update()
        .select_related("person__unit", "session__course", "plan")
        .get(pk=seat_request.pk)
    )


@transaction.atomic
def seat_request_decide(*, viewer: Viewer, seat_request: SeatRequest, approve: bool, note: str) -> SeatRequest:
    """The personnel leader approves or declines within the education budget; the open item is
    answered and the employee told. An approved seat goes to the education consultant to enrol."""
    require_write(competence_policies.may_decide_seat_request(viewer, seat_request))
    locked = _locked_request(seat_request)
    if locked.status != RequestStatus.REQUESTED:
        raise ValidationError(_("The request has already been answered."))
    note = note.strip()
    if len(note) > REASON_LIMIT:
        raise ValidationError({"note": _("Keep it under %(limit)d characters.") % {"limit": REASON_LIMIT}})
    if not approve and not note:
        raise ValidationError({"note": _("Say why, so that the two of you can find another way.")})
    now = timezone.now()
    locked.status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    locked.decided_at = now
    locked.decided_by = viewer.person
    locked.decision_note = note
    locked.approved_at = now if approve else None
    locked.save()
    if locked.open_item is not None and not locked.open_item.answer:
        answer = _("Approved.") if approve else _("Declined.")
        open_item_answer(viewer=viewer, item=locked.open_item, answer=f"{answer} {note}".strip(), notify=False)
    audit_record(
        actor=viewer.user,
        action="learning.seat_approved" if approve else "learning.seat_declined",
        target=locked,
        subject_person_id=locked.person_id,
    )
    _mail("learning.seat_answered", locked, locked.person, stamp="answered")
    return locked


def _enrol_one(locked: SeatRequest, session: CourseSession, *, now: datetime) -> None:
    if not session.is_full:
        if locked.status == RequestStatus.WAITING:
            session.waiting -= 1
        locked.status = RequestStatus.ENROLLED
        locked.enrolled_at = now
        session.enrolled += 1
        kind = "learning.enrolled"
    else:
        if locked.status == RequestStatus.WAITING:
            return
        locked.status = RequestStatus.WAITING
        locked.waiting_since = now
        session.waiting += 1
        kind = "learning.waiting"
    locked.save()
    _mail(kind, locked, locked.person, stamp=f"{locked.status}:{now.isoformat()}")


@transaction.atomic
def seat_enrol(*, viewer: Viewer, seat_request: SeatRequest) -> SeatRequest:
    """The education consultant enrols an approved request: a seat while there is one (the employee
    gets the calendar file), else the session's waiting list."""
    require_write(competence_policies.may_enrol(viewer, seat_request))
    session = _session_locked(seat_request.session)
    locked = _locked_request(seat_request)
    if locked.status not in (RequestStatus.APPROVED, RequestStatus.WAITING):
        raise ValidationError(_("Only an approved request can be enrolled."))
    if session.cancelled_at is not None:
        raise ValidationError(_("This session is cancelled."))
    if session.ends_on < timezone.localdate():
        raise ValidationError(_("The session is over."))
    if locked.status == RequestStatus.WAITING and session.is_full:
        raise ValidationError(_("The session is still full; the request stays first in line on the waiting list."))
    _enrol_one(locked, session, now=timezone.now())
    session.save(update_fields=["enrolled", "waiting"])
    audit_record(
        actor=viewer.user,
        action="learning.enrolled" if locked.status == RequestStatus.ENROLLED else "learning.waitlisted",
        target=locked,
        subject_person_id=locked.person_id,
    )
    return locked


def _promote_first_waiting(session: CourseSession, *, now: datetime) -> SeatRequest | None:
    first = (
        SeatRequest.objects.select_for_update()
        .select_related("person__unit", "session__course")
        .filter(session=session, status=RequestStatus.WAITING)
        .order_by("waiting_since", "id")
        .first()
    )
    if first is not None and not session.is_full:
        _enrol_one(first, session, now=now)
    return first


@transaction.atomic
def seat_cancel(*, viewer: Viewer, seat_request: SeatRequest) -> SeatRequest:
    """The employee withdraws their request or gives up their seat, or the education consultant
    cancels it. A seat given up goes to the first on the waiting list, who is told at once."""
    may = competence_policies.may_withdraw_seat_request(viewer, seat_request) or competence_policies.may_enrol(
        viewer, seat_request
    )
    require_write(may)
    session = _session_locked(seat_request.session)
    locked = _locked_request(seat_request)
    if locked.status in (
        RequestStatus.COMPLETED,
        RequestStatus.CANCELLED,
        RequestStatus.WITHDRAWN,
        RequestStatus.DECLINED,
    ):
        raise ValidationError(_("The request is closed already."))
    now = timezone.now()
    was = locked.status
    locked.status = RequestStatus.WITHDRAWN if was == RequestStatus.REQUESTED else RequestStatus.CANCELLED
    locked.cancelled_at = now
    locked.save()
    if was == RequestStatus.ENROLLED:
        session.enrolled -= 1
    elif was == RequestStatus.WAITING:
        session.waiting -= 1
    if was == RequestStatus.REQUESTED and locked.open_item is not None and not locked.open_item.answer:
        locked.open_item.delete()
    if was == RequestStatus.ENROLLED:
        _promote_first_waiting(session, now=now)
    session.save(update_fields=["enrolled", "waiting"])
    audit_record(actor=viewer.user, action="learning.seat_cancelled", target=locked, subject_person_id=locked.person_id)
    if viewer.person_id != locked.person_id or was == RequestStatus.ENROLLED:
        _mail("learning.cancelled", locked, locked.person, stamp=f"cancelled:{now.isoformat()}")
    return locked


@transaction.atomic
def session_cancel(*, viewer: Viewer, session: CourseSession) -> int:
    """The education consultant or HR cancels a whole session: every live request on it is
    cancelled and its people told (with a calendar file that removes the entry). Returns how many."""
    require_write(competence_policies.may_manage_courses(viewer))
    locked = _session_locked(session)
    if locked.cancelled_at is not None:
        raise ValidationError(_("The session is cancelled already."))
    now = timezone.now()
    live = list(
        SeatRequest.objects.select_for_update()
        .select_related("person__user", "session__course")
        .filter(
            session=locked,
            status__in=[RequestStatus.REQUESTED, RequestStatus.APPROVED, RequestStatus.ENROLLED, RequestStatus.WAITING],
        )
    )
    for request in live:
        request.status = RequestStatus.CANCELLED
        request.cancelled_at = now
        request.save(update_fields=["status", "cancelled_at"])
        _mail("learning.cancelled", request, request.person, stamp=f"session:{now.isoformat()}")
    locked.cancelled_at = now
    locked.enrolled = locked.waiting = 0
    locked.save(update_fields=["cancelled_at", "enrolled", "waiting"])
    audit_record(actor=viewer.user, action="learning.session_cancelled", target=locked, data={"requests": len(live)})
    return len(live)


@transaction.atomic
def seat_complete(*, viewer: Viewer, seat_request: SeatRequest, completed_on: date | None = None) -> SeatRequest:
    """After the course the employee marks it completed: the plan's activity is recorded done and the
    course enters the education record with the competences it builds."""
    require_write(competence_policies.may_mark_completed(viewer, seat_request))
    locked = _locked_request(seat_request)
    if locked.status != RequestStatus.ENROLLED:
        raise ValidationError(_("Only a course you are enrolled on can be marked completed."))
    session = locked.session
    today = timezone.localdate()
    completed_on = completed_on or min(today, session.ends_on)
    if session.starts_on > today:
        raise ValidationError(_("The course has not started yet."))
    if completed_on < session.starts_on or completed_on > today:
        raise ValidationError({"completed_on": _("Give a day from the course's first day until today.")})
    locked.status = RequestStatus.COMPLETED
    locked.completed_on = completed_on
    locked.save(update_fields=["status", "completed_on"])
    course = session.course
    _progress_done(viewer, locked, course_title=course.title, on=completed_on)
    # The course's entry takes the place of the plan activity's (the same source).
    education_entry_record(
        person=locked.person,
        kind=EntryKind.COURSE,
        title=course.title,
        provider=course.provider or course.get_provider_kind_display(),
        course=course,
        started_on=session.starts_on,
        completed_on=completed_on,
        source=activity_source(locked.plan, locked.activity),
        competences=course.competences.all(),
    )
    audit_record(actor=viewer.user, action="learning.completed", target=locked, subject_person_id=locked.person_id)
    return locked


def _progress_done(viewer: Viewer, seat_request: SeatRequest, *, course_title: str, on: date) -> None:
    """The plan's course activity is recorded done, when the plan can take it (signed, the round
    open, the viewer one of its two); otherwise the education record alone shows it."""
    try:
        with transaction.atomic():
            progress_record(
                viewer=viewer,
                plan=seat_request.plan,
                item=seat_request.activity,
                status=ProgressStatus.DONE,
                note=_("Course completed: %(course)s") % {"course": course_title},
                on=on,
            )
    except (ValidationError, PermissionDenied):
        pass

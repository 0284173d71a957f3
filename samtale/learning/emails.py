"""The learning app's e-mails, registered with the outbox (imported in ``AppConfig.ready``). They
name the course and the session, never the reason given for the request or the leader's answer:
those are behind the link."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.translation import gettext as _

from samtale.competences.models import CourseSession
from samtale.learning.models import RequestStatus, SeatRequest
from samtale.lib.meetings.calendar import CalendarEvent, Method, Participant, attach_ics, event_ics
from samtale.lib.meetings.time_and_place import at_local
from samtale.org.models import Person
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage

# A session without times runs, in the calendar, from nine to four each day.
DAY_STARTS, DAY_ENDS = (9, 0), (16, 0)


def request_link(seat_request: SeatRequest) -> str:
    return settings.BASE_URL + reverse("learning:request", args=[seat_request.uuid])


def session_ics_uid(session: CourseSession, seat_request: SeatRequest) -> str:
    return f"samtale-course-{session.uuid}-{seat_request.uuid}@samtale"


def session_ics(seat_request: SeatRequest, *, method: Method) -> bytes:
    """The session as one calendar entry, from its first day's start to its last day's end, with
    the place or online and the link to the request; nothing else."""
    from datetime import time

    session = seat_request.session
    start = at_local(session.starts_on, session.start_time or time(*DAY_STARTS))
    end = at_local(session.ends_on, session.end_time or time(*DAY_ENDS))
    link = request_link(seat_request)
    person = seat_request.person
    event = CalendarEvent(
        uid=session_ics_uid(session, seat_request),
        sequence=1 if method == Method.CANCEL else 0,
        starts_at=start,
        duration=max(end - start, timedelta(minutes=30)),
        summary=_("Course: %(course)s") % {"course": session.course.title},
        organizer=Participant(settings.DEFAULT_FROM_EMAIL, "Samtale"),
        attendees=[Participant(person.email, person.name)],
        location=_("Online") if session.online else session.place,
        description=_("Your seat in Samtale: %(link)s") % {"link": link},
        url=link,
    )
    return event_ics(event, method=method, time_zone=settings.TIME_ZONE)


def _found(message: OutboxMessage) -> tuple[SeatRequest, Person] | None:
    seat_request = (
        SeatRequest.objects.select_related("person", "session__course", "person__personnel_leader")
        .filter(pk=message.context.get("request"))
        .first()
    )
    person = Person.objects.filter(pk=message.context.get("person")).first()
    if seat_request is None or person is None or not person.is_employed():
        return None
    # Still meant for them when it goes (a mail server may have been away for a day): the leader
    # asked is still the employee's and the request still waits; anything else is the employee's own.
    if message.kind == "learning.seat_requested":
        if seat_request.person.personnel_leader_id != person.pk or seat_request.status != RequestStatus.REQUESTED:
            return None
    elif person.pk != seat_request.person_id:
        return None
    return seat_request, person


def _render(kind: str, message: OutboxMessage) -> tuple[EmailMultiAlternatives, SeatRequest] | None:
    found = _found(message)
    if found is None:
        return None
    seat_request, person = found
    context = {
        "person": person,
        "employee": seat_request.person,
        "course": seat_request.session.course,
        "session": seat_request.session,
        "seat_request": seat_request,
        "approved": seat_request.approved_at is not None,
        "link": request_link(seat_request),
    }
    return render_email(f"emails/{kind}", context, to=message.to_email), seat_request


@register("learning.seat_requested")
def seat_requested(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the personnel leader: a seat is asked for and waits for their answer."""
    rendered = _render("seat_requested", message)
    return rendered[0] if rendered else None


@register("learning.seat_answered")
def seat_answered(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the employee: the leader has answered (approved or not; the answer is behind the link)."""
    rendered = _render("seat_answered", message)
    return rendered[0] if rendered else None


@register("learning.enrolled")
def enrolled(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the employee: a seat, with the session's calendar file."""
    rendered = _render("seat_enrolled", message)
    if rendered is None:
        return None
    email, seat_request = rendered
    if seat_request.status == RequestStatus.ENROLLED:
        attach_ics(email, session_ics(seat_request, method=Method.REQUEST), Method.REQUEST, filename="course.ics")
    return email


@register("learning.waiting")
def waiting(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the employee: the seats are taken; they are on the waiting list."""
    rendered = _render("seat_waiting", message)
    return rendered[0] if rendered else None


@register("learning.cancelled")
def cancelled(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """To the employee: the seat or the session is cancelled; the calendar file removes the entry."""
    rendered = _render("seat_cancelled", message)
    if rendered is None:
        return None
    email, seat_request = rendered
    if seat_request.enrolled_at is not None:
        attach_ics(email, session_ics(seat_request, method=Method.CANCEL), Method.CANCEL, filename="course.ics")
    return email

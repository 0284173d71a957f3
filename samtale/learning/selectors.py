"""The reads of learning: a plan's course activities with their seat requests, what a leader has to
answer, what the education consultant has to enrol, a session's participants. A constant number
of queries, bounded by what the page shows. The views ask ``access`` first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from samtale.access.viewer import Viewer
from samtale.competences.models import Course, CourseSession
from samtale.learning.models import LIVE, RequestStatus, SeatRequest
from samtale.lib.todo import ToDo, due_state
from samtale.org.models import employed_q
from samtale.plans.content import version_content
from samtale.plans.models import COURSE_TYPES, ActivityType, Plan

QUEUE_PAGE = 50


@dataclass
class CourseActivity:
    """A course activity of the plan, with the course it names and the seats asked for."""

    id: str
    goal: str
    text: str
    course: Course | None
    requests: list[SeatRequest] = field(default_factory=list)

    @property
    def live_request(self) -> SeatRequest | None:
        return next((r for r in self.requests if r.status in LIVE), None)

    @property
    def chosen_course(self) -> Course | None:
        """The course the activity names, else the one a seat is asked for on."""
        live = self.live_request
        return self.course or (live.session.course if live is not None else None)


def course_type_refs() -> set[str]:
    """The activity types that count as a course, as the plan's content names them."""
    refs = set(COURSE_TYPES)
    for key, uuid, is_course in ActivityType.objects.values_list("key", "uuid", "is_course"):
        if is_course:
            refs.add(key or uuid.hex)
    return refs


def course_activities(plan: Plan) -> list[CourseActivity]:
    """The activities of the plan's latest version that are courses (by type, or naming a course)."""
    version = plan.versions.order_by("-number").first()
    if version is None:
        return []
    kinds = course_type_refs()
    found: list[tuple[str, str, str, str]] = []
    for goal in version_content(version).get("goals", []):
        for activity in goal.get("activities", []):
            if activity.get("type") in kinds or activity.get("course"):
                found.append(
                    (activity["id"], goal.get("text", ""), activity.get("text", ""), activity.get("course", ""))
                )
    courses = {c.uuid.hex: c for c in Course.objects.filter(uuid__in=[ref for *_x, ref in found if ref])}
    requests: dict[str, list[SeatRequest]] = {}
    for seat_request in (
        SeatRequest.objects.filter(plan=plan).select_related("session__course").order_by("-requested_at")
    ):
        requests.setdefault(seat_request.activity, []).append(seat_request)
    return [
        CourseActivity(id=id_, goal=goal, text=text, course=courses.get(ref), requests=requests.get(id_, []))
        for id_, goal, text, ref in found
    ]


def sessions_open(course: Course, *, today: date) -> list[CourseSession]:
    """The sessions a seat may still be asked for: not cancelled, registration open, with a seat."""
    return list(
        course.sessions.filter(
            cancelled_at__isnull=True, registration_deadline__gte=today, starts_on__gte=today
        ).order_by("starts_on", "id")
    )


def to_answer(viewer: Viewer) -> QuerySet[SeatRequest]:
    """The seat requests of the viewer's reports that wait for the viewer's answer."""
    if viewer.person is None:
        return SeatRequest.objects.none()
    return (
        SeatRequest.objects.filter(status=RequestStatus.REQUESTED, person__personnel_leader=viewer.person)
        .filter(employed_q("person__"))
        .select_related("person", "session__course")
        .order_by("answer_by", "id")
    )


def to_enrol(viewer: Viewer) -> QuerySet[SeatRequest]:
    """The approved requests (and those on a waiting list) in the units the education consultant
    covers, the soonest session first."""
    if viewer.education is None:
        return SeatRequest.objects.none()
    return (
        SeatRequest.objects.filter(status__in=[RequestStatus.APPROVED, RequestStatus.WAITING])
        .filter(viewer.education.people_q("person__"))
        .select_related("person__unit", "session__course")
        .order_by("session__starts_on", "session_id", "approved_at", "id")
    )


def participants(session: CourseSession, viewer: Viewer) -> list[SeatRequest]:
    """The session's live requests the education consultant may see (the units they cover);
    enrolled first, then the waiting list in its order, then those approved."""
    if viewer.education is None:
        return []
    order: dict[str, int] = {
        RequestStatus.ENROLLED: 0,
        RequestStatus.COMPLETED: 0,
        RequestStatus.WAITING: 1,
        RequestStatus.APPROVED: 2,
    }
    rows = list(
        SeatRequest.objects.filter(session=session, status__in=list(order))
        .filter(viewer.education.people_q("person__"))
        .select_related("person__unit")
        .order_by("waiting_since", "approved_at", "id")
    )
    return sorted(rows, key=lambda r: order[r.status])


# The start page ------------------------------------------------------------------------------------

TODO_SHOWN = 20


def todo_for_leader(viewer: Viewer, *, today: date) -> list[ToDo]:
    """Each seat request waiting for the leader's answer, by its answer-by date (one query)."""
    return [
        ToDo(
            "learning.answer",
            gettext("Answer %(name)s's request for a seat on “%(course)s”")
            % {"name": r.person.name, "course": r.session.course.title},
            reverse("learning:request", args=[r.uuid]),
            due=r.answer_by,
            late=due_state(r.answer_by, today),
            ref=r.pk,
            icon="help",
        )
        for r in to_answer(viewer)[:TODO_SHOWN]
    ]


def todo_for_educator(viewer: Viewer) -> list[ToDo]:
    """The approved seats in the units the education consultant covers, waiting to be enrolled."""
    count = to_enrol(viewer).filter(status=RequestStatus.APPROVED).count() if viewer.education else 0
    if not count:
        return []
    text = ngettext("Enrol %(count)s approved seat", "Enrol %(count)s approved seats", count) % {"count": count}
    return [ToDo("learning.enrol", text, reverse("learning:enrolment"), icon="person")]

"""The competence and learning pages make the same queries for a small organisation as for a larger
one with more competences, registrations, courses, sessions, seat requests and education record
entries (docs/architecture.md: a query-count test per page)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from samtale.competences.counters import counters_rebuild
from samtale.competences.defaults import default_scale
from samtale.competences.models import Competence, CompetenceGroup, Course, CourseSession, EducationEntry, Registration
from samtale.learning import services
from samtale.testing import Mus, Org, grow_org
from samtale.testing.learning import as_, coming, make_catalogue, make_educator, plan_with_course
from samtale.testing.queries import Page, assert_same_queries


def test_the_learning_pages_make_the_same_queries_as_everything_grows(org: Org, mus: Mus) -> None:
    catalogue = make_catalogue()
    educator = make_educator(org)
    consultant = Client()
    assert educator.user is not None
    consultant.force_login(educator.user)
    plan, activity = plan_with_course(org, mus)
    seat = services.seat_request(
        viewer=as_(org, "employee"), plan=plan, activity_id=activity, session=catalogue.session, reason=""
    )
    services.seat_request_decide(viewer=as_(org, "leader"), seat_request=seat, approve=True, note="")
    Registration.objects.create(person=org.employee, competence=catalogue.payroll_law, employee_level=4, level=4)
    # One entry from the start (a prefetch is skipped when there is nothing to prefetch for).
    EducationEntry.objects.create(
        person=org.employee, kind="course", title="Introduktion", completed_on=coming(-60), source="test:start"
    ).competences.set([catalogue.cooperation])
    counters_rebuild()
    employee, leader, hr = org.client("employee"), org.client("leader"), org.client("hr")

    def grow() -> None:
        grow_org(org, 6)
        scale = default_scale()
        extra = [
            Competence.objects.create(code=f"X{i}", name=f"Ekstra {i}", group=CompetenceGroup.SOCIAL, scale=scale)
            for i in range(8)
        ]
        for i, competence in enumerate(extra):
            Registration.objects.create(
                person=org.employee, competence=competence, employee_level=3, leader_level=2 + i % 2, level=3
            )
            Registration.objects.create(person=org.colleague, competence=competence, employee_level=4, level=4)
            course = Course.objects.create(code=f"KX{i}", title=f"Kursus {i}", provider_kind="internal")
            course.competences.set([competence, catalogue.payroll_law])
            CourseSession.objects.create(
                course=course,
                starts_on=coming(40 + i),
                ends_on=coming(40 + i),
                place="Rådhuset",
                seats=10,
                registration_deadline=coming(30),
            )
            EducationEntry.objects.create(
                person=org.employee,
                kind="activity",
                title=f"Aktivitet {i}",
                completed_on=coming(-10 - i),
                source=f"test:{i}",
            ).competences.set([competence])
        CourseSession.objects.create(
            course=catalogue.course,
            starts_on=coming(60),
            ends_on=coming(61),
            place="Rådhuset",
            seats=5,
            registration_deadline=coming(50),
        )
        counters_rebuild()

    assert_same_queries(
        grow,
        Page(employee, reverse("competences:register", args=[org.employee.uuid]), name="my register"),
        Page(leader, reverse("competences:register", args=[org.employee.uuid]), name="a report's register"),
        Page(
            employee,
            reverse("competences:registration", args=[org.employee.uuid, catalogue.payroll_law.uuid]),
            name="one registration",
        ),
        Page(employee, reverse("competences:record", args=[org.employee.uuid]), name="the education record"),
        Page(employee, reverse("competences:catalogue"), name="the competence catalogue"),
        Page(hr, reverse("competences:catalogue"), name="the competence catalogue for HR"),
        Page(employee, reverse("competences:courses"), name="the course catalogue"),
        Page(employee, reverse("competences:course", args=[catalogue.course.uuid]), name="a course"),
        Page(employee, reverse("learning:plan_courses", args=[plan.uuid]), name="the plan's courses"),
        Page(
            employee,
            reverse("learning:request_seat", args=[plan.uuid, activity]),
            {"course": str(catalogue.course.uuid)},
            name="asking for a seat",
        ),
        Page(employee, reverse("learning:request", args=[seat.uuid]), name="the seat request"),
        Page(leader, reverse("learning:team"), name="the leader's team"),
        Page(consultant, reverse("learning:enrolment"), name="the enrolment"),
        Page(consultant, reverse("learning:session", args=[catalogue.session.uuid]), name="a session"),
        Page(hr, reverse("learning:overview"), name="the overview"),
        Page(hr, reverse("learning:overview"), {"unit": str(org.payroll.uuid)}, name="the overview of Løn"),
        Page(leader, reverse("learning:overview"), name="the overview for the leader"),
        Page(employee, reverse("dashboards:home"), name="the start page"),
    )

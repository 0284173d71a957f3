"""Helpers for the competences and learning tests: an education consultant, a small catalogue of
competences and courses with a coming session, and a signed plan with a course activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from samtale.access.viewer import Viewer, viewer_for
from samtale.competences.defaults import default_scale
from samtale.competences.models import Competence, CompetenceGroup, Course, CourseSession, ProviderKind
from samtale.org.models import Person, RoleKind
from samtale.plans.models import Plan
from samtale.testing.follow_up import SECOND_ACTIVITY, signed_plan
from samtale.testing.personas import Mus, Org, make_person, make_role


def as_(org: Org, persona: str) -> Viewer:
    return viewer_for(org.user(persona))


def make_educator(org: Org) -> Person:
    """An education consultant (uddannelseskonsulent) covering Økonomi."""
    educator = make_person("Ebba Uddannelse", unit=org.hr_unit, leader=org.director)
    make_role(educator, RoleKind.EDUCATION, org.economy)
    return educator


@dataclass
class Catalogue:
    payroll_law: Competence
    cooperation: Competence
    resilience: Competence
    course: Course
    session: CourseSession


def coming(days: int = 30) -> date:
    return timezone.localdate() + timedelta(days=days)


def make_catalogue(*, seats: int = 10) -> Catalogue:
    """Three competences, one in each group, and a course building the first with a session a month
    ahead (registration open until a week before)."""
    scale = default_scale()
    payroll_law = Competence.objects.create(
        code="F-LON", name="Lønlovgivning", group=CompetenceGroup.PROFESSIONAL, scale=scale
    )
    cooperation = Competence.objects.create(code="S-SAM", name="Samarbejde", group=CompetenceGroup.SOCIAL, scale=scale)
    resilience = Competence.objects.create(code="P-ROB", name="Robusthed", group=CompetenceGroup.PERSONAL, scale=scale)
    course = Course.objects.create(
        code="K-FERIE", title="Ferieloven i praksis", provider_kind=ProviderKind.INTERNAL, provider="HR-akademiet"
    )
    course.competences.set([payroll_law])
    session = CourseSession.objects.create(
        course=course,
        starts_on=coming(30),
        ends_on=coming(31),
        place="Rådhuset, lokale 2",
        seats=seats,
        registration_deadline=coming(23),
    )
    return Catalogue(
        payroll_law=payroll_law, cooperation=cooperation, resilience=resilience, course=course, session=session
    )


def plan_with_course(org: Org, mus: Mus) -> tuple[Plan, str]:
    """The employee's signed plan (the conversation held a month ago) and the id of its course
    activity ("Kursus i ferieloven")."""
    return signed_plan(org, mus, held_on=timezone.localdate() - timedelta(days=30)), SECOND_ACTIVITY

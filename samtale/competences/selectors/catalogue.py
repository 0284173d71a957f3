"""The reads of the catalogues: competences by group, the course catalogue with each course's
next open session, one course with its sessions. A constant number of queries, bounded by the page
shown (courses are paged in SQL)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from samtale.competences.models import Competence, CompetenceGroup, Course, CourseSession, JobProfile, Scale

COURSES_PER_PAGE = 25


def competences_by_group(*, include_retired: bool = False) -> list[tuple[str, list[Competence]]]:
    rows = Competence.objects.select_related("scale").annotate(course_count=Count("courses"))
    if not include_retired:
        rows = rows.filter(active=True)
    grouped: dict[str, list[Competence]] = defaultdict(list)
    for competence in rows.order_by("group", "name", "id"):
        grouped[competence.group].append(competence)
    return [(str(label), grouped[value]) for value, label in CompetenceGroup.choices if grouped.get(value)]


def scales() -> list[Scale]:
    return list(Scale.objects.prefetch_related("levels__scale").order_by("id"))


def profiles() -> list[JobProfile]:
    return list(JobProfile.objects.select_related("unit").annotate(level_count=Count("levels")).order_by("name"))


def open_sessions(today: date) -> QuerySet[CourseSession]:
    return CourseSession.objects.filter(cancelled_at__isnull=True, registration_deadline__gte=today)


def courses(*, today: date, query: str = "", competence: Competence | None = None) -> QuerySet[Course]:
    """The courses offered, with their next open session's first day and seats (one query per page)."""
    upcoming = open_sessions(today).filter(course=OuterRef("pk")).order_by("starts_on", "id")
    rows = Course.objects.active().annotate(
        next_starts_on=Subquery(upcoming.values("starts_on")[:1]),
        next_left=Subquery(upcoming.annotate(left=F("seats") - F("enrolled")).values("left")[:1]),
    )
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(code__iexact=query) | Q(provider__icontains=query))
    if competence is not None:
        rows = rows.filter(competences=competence)
    return rows.order_by("title", "id")


def course_sessions(course: Course, *, today: date, with_past: bool = False) -> list[CourseSession]:
    rows = course.sessions.all()
    if not with_past:
        rows = rows.filter(ends_on__gte=today)
    return list(rows.order_by("starts_on", "id"))

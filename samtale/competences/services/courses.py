"""The writes of the course catalogue (docs/domain.md § Competences and courses): courses and
their sessions, kept by the education consultants and HR. Enrolment is the learning app's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import competence_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.competences.models import Competence, Course, CourseSession


@transaction.atomic
def course_save(*, viewer: Viewer, course: Course, competences: Iterable[Competence]) -> Course:
    require_write(competence_policies.may_manage_courses(viewer))
    created = course.pk is None
    course.full_clean()
    course.save()
    course.competences.set(list(competences))
    audit_record(
        actor=viewer.user,
        action="competences.course_created" if created else "competences.course_changed",
        target=course,
        data={"code": course.code},
    )
    return course


def check_session(session: CourseSession, *, today: date | None = None) -> None:
    """The rules of a session, whoever saves it (the form, the import): it lies ahead, ends on or
    after its first day, closes registration on or before it, and never has fewer seats than people
    enrolled."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if session.starts_on < today:
        errors["starts_on"] = _("The session's first day has passed; give a day from today on.")
    if session.ends_on < session.starts_on:
        errors["ends_on"] = _("The last day is before the first day.")
    if session.registration_deadline > session.starts_on:
        errors["registration_deadline"] = _("The registration deadline must be on or before the first day.")
    if session.seats < 1:
        errors["seats"] = _("A session has at least one seat.")
    elif session.seats < session.enrolled:
        errors["seats"] = _("%(count)d people are enrolled; the session needs at least as many seats.") % {
            "count": session.enrolled
        }
    if not session.online and not session.place.strip():
        errors["place"] = _("Give the place, or mark the session as online.")
    same_day = session.starts_on == session.ends_on
    if same_day and session.start_time and session.end_time and session.end_time <= session.start_time:
        errors["end_time"] = _("The session ends before it starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_save(*, viewer: Viewer, session: CourseSession) -> CourseSession:
    require_write(competence_policies.may_manage_courses(viewer))
    created = session.pk is None
    if session.pk:
        locked = CourseSession.objects.select_for_update().get(pk=session.pk)
        session.enrolled, session.waiting = locked.enrolled, locked.waiting
        if locked.cancelled_at is not None:
            raise ValidationError(_("The session is cancelled."))
    check_session(session)
    session.save()
    audit_record(
        actor=viewer.user,
        action="competences.session_created" if created else "competences.session_changed",
        target=session,
        data={"course": session.course.code},
    )
    return session

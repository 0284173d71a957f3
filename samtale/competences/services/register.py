"""The writes of a person's competence register (docs/domain.md § Competences and courses): the
employee's own level with an example, the leader's assessment, and the level both settled on
before the MUS. Each checks its policy, keeps the history and the counters in one transaction and
writes an audit event (which competence, never the level or the text)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import competence_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.competences.counters import Profiles, contribution, counters_shift
from samtale.competences.models import ChangeSide, Competence, Registration, RegistrationChange, ScaleLevel
from samtale.org.models import Person

TEXT_LIMIT = 1000


def check_level(competence: Competence, level: int | None, *, field: str = "level") -> int:
    """The level must be one of the competence's scale."""
    values = sorted(ScaleLevel.objects.filter(scale_id=competence.scale_id).values_list("value", flat=True))
    if level is None or level not in values:
        raise ValidationError(
            {
                field: _("Choose a level of the scale for “%(competence)s”: %(first)s to %(last)s.")
                % {
                    "competence": competence.name,
                    "first": values[0] if values else 1,
                    "last": values[-1] if values else 1,
                }
            }
        )
    return level


def _text(value: str, field: str) -> str:
    value = value.strip()
    if len(value) > TEXT_LIMIT:
        raise ValidationError({field: _("Keep it under %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    return value


def _locked(person: Person, competence: Competence) -> Registration | None:
    return Registration.objects.select_for_update().filter(person=person, competence=competence).first()


def _save(
    registration: Registration,
    *,
    person: Person,
    before: Registration | None,
    side: str,
    level: int,
    text: str,
    by: Person | None,
) -> Registration:
    registration.level = (
        registration.employee_level if registration.employee_level is not None else registration.leader_level or level
    )
    profiles = Profiles.load()
    old = contribution(before, person, profiles) if before is not None else None
    registration.save()
    RegistrationChange.objects.create(registration=registration, side=side, level=level, text=text, by=by)
    counters_shift([(old, contribution(registration, person, profiles))])
    return registration


def _copy(registration: Registration | None) -> Registration | None:
    if registration is None:
        return None
    return Registration(competence_id=registration.competence_id, level=registration.level)


def _record(
    *, viewer: Viewer, person: Person, competence: Competence, level: int | None, text: str, side: str
) -> Registration:
    """One side's level and text (the employee's example, the leader's note), kept with its history
    and the counters; a level both give alike is agreed."""
    existing = _locked(person, competence)
    if existing is None and not competence.active:
        raise ValidationError(_("“%(competence)s” is no longer in use.") % {"competence": competence.name})
    level = check_level(competence, level)
    text = _text(text, "example" if side == ChangeSide.EMPLOYEE else "note")
    before = _copy(existing)
    registration = existing or Registration(person=person, competence=competence)
    now = timezone.now()
    if side == ChangeSide.EMPLOYEE:
        registration.employee_level, registration.example, registration.employee_at = level, text, now
        other = registration.leader_level
    else:
        registration.leader_level, registration.leader_note, registration.leader_at = level, text, now
        registration.assessed_by = viewer.person
        other = registration.employee_level
    registration.settled_at = (registration.settled_at or now) if other == level else None
    _save(registration, person=person, before=before, side=side, level=level, text=text, by=viewer.person)
    audit_record(
        actor=viewer.user,
        action="competences.registered" if side == ChangeSide.EMPLOYEE else "competences.assessed",
        target=registration,
        subject_person_id=person.pk,
        data={"competence": competence.code},
    )
    return registration


@transaction.atomic
def registration_record(
    *, viewer: Viewer, person: Person, competence: Competence, level: int | None, example: str
) -> Registration:
    """The employee records their own level of a competence, with a short example."""
    require_write(competence_policies.may_register(viewer, person))
    return _record(
        viewer=viewer, person=person, competence=competence, level=level, text=example, side=ChangeSide.EMPLOYEE
    )


@transaction.atomic
def registration_assess(
    *, viewer: Viewer, person: Person, competence: Competence, level: int | None, note: str
) -> Registration:
    """The personnel leader records their assessment of the employee's level. A difference is shown
    to both, to be settled before the MUS."""
    require_write(competence_policies.may_assess(viewer, person))
    return _record(viewer=viewer, person=person, competence=competence, level=level, text=note, side=ChangeSide.LEADER)


@transaction.atomic
def registration_settle(*, viewer: Viewer, registration: Registration, level: int | None) -> Registration:
    """After talking it over, before the MUS, the leader records the level both agreed on: it becomes
    the employee's and the leader's level (docs/domain.md § Competences and courses: "must be
    settled before the conversation, not in it")."""
    person = registration.person
    require_write(competence_policies.may_assess(viewer, person))
    locked = Registration.objects.select_for_update().select_related("competence").get(pk=registration.pk)
    level = check_level(locked.competence, level)
    before = _copy(locked)
    now = timezone.now()
    locked.employee_level = locked.leader_level = level
    locked.leader_at = now
    locked.assessed_by = viewer.person
    locked.settled_at = now
    _save(locked, person=person, before=before, side=ChangeSide.SETTLED, level=level, text="", by=viewer.person)
    audit_record(
        actor=viewer.user,
        action="competences.settled",
        target=locked,
        subject_person_id=person.pk,
        data={"competence": locked.competence.code},
    )
    return locked


def register_read_record(*, viewer: Viewer, person: Person, what: str) -> None:
    """A read of someone else's register or education record (``what``: "register", "record") is in
    the audit trail, as a read of their plan is (docs/trust.md § Audit trail); their own is not."""
    if viewer.person_id != person.pk:
        audit_record(actor=viewer.user, action=f"competences.{what}_read", target=person, subject_person_id=person.pk)

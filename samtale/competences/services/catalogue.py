"""The writes of the competence catalogue (docs/domain.md § Competences and courses): competences,
level scales and job profiles, kept by HR covering the whole organisation. Each checks the policy,
saves in one transaction and writes an audit event."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samtale.access import competence_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.competences.models import Competence, ExpectedLevel, JobProfile, Scale, ScaleLevel

MAX_LEVELS = 10


@transaction.atomic
def competence_save(*, viewer: Viewer, competence: Competence) -> Competence:
    """A new competence, or changes to one (its scale only while nobody has registered it)."""
    require_write(competence_policies.may_manage_competences(viewer))
    if competence.pk:
        before = Competence.objects.select_for_update().get(pk=competence.pk)
        if before.scale_id != competence.scale_id and before.registrations.exists():
            raise ValidationError(
                {"scale": _("People have registered this competence; its scale can no longer change.")}
            )
    created = competence.pk is None
    competence.full_clean()
    competence.save()
    audit_record(
        actor=viewer.user,
        action="competences.competence_created" if created else "competences.competence_changed",
        target=competence,
        data={"code": competence.code},
    )
    return competence


@transaction.atomic
def scale_save(*, viewer: Viewer, scale: Scale, levels: Mapping[int, tuple[str, str]]) -> Scale:
    """A scale with its levels (value -> name, description). A level people have registered may be
    renamed, never removed."""
    require_write(competence_policies.may_manage_competences(viewer))
    if not levels:
        raise ValidationError(_("A scale needs at least two levels."))
    if len(levels) < 2 or len(levels) > MAX_LEVELS:
        raise ValidationError(_("A scale has from 2 to %(max)d levels.") % {"max": MAX_LEVELS})
    if scale.pk is None and not scale.name.strip():
        raise ValidationError({"name": _("Give the scale a name.")})
    created = scale.pk is None
    scale.save()
    existing = {level.value: level for level in ScaleLevel.objects.filter(scale=scale)}
    removed = set(existing) - set(levels)
    if removed and Competence.objects.filter(scale=scale, registrations__level__in=removed).exists():
        raise ValidationError(_("People are registered at a level you removed; rename it instead."))
    ScaleLevel.objects.filter(scale=scale, value__in=removed).delete()
    for value, (name, description) in sorted(levels.items()):
        level = existing.get(value) or ScaleLevel(scale=scale, value=value)
        level.name, level.description = name.strip(), description.strip()
        level.save()
    audit_record(
        actor=viewer.user,
        action="competences.scale_created" if created else "competences.scale_changed",
        target=scale,
    )
    return scale


@transaction.atomic
def profile_save(*, viewer: Viewer, profile: JobProfile, levels: Mapping[int, int | None]) -> JobProfile:
    """A job profile with its expected levels (competence id -> level, None for none expected)."""
    from samtale.competences.services.register import check_level

    require_write(competence_policies.may_manage_competences(viewer))
    created = profile.pk is None
    profile.full_clean()
    profile.save()
    competences = Competence.objects.in_bulk(list(levels))
    ExpectedLevel.objects.filter(profile=profile).delete()
    rows = []
    for competence_id, level in levels.items():
        if level is None:
            continue
        competence = competences[competence_id]
        rows.append(
            ExpectedLevel(
                profile=profile,
                competence=competence,
                level=check_level(competence, level, field=f"level-{competence.pk}"),
            )
        )
    ExpectedLevel.objects.bulk_create(rows)
    audit_record(
        actor=viewer.user,
        action="competences.profile_created" if created else "competences.profile_changed",
        target=profile,
    )
    return profile


@transaction.atomic
def profile_delete(*, viewer: Viewer, profile: JobProfile) -> None:
    require_write(competence_policies.may_manage_competences(viewer))
    audit_record(actor=viewer.user, action="competences.profile_deleted", target=profile)
    profile.delete()

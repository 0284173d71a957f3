"""The writes of privacy: legal holds, erasure on request, the data protection officer's setting
(docs/trust.md § Erasure and retention). Each checks its policy, changes inside one transaction and
writes its audit event there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import privacy_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import Conversation
from samtale.lib.bulk import chunks, delete_rows
from samtale.org.models import Person
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.privacy.deletion import batch_record, conversations_delete, freed_pages_overwritten
from samtale.privacy.models import LegalHold, PrivacySetting
from samtale.surveys.models import Invitation

REASON_LIMIT = 2000


def _reason(text: str, *, field: str = "reason") -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: _("Give the reason; it is kept in the audit trail.")})
    if len(text) > REASON_LIMIT:
        raise ValidationError({field: _("Keep it under %(limit)d characters.") % {"limit": REASON_LIMIT}})
    return text


def _actor(viewer: Viewer | None) -> Any:
    """Who acts: the viewer's user, or nobody for the command line (the operator, "system")."""
    return viewer.user if viewer is not None else None


def active_hold(person: Person) -> LegalHold | None:
    return LegalHold.objects.active().filter(person=person).first()


@transaction.atomic
def legal_hold_place(*, viewer: Viewer | None, person: Person, reason: str) -> LegalHold:
    """Stop every deletion of the person's records, by retention or erasure, until lifted.
    ``viewer`` None is the command line (the operator)."""
    if viewer is not None:
        require_write(privacy_policies.may_hold(viewer, person))
    actor = _actor(viewer)
    reason = _reason(reason)
    try:
        with transaction.atomic():
            hold = LegalHold.objects.create(person=person, reason=reason, placed_by=actor)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already under a legal hold.") % {"name": person.name}) from None
    audit_record(
        actor=actor,
        action="privacy.hold_placed",
        target=hold,
        subject_person_id=person.pk,
        data={"reason": reason},
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, viewer: Viewer | None, hold: LegalHold, reason: str) -> LegalHold:
    if viewer is not None:
        require_write(privacy_policies.may_hold(viewer, hold.person))
    actor = _actor(viewer)
    reason = _reason(reason)
    lifted = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=actor, lift_reason=reason
    )
    if not lifted:
        raise ValidationError(_("The hold has already been lifted."))
    audit_record(
        actor=actor,
        action="privacy.hold_lifted",
        target=hold,
        subject_person_id=hold.person_id,
        data={"reason": reason},
    )
    hold.refresh_from_db()
    return hold


@dataclass(frozen=True)
class Erasure:
    """What erasing a person deletes (or would delete): counts per kind."""

    conversations: int
    survey_invitations: int
    emails: int

    @property
    def total(self) -> int:
        return self.conversations + self.survey_invitations + self.emails


def _erasable(person: Person) -> dict[str, Any]:
    return {
        "conversations": Conversation.objects.filter(employee=person).order_by("pk").values_list("pk", flat=True),
        "survey_invitations": Invitation.objects.filter(person=person).order_by("pk").values_list("pk", flat=True),
        "emails": OutboxMessage.objects.filter(to_email__iexact=person.email)
        .exclude(status__in=[MessageStatus.PENDING, MessageStatus.SENDING])
        .order_by("pk")
        .values_list("pk", flat=True),
    }


def erasure_preview(person: Person) -> Erasure:
    return Erasure(**{kind: rows.count() for kind, rows in _erasable(person).items()})


@transaction.atomic
def person_erase(*, viewer: Viewer | None, person: Person, reason: str) -> Erasure:
    """Erase the person's MUS records before their time, on their request (Art. 17): their
    conversations with everything under them (preparations, minutes, notice, the plan with every
    version and signature, progress, follow-up), who asked them to answer evaluations and the
    e-mails sent to them. Refused under a legal hold. The person record itself is the HR system's
    and stays while they are employed; the audit trail keeps that it happened, never what went.
    ``viewer`` None is the command line (the operator)."""
    if viewer is not None:
        require_write(privacy_policies.may_erase(viewer, person))
    reason = _reason(reason)
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
    if LegalHold.objects.active().filter(person=person).exists():
        raise ValidationError(
            _("%(name)s is under a legal hold: nothing of theirs may be deleted until it is lifted.")
            % {"name": person.name}
        )
    rows = {kind: list(query) for kind, query in _erasable(person).items()}
    for batch in chunks(rows["conversations"], 500):
        conversations_delete(list(batch))
    delete_rows(Invitation, "pk", rows["survey_invitations"])
    delete_rows(OutboxMessage, "pk", rows["emails"])
    erasure = Erasure(**{kind: len(ids) for kind, ids in rows.items()})
    actor = _actor(viewer)
    for kind, ids in rows.items():
        if ids:
            batch_record(actor=actor, action="privacy.erased", kind=kind, people=[person.pk] * len(ids), data={})
    transaction.on_commit(freed_pages_overwritten)
    audit_record(
        actor=actor,
        action="privacy.person_erased",
        target=person,
        subject_person_id=person.pk,
        data={
            "reason": reason,
            "conversations": erasure.conversations,
            "survey_invitations": erasure.survey_invitations,
            "emails": erasure.emails,
        },
    )
    return erasure


@transaction.atomic
def privacy_setting_update(*, viewer: Viewer, export_leader_preparation_text: bool) -> PrivacySetting:
    require_write(privacy_policies.may_decide_privacy(viewer))
    setting = PrivacySetting.current()
    before = setting.export_leader_preparation_text
    setting.export_leader_preparation_text = export_leader_preparation_text
    setting.updated_at = timezone.now()
    setting.save()
    if before != export_leader_preparation_text:
        audit_record(
            actor=viewer.user,
            action="privacy.setting_changed",
            target=("privacysetting", setting.pk),
            data={"export_leader_preparation_text": {"from": before, "to": export_leader_preparation_text}},
        )
    return setting

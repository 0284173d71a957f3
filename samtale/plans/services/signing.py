"""Handing in, asking for changes, signing and amending a development plan
(docs/domain.md § After the conversation: "Both sign. The leader keeps the original, the employee a
copy"; § The plan).

The flow of one version::

    draft ──submit──▶ submitted ──leader asks for changes──▶ changes asked ──submit──▶ …
                         │
                         └─ signed by one side (the content is frozen) ─▶ signed by both

Either side may sign first once the employee has handed the version in. The first signature
freezes the content: ``content_hash`` is set, and from then on the database refuses any change
(migration 0002). A change after both signed is an amendment: a new version, copied from the
signed one, written by the employee and signed again by both; the earlier version stays as it
was. If the leader asks for changes after the employee has signed, the employee's signed bytes
stay too: the changes go into a new version.

``Plan.status`` mirrors the current (latest) version; ``Plan.signed_at`` is the first time a
version was signed by both and never moves, so "plan signed" on the overviews does not regress
while an amendment is being written.

Each service checks the policy, changes inside one transaction with ``update_fields``, writes
the audit event and puts the e-mail to the other side in the outbox in the same transaction.
The password check for a signature happens before that transaction, so that a wrong password is
counted (throttled like the sign-in) even though nothing is signed.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtale.access import plan_policies
from samtale.access.lookups import require_write
from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer
from samtale.accounts.services import login_attempt_begin, login_attempt_succeeded
from samtale.audit.models import Outcome
from samtale.audit.services import audit_record
from samtale.conversations.signals import conversations_changed
from samtale.lib.queries import fetch
from samtale.org.models import Person
from samtale.outbox.services import Draft, outbox_enqueue_many, outbox_message_build
from samtale.plans import content as plan_content
from samtale.plans.models import (
    CommentKind,
    Plan,
    PlanComment,
    PlanStatus,
    PlanVersion,
    Side,
    Signature,
    SignatureMethod,
)
from samtale.plans.services._shared import check_round_open
from samtale.plans.services.writing import open_items_blocking, version_completeness_errors

EDITABLE = (PlanStatus.DRAFT, PlanStatus.CHANGES_ASKED)


def current_version(plan: Plan) -> PlanVersion:
    """The latest version: the one being written, handed in or signed (with who saved it last).
    Earlier versions are history (read only). A plan is opened with its first version
    (``writing.plan_open``), so there always is one."""
    latest = fetch(plan.versions.select_related("updated_by").order_by("-number")[:1], "plans.current_version")
    if not latest:
        raise PlanVersion.DoesNotExist(f"plan {plan.pk} has no version")
    (version,) = latest
    version.plan = plan
    return version


def signer_side(viewer: Viewer, plan: Plan) -> str | None:
    """Which side the viewer signs for, from how they stand to the employee *now*: the employee
    themself, or their current personnel leader. None for everyone else."""
    relations = relations_to(viewer, plan.employee)
    if Relation.SELF in relations:
        return Side.EMPLOYEE
    if Relation.PERSONNEL_LEADER in relations:
        return Side.LEADER
    return None


def _locked(plan: Plan) -> tuple[Plan, PlanVersion]:
    """The plan and its current version, locked for the rest of the transaction, so that two
    people acting at once see one state or the other (select_for_update is a no-op on SQLite,
    where the write lock of the transaction serialises instead)."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    check_round_open(locked)
    version = PlanVersion.objects.select_for_update().filter(plan=locked).order_by("-number").first()
    if version is None:
        raise ValidationError(_("The plan has no version yet."))
    return locked, version


# The writing area's rules --------------------------------------------------------------------------


def completeness_errors(version: PlanVersion) -> list[str]:
    """Why the version cannot be handed in yet (the required parts and the follow-up date)."""
    return [str(error) for error in version_completeness_errors(version)]


def blocking_open_items(plan: Plan) -> list[Any]:
    """The open items the leader must still answer: while one is open, nobody signs."""
    return list(open_items_blocking(plan))


# Handing in and asking for changes ----------------------------------------------------------------


@transaction.atomic
def plan_submit(*, viewer: Viewer, plan: Plan) -> PlanVersion:
    """The employee hands the current version to the leader ("The employee writes the plan … and
    hands it to the leader", docs/domain.md § After the conversation). Only a complete plan can be
    handed in."""
    require_write(plan_policies.may_write_plan(viewer, plan))
    plan, version = _locked(plan)
    if version.status == PlanStatus.SUBMITTED:
        raise ValidationError(_("This version is already handed in to your leader."))
    if version.status == PlanStatus.SIGNED or version.is_frozen:
        raise ValidationError(_("This version is signed and can no longer be handed in. Start an amendment instead."))
    errors = completeness_errors(version)
    if errors:
        raise ValidationError([_("The plan cannot be handed in yet:"), *errors])
    now = timezone.now()
    version.status = PlanStatus.SUBMITTED
    version.submitted_at = now
    version.save(update_fields=["status", "submitted_at"])
    plan.status = PlanStatus.SUBMITTED
    fields = ["status"]
    if plan.submitted_at is None:  # the deadline counts the first time it was handed in
        plan.submitted_at = now
        fields.append("submitted_at")
    plan.save(update_fields=fields)
    conversations_changed.send(sender=Plan, conversation_ids=[plan.conversation_id])
    audit_record(
        actor=viewer.user,
        action="plans.submitted",
        target=plan,
        subject_person_id=plan.employee_id,
        data={"version": version.number},
    )
    leader = _leader(plan)
    if leader is not None:
        _tell(plan, version, leader, "submitted", key=f"submitted:{version.uuid}:{version.submitted_at.isoformat()}")
    return version


@transaction.atomic
def plan_ask_changes(*, viewer: Viewer, plan: Plan, comment: str) -> PlanVersion:
    """The leader does not sign yet: they say what must change, and the employee is told. If
    the employee has already signed this version, their signed bytes stay as they are and the
    changes are written in a new version."""
    require_write(plan_policies.may_comment_on_plan(viewer, plan))
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say what should be changed."))
    plan, version = _locked(plan)
    if version.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("You can ask for changes only to a plan that is handed in and not yet signed by both."))
    if version.signatures.filter(side=Side.LEADER, person=viewer.person).exists():
        raise ValidationError(_("You have signed this version. To change it now, start an amendment."))
    # Signed by a former leader: the new leader's changes go into a new version (it is frozen).
    PlanComment.objects.create(version=version, author=viewer.person, kind=CommentKind.CHANGES_ASKED, text=comment)
    version.status = PlanStatus.CHANGES_ASKED
    version.save(update_fields=["status"])
    current = version
    if version.is_frozen:
        current = _new_version(plan, version, status=PlanStatus.CHANGES_ASKED, reason="", by=viewer.person)
    plan.status = PlanStatus.CHANGES_ASKED
    plan.save(update_fields=["status"])
    audit_record(
        actor=viewer.user,
        action="plans.changes_asked",
        target=plan,
        subject_person_id=plan.employee_id,
        data={"version": version.number},
    )
    _tell(
        plan, version, plan.employee, "changes_asked", key=f"changes_asked:{version.uuid}:{timezone.now().isoformat()}"
    )
    return current


# Signing -------------------------------------------------------------------------------------


def password_attempt(*, viewer: Viewer, password: str, address: str | None = None) -> None:
    """The signer enters their password again. Counted with the sign-in's throttle (per account
    and per address): while locked out the password is not even checked, so a guesser learns
    nothing; the right password takes the account's failed attempts back."""
    user = viewer.user
    locked_until = login_attempt_begin(email=user.email, address=address)
    if locked_until is not None:
        minutes = max(1, math.ceil((locked_until - timezone.now()).total_seconds() / 60))
        raise ValidationError(
            ngettext(
                "Too many wrong passwords. Wait %(minutes)s minute and try again.",
                "Too many wrong passwords. Wait %(minutes)s minutes and try again.",
                minutes,
            )
            % {"minutes": minutes},
            code="throttled",
        )
    # check_password runs the user's hasher (constant-time comparison, and upgrades the hash).
    if not password or not user.check_password(password):
        raise ValidationError(_("The password is not right. Enter the password you sign in with."), code="password")
    login_attempt_succeeded(email=user.email)


def plan_sign(
    *,
    viewer: Viewer,
    plan: Plan,
    password: str,
    address: str | None = None,
    method: str = SignatureMethod.PASSWORD,
) -> Signature:
    """Sign the current version for one's own side, after entering the password again ("Both
    sign", each by the person themself). There is no single sign-on yet: ``method`` records how
    the signer proved it was them, so an SSO session can sign later without a new field."""
    side = signer_side(viewer, plan)
    require_write(side is not None and plan_policies.may_sign_plan(viewer, plan))
    assert side is not None
    if method != SignatureMethod.PASSWORD:
        raise ValidationError(_("Sign with your password."))
    check_may_sign(plan, side)  # refuse before asking for the password, with the real reason
    try:
        password_attempt(viewer=viewer, password=password, address=address)
    except ValidationError as error:
        audit_record(
            actor=viewer.user,
            action="plans.signed",
            outcome=Outcome.DENIED,
            target=plan,
            subject_person_id=plan.employee_id,
            data={"side": side, "reason": error.code or "password"},
        )
        raise
    return _sign(viewer=viewer, plan=plan, side=side, method=method)


def check_may_sign(plan: Plan, side: str) -> PlanVersion:
    """The current version, if ``side`` may sign it now; else why not (ValidationError)."""
    version = current_version(plan)
    if version.status in EDITABLE:
        raise ValidationError(_("The plan must be handed in before it can be signed."))
    if version.status == PlanStatus.SIGNED:
        raise ValidationError(_("This version is already signed by both."))
    leader_signature = version.signatures.filter(side=Side.LEADER).values_list("person_id", flat=True).first()
    former_leader_signed = leader_signature is not None and leader_signature != plan.employee.personnel_leader_id
    if side == Side.LEADER and former_leader_signed:
        raise ValidationError(
            _("Your predecessor signed this version before you took over. Ask for changes to make a new version.")
        )
    if side == Side.EMPLOYEE and former_leader_signed:
        raise ValidationError(
            _("The leader who signed is no longer your leader: your new leader must sign a new version first.")
        )
    if version.signatures.filter(side=side).exists():
        raise ValidationError(_("You have already signed this version."))
    open_items = blocking_open_items(plan)
    if open_items:
        raise ValidationError(
            ngettext(
                "The plan cannot be signed while %(count)s open item is not answered.",
                "The plan cannot be signed while %(count)s open items are not answered.",
                len(open_items),
            )
            % {"count": len(open_items)}
        )
    return version


@transaction.atomic
def _sign(*, viewer: Viewer, plan: Plan, side: str, method: str) -> Signature:
    plan, version = _locked(plan)
    check_may_sign(plan, side)  # again, under the lock: the other side may have acted meanwhile
    assert viewer.person is not None  # signer_side found a relation, so there is a person
    now = timezone.now()
    digest = plan_content.content_hash(version)
    if not version.content_hash:
        # The first signature freezes the content: from here on the database refuses changes.
        version.content_hash = digest
        version.save(update_fields=["content_hash"])
    elif version.content_hash != digest:  # cannot happen while the database guard stands
        raise RuntimeError(f"plan version {version.uuid} does not match its hash")
    signature = Signature.objects.create(
        version=version,
        person=viewer.person,
        side=side,
        signed_at=now,
        content_hash=version.content_hash,
        method=method,
    )
    both = version.signatures.count() == 2
    if both:
        version.status = PlanStatus.SIGNED
        version.signed_at = now
        version.save(update_fields=["status", "signed_at"])
        plan.status = PlanStatus.SIGNED
        fields = ["status"]
        if plan.signed_at is None:
            plan.signed_at = now
            fields.append("signed_at")
        follow_up_by = _follow_up_by(version)
        if follow_up_by is not None and plan.follow_up_by != follow_up_by:
            plan.follow_up_by = follow_up_by
            fields.append("follow_up_by")
        plan.save(update_fields=fields)
        conversations_changed.send(sender=Plan, conversation_ids=[plan.conversation_id])
    audit_record(
        actor=viewer.user,
        action="plans.signed",
        target=plan,
        subject_person_id=plan.employee_id,
        data={
            "version": version.number,
            "side": side,
            "hash": version.content_hash,
            "method": method,
            "both": both,
        },
    )
    other = _leader(plan) if side == Side.EMPLOYEE else plan.employee
    if other is not None:
        _tell(plan, version, other, "signed_both" if both else "signed", key=f"signed:{signature.uuid}")
    return signature


def _follow_up_by(version: PlanVersion) -> date | None:
    """The last day of the agreed follow-up: the date, or the Sunday of the ISO week."""
    if version.follow_up_on:
        return version.follow_up_on
    week = version.follow_up_week
    if week and "-W" in week:
        year, number = week.split("-W", 1)
        try:
            return date.fromisocalendar(int(year), int(number), 7)
        except ValueError:
            return None
    return None


# Amendments ----------------------------------------------------------------------------------


def _new_version(plan: Plan, previous: PlanVersion, *, status: str, reason: str, by: Person | None) -> PlanVersion:
    now = timezone.now()
    return PlanVersion.objects.create(
        plan=plan,
        number=previous.number + 1,
        status=status,
        amends=previous,
        amendment_reason=reason,
        content=copy.deepcopy(plan_content.version_content(previous)),
        follow_up_on=previous.follow_up_on,
        follow_up_week=previous.follow_up_week,
        created_at=now,
        updated_at=now,
        updated_by=by,
    )


@transaction.atomic
def plan_amend(*, viewer: Viewer, plan: Plan, reason: str) -> PlanVersion:
    """Either side starts an amendment of the signed plan, saying why: a new version (a copy of
    the signed one) that the employee changes, hands in, and both sign again. The signed version
    stays readable and never changes."""
    side = signer_side(viewer, plan)
    require_write(side is not None and plan_policies.may_sign_plan(viewer, plan))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the plan is amended."))
    plan, version = _locked(plan)
    if version.status != PlanStatus.SIGNED:
        if plan.signed_at is not None:
            raise ValidationError(_("An amendment is already being written; it must be signed before another one."))
        raise ValidationError(_("Only a plan signed by both can be amended. Until then, change the plan itself."))
    amendment = _new_version(plan, version, status=PlanStatus.DRAFT, reason=reason, by=viewer.person)
    plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["status"])
    audit_record(
        actor=viewer.user,
        action="plans.amendment_started",
        target=plan,
        subject_person_id=plan.employee_id,
        data={"version": amendment.number, "amends": version.number, "side": side},
    )
    other = _leader(plan) if side == Side.EMPLOYEE else plan.employee
    if other is not None:
        _tell(plan, amendment, other, "amendment_started", key=f"amendment:{amendment.uuid}")
    return amendment


# The PDF -------------------------------------------------------------------------------------


def pdf_label(viewer: Viewer, plan: Plan) -> str:
    """ "The leader keeps the original, the employee a copy": the current personnel leader's
    download is the original; everyone else's (the employee's, the chain's) a copy."""
    return "original" if signer_side(viewer, plan) == Side.LEADER else "copy"


def plan_pdf_record(*, viewer: Viewer, plan: Plan, version: PlanVersion, label: str) -> None:
    """ "Every … export … writes an audit event" (docs/trust.md § Audit trail)."""
    audit_record(
        actor=viewer.user,
        action="plans.pdf_downloaded",
        target=plan,
        subject_person_id=plan.employee_id,
        data={"version": version.number, "label": label, "hash": version.content_hash},
    )


def plan_version_read_record(*, viewer: Viewer, plan: Plan, version: PlanVersion) -> None:
    """ "Every read of confidential content by someone other than its author … writes an audit
    event" (docs/trust.md § Audit trail): everyone but the employee reading a version."""
    if Relation.SELF in relations_to(viewer, plan.employee):
        return
    audit_record(
        actor=viewer.user,
        action="plans.version_read",
        target=plan,
        subject_person_id=plan.employee_id,
        data={"version": version.number},
    )


# E-mails to the other side -------------------------------------------------------------------------


def _leader(plan: Plan) -> Person | None:
    leader = plan.employee.personnel_leader
    return leader if leader is not None and leader.is_employed() else None


def _tell(plan: Plan, version: PlanVersion, person: Person, event: str, *, key: str) -> None:
    """One e-mail through the outbox, written in this transaction: what happened and the link,
    never what the plan says."""
    drafts: Iterable[Draft] = [
        outbox_message_build(
            kind="plans.signing",
            to_email=person.email,
            language=person.account_language,
            context={"plan": plan.pk, "version": version.pk, "person": person.pk, "event": event},
            dedupe_key=f"plans.signing:{key}:{person.pk}",
        )
    ]
    outbox_enqueue_many(messages=list(drafts))

"""Handing in, asking for changes, signing and amending (docs/domain.md § The plan), through the
services: each rule of samtale/plans/signing.py fails a test here when broken."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samtale.accounts.models import LoginFailure
from samtale.audit.models import AuditEvent, Outcome
from samtale.conversations.models import OpenItem
from samtale.outbox.models import OutboxMessage
from samtale.plans import content
from samtale.plans.models import CommentKind, PlanComment, PlanStatus, PlanVersion, Side, Signature, SignatureMethod
from samtale.plans.services import signing
from samtale.plans.services.signing import current_version
from samtale.testing import PASSWORD, Mus, Org
from samtale.testing.signing import as_, edit_current, make_plan, reload, sign_as, signed_plan, submitted_plan


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# Handing in ------------------------------------------------------------------------------------


def test_employee_hands_in_a_complete_plan_and_the_leader_is_told(org: Org, mus: Mus) -> None:
    plan = make_plan(mus)
    version = signing.plan_submit(viewer=as_(org, "employee"), plan=plan)
    plan = reload(plan)
    assert version.status == PlanStatus.SUBMITTED and version.submitted_at is not None
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_at is not None
    message = OutboxMessage.objects.get(kind="plans.signing", to_email=org.leader.email)
    assert message.context["event"] == "submitted"
    assert AuditEvent.objects.filter(action="plans.submitted", subject_person_id=org.employee.pk).exists()


def test_an_incomplete_plan_cannot_be_handed_in_and_says_what_is_missing(org: Org, mus: Mus) -> None:
    plan = make_plan(mus, complete=False)
    with pytest.raises(ValidationError) as error:
        signing.plan_submit(viewer=as_(org, "employee"), plan=plan)
    text = _messages(error)
    assert "cannot be handed in yet" in text
    assert "focus area" in text
    assert current_version(plan).status == PlanStatus.DRAFT
    assert not OutboxMessage.objects.filter(kind="plans.signing").exists()


def test_a_plan_without_goals_cannot_be_handed_in(org: Org, mus: Mus) -> None:
    plan = make_plan(mus)
    edit_current(plan, lambda c: c.update(goals=[]))
    with pytest.raises(ValidationError) as error:
        signing.plan_submit(viewer=as_(org, "employee"), plan=plan)
    assert "goal" in _messages(error)


@pytest.mark.parametrize("persona", ["leader", "head", "colleague", "hr"])
def test_only_the_employee_hands_in_the_plan(org: Org, mus: Mus, persona: str) -> None:
    plan = make_plan(mus)
    with pytest.raises(PermissionDenied):
        signing.plan_submit(viewer=as_(org, persona), plan=plan)


def test_handing_in_twice_is_refused(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    with pytest.raises(ValidationError) as error:
        signing.plan_submit(viewer=as_(org, "employee"), plan=plan)
    assert "already handed in" in _messages(error)


# Asking for changes ----------------------------------------------------------------------------


def test_leader_asks_for_changes_with_a_comment_and_the_employee_is_told(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    signing.plan_ask_changes(viewer=as_(org, "leader"), plan=plan, comment="Gør målet mere konkret")
    plan = reload(plan)
    assert plan.status == PlanStatus.CHANGES_ASKED
    assert current_version(plan).status == PlanStatus.CHANGES_ASKED
    comment = PlanComment.objects.get(version__plan=plan)
    assert comment.kind == CommentKind.CHANGES_ASKED and comment.author == org.leader
    message = OutboxMessage.objects.get(kind="plans.signing", to_email=org.employee.email)
    assert message.context["event"] == "changes_asked"
    # The e-mail carries the link, not the leader's words.
    with translation.override("en"):
        from samtale.outbox.kinds import builder_for

        email = builder_for("plans.signing")(message)
    assert email is not None
    assert "Gør målet" not in email.body and "Gør målet" not in str(email.alternatives[0][0])
    assert f"/plans/{plan.uuid}/" in email.body
    # The employee changes the plan and hands it in again.
    edit_current(plan, lambda c: c["goals"][0].update(text="Kører lønkørslen alene fra maj"))
    signing.plan_submit(viewer=as_(org, "employee"), plan=plan)
    assert reload(plan).status == PlanStatus.SUBMITTED


def test_asking_for_changes_needs_a_comment(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    with pytest.raises(ValidationError) as error:
        signing.plan_ask_changes(viewer=as_(org, "leader"), plan=plan, comment="  ")
    assert "Say what should be changed" in _messages(error)


@pytest.mark.parametrize("persona", ["employee", "head", "director", "former_leader", "daily_leader"])
def test_only_the_leader_asks_for_changes(org: Org, mus: Mus, persona: str) -> None:
    plan = submitted_plan(org, mus)
    with pytest.raises(PermissionDenied):
        signing.plan_ask_changes(viewer=as_(org, persona), plan=plan, comment="Nej")


def test_changes_cannot_be_asked_for_a_draft(org: Org, mus: Mus) -> None:
    plan = make_plan(mus)
    with pytest.raises(ValidationError):
        signing.plan_ask_changes(viewer=as_(org, "leader"), plan=plan, comment="Nej")


def test_changes_asked_after_the_employee_signed_go_into_a_new_version(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    sign_as(org, plan, "employee")
    signed_bytes = content.canonical_bytes(current_version(plan))
    signing.plan_ask_changes(viewer=as_(org, "leader"), plan=plan, comment="Tilføj en milepæl")
    plan = reload(plan)
    first, second = PlanVersion.objects.filter(plan=plan).order_by("number")
    assert content.canonical_bytes(first) == signed_bytes and first.is_frozen
    assert second.number == 2 and second.amends == first and not second.is_frozen
    assert second.status == PlanStatus.CHANGES_ASKED and plan.status == PlanStatus.CHANGES_ASKED
    assert second.content == first.content


def test_leader_who_signed_cannot_ask_for_changes(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    sign_as(org, plan, "leader")
    with pytest.raises(ValidationError) as error:
        signing.plan_ask_changes(viewer=as_(org, "leader"), plan=plan, comment="Alligevel")
    assert "You have signed" in _messages(error)


# Signing -------------------------------------------------------------------------------------


def test_leader_signs_then_the_employee_and_the_plan_is_signed_by_both(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    expected_hash = content.content_hash(current_version(plan))
    first = sign_as(org, plan, "leader")
    version = current_version(plan)
    assert first.side == Side.LEADER and first.person == org.leader
    assert first.method == SignatureMethod.PASSWORD
    assert version.content_hash == expected_hash == first.content_hash
    assert version.signed_at is None and reload(plan).status == PlanStatus.SUBMITTED
    assert OutboxMessage.objects.get(to_email=org.employee.email, kind="plans.signing").context["event"] == "signed"
    second = sign_as(org, plan, "employee")
    version.refresh_from_db()
    plan = reload(plan)
    assert second.side == Side.EMPLOYEE and second.content_hash == expected_hash
    assert version.status == PlanStatus.SIGNED and version.signed_at == second.signed_at
    assert plan.status == PlanStatus.SIGNED and plan.signed_at == second.signed_at
    assert plan.follow_up_by == version.follow_up_on
    assert OutboxMessage.objects.get(to_email=org.leader.email, context__event="signed_both")
    events = AuditEvent.objects.filter(action="plans.signed", outcome=Outcome.OK).order_by("id")
    assert [e.data["side"] for e in events] == ["leader", "employee"]
    assert all(e.data["hash"] == expected_hash for e in events)


def test_the_employee_may_sign_first(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    sign_as(org, plan, "employee")
    sign_as(org, plan, "leader")
    assert reload(plan).status == PlanStatus.SIGNED
    assert OutboxMessage.objects.filter(to_email=org.employee.email, context__event="signed_both").exists()


def test_a_draft_cannot_be_signed(org: Org, mus: Mus) -> None:
    plan = make_plan(mus)
    with pytest.raises(ValidationError) as error:
        sign_as(org, plan, "leader")
    assert "must be handed in" in _messages(error)
    assert not Signature.objects.exists() and not current_version(plan).is_frozen


def test_a_plan_with_changes_asked_cannot_be_signed(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    signing.plan_ask_changes(viewer=as_(org, "leader"), plan=plan, comment="Mere konkret")
    with pytest.raises(ValidationError):
        sign_as(org, plan, "employee")


def test_signing_twice_is_refused(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    sign_as(org, plan, "leader")
    with pytest.raises(ValidationError) as error:
        sign_as(org, plan, "leader")
    assert "already signed" in _messages(error)
    assert Signature.objects.count() == 1


def test_a_version_signed_by_both_is_not_signed_again(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    with pytest.raises(ValidationError) as error:
        sign_as(org, plan, "leader")
    assert "already signed by both" in _messages(error)


NOT_SIGNERS = ["head", "director", "former_leader", "daily_leader", "colleague", "hr", "outsider"]


@pytest.mark.parametrize("persona", NOT_SIGNERS)
def test_nobody_signs_someone_elses_plan(org: Org, mus: Mus, persona: str) -> None:
    plan = submitted_plan(org, mus)
    with pytest.raises(PermissionDenied):
        sign_as(org, plan, persona)
    assert not Signature.objects.exists()


def test_a_wrong_password_signs_nothing_and_says_so(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    with pytest.raises(ValidationError) as error:
        sign_as(org, plan, "leader", password="forkert")
    assert "password is not right" in _messages(error)
    assert not Signature.objects.exists() and not current_version(plan).is_frozen
    denied = AuditEvent.objects.get(action="plans.signed", outcome=Outcome.DENIED)
    assert denied.data["side"] == "leader"
    assert LoginFailure.objects.count() == 1


def test_wrong_passwords_are_throttled_like_the_sign_in(org: Org, mus: Mus, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SAMTALE_LOGIN_FAILURES_PER_ACCOUNT = 3
    plan = submitted_plan(org, mus)
    for _attempt in range(3):
        with pytest.raises(ValidationError):
            sign_as(org, plan, "leader", password="forkert")
    # Over the limit even the right password is not checked.
    with pytest.raises(ValidationError) as error:
        sign_as(org, plan, "leader", password=PASSWORD)
    assert "Too many wrong passwords" in _messages(error)
    assert not Signature.objects.exists()


def test_the_right_password_takes_back_the_failed_attempts(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    with pytest.raises(ValidationError):
        sign_as(org, plan, "leader", password="forkert")
    sign_as(org, plan, "leader")
    assert not LoginFailure.objects.exists()


def test_no_signature_while_an_open_item_is_not_answered(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    item = OpenItem.objects.create(
        conversation=mus.conversation, text="Budget til kursus", deadline=plan.due_on, created_by=org.leader
    )
    with pytest.raises(ValidationError) as error:
        sign_as(org, plan, "leader")
    assert "open item" in _messages(error)
    assert not current_version(plan).is_frozen
    OpenItem.objects.filter(pk=item.pk).update(answer="Ja", answered_at=plan.created_at)
    sign_as(org, plan, "leader")


def test_a_leader_who_is_no_longer_the_leader_cannot_sign(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    org.employee.personnel_leader = org.former_leader
    org.employee.save(update_fields=["personnel_leader"])
    with pytest.raises(PermissionDenied):
        sign_as(org, plan, "leader")
    sign_as(org, plan, "former_leader")  # the current leader signs for the leader's side
    assert Signature.objects.get().person == org.former_leader


def test_only_a_password_signature_exists_until_single_sign_on(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    with pytest.raises(ValidationError):
        signing.plan_sign(viewer=as_(org, "leader"), plan=plan, password=PASSWORD, method=SignatureMethod.SSO)


# Amendments ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "leader"])
def test_either_side_amends_a_signed_plan_in_a_new_version(org: Org, mus: Mus, persona: str) -> None:
    plan = signed_plan(org, mus)
    signed = current_version(plan)
    signed_bytes = content.canonical_bytes(signed)
    amendment = signing.plan_amend(viewer=as_(org, persona), plan=plan, reason="Kurset er aflyst")
    plan = reload(plan)
    assert amendment.number == 2 and amendment.amends == signed
    assert amendment.amendment_reason == "Kurset er aflyst"
    assert amendment.status == PlanStatus.DRAFT and not amendment.is_frozen
    assert amendment.content == signed.content and amendment.follow_up_on == signed.follow_up_on
    assert plan.status == PlanStatus.DRAFT and plan.signed_at == signed.signed_at
    other = org.leader if persona == "employee" else org.employee
    assert OutboxMessage.objects.filter(to_email=other.email, context__event="amendment_started").exists()
    # Changed, handed in and signed again by both; version 1 never moves.
    edit_current(plan, lambda c: c["goals"][0]["activities"].pop())
    signing.plan_submit(viewer=as_(org, "employee"), plan=plan)
    sign_as(org, plan, "employee")
    sign_as(org, plan, "leader")
    plan = reload(plan)
    amendment.refresh_from_db()
    signed.refresh_from_db()
    assert amendment.status == PlanStatus.SIGNED and amendment.content_hash != signed.content_hash
    assert content.canonical_bytes(signed) == signed_bytes
    assert plan.status == PlanStatus.SIGNED and plan.signed_at == signed.signed_at  # the first time stays


def test_an_amendment_needs_a_reason(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    with pytest.raises(ValidationError) as error:
        signing.plan_amend(viewer=as_(org, "employee"), plan=plan, reason="")
    assert "why" in _messages(error)


def test_an_unsigned_plan_is_not_amended(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    with pytest.raises(ValidationError) as error:
        signing.plan_amend(viewer=as_(org, "employee"), plan=plan, reason="Noget nyt")
    assert "Only a plan signed by both" in _messages(error)


def test_one_amendment_at_a_time(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    signing.plan_amend(viewer=as_(org, "employee"), plan=plan, reason="Første")
    with pytest.raises(ValidationError) as error:
        signing.plan_amend(viewer=as_(org, "leader"), plan=plan, reason="Anden")
    assert "already being written" in _messages(error)


@pytest.mark.parametrize("persona", ["head", "director", "hr", "former_leader"])
def test_readers_do_not_amend(org: Org, mus: Mus, persona: str) -> None:
    plan = signed_plan(org, mus)
    with pytest.raises(PermissionDenied):
        signing.plan_amend(viewer=as_(org, persona), plan=plan, reason="Nej")


def test_signing_e_mails_carry_no_plan_text(org: Org, mus: Mus) -> None:
    from samtale.outbox.delivery import outbox_deliver_batch

    plan = signed_plan(org, mus)
    signing.plan_amend(viewer=as_(org, "leader"), plan=plan, reason="Hemmelig grund")
    outbox_deliver_batch()
    assert len(mail.outbox) >= 4
    secrets = ["Lønsystemet", "Kan selv køre", "Sidemandsoplæring", "Hemmelig grund", "Svartider"]
    for email in mail.outbox:
        text = email.body + "".join(str(part[0]) for part in getattr(email, "alternatives", []))
        assert not [s for s in secrets if s in text], email.subject

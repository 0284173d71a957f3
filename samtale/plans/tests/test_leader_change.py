"""When a leader changes (docs/trust.md § Leader change): the new personnel leader gets the plan and
its follow-up at once, the former leader gets 404 on their next request, by hand and by import; both
the employee and the new leader are told by a link-only e-mail and an audit event is written; the
minutes of earlier conversations pass only if the employee agrees, and the employee can take that
back."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from samtale.audit.models import AuditEvent
from samtale.conversations.models import Conversation, ConversationStatus, MinutesConsent
from samtale.org.importing.apply import organisation_import
from samtale.org.models import PlacementChange
from samtale.outbox.models import OutboxMessage
from samtale.plans.services import follow_up
from samtale.plans.services.leader_change import leaders_changed, minutes_consent_grant, minutes_consent_withdraw
from samtale.testing import Mus, Org, working_day
from samtale.testing.follow_up import GOAL, as_, move_employee_to, signed_plan
from samtale.testing.import_files import new_record, org_file, org_records, record
from samtale.testing.scheduling import english, mails_to

SECRET = "FORTROLIG-FREMSKRIDT"


@pytest.fixture(autouse=True)
def _english(org: Org) -> Any:
    english(org.employee, org.leader, org.former_leader)
    with translation.override("en"):
        yield


def _urls(plan: Any) -> list[str]:
    """The plan, its versions and its follow-up."""
    return [
        reverse("plans:follow_up", args=[plan.uuid]),
        reverse("plans:detail", args=[plan.uuid]),
        reverse("plans:plan_versions", args=[plan.uuid]),
        reverse("plans:plan_version", args=[plan.uuid, 1]),
        reverse("plans:plan_version_pdf", args=[plan.uuid, 1]),
        reverse("plans:progress", args=[plan.uuid, GOAL]),
        reverse("plans:follow_up_call", args=[plan.uuid]),
        reverse("plans:follow_up_held", args=[plan.uuid]),
    ]


def _with_progress_and_follow_up(org: Org, mus: Mus) -> Any:
    plan = signed_plan(org, mus)
    follow_up.progress_record(
        viewer=as_(org, "employee"), plan=plan, item=GOAL, status="under_way", note=SECRET, on=timezone.localdate()
    )
    return plan


def test_by_hand_the_new_leader_gets_the_plan_and_its_follow_up_and_the_former_leader_404(org: Org, mus: Mus) -> None:
    plan = _with_progress_and_follow_up(org, mus)
    old, new = org.client("leader"), org.client("former_leader")
    assert all(old.get(url).status_code == 200 for url in _urls(plan))
    assert all(new.get(url).status_code == 404 for url in _urls(plan))

    move_employee_to(org, org.former_leader)

    for url in _urls(plan):
        assert new.get(url).status_code == 200, url
        response = old.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.content.decode()
    assert SECRET in new.get(_urls(plan)[0]).content.decode()
    # The new leader calls the follow-up; the former leader can no longer.
    day = working_day(10).isoformat()
    data = {"date": day, "time": "10:00", "duration_minutes": "60", "location": "Mødelokale 1"}
    assert old.post(reverse("plans:follow_up_call", args=[plan.uuid]), data).status_code == 404
    assert new.post(reverse("plans:follow_up_call", args=[plan.uuid]), data).status_code == 302


def test_by_hand_both_are_told_with_a_link_only_and_an_audit_event_is_written(org: Org, mus: Mus) -> None:
    plan = _with_progress_and_follow_up(org, mus)
    mail.outbox.clear()

    move_employee_to(org, org.former_leader)

    (to_employee,) = mails_to(org.employee)
    (to_leader,) = mails_to(org.former_leader)
    assert not mails_to(org.leader)
    assert to_employee.subject == "Your personnel leader is now Frode Førleder"
    assert reverse("plans:minutes_consent") in to_employee.body
    assert "only if you agree" in to_employee.body
    assert to_leader.subject == "You are now the personnel leader of Emil Ærø"
    assert reverse("plans:detail", args=[plan.uuid]) in to_leader.body
    for message in (to_employee, to_leader):
        assert SECRET not in message.body and SECRET not in message.alternatives[0][0]
    event = AuditEvent.objects.get(action="plans.passed_to_new_leader")
    assert event.subject_person_id == org.employee.pk
    assert event.actor_id == org.hr.user.pk
    assert event.data == {"from": org.leader.pk, "to": org.former_leader.pk, "source": "manual"}


def test_the_leader_of_someone_without_plan_or_conversation_in_a_launched_round_is_told_nothing(org: Org) -> None:
    mail.outbox.clear()
    move_employee_to(org, org.former_leader)
    assert not OutboxMessage.objects.filter(kind="plans.leader_changed").exists()
    assert not AuditEvent.objects.filter(action="plans.passed_to_new_leader").exists()
    # The organisation's own audit event is still there.
    assert AuditEvent.objects.filter(action="org.personnel_leader_changed").exists()


def test_a_conversation_in_a_launched_round_is_enough_to_tell_both(org: Org, mus: Mus) -> None:
    mail.outbox.clear()
    move_employee_to(org, org.former_leader)
    (to_leader,) = mails_to(org.former_leader)
    assert reverse("conversations:detail", args=[mus.conversation.uuid]) in to_leader.body
    assert len(mails_to(org.employee)) == 1


def test_a_change_of_unit_or_daily_leader_alone_tells_nobody(org: Org, mus: Mus) -> None:
    from samtale.org.services import person_change_placement

    mail.outbox.clear()
    person_change_placement(
        viewer=as_(org, "hr"),
        person=org.employee,
        unit=org.payroll,
        personnel_leader=org.leader,
        daily_leader=None,
    )
    assert not OutboxMessage.objects.filter(kind="plans.leader_changed").exists()


def test_a_message_is_dropped_when_the_change_is_undone_before_it_leaves(org: Org, mus: Mus) -> None:
    from samtale.outbox.delivery import outbox_deliver

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("samtale.outbox.services._schedule_delivery", lambda *a, **k: None)
        move_employee_to(org, org.former_leader)
        move_employee_to(org, org.leader)
    mail.outbox.clear()
    outbox_deliver()
    # Only the messages about the change back to Lise Leder leave.
    assert {tuple(m.to) for m in mail.outbox} == {(org.employee.email,), (org.leader.email,)}


def test_by_import_the_plan_passes_both_are_told_and_each_change_is_audited(org: Org, mus: Mus) -> None:
    plan = _with_progress_and_follow_up(org, mus)
    records = org_records()
    row = record(records, org.employee.employee_number)
    row |= {"personnel_leader_number": org.former_leader.employee_number, "unit_code": "REG", "unit_name": "Regnskab"}
    mail.outbox.clear()

    outcome = organisation_import(content=org_file(records), file_name="org.csv", actor=org.hr.user)

    assert outcome.applied
    assert org.client("former_leader").get(reverse("plans:follow_up", args=[plan.uuid])).status_code == 200
    assert org.client("leader").get(reverse("plans:follow_up", args=[plan.uuid])).status_code == 404
    assert len(mails_to(org.employee)) == 1 and len(mails_to(org.former_leader)) == 1
    event = AuditEvent.objects.get(action="plans.passed_to_new_leader")
    assert event.data == {"from": org.leader.pk, "to": org.former_leader.pk, "source": "import"}
    assert event.actor_id == org.hr.user.pk


def test_a_bulk_import_tells_everyone_with_a_constant_number_of_queries(org: Org, mus: Mus) -> None:
    """Every permanent employee in Løn moves to Frode; each has a conversation in the round."""
    records = org_records()
    moved = [r for r in records if r["personnel_leader_number"] == org.leader.employee_number]
    for r in moved:
        r["personnel_leader_number"] = org.former_leader.employee_number
    records += [new_record(f"99{i:04d}", f"Ny {i}", leader=org.leader.employee_number) for i in range(30)]
    organisation_import(content=org_file(records), file_name="org.csv", actor=org.hr.user)
    new_ids = list(
        PlacementChange.objects.filter(person__employee_number__startswith="99").values_list("person_id", flat=True)
    )
    assert not new_ids  # new people have no placement history to tell about
    changes = list(PlacementChange.objects.filter(field="personnel_leader", source="import"))
    with_round = Conversation.objects.filter(employee_id__in=[c.person_id for c in changes]).count()
    assert with_round == len(changes) >= 3
    assert OutboxMessage.objects.filter(kind="plans.leader_changed").count() == 2 * len(changes)
    OutboxMessage.objects.filter(kind="plans.leader_changed").delete()
    AuditEvent.objects.filter(action="plans.passed_to_new_leader").delete()
    with pytest.MonkeyPatch.context() as patch:
        # Delivery is the worker's: count the hook's own queries.
        patch.setattr("samtale.outbox.services._schedule_delivery", lambda *a, **k: None)
        with CaptureQueriesContext(connection) as few:
            leaders_changed(changes[:1])
        OutboxMessage.objects.filter(kind="plans.leader_changed").delete()
        with CaptureQueriesContext(connection) as many:
            assert leaders_changed(changes) == 2 * len(changes)
    assert len(many) == len(few)


# The minutes of earlier conversations -------------------------------------------------------------------


def _held_by_lise(org: Org, mus: Mus) -> Conversation:
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.HELD, held_on=timezone.localdate(), held_with=org.leader
    )
    mus.conversation.refresh_from_db()
    return mus.conversation


def test_the_leader_who_held_a_conversation_keeps_its_minutes_while_they_lead(org: Org, mus: Mus) -> None:
    conversation = _held_by_lise(org, mus)
    assert org.client("leader").get(reverse("conversations:guide", args=[conversation.uuid])).status_code == 200
    assert not AuditEvent.objects.filter(action="conversations.minutes_read").exists()  # they wrote them


def test_a_new_leader_reads_earlier_minutes_only_while_the_employee_agrees(org: Org, mus: Mus) -> None:
    conversation = _held_by_lise(org, mus)
    move_employee_to(org, org.former_leader)
    guide = reverse("conversations:guide", args=[conversation.uuid])
    new = org.client("former_leader")
    assert new.get(guide).status_code == 404
    assert org.client("leader").get(guide).status_code == 404  # the former leader: nothing

    employee = org.client("employee")
    page = reverse("plans:minutes_consent")
    assert "Can Frode Førleder read the minutes?" in employee.get(page).content.decode()
    assert employee.post(page, {"conversation": str(conversation.uuid), "action": "grant"}).status_code == 302
    assert new.get(guide).status_code == 200
    # Reading minutes someone else wrote is audited, for the new leader as for an attendee.
    assert (
        AuditEvent.objects.filter(action="conversations.minutes_read", actor_id=org.former_leader.user.pk).count() == 1
    )
    assert MinutesConsent.objects.get().leader == org.former_leader
    assert AuditEvent.objects.filter(action="conversations.minutes_shared_with_new_leader").count() == 1

    assert employee.post(page, {"conversation": str(conversation.uuid), "action": "withdraw"}).status_code == 302
    assert new.get(guide).status_code == 404
    assert not MinutesConsent.objects.exists()
    assert AuditEvent.objects.filter(action="conversations.minutes_unshared_with_new_leader").count() == 1


def test_the_consent_is_for_one_leader_and_does_not_follow_a_further_change(org: Org, mus: Mus) -> None:
    conversation = _held_by_lise(org, mus)
    move_employee_to(org, org.former_leader)
    minutes_consent_grant(viewer=as_(org, "employee"), conversation=conversation)
    move_employee_to(org, org.head)
    # Hans is the head (chain) but chain never reads minutes; as personnel leader he needs consent.
    assert org.client("head").get(reverse("conversations:guide", args=[conversation.uuid])).status_code == 404


def test_a_conversation_not_yet_held_passes_to_the_new_leader_with_its_minutes(org: Org, mus: Mus) -> None:
    move_employee_to(org, org.former_leader)
    guide = reverse("conversations:guide", args=[mus.conversation.uuid])
    assert org.client("former_leader").get(guide).status_code == 200
    assert org.client("leader").get(guide).status_code == 404


def test_only_the_employee_grants_and_only_for_their_own_conversations(org: Org, mus: Mus) -> None:
    from django.core.exceptions import PermissionDenied

    conversation = _held_by_lise(org, mus)
    move_employee_to(org, org.former_leader)
    with pytest.raises(PermissionDenied):
        minutes_consent_grant(viewer=as_(org, "former_leader"), conversation=conversation)
    page = reverse("plans:minutes_consent")
    response = org.client("colleague").post(page, {"conversation": str(conversation.uuid), "action": "grant"})
    assert response.status_code == 404
    assert org.client("colleague").post(page, {"conversation": "nope"}).status_code == 404
    assert not MinutesConsent.objects.exists()


def test_nothing_to_pass_on_to_the_leader_who_held_the_conversation(org: Org, mus: Mus) -> None:
    from django.core.exceptions import ValidationError

    conversation = _held_by_lise(org, mus)
    for service in (minutes_consent_grant, minutes_consent_withdraw):
        with pytest.raises(ValidationError):
            service(viewer=as_(org, "employee"), conversation=conversation)
    assert "nothing to pass on" in org.client("employee").get(reverse("plans:minutes_consent")).content.decode()


def test_with_consent_the_new_leader_may_also_add_to_the_minutes(org: Org, mus: Mus) -> None:
    from samtale.access import round_policies

    conversation = _held_by_lise(org, mus)
    move_employee_to(org, org.former_leader)
    fresh = Conversation.objects.select_related("employee", "employee__unit").get(pk=conversation.pk)
    assert not round_policies.may_edit_minutes(as_(org, "former_leader"), fresh)
    minutes_consent_grant(viewer=as_(org, "employee"), conversation=conversation)
    assert round_policies.may_edit_minutes(as_(org, "former_leader"), fresh)
    assert round_policies.may_view_minutes(as_(org, "former_leader"), fresh)
    assert not round_policies.may_view_minutes(as_(org, "leader"), fresh)


def test_a_plan_half_signed_by_the_former_leader_is_signed_again_by_the_new_one(org: Org, mus: Mus) -> None:
    """The former leader signed, then the employee changed leader: the employee's signature
    would complete a plan signed by someone who no longer leads them. The new leader asks for
    changes instead, which makes a new version that both sign."""
    from django.core.exceptions import ValidationError

    from samtale.plans.services import signing
    from samtale.testing import signing as signing_helpers

    plan = signing_helpers.submitted_plan(org, mus)
    signing_helpers.sign_as(org, plan, "leader")
    move_employee_to(org, org.former_leader)
    with translation.override("en"), pytest.raises(ValidationError, match="no longer your leader"):
        signing_helpers.sign_as(org, plan, "employee")
    with translation.override("en"), pytest.raises(ValidationError, match="predecessor signed"):
        signing_helpers.sign_as(org, plan, "former_leader")
    new = signing.plan_ask_changes(
        viewer=as_(org, "former_leader"), plan=signing_helpers.reload(plan), comment="Ny leder"
    )
    assert new.number == 2 and signing_helpers.reload(plan).status == "changes_asked"

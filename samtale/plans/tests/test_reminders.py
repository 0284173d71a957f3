"""The plan's reminders (docs/domain.md § The plan): the plan due and overdue, a missing signature,
an open item past its deadline, the follow-up to call and overdue. Each goes once, to someone who is
still here, is dropped when it is no longer true by the time it leaves, and the sweep costs the same
few queries however large the organisation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samtale.conversations.models import Conversation, OpenItem
from samtale.jobs.reminders import ReminderReport, reminders_send
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.outbox.services import outbox_enqueue_many
from samtale.plans.models import FollowUpStatus, Plan, PlanStatus, Side
from samtale.plans.services import reminders
from samtale.testing import Mus, Org, make_person
from samtale.testing.reminders import follow_up, hand_in, left, make_plan, open_item, sign
from samtale.testing.scheduling import english, mails_to


@pytest.fixture(autouse=True)
def _english(org: Org, mus: Mus) -> None:
    english(org.employee, org.leader, org.former_leader)
    mail.outbox.clear()


def sent(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind, status=MessageStatus.SENT))


def later(days: int) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(days=days))


def html_of(message: Any) -> str:
    (html, _mimetype), *_ = message.alternatives
    return str(html)


# The plan is due ---------------------------------------------------------------------------------


def test_the_employee_is_reminded_three_days_before_the_plan_is_due_and_once(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=4)
    assert reminders_send().plan_due == 0  # not yet

    with later(1):
        assert reminders_send().plan_due == 1
        assert reminders_send().plan_due == 0  # the sweep run twice on a day
        with later(1):
            assert reminders_send().plan_due == 0  # the next day: still the same reminder
    (message,) = mails_to(org.employee)
    assert message.subject == f"Your development plan is due on {plan.due_on:%A} {plan.due_on.day} {plan.due_on:%B}"
    assert "hand it to Lise Leder" in message.body
    link = reverse("plans:detail", args=[plan.uuid])
    assert link in message.body and link in html_of(message)


def test_the_employee_is_reminded_again_on_the_due_date(org: Org, mus: Mus) -> None:
    make_plan(mus.conversation, due_in=0)
    assert reminders_send().plan_due == 1
    (message,) = mails_to(org.employee)
    assert message.subject == "Your development plan is due today"


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.SIGNED])
def test_a_plan_handed_in_or_signed_is_not_reminded_as_due(org: Org, mus: Mus, status: str) -> None:
    make_plan(mus.conversation, due_in=1, status=status, signed=status == PlanStatus.SIGNED)
    assert reminders_send().plan_due == 0


def test_changes_asked_for_before_the_due_date_are_reminded_as_due(org: Org, mus: Mus) -> None:
    make_plan(mus.conversation, due_in=2, status=PlanStatus.CHANGES_ASKED)
    assert reminders_send().plan_due == 1


# The plan is overdue ----------------------------------------------------------------------------


def test_the_leader_is_told_the_day_after_the_due_date_then_weekly_four_times(org: Org, mus: Mus) -> None:
    make_plan(mus.conversation, due_in=-1, status=PlanStatus.SUBMITTED)
    assert reminders_send().plan_overdue == 1
    assert reminders_send().plan_overdue == 0
    (message,) = mails_to(org.leader)
    assert message.subject == "The development plan of Emil Ærø is overdue"
    assert "not yet signed by both of you" in message.body

    counts = []
    for day in range(1, 40):
        with later(day):
            counts.append(reminders_send().plan_overdue)
    assert sum(counts) == 3  # days 8, 15 and 22 after the due date
    assert [day for day, count in enumerate(counts, start=1) if count] == [7, 14, 21]
    assert len(mails_to(org.leader)) == 4


def test_a_signed_plan_is_never_overdue(org: Org, mus: Mus) -> None:
    make_plan(mus.conversation, due_in=-3, signed=True)
    assert reminders_send().plan_overdue == 0


def test_a_new_leader_gets_the_overdue_reminder_and_the_former_leaders_is_dropped(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=-1)
    drafts = reminders.overdue_reminders(today=timezone.localdate())
    org.employee.personnel_leader = org.former_leader
    org.employee.save(update_fields=["personnel_leader"])
    outbox_enqueue_many(messages=drafts)  # queued for Lise, leaves after the change
    assert mails_to(org.leader) == []
    assert reminders_send().plan_overdue == 1
    (message,) = mails_to(org.former_leader)
    assert plan.employee.name in message.subject


# Signatures -------------------------------------------------------------------------------------


def test_the_leader_is_reminded_of_a_plan_handed_in_three_days_ago(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=5)
    hand_in(plan, days_ago=2)
    assert reminders_send().signature == 0
    with later(1):
        assert reminders_send().signature == 1
        assert reminders_send().signature == 0
    (message,) = mails_to(org.leader)
    assert message.subject == "The development plan of Emil Ærø waits for you"
    assert "Sign it, or ask for the changes you want" in message.body


def test_the_employee_is_reminded_when_only_the_leader_has_signed(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=5)
    hand_in(plan, days_ago=6)
    sign(plan, Side.LEADER, days_ago=3)
    report = reminders_send()
    assert report.signature == 1
    (message,) = mails_to(org.employee)
    assert message.subject == "Your development plan waits for your signature"
    assert mails_to(org.leader) == []


def test_the_leader_is_reminded_when_only_the_employee_has_signed(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=5)
    hand_in(plan, days_ago=6)
    sign(plan, Side.EMPLOYEE, days_ago=4)
    assert reminders_send().signature == 1
    (message,) = mails_to(org.leader)
    assert "Emil Ærø signed the development plan" in message.body


def test_a_plan_signed_by_both_or_sent_back_for_changes_waits_for_no_signature(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=5)
    hand_in(plan, days_ago=9)
    sign(plan, Side.EMPLOYEE, days_ago=8)
    sign(plan, Side.LEADER, days_ago=7)
    other = make_plan(mus.colleague_conversation, due_in=5, status=PlanStatus.CHANGES_ASKED)
    Plan.objects.filter(pk=other.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    assert reminders_send().signature == 0


def test_a_signature_given_before_the_reminder_leaves_drops_it(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=5)
    hand_in(plan, days_ago=6)
    sign(plan, Side.LEADER, days_ago=4)
    drafts = reminders.signature_reminders(now=timezone.now())
    sign(plan, Side.EMPLOYEE)
    outbox_enqueue_many(messages=drafts)
    assert mails_to(org.employee) == []
    assert OutboxMessage.objects.get(kind=reminders.SIGNATURE).status == MessageStatus.CANCELLED


# Open items -------------------------------------------------------------------------------------


def test_the_leader_is_reminded_of_an_open_item_past_its_deadline_without_its_text(org: Org, mus: Mus) -> None:
    make_plan(mus.conversation, due_in=5)
    open_item(mus.conversation, deadline_in=0)
    assert reminders_send().open_item == 0  # the deadline is today
    with later(1):
        assert reminders_send().open_item == 1
        assert reminders_send().open_item == 0
    (message,) = mails_to(org.leader)
    assert message.subject == "An open item for Emil Ærø is past its deadline"
    assert "HEMMELIGT-PUNKT" not in message.body + html_of(message)


def test_an_open_item_answered_before_the_reminder_leaves_is_not_reminded(org: Org, mus: Mus) -> None:
    item = open_item(mus.conversation, deadline_in=-2)
    drafts = reminders.open_item_reminders(today=timezone.localdate())
    OpenItem.objects.filter(pk=item.pk).update(answer="Ja", answered_at=timezone.now())
    outbox_enqueue_many(messages=drafts)
    assert mails_to(org.leader) == []
    assert reminders_send().open_item == 0


# The follow-up ----------------------------------------------------------------------------------


def test_the_leader_is_reminded_to_call_the_follow_up_thirty_days_before(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=-100, signed=True, follow_up_in=31)
    assert reminders_send().follow_up == 0
    with later(1):
        assert reminders_send().follow_up == 1
        assert reminders_send().follow_up == 0
    (message,) = mails_to(org.leader)
    assert message.subject == "Call the follow-up conversation with Emil Ærø"
    by = plan.follow_up_by
    assert by is not None and f"{by.day} {by:%B %Y}" in message.body


def test_a_follow_up_with_a_time_is_not_reminded_to_be_called(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=-100, signed=True, follow_up_in=10)
    follow_up(plan, FollowUpStatus.SCHEDULED)
    assert reminders_send().follow_up == 0
    follow_up(plan, FollowUpStatus.TO_BE_CALLED)
    assert reminders_send().follow_up == 1


def test_the_leader_is_reminded_of_a_follow_up_not_held_by_its_date(org: Org, mus: Mus) -> None:
    plan = make_plan(mus.conversation, due_in=-150, signed=True, follow_up_in=-1)
    follow_up(plan, FollowUpStatus.SCHEDULED)  # called, but not held
    assert reminders_send().follow_up == 1
    (message,) = mails_to(org.leader)
    assert message.subject == "The follow-up conversation with Emil Ærø is overdue"
    follow_up(plan, FollowUpStatus.HELD)
    with later(7):
        assert reminders_send().follow_up == 0


# Dropped, and nobody who left ---------------------------------------------------------------------


def _sign_both(plan: Plan) -> None:
    hand_in(plan, days_ago=10)
    sign(plan, Side.EMPLOYEE, days_ago=5)
    sign(plan, Side.LEADER, days_ago=0)


CASES: dict[str, tuple[Callable[[Mus], Plan], Callable[[Plan], object]]] = {
    "due": (lambda m: make_plan(m.conversation, due_in=1), lambda p: hand_in(p, days_ago=0)),
    "overdue": (lambda m: make_plan(m.conversation, due_in=-2), _sign_both),
    "follow-up soon": (
        lambda m: make_plan(m.conversation, due_in=-100, signed=True, follow_up_in=5),
        lambda p: follow_up(p, FollowUpStatus.SCHEDULED),
    ),
    "follow-up overdue": (
        lambda m: make_plan(m.conversation, due_in=-100, signed=True, follow_up_in=-5),
        lambda p: follow_up(p, FollowUpStatus.HELD),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_reminder_no_longer_true_when_it_leaves_is_dropped(org: Org, mus: Mus, case: str) -> None:
    make, resolve = CASES[case]
    plan = make(mus)
    drafts = [d for field in reminders.plan_reminders(now=timezone.now()).__dict__.values() for d in field]
    assert len(drafts) == 1
    resolve(plan)
    outbox_enqueue_many(messages=drafts)
    assert mail.outbox == []
    assert OutboxMessage.objects.get(kind__startswith="plans.").status == MessageStatus.CANCELLED


def test_no_reminders_about_or_to_people_who_have_left(org: Org, mus: Mus) -> None:
    due = make_plan(mus.conversation, due_in=1)
    hand_in(due, days_ago=5)
    Plan.objects.filter(pk=due.pk).update(status=PlanStatus.DRAFT)  # handed in once, then reopened
    make_plan(mus.colleague_conversation, due_in=-2)
    open_item(mus.colleague_conversation, deadline_in=-2)
    left(org.employee)
    report = reminders_send()
    assert (report.plan_due, report.signature) == (0, 0)  # the employee's plan: gone with them
    assert (report.plan_overdue, report.open_item) == (1, 1)  # the colleague's: still to the leader

    left(org.leader)  # and no one takes over: nobody is reminded
    OutboxMessage.objects.all().delete()
    mail.outbox.clear()
    assert reminders_send() == ReminderReport(prepare=0, schedule=0)
    assert mail.outbox == []


def test_the_reminders_hold_no_confidential_text(org: Org, mus: Mus) -> None:
    make_plan(mus.conversation, due_in=-1)
    open_item(mus.conversation, deadline_in=-1)
    other = make_plan(mus.colleague_conversation, due_in=3)
    hand_in(other, days_ago=4)
    Plan.objects.filter(pk=other.pk).update(status=PlanStatus.DRAFT)
    reminders_send()
    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        text = f"{message.subject} {message.body} {html_of(message)}"
        assert "HEMMELIGT" not in text


# Scale --------------------------------------------------------------------------------------------


def _a_team(org: Org, mus: Mus, size: int, start: int) -> None:
    """``size`` more employees of the leader with a plan in each state that is reminded."""
    for index in range(start, start + size):
        for kind in ("due", "overdue", "signature", "item", "follow-up soon", "follow-up overdue"):
            person = make_person(f"P{index} {kind}", unit=org.payroll, leader=org.leader, password=None)
            conversation = Conversation.objects.create(round=mus.round, employee=person)
            if kind == "due":
                make_plan(conversation, due_in=2)
            elif kind == "overdue":
                make_plan(conversation, due_in=-3)
            elif kind == "signature":
                hand_in(make_plan(conversation, due_in=5), days_ago=4)
            elif kind == "item":
                open_item(conversation, deadline_in=-1)
            elif kind == "follow-up soon":
                make_plan(conversation, due_in=-100, signed=True, follow_up_in=20)
            else:
                make_plan(conversation, due_in=-200, signed=True, follow_up_in=-3)


def test_the_sweep_costs_the_same_queries_however_large_the_organisation(org: Org, mus: Mus, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    counts = []
    for size, start in ((1, 0), (8, 1)):
        _a_team(org, mus, size, start)
        OutboxMessage.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            report = reminders_send()
        assert report.plan_due >= size and report.follow_up >= 2 * size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20


# With the plan's own services ---------------------------------------------------------------------


def test_the_reminders_follow_the_state_the_signing_services_leave(org: Org, mus: Mus) -> None:
    """The tests above make each state through the models; this walks one plan through the real
    services, so the reminders and the services agree on what each state looks like."""
    from samtale.plans.services import signing
    from samtale.testing import signing as signing_helpers

    plan = signing_helpers.make_plan(mus)  # held two days ago: due in 12 days
    with later(9):
        assert reminders_send().plan_due == 1
    plan = signing_helpers.submitted_plan(org, mus)
    with later(3):
        assert reminders_send().signature == 1  # the leader: sign or ask for changes
        assert mails_to(org.leader)[-1].subject == "The development plan of Emil Ærø waits for you"
        signing.plan_ask_changes(viewer=signing_helpers.as_(org, "leader"), plan=plan, comment="Mere konkret")
        with later(9):  # the due date
            report = reminders_send()
            assert report.signature == 0  # changes asked for: the employee writes, nobody signs
            assert report.plan_due == 1  # and must hand it in again today
            assert mails_to(org.employee)[-1].subject == "Your development plan is due today"
    plan = signing_helpers.submitted_plan(org, mus)
    signing_helpers.sign_as(org, plan, "leader")
    with later(3):
        assert reminders_send().signature == 1  # now the employee
        assert mails_to(org.employee)[-1].subject == "Your development plan waits for your signature"
        signing_helpers.sign_as(org, plan, "employee")
        with later(7):
            report = reminders_send()
            assert (report.signature, report.plan_overdue, report.plan_due) == (0, 0, 0)

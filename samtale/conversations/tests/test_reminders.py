"""The reminders (docs/domain.md § Invitation and reminders): the employee is reminded to prepare a
few days before the conversation, the leader when conversations have no time as the deadline nears.
Each reminder goes once, in the recipient's language, with both parts and a link, never confidential
text; a reminder that no longer applies when it leaves is dropped."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samtale.competences.models import LevelCount
from samtale.completion.models import UnitCompletion
from samtale.conversations.models import Conversation, ConversationStatus, EmployeePreparation
from samtale.conversations.services import reminders
from samtale.jobs.reminders import ReminderReport, reminders_send
from samtale.jobs.tasks import daily_sweep, daily_sweep_schedule, next_sweep
from samtale.learning.models import ActivityCount
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.privacy.retention import KINDS
from samtale.rounds.models import Round
from samtale.testing import Mus, Org
from samtale.testing.scheduling import english, mails_to, schedule

PREPARE = "conversations.prepare_reminder"
SCHEDULE = "conversations.schedule_reminder"


@pytest.fixture(autouse=True)
def _quiet(mus: Mus) -> None:
    mail.outbox.clear()


def invited_long_ago(conversation: Conversation) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(invitation_sent_at=timezone.now() - timedelta(days=10))


def deadline_in(mus: Mus, days: int) -> None:
    today = timezone.localdate()
    Round.objects.filter(pk=mus.round.pk).update(
        opens_on=today - timedelta(days=30), held_by=today + timedelta(days=days)
    )


def queued(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind))


# To prepare ----------------------------------------------------------------------------------------


def test_the_employee_is_reminded_once_to_prepare_a_few_days_before(org: Org, mus: Mus) -> None:
    english(org.employee)
    schedule(org, mus.conversation, days=2, hour=10)
    invited_long_ago(mus.conversation)
    mail.outbox.clear()

    assert reminders_send().prepare == 1
    assert reminders_send().prepare == 0  # the sweep run twice on a day
    (message,) = mails_to(org.employee)
    assert "Prepare for your development conversation" in message.subject
    (html, _mimetype), *_ = message.alternatives
    link = reverse("conversations:preparation", args=[mus.conversation.uuid])
    assert link in message.body and link in html
    assert "10:00" in message.body and "private until you choose to share it" in message.body
    assert len(queued(PREPARE)) == 1


def test_no_reminder_far_ahead_just_after_the_invitation_or_once_the_preparation_is_shared(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, days=10)
    invited_long_ago(mus.conversation)
    schedule(org, mus.colleague_conversation, days=1)  # the invitation went out just now
    assert reminders_send().prepare == 0

    schedule(org, mus.conversation, days=3)
    invited_long_ago(mus.conversation)
    EmployeePreparation.objects.create(conversation=mus.conversation, shared_with_leader_at=timezone.now())
    assert reminders_send().prepare == 0
    assert queued(PREPARE) == []


def test_a_moved_conversation_is_reminded_again_and_a_stale_reminder_is_dropped(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, days=2)
    invited_long_ago(mus.conversation)
    drafts = reminders.prepare_reminders(today=timezone.localdate(), now=timezone.now())
    schedule(org, mus.conversation, days=3)  # moved after the sweep, before the e-mail left
    invited_long_ago(mus.conversation)
    mail.outbox.clear()
    from samtale.outbox.services import outbox_enqueue_many

    outbox_enqueue_many(messages=drafts)
    assert mails_to(org.employee) == []
    assert OutboxMessage.objects.get(dedupe_key=drafts[0].dedupe_key).status == MessageStatus.CANCELLED

    assert reminders_send().prepare == 1  # the new time gets its own reminder
    assert len(mails_to(org.employee)) == 1


def test_a_held_or_cancelled_conversation_or_a_leaver_gets_no_reminder(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, days=2)
    invited_long_ago(mus.conversation)
    Conversation.objects.filter(pk=mus.conversation.pk).update(status=ConversationStatus.INVITED)
    assert reminders_send().prepare == 0
    Conversation.objects.filter(pk=mus.conversation.pk).update(status=ConversationStatus.SCHEDULED)
    org.employee.end_date = timezone.localdate() - timedelta(days=1)
    org.employee.save(update_fields=["end_date"])
    assert reminders_send().prepare == 0


# To schedule -------------------------------------------------------------------------------------


def test_the_leader_is_reminded_of_unscheduled_conversations_two_weeks_and_three_days_before(
    org: Org, mus: Mus
) -> None:
    english(org.leader)
    team = Conversation.objects.filter(round=mus.round, employee__personnel_leader=org.leader).count()
    assert team >= 2
    deadline_in(mus, 30)
    assert reminders_send().schedule == 0

    deadline_in(mus, 12)
    assert reminders_send().schedule >= 1
    (message,) = mails_to(org.leader)
    assert f"{team} conversations still have no time" in message.subject
    assert reverse("dashboards:team") in message.body
    assert reminders_send().schedule == 0  # once per mark

    deadline_in(mus, 3)
    reminders_send()
    assert len(mails_to(org.leader)) == 2


def test_no_reminder_when_the_team_is_scheduled_by_the_time_it_leaves(org: Org, mus: Mus) -> None:
    deadline_in(mus, 10)
    drafts = [d for d in reminders.schedule_reminders(today=timezone.localdate()) if d.to_email == org.leader.email]
    Conversation.objects.filter(round=mus.round, employee__personnel_leader=org.leader).update(
        status=ConversationStatus.SCHEDULED
    )
    from samtale.outbox.services import outbox_enqueue_many

    outbox_enqueue_many(messages=drafts)
    assert mails_to(org.leader) == []
    assert OutboxMessage.objects.get(dedupe_key=drafts[0].dedupe_key).status == MessageStatus.CANCELLED


def test_a_closed_round_or_a_passed_deadline_reminds_no_one(org: Org, mus: Mus) -> None:
    deadline_in(mus, -1)
    assert reminders_send().schedule == 0
    deadline_in(mus, 5)
    Round.objects.filter(pk=mus.round.pk).update(status="closed")
    assert reminders_send() == ReminderReport(prepare=0, schedule=0)


def test_the_reminders_hold_no_confidential_text(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, days=2)
    invited_long_ago(mus.conversation)
    EmployeePreparation.objects.create(conversation=mus.conversation, answers={"q": "PRIVAT-FORBEREDELSE"})
    deadline_in(mus, 10)
    reminders_send()
    sent = list(mail.outbox)
    assert len(sent) >= 2
    for message in sent:
        (html, _mimetype), *_ = message.alternatives
        assert "PRIVAT-FORBEREDELSE" not in message.body + html


# Running it --------------------------------------------------------------------------------------


def test_the_command_sends_and_reports(org: Org, mus: Mus) -> None:
    deadline_in(mus, 10)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "reminders to schedule: " in out.getvalue()
    assert queued(SCHEDULE)


def test_the_sweep_runs_at_half_past_six_copenhagen_time() -> None:
    copenhagen = ZoneInfo("Europe/Copenhagen")
    before = datetime(2027, 3, 1, 5, 0, tzinfo=copenhagen)
    after = datetime(2027, 3, 1, 12, 0, tzinfo=copenhagen)
    assert next_sweep(before) == datetime(2027, 3, 1, 6, 30, tzinfo=copenhagen)
    assert next_sweep(after) == datetime(2027, 3, 2, 6, 30, tzinfo=copenhagen)
    # Across the change to summer time the sweep stays at 06:30 local time.
    assert next_sweep(datetime(2027, 3, 27, 12, 0, tzinfo=copenhagen)).utcoffset() == timedelta(hours=2)


def test_the_daily_run_is_booked_once_and_books_the_next(org: Org, mus: Mus, settings) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    first = daily_sweep_schedule()
    assert first is not None and timezone.localtime(first).time().hour == 6
    assert daily_sweep_schedule() is None  # already booked
    out = StringIO()
    call_command("send_reminders", "--schedule", stdout=out)
    assert "already booked" in out.getvalue()
    waiting = DBTaskResult.objects.filter(task_path=daily_sweep.module_path)
    assert waiting.count() == 1

    waiting.update(status="SUCCESSFUL")  # the worker ran it: the run books the next one
    counts = daily_sweep.call()
    completion_rows = counts.pop("completion_rows")  # the sweep recounts the completion counters too
    assert counts.pop("level_rows") == LevelCount.objects.count()  # and the competence counters
    assert counts.pop("activity_rows") == ActivityCount.objects.count()  # and the planned activities
    deleted = {key: counts.pop(key) for key in list(counts) if key.startswith("deleted_")}  # and applies retention
    assert set(deleted) == {f"deleted_{kind.key}" for kind in KINDS} and set(deleted.values()) == {0}
    assert set(counts) == {"prepare", "schedule", "plan_due", "plan_overdue", "signature", "open_item", "follow_up"}
    assert set(counts.values()) == {0}
    assert completion_rows == UnitCompletion.objects.count()
    assert DBTaskResult.objects.filter(task_path=daily_sweep.module_path, status="READY").count() == 1

"""No lost mail, end to end (docs/trust.md § No lost mail: "when the mail server is down they wait
and are sent once it returns, never twice"): the daily sweep puts the reminders in the outbox while
the mail server is down; the task worker tries, fails and books its own retry; the server comes
back; after the back-off the worker delivers every reminder, exactly once, to a real SMTP server."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from samtale.conversations.models import Conversation
from samtale.org.models import Person
from samtale.outbox.delivery import message_id, retry_delay
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.plans.models import FollowUpStatus
from samtale.testing import Mus, Org, make_person
from samtale.testing.reminders import follow_up, hand_in, make_plan, open_item
from samtale.testing.scheduling import english
from samtale.testing.smtp_sink import SmtpSink


@pytest.fixture
def sink(settings) -> Iterator[SmtpSink]:  # type: ignore[no-untyped-def]
    server = SmtpSink()
    settings.MAILERS = server.mailer()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    yield server
    server.stop()


def worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)


def sweep() -> str:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def conversation_of(mus: Mus, person: Person) -> Conversation:
    return Conversation.objects.get(round=mus.round, employee=person)


@pytest.mark.django_db(transaction=True)
def test_reminders_arrive_once_through_a_mail_server_stopped_and_started_again(
    org: Org, mus: Mus, sink: SmtpSink
) -> None:
    newcomer = make_person("Nina Ny", unit=org.payroll, leader=org.leader)
    english(org.employee, org.leader, org.colleague, org.union_rep, org.daily_leader, newcomer)
    make_plan(mus.conversation, due_in=2)  # the employee: due soon
    make_plan(mus.colleague_conversation, due_in=-1)  # the leader: overdue
    open_item(mus.colleague_conversation, deadline_in=-1)  # the leader: open item
    hand_in(make_plan(conversation_of(mus, org.union_rep), due_in=5), days_ago=4)  # the leader: to sign
    make_plan(conversation_of(mus, org.daily_leader), due_in=-100, signed=True, follow_up_in=10)  # to call
    late = make_plan(Conversation.objects.create(round=mus.round, employee=newcomer), due_in=-200, signed=True)
    late.follow_up_by = timezone.localdate() - timedelta(days=2)
    late.save(update_fields=["follow_up_by"])
    follow_up(late, FollowUpStatus.SCHEDULED)  # the leader: follow-up overdue
    expected = Counter({org.employee.email: 1, org.leader.email: 5})

    # The server is down when the sweep runs: the worker tries, and every reminder waits.
    assert "plans due: 1, plans overdue: 1, signatures: 1, open items: 1, follow-ups: 2" in sweep()
    worker()
    reminders = OutboxMessage.objects.filter(kind__startswith="plans.")
    assert reminders.count() == 6
    assert {(m.status, m.attempts) for m in reminders} == {(MessageStatus.PENDING, 1)}
    assert all("refused" in m.last_error.lower() for m in reminders)
    assert sink.messages == []

    # It comes back; the worker waits out the back-off it booked, then sends everything once.
    sink.start()
    worker()
    assert sink.messages == []  # the retry is not due yet
    with time_machine.travel(timezone.now() + retry_delay(1) + timedelta(seconds=5)):
        worker()
        worker()  # a second run finds nothing left
        assert "plans due: 0, plans overdue: 0, signatures: 0, open items: 0, follow-ups: 0" in sweep()
        worker()

    reminders = reminders.all()
    assert {m.status for m in reminders} == {MessageStatus.SENT}
    received = [m for m in sink.messages if m.message["Message-ID"] in {message_id(r) for r in reminders}]
    assert len(received) == 6
    assert Counter(r.recipients[0] for r in received) == expected
    assert sorted(m.message["Message-ID"] for m in received) == sorted(message_id(r) for r in reminders)
    subjects = {str(r.message["Subject"]) for r in received}
    assert "The development plan of Kåre Kollega is overdue" in subjects
    assert "The follow-up conversation with Nina Ny is overdue" in subjects

"""No lost mail: notifications go through the outbox; when the mail server is down they wait and are
sent once it returns, never twice (docs/trust.md § No lost mail)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from samtale.outbox.delivery import outbox_deliver, retry_delay
from samtale.outbox.kinds import register
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.outbox.services import outbox_enqueue
from samtale.testing.mailers import SwitchableBackend


@register("test.hello")
def hello(message: OutboxMessage) -> EmailMultiAlternatives | None:
    if message.context.get("gone"):
        return None
    return EmailMultiAlternatives(subject="Hej", body=f"Hej {message.context['name']}", to=[message.to_email])


@pytest.fixture(autouse=True)
def switchable_mail_server(settings):  # type: ignore[no-untyped-def]
    # The outbox is delivered by hand in these tests, not by the (immediate) task backend.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "samtale.testing.mailers.SwitchableBackend"}}
    SwitchableBackend.up = True
    SwitchableBackend.refused = set()
    yield
    SwitchableBackend.up = True


def enqueue(name: str = "Søren", **extra: object) -> None:
    outbox_enqueue(
        kind="test.hello", to_email=f"{name.lower()}@test.example", language="da", context={"name": name, **extra}
    )


@pytest.mark.django_db
def test_a_message_is_stored_first_and_sent_by_the_delivery() -> None:
    enqueue()
    assert mail.outbox == []
    report = outbox_deliver()
    assert report.sent == 1
    assert [m.body for m in mail.outbox] == ["Hej Søren"]
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.SENT
    assert message.sent_at is not None


@pytest.mark.django_db
def test_mail_waits_while_the_server_is_down_and_is_sent_once_when_it_returns() -> None:
    enqueue("Åse")
    enqueue("Bjørn")
    SwitchableBackend.up = False
    report = outbox_deliver()
    assert report.retrying == 2
    assert mail.outbox == []
    waiting = OutboxMessage.objects.filter(status=MessageStatus.PENDING)
    assert waiting.count() == 2
    assert all(m.attempts == 1 and "refused" in m.last_error.lower() for m in waiting)

    # Still down at the next attempt: it waits longer.
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert outbox_deliver().retrying == 2
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {2}

    # Back again: sent, once.
    SwitchableBackend.up = True
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert outbox_deliver().sent == 2
        assert outbox_deliver().sent == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["bjørn@test.example", "åse@test.example"]


@pytest.mark.django_db
def test_a_message_that_is_not_due_yet_is_not_sent() -> None:
    enqueue()
    SwitchableBackend.up = False
    outbox_deliver()
    SwitchableBackend.up = True
    assert outbox_deliver().sent == 0  # the retry is a minute away
    assert mail.outbox == []


def test_the_wait_between_attempts_grows_to_at_most_an_hour() -> None:
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert retry_delay(50) == timedelta(hours=1)


@pytest.mark.django_db
def test_a_refused_recipient_fails_without_holding_up_the_others() -> None:
    enqueue("Ukendt")
    enqueue("Kendt")
    SwitchableBackend.refused = {"ukendt@test.example"}
    report = outbox_deliver()
    assert (report.sent, report.failed) == (1, 1)
    assert OutboxMessage.objects.get(to_email="ukendt@test.example").status == MessageStatus.FAILED


@pytest.mark.django_db
def test_a_message_about_something_gone_is_cancelled_not_sent() -> None:
    enqueue(gone=True)
    assert outbox_deliver().cancelled == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_same_notification_enqueued_twice_is_stored_once() -> None:
    for _ in range(2):
        outbox_enqueue(
            kind="test.hello", to_email="a@test.example", language="da", context={"name": "A"}, dedupe_key="hello:a"
        )
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_when_enqueued_not_when_sent() -> None:
    from samtale.outbox.kinds import UnknownKind

    with pytest.raises(UnknownKind):
        outbox_enqueue(kind="test.nonsense", to_email="a@test.example", language="da")


@pytest.mark.django_db
def test_mail_from_a_change_that_was_rolled_back_is_never_sent() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the change failed")
    outbox_deliver()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_claim_left_by_a_worker_that_died_is_picked_up_again() -> None:
    enqueue()
    claimed_until = timezone.now() + timedelta(minutes=5)
    OutboxMessage.objects.update(status=MessageStatus.SENDING, claim="dead", claimed_until=claimed_until)
    assert outbox_deliver().sent == 0  # the claim still holds
    with time_machine.travel(claimed_until + timedelta(seconds=1)):
        assert outbox_deliver().sent == 1


@pytest.mark.django_db
def test_two_workers_never_claim_the_same_message() -> None:
    from samtale.outbox.delivery import _claim

    for index in range(5):
        enqueue(f"P{index}")
    now = timezone.now()
    _token_a, first = _claim(now=now, limit=3)
    _token_b, second = _claim(now=now, limit=10)
    assert len(first) == 3
    assert len(second) == 2
    assert not {m.pk for m in first} & {m.pk for m in second}


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_delivers_the_outbox(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    enqueue("Worker")
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert [m.to[0] for m in mail.outbox] == ["worker@test.example"]
    assert OutboxMessage.objects.get().status == MessageStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_while_the_server_is_down_the_worker_schedules_one_retry(settings) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    enqueue("A")
    enqueue("B")
    SwitchableBackend.up = False
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 1  # one task, due when the first message may be retried
    assert waiting.get().run_after > timezone.now()


@pytest.mark.django_db
def test_operators_send_what_is_due_from_the_command_line(capsys) -> None:  # type: ignore[no-untyped-def]
    enqueue()
    call_command("send_outbox")
    assert len(mail.outbox) == 1
    assert "sent 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_message_another_worker_took_over_during_a_slow_batch_is_not_sent_again() -> None:
    from samtale.outbox.delivery import _claim, _still_mine

    enqueue()
    _token, [mine] = _claim(now=timezone.now(), limit=1)
    # The claim lapses while this worker is slow, and a second worker takes the message.
    OutboxMessage.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    _other, [theirs] = _claim(now=timezone.now(), limit=1)
    assert theirs.pk == mine.pk
    assert _still_mine(mine) is False
    assert _still_mine(theirs) is True

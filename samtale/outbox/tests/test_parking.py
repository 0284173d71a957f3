"""A message that keeps failing is parked and visible to the administrator, who can try it again
(docs/trust.md § No lost mail); an outage never parks anything, and one bad message never holds up
the others."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from samtale.audit.models import AuditEvent
from samtale.outbox.delivery import MAX_FAILURES, message_id, outbox_deliver
from samtale.outbox.kinds import register
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.outbox.services import outbox_enqueue
from samtale.testing import Org
from samtale.testing.mailers import SwitchableBackend


@register("test.parking")
def parking(message: OutboxMessage) -> EmailMultiAlternatives | None:
    if message.context.get("broken"):
        raise KeyError("a bug in the builder")
    return EmailMultiAlternatives(subject="Hej", body="Hej", to=[message.to_email])


@pytest.fixture(autouse=True)
def switchable_mail_server(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "samtale.testing.mailers.SwitchableBackend"}}
    SwitchableBackend.up = True
    SwitchableBackend.refused = set()
    SwitchableBackend.answers = {}
    SwitchableBackend.sender_refused = False
    yield
    SwitchableBackend.up = True
    SwitchableBackend.answers = {}
    SwitchableBackend.sender_refused = False


def enqueue(name: str, **context: object) -> OutboxMessage:
    outbox_enqueue(kind="test.parking", to_email=f"{name}@test.example", language="da", context=context)
    return OutboxMessage.objects.get(to_email=f"{name}@test.example")


def status(message: OutboxMessage) -> str:
    message.refresh_from_db()
    return message.status


@pytest.mark.django_db
def test_a_message_refused_for_now_is_retried_with_back_off_then_parked() -> None:
    message = enqueue("full")
    SwitchableBackend.answers = {"full@test.example": 452}
    waits = []
    for _ in range(MAX_FAILURES - 1):
        message.refresh_from_db()
        with time_machine.travel(message.next_attempt_at):
            assert outbox_deliver().retrying == 1
        message.refresh_from_db()
        waits.append(message.next_attempt_at - timezone.now())
    assert status(message) == MessageStatus.PENDING
    assert waits == sorted(waits)  # the waits grow
    with time_machine.travel(message.next_attempt_at):
        assert outbox_deliver().failed == 1
    assert status(message) == MessageStatus.FAILED
    assert message.failures == MAX_FAILURES and "452" in message.last_error
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert outbox_deliver().sent == 0  # parked: not tried again by itself
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_message_refused_for_good_or_impossible_to_build_is_parked_at_once_and_the_others_go() -> None:
    rejected = enqueue("rejected")
    broken = enqueue("broken", broken=True)
    fine = enqueue("fine")
    SwitchableBackend.answers = {"rejected@test.example": 554}
    report = outbox_deliver()
    assert (report.sent, report.failed, report.retrying) == (1, 2, 0)
    assert (status(rejected), status(broken), status(fine)) == (
        MessageStatus.FAILED,
        MessageStatus.FAILED,
        MessageStatus.SENT,
    )
    assert [m.to for m in mail.outbox] == [["fine@test.example"]]


@pytest.mark.django_db
def test_a_message_refused_for_now_does_not_hold_up_the_rest_of_its_batch() -> None:
    first = enqueue("first")  # claimed first in the batch
    later = [enqueue(f"later{index}") for index in range(3)]
    SwitchableBackend.answers = {"first@test.example": 451}
    report = outbox_deliver()
    assert (report.sent, report.retrying) == (3, 1)
    assert status(first) == MessageStatus.PENDING
    assert all(status(message) == MessageStatus.SENT for message in later)


@pytest.mark.django_db
def test_an_outage_of_any_length_parks_nothing_and_everything_is_sent_when_the_server_returns() -> None:
    messages = [enqueue(f"p{index}") for index in range(3)]
    SwitchableBackend.up = False
    moment = timezone.now()
    for _ in range(MAX_FAILURES * 3):
        moment += timedelta(hours=1)
        with time_machine.travel(moment):
            assert outbox_deliver().failed == 0
    assert {status(m) for m in messages} == {MessageStatus.PENDING}
    assert messages[0].attempts == MAX_FAILURES * 3 and messages[0].failures == 0
    SwitchableBackend.up = True
    with time_machine.travel(moment + timedelta(hours=1)):
        assert outbox_deliver().sent == 3
        assert outbox_deliver().sent == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_server_that_refuses_our_sender_parks_nothing_and_everything_waits() -> None:
    messages = [enqueue(f"s{index}") for index in range(3)]
    SwitchableBackend.sender_refused = True
    moment = timezone.now()
    for _ in range(MAX_FAILURES + 1):
        moment += timedelta(hours=1)
        with time_machine.travel(moment):
            report = outbox_deliver()
            assert (report.retrying, report.failed) == (3, 0)
    assert {status(m) for m in messages} == {MessageStatus.PENDING}
    assert "Authentication required" in messages[0].last_error
    SwitchableBackend.sender_refused = False
    with time_machine.travel(moment + timedelta(hours=1)):
        assert outbox_deliver().sent == 3


@pytest.mark.django_db
def test_every_attempt_of_a_message_has_the_same_message_id() -> None:
    message = enqueue("same")
    SwitchableBackend.answers = {"same@test.example": 451}
    outbox_deliver()
    SwitchableBackend.answers = {}
    message.refresh_from_db()
    with time_machine.travel(message.next_attempt_at):
        outbox_deliver()
    (sent,) = mail.outbox
    assert sent.message()["Message-ID"] == message_id(message) == f"<{message.uuid}@127.0.0.1>"


@pytest.mark.django_db
def test_the_administrator_finds_parked_messages_and_tries_them_again_which_is_audited(org: Org) -> None:
    parked = enqueue("parked")
    sent = enqueue("sent")
    SwitchableBackend.answers = {"parked@test.example": 550}
    outbox_deliver()
    assert status(parked) == MessageStatus.FAILED

    org.admin.language = "en"
    org.admin.save(update_fields=["language"])
    admin = org.client("admin")
    changelist = reverse("admin:outbox_outboxmessage_changelist")
    page = admin.get(changelist, {"status__exact": MessageStatus.FAILED})
    assert page.status_code == 200
    assert "parked@test.example" in page.text and "sent@test.example" not in page.text
    assert "Parked" in page.text  # the status's name
    detail = admin.get(reverse("admin:outbox_outboxmessage_change", args=[parked.pk]))
    assert "550" in detail.text  # the last error, for the administrator to judge

    SwitchableBackend.answers = {}
    response = admin.post(changelist, {"action": "try_again", "_selected_action": [parked.pk, sent.pk]}, follow=True)
    assert response.status_code == 200
    assert status(parked) == MessageStatus.PENDING and status(sent) == MessageStatus.SENT
    (event,) = AuditEvent.objects.filter(action="outbox.message_retried")
    assert (event.actor_label, event.target_id, event.data["status_was"]) == (
        "admin@test.example",
        str(parked.uuid),
        MessageStatus.FAILED,
    )
    assert outbox_deliver().sent == 1
    assert status(parked) == MessageStatus.SENT
    assert sorted(m.to[0] for m in mail.outbox) == ["parked@test.example", "sent@test.example"]


@pytest.mark.django_db
def test_the_other_people_cannot_reach_the_outbox_in_the_admin(org: Org) -> None:
    enqueue("someone")
    for persona in ("hr", "leader", "employee"):
        response = org.client(persona).get(reverse("admin:outbox_outboxmessage_changelist"))
        assert response.status_code == 302  # to the admin's log-in: not staff

"""Two workers at once never send a message twice (docs/trust.md § No lost mail), shown on
PostgreSQL with real concurrency: two threads, each with its own database connection, deliver the
same outbox to a real SMTP server at the same moment, and the server counts what it received.

(test_outbox.py shows the claim's logic one step at a time on any database; this shows it
holding when the steps of two workers really interleave.)"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import connection

from samtale.outbox.delivery import DeliveryReport, message_id, outbox_deliver
from samtale.outbox.kinds import register
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.outbox.services import outbox_enqueue_many, outbox_message_build
from samtale.testing.smtp_sink import SmtpSink

MESSAGES = 300
WORKERS = 4

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time, so workers cannot race there; set DATABASE_URL to a "
    "PostgreSQL database (make test-postgres) to run this",
)


@register("test.concurrent")
def concurrent(message: OutboxMessage) -> EmailMultiAlternatives | None:
    return EmailMultiAlternatives(subject="Hej", body=f"Hej {message.context['n']}", to=[message.to_email])


@pytest.mark.django_db(transaction=True)
def test_workers_delivering_at_the_same_moment_send_each_message_exactly_once(settings) -> None:  # type: ignore[no-untyped-def]
    sink = SmtpSink()
    sink.start()
    settings.MAILERS = sink.mailer()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    outbox_enqueue_many(
        messages=[
            outbox_message_build(kind="test.concurrent", to_email=f"p{n}@test.example", language="da", context={"n": n})
            for n in range(MESSAGES)
        ]
    )
    start = threading.Barrier(WORKERS)
    reports: list[DeliveryReport] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait(timeout=30)
            reports.append(outbox_deliver())
        except BaseException as error:  # reported by the assertions below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        sink.stop()

    assert errors == []
    assert sum(report.sent for report in reports) == MESSAGES
    assert sum(1 for report in reports if report.sent) >= 2, "the workers did not overlap"
    received = Counter(str(m.message["Message-ID"]) for m in sink.messages)
    assert len(received) == MESSAGES
    assert max(received.values()) == 1  # no message twice
    stored = OutboxMessage.objects.filter(kind="test.concurrent")
    assert set(received) == {message_id(m) for m in stored}
    assert set(stored.values_list("status", flat=True)) == {MessageStatus.SENT}

"""Delivering the outbox: claiming due messages, sending them and recording what the mail server
answered.


What can go wrong when a message leaves, and what happens then:

- **The mail server is away** (no connection, the connection drops, a 421 "closing") **or
  refuses our sender** (authentication, relaying: its set-up, not the message): an outage. This
  message and the rest of the batch wait, ``retry_delay`` after each attempt (at most an hour),
  for as long as the outage lasts: an outage never parks a message, so when the server returns
  (or is set up right) everything is sent.
- **The server refuses this one message for good** (a 5xx answer: no such recipient, content
  rejected) or **its e-mail cannot be built** (a bug in a builder): it is parked at once
  (``MessageStatus.FAILED``), and the batch goes on.
- **The server refuses this one message for now** (a 4xx answer: mailbox full, greylisting): it
  is tried again with back-off, and parked after ``MAX_FAILURES`` such answers.

A parked message waits for an administrator ("Try again" in the admin: ``outbox_retry``).

Exactly once, and its limit: each message is claimed by one worker with a conditional UPDATE
(``_claim``), the claim is checked again right before sending (``_still_mine``), and only the
holder of the claim records the outcome, so two workers never both send it. What no outbox can
rule out is the moment between the server accepting a message and the row being marked sent:
if the connection or the worker dies exactly then, the message is sent again after
``CLAIM_TIMEOUT``. Each message therefore carries a Message-ID made from its own id, the same at
every attempt, so the receiving side can recognise such a repeat.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from samtale.outbox.kinds import builder_for
from samtale.outbox.models import MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=1)
# A message the server answers with a temporary error this many times is parked.
MAX_FAILURES = 8


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most an hour: an outage of any length
    is waited out."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 10)), MAX_BACKOFF)


@dataclass
class DeliveryReport:
    """What a delivery did: ``retrying`` wait for another attempt, ``failed`` were parked."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.sent + other.sent,
            self.retrying + other.retrying,
            self.failed + other.failed,
            self.cancelled + other.cancelled,
        )


def _claim(*, now: datetime, limit: int) -> tuple[str, list[OutboxMessage]]:
    """Claim due messages with a conditional UPDATE: of several workers, exactly one gets each.

    On PostgreSQL the rows are first picked with ``FOR UPDATE SKIP LOCKED``, so workers claiming
    at the same moment take different messages instead of all but one coming back empty-handed
    (and stopping while work is left); SQLite has one writer at a time and ignores it. Either way
    the conditional UPDATE is what guarantees one worker per message."""
    token = get_random_string(32)
    due = OutboxMessage.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
    # A claim whose worker died (it never finished) is released after CLAIM_TIMEOUT.
    stale = OutboxMessage.objects.filter(status=MessageStatus.SENDING, claimed_until__lt=now)
    with transaction.atomic():
        ids = list(
            due.order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if len(ids) < limit:
            ids += list(
                stale.order_by("id")
                .select_for_update(skip_locked=True)
                .values_list("id", flat=True)[: limit - len(ids)]
            )
        if not ids:
            return token, []
        OutboxMessage.objects.filter(id__in=ids).filter(
            status__in=[MessageStatus.PENDING, MessageStatus.SENDING]
        ).exclude(status=MessageStatus.SENDING, claimed_until__gte=now).update(
            status=MessageStatus.SENDING, claim=token, claimed_until=now + CLAIM_TIMEOUT
        )
    return token, list(OutboxMessage.objects.filter(claim=token, status=MessageStatus.SENDING).order_by("id"))


def _still_mine(message: OutboxMessage) -> bool:
    """Renew the claim just before sending. If it lapsed during a slow batch and another worker
    took the message, this updates nothing, and the message is left to that worker: sent once."""
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, claim=message.claim, status=MessageStatus.SENDING).update(
            claimed_until=timezone.now() + CLAIM_TIMEOUT
        )
    )


def _finish(message: OutboxMessage, **changes: Any) -> None:
    # Only the holder of the claim may finish a message.
    OutboxMessage.objects.filter(pk=message.pk, claim=message.claim).update(claim="", **changes)


def outbox_deliver_batch(*, now: datetime | None = None, limit: int = BATCH_SIZE) -> DeliveryReport:
    now = now or timezone.now()
    token, messages = _claim(now=now, limit=limit)
    report = DeliveryReport()
    if not messages:
        return report
    mailer = mail.mailers.default
    try:
        mailer.open()
    except (smtplib.SMTPException, OSError) as error:
        return _release_all(token, messages, error, now)
    try:
        for index, message in enumerate(messages):
            try:
                with translation.override(message.language):
                    email = builder_for(message.kind)(message)
            except Exception as error:  # a bug in a builder must not stop the other messages
                logger.exception("could not build outbox message %s", message.uuid)
                _finish(
                    message,
                    status=MessageStatus.FAILED,
                    attempts=message.attempts + 1,
                    failures=message.failures + 1,
                    last_error=f"build: {error!r}"[:2000],
                )
                report.failed += 1
                continue
            if email is None:
                _finish(message, status=MessageStatus.CANCELLED)
                report.cancelled += 1
                continue
            if not _still_mine(message):
                continue  # a slow batch: another worker has taken this message over
            email.extra_headers.setdefault("Message-ID", message_id(message))
            try:
                mailer.send_messages([email])
            except smtplib.SMTPSenderRefused as error:
                # Our own address refused (authentication, relaying): the server's set-up, not this
                # message, is at fault, so nothing is parked; everything waits as in an outage.
                report += _release_all(token, messages[index:], error, now)
                return report
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _text in error.recipients.values()]
                report += _refused(message, error, permanent=all(code >= 500 for code in codes), now=now)
            except smtplib.SMTPResponseException as error:
                if error.smtp_code == 421:  # the server is closing the connection: an outage
                    report += _release_all(token, messages[index:], error, now)
                    return report
                report += _refused(message, error, permanent=error.smtp_code >= 500, now=now)
            except OSError as error:  # smtplib.SMTPException is an OSError too
                # The server went away: this and the rest of the batch wait for the next attempt.
                report += _release_all(token, messages[index:], error, now)
                return report
            else:
                _finish(message, status=MessageStatus.SENT, sent_at=timezone.now(), attempts=message.attempts + 1)
                report.sent += 1
    finally:
        mailer.close()
    return report


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID at every attempt of one message (see the module's docstring)."""
    domain = urlsplit(settings.BASE_URL).hostname or "samtale.invalid"
    return f"<{message.uuid}@{domain}>"


def _refused(message: OutboxMessage, error: Exception, *, permanent: bool, now: datetime) -> DeliveryReport:
    """The server answered with an error about this message: park it when the error is for good or
    it has come too often, else try it again later."""
    failures = message.failures + 1
    changes: dict[str, Any] = {"attempts": message.attempts + 1, "failures": failures, "last_error": repr(error)[:2000]}
    if permanent or failures >= MAX_FAILURES:
        logger.warning("outbox message %s parked after %d failure(s): %r", message.uuid, failures, error)
        _finish(message, status=MessageStatus.FAILED, **changes)
        return DeliveryReport(failed=1)
    _finish(message, status=MessageStatus.PENDING, next_attempt_at=now + retry_delay(failures), **changes)
    return DeliveryReport(retrying=1)


def _release_all(token: str, messages: list[OutboxMessage], error: Exception, now: datetime) -> DeliveryReport:
    logger.warning("mail server unavailable, %d message(s) wait: %r", len(messages), error)
    for message in messages:
        attempts = message.attempts + 1
        _finish(
            message,
            status=MessageStatus.PENDING,
            attempts=attempts,
            next_attempt_at=now + retry_delay(attempts),
            last_error=repr(error)[:2000],
        )
    return DeliveryReport(retrying=len(messages))


def outbox_deliver(*, now: datetime | None = None, max_batches: int = 10_000) -> DeliveryReport:
    """Deliver everything that is due, batch by batch. Returns what happened."""
    report = DeliveryReport()
    for _ in range(max_batches):
        batch = outbox_deliver_batch(now=now)
        report += batch
        if batch.sent + batch.failed + batch.cancelled == 0:
            break
    return report


def outbox_next_attempt() -> datetime | None:
    return (
        OutboxMessage.objects.filter(status=MessageStatus.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )

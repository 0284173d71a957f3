"""Reads of the outbox for the people who look after it."""

from __future__ import annotations

from samtale.outbox.models import MessageStatus, OutboxMessage


def parked_count() -> int:
    """E-mails parked after the mail server refused them (``MessageStatus.FAILED``): they wait for
    an administrator and are not tried again until then."""
    return OutboxMessage.objects.filter(status=MessageStatus.FAILED).count()

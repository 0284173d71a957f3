"""Every e-mail Samtale sends is first a row here, written in the same transaction as the
change that caused it; the worker delivers it. When the mail server is down the row waits
and is retried with back-off, so nothing is lost and nothing is sent twice.

A message the server keeps refusing is *parked* (``FAILED``): it is not tried again until an
administrator asks for it in the admin ("Try again"), which the audit trail records. See
``samtale.outbox.services`` for when a message is parked and what "exactly once" can promise."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    # Parked: refused for good, refused too often, or its e-mail could not be built. Waits for an
    # administrator; the value stays "failed" for the rows stored before parking had its name.
    FAILED = "failed", _("Parked")
    CANCELLED = "cancelled", _("Cancelled")


class OutboxMessage(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What to build at delivery time (see samtale.outbox.kinds), in the recipient's language.
    kind = models.CharField(max_length=64)
    to_email = models.EmailField()
    language = models.CharField(max_length=8)
    context = models.JSONField(default=dict)
    # Enqueuing the same notification twice (a form posted twice) stores it once.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    # Every delivery attempt, outages included (they never park a message) …
    attempts = models.PositiveIntegerField(default=0)
    # … and those where the server answered with an error about this message (they park it).
    failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            # Retention finds the messages old enough to delete (samtale.privacy.retention).
            models.Index(fields=["created_at"], name="outbox_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email} ({self.status})"

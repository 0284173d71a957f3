"""The audit trail: who did or read what, when (UTC) and with what outcome.

Append-only: rows are written by services through ``samtale.audit.services`` and
never changed; a database trigger refuses UPDATE on both SQLite and PostgreSQL.
Ids are stored as plain values, not foreign keys, so that deleting a person or a
user never has to touch the trail.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    OK = "ok", _("Done")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, db_index=True)
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.OK)
    target_type = models.CharField(_("object type"), max_length=40, blank=True)
    target_id = models.CharField(_("object"), max_length=64, blank=True)
    # Whose personal data the event concerns, for a person's own history and for erasure.
    subject_person_id = models.BigIntegerField(null=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.outcome}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError("Audit events are append-only")
        super().save(*args, **kwargs)

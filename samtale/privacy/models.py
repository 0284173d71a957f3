"""What privacy keeps of its own: the legal holds that stop deletion of a person's records, and the
data protection officer's settings (docs/trust.md § Erasure and retention). What retention and
erasure deleted is in the audit trail, never here."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.org.models import Person


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self) -> LegalHoldQuerySet:
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """While a hold is active nothing of the person's is deleted, by retention or erasure — a case
    before a court or an authority needs the records as they are."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    placed_at = models.DateTimeField(default=timezone.now, editable=False)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(_("why it is lifted"), blank=True, max_length=2000)

    if TYPE_CHECKING:
        person_id: int

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-id"]
        constraints = [
            # One active hold per person: a second reason is added to the first, not beside it.
            models.UniqueConstraint(
                fields=["person"], condition=Q(lifted_at__isnull=True), name="privacy_one_active_hold"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class PrivacySetting(models.Model):
    """The data protection officer's decisions, one row."""

    # Whether a person's own export holds the text of the leader's private preparation about them,
    # or only that it exists and when it was written (docs/trust.md § Right of access).
    export_leader_preparation_text = models.BooleanField(
        _("The export includes the text of the leader's preparation"), default=False
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("privacy setting")
        verbose_name_plural = _("privacy settings")

    def __str__(self) -> str:
        return "privacy"

    @classmethod
    def current(cls) -> PrivacySetting:
        return cls.objects.order_by("pk").first() or cls()

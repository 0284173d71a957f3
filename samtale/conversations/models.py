"""The conversation itself and what surrounds it: time and place, special topics, the
"must improve" notice, who attends, both preparation forms, the minutes and the open items.

Who may read what is decided in ``samtale.access`` from the current organisation: the conversation's
leader is always the employee's *current* personnel leader (the plan follows the new leader,
docs/trust.md § Leader change); ``held_with`` records who actually held it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING
from uuid import uuid4

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.org.models import Person
from samtale.rounds.models import Round

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class ConversationStatus(models.TextChoices):
    INVITED = "invited", _("To be scheduled")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    NOT_HELD = "not_held", _("Not held")


class NotHeldReason(models.TextChoices):
    LONG_LEAVE = "long_leave", _("Long leave")
    LEFT = "left", _("Has left the organisation")
    DECLINED = "declined", _("The employee declined")
    OTHER = "other", _("Another reason")


class DailyLeaderStatus(models.TextChoices):
    NONE = "", _("Not asked for")
    REQUESTED = "requested", _("Asked for by the employee")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined")


class UnionRepStatus(models.TextChoices):
    NONE = "", _("Not coming")
    CHOSEN = "chosen", _("The employee brings them")
    SUMMONED = "summoned", _("Summoned by the leader")


class Conversation(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="conversations")
    employee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="conversations")
    status = models.CharField(max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.INVITED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Time and place. The calendar invitation's SEQUENCE grows with every change.
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=60)
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True, max_length=500)
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    invitation_sent_at = models.DateTimeField(null=True, blank=True)

    # Who else attends: the daily leader the employee invites, if the personnel leader agrees, and
    # the union representative the employee brings and the leader summons
    # (docs/domain.md § Who takes part).
    daily_leader = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    daily_leader_status = models.CharField(
        max_length=10, choices=DailyLeaderStatus.choices, default=DailyLeaderStatus.NONE, blank=True
    )
    union_rep = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    union_rep_status = models.CharField(
        max_length=10, choices=UnionRepStatus.choices, default=UnionRepStatus.NONE, blank=True
    )

    # The outcome.
    held_on = models.DateField(_("held on"), null=True, blank=True)
    held_with = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The leader who held it."
    )
    not_held_reason = models.CharField(max_length=12, choices=NotHeldReason.choices, blank=True)
    not_held_note = models.CharField(max_length=500, blank=True)

    if TYPE_CHECKING:
        round_id: int
        employee_id: int
        special_topics: RelatedManager[SpecialTopic]
        open_items: RelatedManager[OpenItem]

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["round", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "employee"], name="conversations_once_per_round"),
            models.CheckConstraint(
                condition=~Q(status=ConversationStatus.HELD) | Q(held_on__isnull=False),
                name="conversations_held_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ConversationStatus.NOT_HELD) | ~Q(not_held_reason=""),
                name="conversations_not_held_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="conversations_round_status"),
            # Retention finds the preparations of conversations held long enough ago.
            models.Index(fields=["held_on"], name="conversations_held_on"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.employee}"

    @property
    def ends_at(self):  # type: ignore[no-untyped-def]
        return self.starts_at + timedelta(minutes=self.duration_minutes) if self.starts_at else None

    @property
    def calendar_file_offered(self) -> bool:
        """Whether the conversation has a calendar file: a booked time that is still to come or
        took place (the file of a held conversation shows the day it was held). The page links
        the file exactly when this holds, and the download answers exactly then."""
        return self.starts_at is not None and self.status in (ConversationStatus.SCHEDULED, ConversationStatus.HELD)

    def plan_due_on(self) -> date | None:
        """The plan is due the concept's number of days after the conversation, 14 by default
        (docs/domain.md § After the conversation)."""
        if self.held_on is None:
            return None
        return self.held_on + timedelta(days=self.round.concept.plan_due_days)


class Side(models.TextChoices):
    EMPLOYEE = "employee", _("The employee")
    LEADER = "leader", _("The leader")


class SpecialTopic(models.Model):
    """A topic one side announces, in good time, that it wants to raise; the other side sees it."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="special_topics")
    side = models.CharField(max_length=10, choices=Side.choices)
    raised_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("topic"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("special topic")
        verbose_name_plural = _("special topics")
        ordering = ["conversation", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class ImprovementNotice(models.Model):
    """ "If the leader judges that performance or behaviour is not acceptable and must improve, the
    employee must be told before the conversation" (docs/domain.md § Before the conversation,
    step 5)."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="improvement_notice")
    text = models.TextField(_("what must improve"), max_length=5000)
    given_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("“must improve” notice")
        verbose_name_plural = _("“must improve” notices")

    def __str__(self) -> str:
        return self.text[:80]


class EmployeePreparation(models.Model):
    """The employee's preparation: private until they share it with the leader or an invited union
    representative (docs/trust.md § Access matrix)."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="employee_preparation")
    answers = models.JSONField(default=dict)  # question key -> text
    updated_at = models.DateTimeField(default=timezone.now)
    shared_with_leader_at = models.DateTimeField(null=True, blank=True)
    shared_with_union_rep_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("employee's preparation")
        verbose_name_plural = _("employees' preparations")

    def __str__(self) -> str:
        return str(self.conversation)


class LeaderPreparation(models.Model):
    """The leader's preparation: private to the leader (docs/trust.md § Access matrix).
    ``must_improve`` is what the leader expects to say must improve; it calls for a notice before
    the conversation."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="leader_preparation")
    answers = models.JSONField(default=dict)
    must_improve = models.TextField(_("what must improve, if anything"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("leader's preparation")
        verbose_name_plural = _("leaders' preparations")

    def __str__(self) -> str:
        return str(self.conversation)


class Minutes(models.Model):
    """Short joint notes per phase (referat). ``version`` grows with every save, so that two
    people saving at once cannot overwrite each other unnoticed."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="minutes")
    notes = models.JSONField(default=dict)  # phase key -> text
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.conversation)


class OpenItem(models.Model):
    """Something that must be clarified before the plan can be finished (a course budget, a
    rotation), with a deadline for the answer (docs/domain.md § The conversation — six phases,
    phases 4 and 6)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="open_items")
    text = models.TextField(_("what must be clarified"), max_length=2000)
    responsible = models.CharField(_("who answers"), max_length=200, blank=True)
    deadline = models.DateField(_("answer by"))
    answer = models.TextField(_("answer"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("open item")
        verbose_name_plural = _("open items")
        ordering = ["conversation", "deadline", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class MinutesConsent(models.Model):
    """The employee agrees that a leader who did not hold the conversation may read its minutes
    (docs/trust.md § Leader change: "Minutes of earlier conversations pass to the new leader only if
    the employee agrees"). Withdrawing the consent deletes the row; the audit trail keeps both."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="minutes_consents")
    leader = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consent to pass on the minutes")
        verbose_name_plural = _("consents to pass on the minutes")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "leader"], name="conversations_minutes_consent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.conversation} · {self.leader}"

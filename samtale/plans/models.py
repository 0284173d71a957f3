"""The development plan (udviklingsplan) and its follow-up (docs/domain.md § After the conversation,
§ The plan and § Follow-up).

A conversation that was held has one ``Plan``. What the plan says lives in ``PlanVersion``:
version 1 is written by the employee, handed to the leader and signed by both; a change after
signing is an amendment, a new version signed again, and the earlier version stays readable.
The content of a version is one canonical JSON document (``samtale.plans.content``), so that
its hash, its PDF, the comparison of two versions and the database's guard all look at one
value. Once a version has a signature (``content_hash`` set) its content never changes: the
database refuses it (migration 0002), whatever code tries.

Between the conversations both record progress per goal and activity (``Progress``, append
only: the latest row per item is its state), either may say the plan must be departed from
(``Departure``), and the leader calls and holds the follow-up conversation (``FollowUp``).

``Plan`` carries the current state denormalised (status, due date, follow-up date, signed time)
so that overviews count without reading any content: HR sees dates and states, never text.

Writes go through ``samtale.plans.services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.conversations.models import Conversation, Side  # the two sides of a conversation sign its plan
from samtale.org.models import Person

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


# The catalogue of development activities: the thirteen types of the conversation's phase 5 are
# built in, and HR extends it (docs/domain.md § The plan). The built-in types are translated by
# their key; HR adds types of its own with a name.
BUILT_IN_ACTIVITY_TYPES = {
    "new_tasks": _("New tasks"),
    "project_work": _("Project work"),
    "further_education": _("Further education"),
    "higher_education": _("Higher education"),
    "peer_training": _("Peer training"),
    "exchange": _("Exchange"),
    "coaching": _("Coaching"),
    "supervision": _("Supervision"),
    "mentoring": _("Mentoring"),
    "challenges": _("New challenges"),
    "professional_courses": _("Professional courses"),
    "personal_development": _("Personal development"),
    "international_relations": _("International relations"),
}
# Types that count as "a course" for the quality hint "the plan's activities are only courses".
COURSE_TYPES = frozenset({"further_education", "higher_education", "professional_courses"})


class ActivityType(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=100, blank=True)
    is_course = models.BooleanField(_("counts as a course"), default=False)
    active = models.BooleanField(_("offered in new plans"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(key=None) | ~Q(name=""), name="plans_activitytype_named"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        if self.key and self.key in BUILT_IN_ACTIVITY_TYPES:
            return str(BUILT_IN_ACTIVITY_TYPES[self.key])
        return self.name


def activity_catalogue_ensure() -> None:
    """The built-in activity types, as migration 0003 makes them (for tests whose database was
    emptied)."""
    for order, key in enumerate(BUILT_IN_ACTIVITY_TYPES):
        ActivityType.objects.get_or_create(key=key, defaults={"order": order, "is_course": key in COURSE_TYPES})


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Handed to the leader")
    CHANGES_ASKED = "changes_asked", _("Changes asked for")
    SIGNED = "signed", _("Signed by both")


class Plan(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    conversation = models.OneToOneField(Conversation, on_delete=models.PROTECT, related_name="plan")
    employee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="plans")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # The current state, kept by the services for overviews (no content here).
    status = models.CharField(max_length=14, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True, help_text="When the first version was signed by both.")
    follow_up_by = models.DateField(null=True, blank=True, help_text="The last day of the agreed follow-up.")

    # The employee may let the daily leader and the union representative read the plan
    # (docs/trust.md § Access matrix: "R if the employee shares").
    shared_with_daily_leader_at = models.DateTimeField(null=True, blank=True)
    shared_with_union_rep_at = models.DateTimeField(null=True, blank=True)

    if TYPE_CHECKING:
        conversation_id: int
        employee_id: int
        versions: RelatedManager[PlanVersion]
        progress: RelatedManager[Progress]
        departures: RelatedManager[Departure]

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        indexes = [
            models.Index(fields=["status", "due_on"], name="plans_plan_status_due"),
            models.Index(fields=["follow_up_by"], name="plans_plan_follow_up_by"),
        ]

    def __str__(self) -> str:
        return f"{self.conversation}"


class PlanVersion(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=14, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amendment_reason = models.TextField(_("why the plan is amended"), blank=True, max_length=2000)

    # What the plan says (samtale.plans.content.PlanContent, read through content.version_content)
    # and the agreed follow-up: a date or an ISO week.
    content = models.JSONField(default=dict)
    follow_up_on = models.DateField(_("follow-up conversation on"), null=True, blank=True)
    follow_up_week = models.CharField(_("follow-up conversation in week"), max_length=8, blank=True)

    # Saves compare the revision they started from, so a save that crossed another is told.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    # Set at the first signature: from then on content and follow-up never change (migration 0002).
    content_hash = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True, help_text="When the second signature was given.")

    if TYPE_CHECKING:
        plan_id: int
        signatures: RelatedManager[Signature]
        comments: RelatedManager[PlanComment]

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_version_number_once"),
            models.CheckConstraint(
                condition=Q(follow_up_on=None) | Q(follow_up_week=""), name="plans_version_follow_up_date_or_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.number}"

    @property
    def is_frozen(self) -> bool:
        return bool(self.content_hash)


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    CHANGES_ASKED = "changes_asked", _("Changes asked for")


class PlanComment(models.Model):
    """The leader's comments and suggestions on a version, and the reason when they ask for changes."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=14, choices=CommentKind.choices, default=CommentKind.COMMENT)
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("comment on a plan")
        verbose_name_plural = _("comments on plans")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_kind_display()}"


class SignatureMethod(models.TextChoices):
    PASSWORD = "password", _("Password entered again")
    SSO = "sso", _("Single sign-on session")


class Signature(models.Model):
    """Who signed which version, when (UTC) and the hash of the content they signed. Never
    updated or deleted (migration 0002)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="signatures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    signed_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)
    method = models.CharField(max_length=10, choices=SignatureMethod.choices, default=SignatureMethod.PASSWORD)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "side"], name="plans_signature_once_per_side")]

    def __str__(self) -> str:
        return f"{self.version} · {self.side}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Progress(models.Model):
    """A note of progress on one goal or activity of the plan (``item`` is its id in the
    content). Append-only: the latest row for an item is its state."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="progress")
    item = models.CharField(max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=ProgressStatus.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        ordering = ["plan", "item", "recorded_at", "id"]
        indexes = [models.Index(fields=["plan", "item", "recorded_at"], name="plans_progress_item")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.item} · {self.status}"


class Departure(models.Model):
    """Either side says the plan must be departed from, and why; the other is told."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="departures")
    raised_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    why = models.TextField(_("why the plan must be departed from"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("departure from the plan")
        verbose_name_plural = _("departures from the plan")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.plan} · {self.created_at:%Y-%m-%d}"


class FollowUpStatus(models.TextChoices):
    TO_BE_CALLED = "to_be_called", _("To be called")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")


class FollowUp(models.Model):
    """The follow-up conversation: called by the leader with a calendar invitation as for the
    MUS, held at the latest at the agreed date; it closes the loop."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="follow_up")
    status = models.CharField(max_length=14, choices=FollowUpStatus.choices, default=FollowUpStatus.TO_BE_CALLED)
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=60)
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True, max_length=500)
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    held_with = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reached = models.TextField(_("what was reached"), blank=True, max_length=5000)
    carries_over = models.TextField(_("what carries over to the next round"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("follow-up conversation")
        verbose_name_plural = _("follow-up conversations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.HELD) | Q(held_on__isnull=False), name="plans_follow_up_held_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.status}"


class RetentionPass(models.Model):
    """The one door through the guard of migration 0002: a signed version and its signatures are
    deleted only while a row is here, and a row is here only inside the transaction of a retention
    or erasure batch (``samtale.privacy.deletion``), which writes it first and removes it before it
    commits — so no committed state ever has one, and no other transaction sees it
    (docs/trust.md § Erasure and retention)."""

    token = models.CharField(max_length=32, unique=True)

    class Meta:
        verbose_name = _("retention pass")
        verbose_name_plural = _("retention passes")

    def __str__(self) -> str:
        return self.token

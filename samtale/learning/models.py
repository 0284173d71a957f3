"""A seat on a course session, requested from a plan's course activity (docs/domain.md
§ Competences and courses).

The employee requests a seat on a session, with a reason for the leader; the personnel leader
approves or declines within the education budget (until then it is an open item of the plan's
conversation, as the folder describes); the education consultant enrols the approved — or puts
them on the session's waiting list when the seats are taken — and may cancel; the employee gets an
e-mail with a calendar file; after the course the employee marks it completed, which the plan's
progress and the education record show.

A request belongs to its plan (deleted with it by retention and erasure); what the person
completed stays in their education record (``competences.EducationEntry``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.competences.models import CourseSession
from samtale.conversations.models import OpenItem
from samtale.org.models import Person, Unit
from samtale.plans.models import Plan


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the leader's answer")
    DECLINED = "declined", _("Declined by the leader")
    APPROVED = "approved", _("Approved, awaiting enrolment")
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A request in one of these states holds (or waits for) its place; a person has at most one per session.
LIVE = (
    RequestStatus.REQUESTED,
    RequestStatus.APPROVED,
    RequestStatus.ENROLLED,
    RequestStatus.WAITING,
    RequestStatus.COMPLETED,
)


class SeatRequest(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="seat_requests")
    session = models.ForeignKey(CourseSession, on_delete=models.PROTECT, related_name="requests")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="seat_requests")
    activity = models.CharField(max_length=40, help_text="The course activity's id in the plan's content.")
    reason = models.TextField(_("why this course"), max_length=2000, blank=True)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    answer_by = models.DateField(_("answer by"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.TextField(_("the leader's answer"), max_length=2000, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    open_item = models.ForeignKey(OpenItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    if TYPE_CHECKING:
        person_id: int
        session_id: int
        plan_id: int

    class Meta:
        verbose_name = _("seat request")
        verbose_name_plural = _("seat requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "session"],
                condition=Q(status__in=[str(status) for status in LIVE]),
                name="learning_one_live_request_per_session",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "waiting_since"], name="learning_request_session"),
            models.Index(fields=["status", "requested_at"], name="learning_request_status"),
            models.Index(fields=["plan", "activity"], name="learning_request_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class ActivityCount(models.Model):
    """How many signed plans of the people directly in ``unit`` hold an activity of each type, in
    rounds not closed (``activity_type`` as the plan's content names it; the row with the type
    "" counts the plans). Kept by ``learning.counters``; the overview adds up a unit's subtree."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    activity_type = models.CharField(max_length=40, blank=True)
    activities = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "activity_type"], name="learning_activitycount_once"),
        ]

    if TYPE_CHECKING:
        unit_id: int

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.activity_type or 'plans'}: {self.activities}"

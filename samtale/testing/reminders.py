"""Plans in a given state, made directly through the models, for the reminder tests: the plan's
services are tested on their own, and the reminders only read the state they leave."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from samtale.conversations.models import Conversation, ConversationStatus, OpenItem
from samtale.org.models import Person
from samtale.plans.models import FollowUp, FollowUpStatus, Plan, PlanStatus, PlanVersion, Side, Signature
from samtale.plans.services.signing import current_version


def held(conversation: Conversation, *, days_ago: int) -> Conversation:
    conversation.status = ConversationStatus.HELD
    conversation.held_on = timezone.localdate() - timedelta(days=days_ago)
    conversation.save(update_fields=["status", "held_on"])
    return conversation


def make_plan(
    conversation: Conversation,
    *,
    due_in: int,
    status: str = PlanStatus.DRAFT,
    follow_up_in: int | None = None,
    signed: bool = False,
) -> Plan:
    """A plan due in ``due_in`` days (negative: overdue), with its first version in ``status``."""
    conversation = held(conversation, days_ago=max(14 - due_in, 0))
    today = timezone.localdate()
    plan = Plan.objects.create(
        conversation=conversation,
        employee=conversation.employee,
        status=PlanStatus.SIGNED if signed else status,
        due_on=today + timedelta(days=due_in),
        signed_at=timezone.now() - timedelta(days=30) if signed else None,
        follow_up_by=today + timedelta(days=follow_up_in) if follow_up_in is not None else None,
    )
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        status=PlanStatus.SIGNED if signed else status,
        content={"focus_areas": [{"text": "HEMMELIGT-FOKUSOMRÅDE"}]},
        signed_at=plan.signed_at,
    )  # no content hash: the reminders read the plan's state, and the flush of a test that
    # commits could not delete a frozen version
    return plan


def hand_in(plan: Plan, *, days_ago: int) -> PlanVersion:
    at = timezone.now() - timedelta(days=days_ago)
    version = current_version(plan)
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanStatus.SUBMITTED, submitted_at=at)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED, submitted_at=at)
    version.refresh_from_db()
    return version


def sign(plan: Plan, side: str, *, days_ago: int = 0) -> Signature:
    """One side signs the current version; when both have, the plan is signed."""
    version = current_version(plan)
    at = timezone.now() - timedelta(days=days_ago)
    person: Person = plan.employee if side == Side.EMPLOYEE else plan.employee.personnel_leader  # type: ignore[assignment]
    if not version.content_hash:
        PlanVersion.objects.filter(pk=version.pk).update(content_hash="1" * 64)
    signature = Signature.objects.create(version=version, person=person, side=side, signed_at=at, content_hash="1" * 64)
    if version.signatures.count() == 2:
        PlanVersion.objects.filter(pk=version.pk).update(status=PlanStatus.SIGNED, signed_at=at)
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SIGNED, signed_at=at)
    return signature


def open_item(conversation: Conversation, *, deadline_in: int, text: str = "HEMMELIGT-PUNKT") -> OpenItem:
    return OpenItem.objects.create(
        conversation=conversation, text=text, deadline=timezone.localdate() + timedelta(days=deadline_in)
    )


def follow_up(plan: Plan, status: str = FollowUpStatus.SCHEDULED, **extra: Any) -> FollowUp:
    values: dict[str, Any] = {"status": status}
    if status == FollowUpStatus.SCHEDULED:
        values["starts_at"] = timezone.now() + timedelta(days=10)
    if status == FollowUpStatus.HELD:
        values["held_on"] = timezone.localdate()
    follow, _created = FollowUp.objects.update_or_create(plan=plan, defaults={**values, **extra})
    return follow


def left(person: Person, *, on: date | None = None) -> None:
    person.end_date = on or timezone.localdate() - timedelta(days=1)
    person.save(update_fields=["end_date"])

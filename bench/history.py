"""Progress for a launched round, written in bulk so benchmarks can start from a round that is
under way (or finished): conversations scheduled and held, plans written, handed in and signed,
follow-ups called and held. Deterministic for a given seed.

The rows are made as the services would leave them in their state columns (the status, the
dates, the plan's clock); the texts are short and synthetic. This is for measuring, never for the
demo a person walks through.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any


@dataclass(frozen=True)
class Shares:
    """How far the round has come, as shares of its conversations."""

    scheduled: float = 0.8  # has a time (held ones included)
    held: float = 0.6
    not_held: float = 0.03
    submitted: float = 0.8  # of the plans
    signed: float = 0.7  # of the plans
    follow_up_held: float = 0.0  # of the signed plans


IN_PROGRESS = Shares()
FINISHED = Shares(scheduled=0.98, held=0.95, not_held=0.03, submitted=0.98, signed=0.96, follow_up_held=0.9)

CONTENT = {
    "focus_areas": [{"id": "f1", "text": "Faglig udvikling", "must_improve": False}],
    "follow_up_topics": [],
    "goals": [
        {
            "id": "g1",
            "text": "Blive tryg i det nye system",
            "measure": "Kører to måneder uden hjælp",
            "milestones": "",
            "activities": [
                {
                    "id": "a1",
                    "type": "peer_training",
                    "text": "Sidemandsoplæring",
                    "from": "",
                    "to": "",
                    "starts": "mig",
                    "follow_up_how": "på teammødet",
                    "follow_up_when": "",
                }
            ],
        }
    ],
}


def round_progress(
    round_: Any, *, shares: Shares = IN_PROGRESS, today: date | None = None, seed: int = 1
) -> dict[str, int]:
    """Move the round's conversations forward in bulk; returns how many of each were written."""
    from django.db import transaction
    from django.utils import timezone

    from samtale.conversations.models import Conversation, ConversationStatus
    from samtale.plans.models import FollowUp, FollowUpStatus, Plan, PlanStatus, PlanVersion

    rng = random.Random(seed)
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    last = min(today, round_.held_by)
    span = max((last - round_.opens_on).days, 1)
    rows = list(
        Conversation.objects.filter(round=round_, status=ConversationStatus.INVITED, plan__isnull=True)
        .order_by("pk")
        .values_list("pk", "employee_id")
    )
    rng.shuffle(rows)
    n = len(rows)
    held_n, not_held_n, scheduled_n = int(n * shares.held), int(n * shares.not_held), int(n * shares.scheduled)
    held, not_held = rows[:held_n], rows[held_n : held_n + not_held_n]
    scheduled = rows[held_n + not_held_n : max(scheduled_n, held_n + not_held_n)]

    def moment(day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=zone)

    def past_day() -> date:
        return round_.opens_on + timedelta(days=rng.randrange(span + 1))

    plans: list[Plan] = []
    held_updates: list[Conversation] = []
    for pk, employee_id in held:
        day = past_day()
        held_updates.append(
            Conversation(
                pk=pk,
                status=ConversationStatus.HELD,
                held_on=day,
                starts_at=moment(day),
                invitation_sent_at=moment(day - timedelta(days=14)),
            )
        )
        due = day + timedelta(days=14)
        status: str = PlanStatus.DRAFT
        submitted_at, signed_at, follow_up_by = None, None, None
        draw = rng.random()
        if draw < shares.signed:
            signed_day = min(day + timedelta(days=rng.randrange(1, 15)), today)
            status, submitted_at, signed_at = PlanStatus.SIGNED, moment(signed_day, 9), moment(signed_day, 14)
            follow_up_by = day + timedelta(days=182)
        elif draw < shares.submitted:
            status, submitted_at = PlanStatus.SUBMITTED, moment(min(day + timedelta(days=7), today), 9)
        plans.append(
            Plan(
                conversation_id=pk,
                employee_id=employee_id,
                status=status,
                due_on=due,
                submitted_at=submitted_at,
                signed_at=signed_at,
                follow_up_by=follow_up_by,
                created_at=moment(day, 12),
            )
        )
    scheduled_updates = []
    for pk, _employee in scheduled:
        day = last + timedelta(days=rng.randrange(1, 30))
        scheduled_updates.append(
            Conversation(
                pk=pk, status=ConversationStatus.SCHEDULED, starts_at=moment(day), invitation_sent_at=moment(last)
            )
        )
    not_held_updates = [
        Conversation(pk=pk, status=ConversationStatus.NOT_HELD, not_held_reason="long_leave") for pk, _e in not_held
    ]
    with transaction.atomic():
        fields = ["status", "held_on", "starts_at", "invitation_sent_at"]
        Conversation.objects.bulk_update(held_updates, fields, batch_size=2000)
        Conversation.objects.bulk_update(
            scheduled_updates, ["status", "starts_at", "invitation_sent_at"], batch_size=2000
        )
        Conversation.objects.bulk_update(not_held_updates, ["status", "not_held_reason"], batch_size=2000)
        Plan.objects.bulk_create(plans, batch_size=2000)
        stored = list(
            Plan.objects.filter(conversation__round=round_, versions__isnull=True).values_list(
                "pk", "status", "submitted_at", "signed_at", "follow_up_by", "due_on"
            )
        )
        versions = [
            PlanVersion(
                plan_id=pk,
                number=1,
                status=status,
                content=CONTENT,
                submitted_at=submitted_at,
                signed_at=signed_at,
            )
            for pk, status, submitted_at, signed_at, _by, _due in stored
        ]
        PlanVersion.objects.bulk_create(versions, batch_size=2000)
        follow_ups = []
        for pk, status, _s, _signed, follow_up_by, _due in stored:
            if status != PlanStatus.SIGNED or follow_up_by is None:
                continue
            if rng.random() < shares.follow_up_held and follow_up_by - timedelta(days=30) <= today:
                day = min(follow_up_by - timedelta(days=rng.randrange(30)), today)
                follow_ups.append(FollowUp(plan_id=pk, status=FollowUpStatus.HELD, held_on=day, starts_at=moment(day)))
        FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    return {
        "held": len(held_updates),
        "scheduled": len(scheduled_updates),
        "not_held": len(not_held_updates),
        "plans": len(plans),
        "follow_ups": len(follow_ups),
    }

"""The day's reminders, gathered from every app for the daily sweep: those of a round (to prepare,
to schedule: ``samtale.conversations.services.reminders``) and those of the plan (due, overdue, signatures,
open items, follow-up: ``samtale.plans.services.reminders``).

The sweep only puts e-mail in the outbox. Each reminder has a dedupe key, so running the sweep
twice on a day (the daily task and an operator's ``send_reminders``) sends each reminder once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.utils import timezone

from samtale.conversations.services.reminders import prepare_reminders, schedule_reminders
from samtale.outbox.services import drafts_not_yet_sent, outbox_enqueue_many
from samtale.plans.services.reminders import plan_reminders


@dataclass(frozen=True)
class ReminderReport:
    """How many reminders of each kind this run put in the outbox (those already sent left out)."""

    prepare: int
    schedule: int
    plan_due: int = 0
    plan_overdue: int = 0
    signature: int = 0
    open_item: int = 0
    follow_up: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def reminders_send(*, now: datetime | None = None) -> ReminderReport:
    """Put today's reminders in the outbox; those already sent are left out."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    prepare = drafts_not_yet_sent(prepare_reminders(today=today, now=now))
    schedule = drafts_not_yet_sent(schedule_reminders(today=today))
    plans = plan_reminders(now=now)
    due = drafts_not_yet_sent(plans.due)
    overdue = drafts_not_yet_sent(plans.overdue)
    signature = drafts_not_yet_sent(plans.signature)
    open_item = drafts_not_yet_sent(plans.open_item)
    follow_up = drafts_not_yet_sent(plans.follow_up)
    # The keys guard against a sweep running alongside.
    outbox_enqueue_many(messages=prepare + schedule + due + overdue + signature + open_item + follow_up)
    return ReminderReport(
        prepare=len(prepare),
        schedule=len(schedule),
        plan_due=len(due),
        plan_overdue=len(overdue),
        signature=len(signature),
        open_item=len(open_item),
        follow_up=len(follow_up),
    )

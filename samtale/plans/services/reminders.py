"""The plan's daily reminders (docs/domain.md § The plan), part of the one daily sweep
(``samtale.jobs.reminders.reminders_send``).

Who is reminded of what, and when (calendar days in Europe/Copenhagen, ``TIME_ZONE``):

- **The plan is due** (``Plan.due_on``: the conversation's day plus the concept's
  ``plan_due_days``, 14 by default): the employee, ``DUE_SOON_DAYS`` days before and on the due
  date, while the plan is neither handed in nor signed (being written, or changes asked for).
- **The plan is overdue** (past ``due_on``, not yet signed by both): the leader, the day after
  the due date and then weekly, at most ``OVERDUE_TIMES`` times: a month of reminders is a
  nudge; after that the completion overview is where it shows, not a leader's inbox.
- **A signature is missing**: the side that has not signed the current version, when it has
  waited ``SIGNATURE_AFTER_DAYS`` days: the leader for a handed-in version (to sign or ask for
  changes), the other side for a half-signed one. Once per side and hand-in.
- **An open item is past its deadline** and unanswered: the employee's personnel leader, the
  day after and then weekly, at most ``OVERDUE_TIMES`` times.
- **The follow-up**: the leader, once when the agreed date (``Plan.follow_up_by``) of a signed
  plan is ``FOLLOW_UP_SOON_DAYS`` days away or fewer and no follow-up conversation has a time,
  and when the date has passed and it was not held (then weekly, at most ``OVERDUE_TIMES``).

"The leader" is always the employee's *current* personnel leader (the plan follows the new
leader); the dedupe key names the leader, so a new leader gets the current stage's reminder
too. Nobody who has left is reminded, and nothing about an employee who has left.

Every reminder is an outbox message with a dedupe key naming the object and the stage, so the
sweep can run twice a day and each goes once. Its e-mail is built when it leaves
(``samtale.plans.emails.reminders``), and dropped when it is no longer true by then: the checks
there use the same querysets as the sweep, narrowed to the one object.

A day the sweep does not run (no worker) is caught up by the next run: each stage is a window
of days, not one day; only "due today" is skipped when that day is missed, and the leader's
overdue reminder follows the next day.

Each kind is one query (the follow-up two), however large the organisation: the recipients'
addresses and languages come in the same query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from samtale.conversations.models import OpenItem
from samtale.outbox.services import Draft, outbox_message_build
from samtale.plans.models import Plan, PlanVersion, Side
from samtale.plans.selectors.todo import (
    follow_ups_not_held,
    follow_ups_to_call,
    open_items_unanswered,
    plans_past_due,
    plans_to_hand_in,
    versions_waiting,
)

DUE_SOON_DAYS = 3
SIGNATURE_AFTER_DAYS = 3
OVERDUE_TIMES = 4  # the day after, then weekly: days 1, 8, 15 and 22 past the date

DUE = "plans.due_reminder"
OVERDUE = "plans.overdue_reminder"
SIGNATURE = "plans.signature_reminder"
OPEN_ITEM = "plans.open_item_reminder"
FOLLOW_UP = "plans.follow_up_reminder"


@dataclass(frozen=True)
class PlanReminders:
    due: list[Draft]
    overdue: list[Draft]
    signature: list[Draft]
    open_item: list[Draft]
    follow_up: list[Draft]


def overdue_stage(*, days_late: int) -> int | None:
    """Which of the weekly overdue reminders is due ``days_late`` days after the date (1 is the
    day after): 0 in the first week, 1 in the second …; None before the date or after the last."""
    if days_late < 1:
        return None
    stage = (days_late - 1) // 7
    return stage if stage < OVERDUE_TIMES else None


# What is true now: the start page's rules (samtale.plans.selectors.todo) narrowed to the days of
# each reminder; used by the sweep and again at delivery. ------------------------------------------


def plans_due(*, today: date) -> QuerySet[Plan]:
    """Plans due in ``DUE_SOON_DAYS`` days or fewer, or today, that the employee has not handed in."""
    return plans_to_hand_in(today=today).filter(due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))


def plans_overdue(*, today: date) -> QuerySet[Plan]:
    """Plans past their due date, within the weeks of reminders, that are not signed by both."""
    return plans_past_due(today=today).filter(due_on__gte=today - timedelta(days=7 * OVERDUE_TIMES))


def versions_awaiting_signature(*, now: datetime) -> QuerySet[PlanVersion]:
    """The versions that wait for a signature (``versions_waiting``) and have waited at least
    ``SIGNATURE_AFTER_DAYS`` days."""
    return versions_waiting(today=timezone.localdate(now)).filter(  # type: ignore[misc]  # the annotation
        waiting_since__lte=now - timedelta(days=SIGNATURE_AFTER_DAYS)
    )


def open_items_overdue(*, today: date) -> QuerySet[OpenItem]:
    """Unanswered open items past their deadline (within the weeks of reminders)."""
    return open_items_unanswered(today=today).filter(
        deadline__lt=today, deadline__gte=today - timedelta(days=7 * OVERDUE_TIMES)
    )


def follow_ups_soon(*, today: date) -> QuerySet[Plan]:
    """Signed plans whose follow-up is due within ``FOLLOW_UP_SOON_DAYS`` days and has no time yet."""
    return follow_ups_to_call(today=today).filter(follow_up_by__gte=today)


def follow_ups_overdue(*, today: date) -> QuerySet[Plan]:
    """Signed plans whose follow-up date has passed without the follow-up being held."""
    return follow_ups_not_held(today=today).filter(
        follow_up_by__lt=today, follow_up_by__gte=today - timedelta(days=7 * OVERDUE_TIMES)
    )


# The sweep ----------------------------------------------------------------------------------------


def _draft(kind: str, key: str, email: str, language: str | None, **context: object) -> Draft:
    return outbox_message_build(
        kind=kind, to_email=email, language=language, context=dict(context), dedupe_key=f"{kind}:{key}"
    )


def due_reminders(*, today: date) -> list[Draft]:
    rows = plans_due(today=today).values_list(
        "pk", "due_on", "employee_id", "employee__email", "employee__user__language"
    )
    drafts = []
    for pk, due_on, person, email, language in rows.iterator(chunk_size=2000):
        stage = "today" if due_on == today else "soon"
        drafts.append(_draft(DUE, f"{pk}:{due_on.isoformat()}:{stage}", email, language, plan=pk, person=person))
    return drafts


def overdue_reminders(*, today: date) -> list[Draft]:
    rows = plans_overdue(today=today).values_list(
        "pk",
        "due_on",
        "employee__personnel_leader_id",
        "employee__personnel_leader__email",
        "employee__personnel_leader__user__language",
    )
    drafts = []
    for pk, due_on, leader, email, language in rows.iterator(chunk_size=2000):
        stage = overdue_stage(days_late=(today - due_on).days)
        if stage is not None:
            drafts.append(_draft(OVERDUE, f"{pk}:{leader}:{stage}", email, language, plan=pk, person=leader))
    return drafts


def signature_reminders(*, now: datetime) -> list[Draft]:
    rows = versions_awaiting_signature(now=now).values_list(  # type: ignore[misc]  # the annotations
        "pk",
        "plan_id",
        "waiting_since",
        "leader_signed",
        "plan__employee_id",
        "plan__employee__email",
        "plan__employee__user__language",
        "plan__employee__personnel_leader_id",
        "plan__employee__personnel_leader__email",
        "plan__employee__personnel_leader__user__language",
        "plan__employee__personnel_leader__end_date",
    )
    today = timezone.localdate(now)
    drafts = []
    for row in rows.iterator(chunk_size=2000):
        pk, plan, since, leader_signed, employee, e_email, e_language, leader, l_email, l_language, l_end = row
        if leader_signed:  # the employee has not signed (a version signed by both does not wait)
            side, person, email, language = Side.EMPLOYEE, employee, e_email, e_language
        elif leader is None or (l_end is not None and l_end < today):
            continue
        else:  # handed in, or signed by the employee: the leader's turn
            side, person, email, language = Side.LEADER, leader, l_email, l_language
        key = f"{pk}:{side}:{since.isoformat()}"
        context = {"plan": plan, "version": pk, "side": str(side), "person": person, "since": since.isoformat()}
        drafts.append(_draft(SIGNATURE, key, email, language, **context))
    return drafts


def open_item_reminders(*, today: date) -> list[Draft]:
    rows = open_items_overdue(today=today).values_list(
        "pk",
        "deadline",
        "conversation__employee__personnel_leader_id",
        "conversation__employee__personnel_leader__email",
        "conversation__employee__personnel_leader__user__language",
    )
    drafts = []
    for pk, deadline, leader, email, language in rows.iterator(chunk_size=2000):
        stage = overdue_stage(days_late=(today - deadline).days)
        if stage is not None:
            key = f"{pk}:{deadline.isoformat()}:{leader}:{stage}"
            drafts.append(_draft(OPEN_ITEM, key, email, language, item=pk, person=leader))
    return drafts


def follow_up_reminders(*, today: date) -> list[Draft]:
    fields = (
        "pk",
        "follow_up_by",
        "employee__personnel_leader_id",
        "employee__personnel_leader__email",
        "employee__personnel_leader__user__language",
    )
    drafts = []
    for pk, by, leader, email, language in follow_ups_soon(today=today).values_list(*fields).iterator(2000):
        key = f"{pk}:{by.isoformat()}:{leader}:soon"
        drafts.append(_draft(FOLLOW_UP, key, email, language, plan=pk, person=leader, stage="soon"))
    for pk, by, leader, email, language in follow_ups_overdue(today=today).values_list(*fields).iterator(2000):
        stage = overdue_stage(days_late=(today - by).days)
        if stage is not None:
            key = f"{pk}:{by.isoformat()}:{leader}:overdue{stage}"
            drafts.append(_draft(FOLLOW_UP, key, email, language, plan=pk, person=leader, stage="overdue"))
    return drafts


def plan_reminders(*, now: datetime) -> PlanReminders:
    """Today's plan reminders, before leaving out those already sent."""
    today = timezone.localdate(now)
    return PlanReminders(
        due=due_reminders(today=today),
        overdue=overdue_reminders(today=today),
        signature=signature_reminders(now=now),
        open_item=open_item_reminders(today=today),
        follow_up=follow_up_reminders(today=today),
    )

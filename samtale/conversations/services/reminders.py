"""The reminders of a round (docs/domain.md § Invitation and reminders), found for the daily sweep
(``samtale.jobs.reminders``): the employee is reminded to prepare a few days before the
conversation, and the leader when conversations are not yet scheduled as the round's deadline
nears. Those of the plan (due, overdue, signatures, open items, follow-up; docs/domain.md § The
plan) are found by ``samtale.plans.services.reminders``.

The sweep only puts e-mail in the outbox. Each reminder has a dedupe key, so running the sweep
twice on a day (the daily task and an operator's ``send_reminders``) sends each reminder once;
a conversation moved to another day is reminded again for its new time. The e-mails are built
when they leave, and a reminder that no longer applies by then (the conversation was moved,
held or cancelled; the team has been scheduled) is dropped.

Counted in calendar days in Europe/Copenhagen (``TIME_ZONE``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from samtale.conversations.selectors.todo import conversations_to_prepare, conversations_to_schedule
from samtale.org.models import Person, employed_q
from samtale.outbox.services import Draft, outbox_message_build
from samtale.rounds.models import Round, RoundStatus

# The employee is reminded when the conversation is this many days away, or fewer.
PREPARE_DAYS_BEFORE = 3
# An invitation sent less than this long ago is reminder enough.
FRESH_INVITATION = timedelta(hours=20)
# The leader is reminded of unscheduled conversations this many days before the round's deadline,
# once at each of these marks.
SCHEDULE_MARKS = (14, 3)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def prepare_reminders(*, today: date, now: datetime) -> list[Draft]:
    """One reminder per scheduled conversation in the next days whose employee has not yet
    shared a preparation with the leader (sharing is the sign that they have prepared)."""
    rows = (
        conversations_to_prepare(now=now)
        .filter(starts_at__lt=_start_of(today + timedelta(days=PREPARE_DAYS_BEFORE + 1)))
        .exclude(invitation_sent_at__gt=now - FRESH_INVITATION)
        .values_list("pk", "starts_at", "employee__email", "employee__user__language")
    )
    drafts = []
    for pk, starts_at, email, language in rows.iterator(chunk_size=2000):
        assert starts_at is not None  # scheduled and in the window
        drafts.append(
            outbox_message_build(
                kind="conversations.prepare_reminder",
                to_email=email,
                language=language,
                context={"conversation": pk, "starts_at": starts_at.isoformat()},
                dedupe_key=f"conversations.prepare_reminder:{pk}:{starts_at.isoformat()}",
            )
        )
    return drafts


def schedule_reminders(*, today: date) -> list[Draft]:
    """One reminder per leader and round at each mark before the deadline, while some of the
    leader's employees have no time for their conversation."""
    drafts: list[Draft] = []
    rounds = Round.objects.filter(
        status=RoundStatus.LAUNCHED, held_by__gte=today, held_by__lte=today + timedelta(days=max(SCHEDULE_MARKS))
    )
    for round_ in rounds:
        days_left = (round_.held_by - today).days
        mark = min(m for m in SCHEDULE_MARKS if m >= days_left)
        leaders = (
            conversations_to_schedule(today=today)
            .filter(round=round_)
            .values("employee__personnel_leader")
            .annotate(unscheduled=Count("pk"))
        )
        leader_ids = [pk for row in leaders if (pk := row["employee__personnel_leader"]) is not None]
        people = (
            Person.objects.filter(pk__in=leader_ids)
            .filter(employed_q(on=today))
            .values_list("pk", "email", "user__language")
        )
        drafts.extend(
            outbox_message_build(
                kind="conversations.schedule_reminder",
                to_email=email,
                language=language,
                context={"round": round_.pk, "person": pk, "mark": mark},
                dedupe_key=f"conversations.schedule_reminder:{round_.pk}:{pk}:{mark}",
            )
            for pk, email, language in people
        )
    return drafts


def unscheduled_for(*, round_: Round, leader: Person, today: date) -> int:
    """How many of the leader's employees in the round have no time for their conversation yet."""
    return conversations_to_schedule(today=today).filter(round=round_, employee__personnel_leader=leader).count()

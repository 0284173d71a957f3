"""What the round asks of a person before and around the conversation, for their start page
(``samtale.dashboards.todo``): the employee prepares; the leader books the team's conversations,
holds this week's, gives a "must improve" notice in time; a daily leader or union representative
attends the conversations they are invited to.

``conversations_to_prepare`` and ``conversations_to_schedule`` are the rules the daily reminders
narrow to their days (``samtale.conversations.services.reminders``), so an e-mail reminder always
has its line on the start page. Each function is one query, whatever the organisation's size."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtale.conversations.models import Conversation, ConversationStatus, UnionRepStatus
from samtale.conversations.selectors.scheduling import conversations_missing_improvement_notice
from samtale.lib.todo import ToDo, due_state
from samtale.org.models import Person, employed_q
from samtale.rounds.models import RoundStatus

# "This week": the leader's conversations starting within this many days.
THIS_WEEK = timedelta(days=7)


def conversations_to_prepare(*, now: datetime) -> QuerySet[Conversation]:
    """Booked conversations still to come whose employee has not shared a preparation with the
    leader (sharing is the sign that they have prepared)."""
    return (
        Conversation.objects.filter(round__status=RoundStatus.LAUNCHED, status=ConversationStatus.SCHEDULED)
        .filter(starts_at__gte=now)
        .filter(employed_q("employee__", on=timezone.localdate(now)))
        .exclude(employee_preparation__shared_with_leader_at__isnull=False)
    )


def conversations_to_schedule(*, today: date) -> QuerySet[Conversation]:
    """Conversations of a running round without a time yet, of people still employed who have a
    personnel leader to book it."""
    return (
        Conversation.objects.filter(round__status=RoundStatus.LAUNCHED, status=ConversationStatus.INVITED)
        .filter(employed_q("employee__", on=today))
        .exclude(employee__personnel_leader=None)
    )


def todo_for_employee(*, person: Person, conversations: Sequence[Conversation], now: datetime) -> list[ToDo]:
    """Prepare for a booked conversation. ``conversations`` are the person's own, already read by
    the start page: the rule is asked of the database (one query) only when one of them is booked
    and still to come."""
    today = timezone.localdate(now)
    if not any(c.status == ConversationStatus.SCHEDULED and c.starts_at and c.starts_at >= now for c in conversations):
        return []
    rows = conversations_to_prepare(now=now).filter(employee=person).select_related("round").order_by("starts_at")
    items = []
    for conversation in rows:
        assert conversation.starts_at is not None  # booked
        day = timezone.localdate(conversation.starts_at)
        items.append(
            ToDo(
                "conversation.prepare",
                _("Prepare for your conversation in %(round)s") % {"round": conversation.round.name},
                reverse("conversations:preparation", args=[conversation.uuid]),
                due=day,
                late=due_state(day, today),
                ref=conversation.pk,
                icon="edit",
                at=conversation.starts_at,
            )
        )
    return items


def todo_for_leader(*, leader: Person, now: datetime) -> list[ToDo]:
    """Three queries: the team's unbooked conversations by round, this week's, and the notices due."""
    today = timezone.localdate(now)
    items = []
    unbooked = (
        conversations_to_schedule(today=today)
        .filter(employee__personnel_leader=leader)
        .values("round_id", "round__name", "round__held_by")
        .annotate(people=Count("pk"))
        .order_by("round__held_by", "round_id")
    )
    for row in unbooked:
        held_by = row["round__held_by"]
        text = ngettext(
            "Invite %(count)s person to their conversation in %(round)s",
            "Invite %(count)s people to their conversations in %(round)s",
            row["people"],
        ) % {"count": row["people"], "round": row["round__name"]}
        items.append(
            ToDo(
                "conversation.schedule",
                text,
                reverse("dashboards:team"),
                due=held_by,
                late=due_state(held_by, today),
                ref=row["round_id"],
                icon="calendar-month",
            )
        )
    this_week = (
        Conversation.objects.filter(
            round__status=RoundStatus.LAUNCHED,
            status=ConversationStatus.SCHEDULED,
            employee__personnel_leader=leader,
            starts_at__gte=now,
            starts_at__lt=now + THIS_WEEK,
        )
        .filter(employed_q("employee__", on=today))
        .select_related("employee")
        .order_by("starts_at")
    )
    for conversation in this_week:
        assert conversation.starts_at is not None
        items.append(
            ToDo(
                "conversation.hold",
                _("Hold the conversation with %(name)s") % {"name": conversation.employee.name},
                reverse("conversations:detail", args=[conversation.uuid]),
                due=timezone.localdate(conversation.starts_at),
                ref=conversation.pk,
                icon="chat",
                at=conversation.starts_at,
            )
        )
    for conversation in conversations_missing_improvement_notice(leader=leader, now=now):
        assert conversation.starts_at is not None
        items.append(
            ToDo(
                "conversation.notice",
                _("Tell %(name)s before the conversation what must improve") % {"name": conversation.employee.name},
                reverse("conversations:notice", args=[conversation.uuid]),
                due=timezone.localdate(conversation.starts_at),
                ref=conversation.pk,
                icon="warning",
                at=conversation.starts_at,
            )
        )
    return items


def todo_for_attendee(*, person: Person, attending: Sequence[Conversation], now: datetime) -> list[ToDo]:
    """The booked conversations still to come that ``person`` is invited to as daily leader or
    union representative, from those the start page already read (``conversations_attended_by``).
    No query of its own."""
    items = []
    for conversation in attending:
        if conversation.status != ConversationStatus.SCHEDULED or conversation.starts_at is None:
            continue
        if conversation.starts_at < now:
            continue
        as_union_rep = (
            conversation.union_rep_id == person.pk and conversation.union_rep_status == UnionRepStatus.SUMMONED
        )
        text = (
            _("Take part in %(name)s's conversation as union representative")
            if as_union_rep
            else _("Take part in %(name)s's conversation as daily leader")
        ) % {"name": conversation.employee.name}
        items.append(
            ToDo(
                "conversation.attend",
                text,
                reverse("conversations:detail", args=[conversation.uuid]),
                due=timezone.localdate(conversation.starts_at),
                ref=conversation.pk,
                icon="groups",
                at=conversation.starts_at,
            )
        )
    return items

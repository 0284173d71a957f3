"""Reads of conversations, each scoped to the person asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from samtale.conversations.models import (
    Conversation,
    ConversationStatus,
    DailyLeaderStatus,
    UnionRepStatus,
)
from samtale.lib.queries import fetch
from samtale.org.models import Person, employed_q
from samtale.rounds.models import Round, RoundStatus


def conversations_of(*, employee: Person) -> QuerySet[Conversation]:
    """The employee's own conversations, newest round first."""
    return (
        Conversation.objects.filter(employee=employee, round__status__in=[RoundStatus.LAUNCHED, RoundStatus.CLOSED])
        .select_related("round", "plan")
        .order_by("-round__opens_on", "-id")
    )


def conversations_attended_by(*, person: Person, limit: int = 50) -> list[Conversation]:
    """The conversations the person is invited to beside the employee and the leader, newest round
    first: as the daily leader the personnel leader agreed to, or as the union representative the
    leader summoned. The views still ask the policy for each."""
    return fetch(
        Conversation.objects.filter(
            Q(daily_leader=person, daily_leader_status=DailyLeaderStatus.AGREED)
            | Q(union_rep=person, union_rep_status=UnionRepStatus.SUMMONED),
            round__status__in=[RoundStatus.LAUNCHED, RoundStatus.CLOSED],
        )
        .exclude(employee=person)
        .select_related("round", "employee__unit")
        .order_by("-round__opens_on", "employee__name", "id")[:limit],
        "conversations.conversations_attended_by",
    )


# Preparation and the meeting --------------------------------------------------------------------
# These read content; the views ask the policies in ``samtale.access.round_policies`` first.


# The leader's overview of their team ------------------------------------------------------------

# The team overview flags a conversation without a time when fewer than 14 days are left to the
# round's held_by (docs/domain.md § Invitation and reminders).
SCHEDULE_WARNING_DAYS = 14


@dataclass(frozen=True)
class TeamConversation:
    conversation: Conversation
    # True only when the employee has shared it with the leader: an unshared preparation, filled in
    # or not, looks exactly like no preparation (docs/trust.md § Access matrix: the leader reads it
    # "only if shared").
    preparation_shared: bool
    needs_scheduling: bool
    overdue: bool


@dataclass(frozen=True)
class TeamRound:
    round: Round
    conversations: list[TeamConversation]


def team_conversations(*, leader: Person, today: date | None = None) -> list[TeamRound]:
    """The conversations of the leader's current direct reports in every launched round, with
    what the leader may know about each: status, time, held on, overdue, and whether the
    preparation is shared (never whether it exists). One query, whatever the team's size."""
    today = today or timezone.localdate()
    rows = (
        Conversation.objects.filter(
            employed_q("employee__", on=today),
            employee__personnel_leader=leader,
            round__status=RoundStatus.LAUNCHED,
        )
        .select_related("round", "employee", "plan")
        # When it was shared, or null: whether a preparation exists is never read, only the sharing.
        .annotate(preparation_shared_at=F("employee_preparation__shared_with_leader_at"))
        .order_by("-round__opens_on", "round_id", "employee__name", "employee__employee_number")
    )
    rounds: dict[int, TeamRound] = {}
    for conversation in fetch(rows, "conversations.team_conversations"):
        round_ = conversation.round
        team_round = rounds.setdefault(round_.pk, TeamRound(round=round_, conversations=[]))
        pending = conversation.status not in (ConversationStatus.HELD, ConversationStatus.NOT_HELD)
        overdue = pending and today > round_.held_by
        needs_scheduling = (
            pending
            and not overdue
            and conversation.starts_at is None
            and (round_.held_by - today).days < SCHEDULE_WARNING_DAYS
        )
        team_round.conversations.append(
            TeamConversation(
                conversation=conversation,
                preparation_shared=conversation.preparation_shared_at is not None,  # type: ignore[attr-defined]
                needs_scheduling=needs_scheduling,
                overdue=overdue,
            )
        )
    return list(rounds.values())

"""The leaders of the conversations not held by the round's deadline, whom HR reminds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from samtale.conversations.models import Conversation
from samtale.org.models import employed_q
from samtale.oversight.selectors.scope import OPEN, Scope, conversations_in
from samtale.rounds.models import Round


@dataclass(frozen=True)
class LateLeader:
    person_id: int
    email: str
    language: str | None
    conversations: int


def leaders_of_late_conversations(*, round_: Round, scope: Scope, today: date | None = None) -> list[LateLeader]:
    """The current personnel leaders of the conversations in the scope not held by the round's
    deadline, each with how many; one query."""
    today = today or timezone.localdate()
    if round_.held_by >= today:
        return []
    rows = (
        conversations_in(round_, scope)
        .filter(status__in=OPEN, employee__personnel_leader__isnull=False)
        .filter(employed_q("employee__personnel_leader__", on=today))
        .order_by()
        .values_list(
            "employee__personnel_leader_id",
            "employee__personnel_leader__email",
            "employee__personnel_leader__user__language",
        )
        .annotate(late=Count("pk"))
        .order_by("employee__personnel_leader_id")
    )
    return [LateLeader(pk, email, language, late) for pk, email, language, late in rows]


def late_conversations_led_by(*, round_: Round, leader_id: int, today: date | None = None) -> int:
    """How many of the leader's conversations in the round are not held by the deadline now."""
    today = today or timezone.localdate()
    if round_.held_by >= today:
        return 0
    return Conversation.objects.filter(round=round_, status__in=OPEN, employee__personnel_leader_id=leader_id).count()

"""Reads of conversations, each scoped to the person asking."""

from __future__ import annotations

from django.db.models import QuerySet

from samtale.conversations.models import Conversation
from samtale.org.models import Person
from samtale.rounds.models import RoundStatus


def conversations_of(*, employee: Person) -> QuerySet[Conversation]:
    """The employee's own conversations, newest round first."""
    return (
        Conversation.objects.filter(employee=employee, round__status__in=[RoundStatus.LAUNCHED, RoundStatus.CLOSED])
        .select_related("round")
        .order_by("-round__opens_on", "-id")
    )

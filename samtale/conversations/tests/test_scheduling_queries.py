"""The invitation's pages keep a constant number of queries as the team, the round and the
topics grow: an N+1 fails here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse

from samtale.conversations.models import Conversation, ConversationStatus, SpecialTopic
from samtale.org.models import RoleKind
from samtale.testing import Mus, Org, make_person, make_role
from samtale.testing.queries import Page, assert_same_queries
from samtale.testing.scheduling import layout, local, schedule

PAGES: list[tuple[str, str, Callable[[Mus], str], dict | None]] = [
    (
        "employee",
        "the conversation, as the employee",
        lambda m: reverse("conversations:detail", args=[m.conversation.uuid]),
        None,
    ),
    (
        "leader",
        "the conversation, as the leader",
        lambda m: reverse("conversations:detail", args=[m.conversation.uuid]),
        None,
    ),
    (
        "union_rep",
        "the conversation, as the invited representative",
        lambda m: reverse("conversations:detail", args=[m.conversation.uuid]),
        None,
    ),
    (
        "head",
        "the conversation, as the department head",
        lambda m: reverse("conversations:detail", args=[m.conversation.uuid]),
        None,
    ),
    ("leader", "time and place", lambda m: reverse("conversations:schedule", args=[m.conversation.uuid]), None),
    ("leader", "the notice", lambda m: reverse("conversations:notice", args=[m.conversation.uuid]), None),
    ("leader", "the slots page", lambda m: reverse("conversations:slots", args=[m.round.uuid]), None),
    ("leader", "the slots of a day", lambda m: reverse("conversations:slots", args=[m.round.uuid]), layout(count="8")),
]


def grow(org: Org, mus: Mus, size: int) -> None:
    """More people in the leader's team with conversations (some scheduled the same day), more
    topics, more union representatives to choose from."""
    start = local(hour=7)
    for index in range(size):
        person = make_person(f"Medarbejder {index}", unit=org.payroll, leader=org.leader, daily_leader=org.daily_leader)
        conversation = Conversation.objects.create(round=mus.round, employee=person)
        if index % 2:
            Conversation.objects.filter(pk=conversation.pk).update(
                status=ConversationStatus.SCHEDULED, starts_at=start + timedelta(minutes=20 * index), location="Lokale"
            )
        SpecialTopic.objects.create(
            conversation=mus.conversation, side="employee", raised_by=org.employee, text=f"Emne {index}"
        )
        SpecialTopic.objects.create(
            conversation=mus.conversation, side="leader", raised_by=org.leader, text=f"Emne {index}"
        )
        rep = make_person(f"Tillid {index}", unit=org.economy, leader=org.head)
        make_role(rep, RoleKind.UNION_REP, org.economy)


@pytest.mark.parametrize(("persona", "page", "url", "data"), PAGES, ids=[p[1] for p in PAGES])
def test_an_invitation_page_makes_the_same_number_of_queries_for_a_bigger_team(
    org: Org, mus: Mus, persona: str, page: str, url: Callable[[Mus], str], data: dict | None
) -> None:
    schedule(org, mus.conversation, days=3)
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        daily_leader=org.daily_leader,
        daily_leader_status="agreed",
        union_rep=org.union_rep,
        union_rep_status="summoned",
    )
    SpecialTopic.objects.create(conversation=mus.conversation, side="employee", raised_by=org.employee, text="Emne")
    assert_same_queries(
        lambda: grow(org, mus, 8),
        Page(org.client(persona), url(mus), data, name=page),
        sizes=("a small team", "a larger one"),
    )

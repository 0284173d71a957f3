"""The access matrix for the invitation (docs/trust.md § Access matrix): every persona against
viewing the conversation as an attendee, setting and cancelling its time, the slots page, the
calendar file, special topics, the "must improve" notice, and the attendee actions, through the real
URLs.

200 read, 302 done, 400 refused input that writes nothing (a leader posting someone else's
conversation on their own slots page), 403 seen but not theirs to change, 404 not there for them.

Each case builds the organisation once and tries every persona inside a savepoint that is rolled
back, so each persona meets the same state; every mismatch is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from samtale.conversations.models import Conversation, ConversationStatus, SpecialTopic
from samtale.testing import Mus, Org, working_day
from samtale.testing.access import PERSONAS


def _start() -> datetime:
    return timezone.make_aware(datetime.combine(working_day(7), time(10, 0)))


def scheduled(o: Any) -> None:
    Conversation.objects.filter(pk=o.mus.conversation.pk).update(
        status=ConversationStatus.SCHEDULED,
        starts_at=_start(),
        location="Mødelokale 2",
        invitation_sent_at=timezone.now(),
    )


def invited(o: Any) -> None:
    """Time set, the daily leader agreed to and the union representative summoned."""
    scheduled(o)
    Conversation.objects.filter(pk=o.mus.conversation.pk).update(
        daily_leader=o.daily_leader, daily_leader_status="agreed", union_rep=o.union_rep, union_rep_status="summoned"
    )


def asked(o: Any) -> None:
    """The employee has asked for the daily leader and chosen the union representative; neither is invited yet."""
    Conversation.objects.filter(pk=o.mus.conversation.pk).update(
        daily_leader=o.daily_leader, daily_leader_status="requested", union_rep=o.union_rep, union_rep_status="chosen"
    )


def with_topic(o: Any) -> None:
    invited(o)
    o.topic = SpecialTopic.objects.create(
        conversation=o.mus.conversation, side="employee", raised_by=o.employee, text="x"
    )


def _c(o: Any, name: str, *extra: Any) -> str:
    return reverse(f"conversations:{name}", args=[o.mus.conversation.uuid, *extra])


def _when(o: Any) -> dict[str, Any]:
    return {"date": _start().date().isoformat(), "time": "13:00", "duration_minutes": "60", "location": "Lokale 4"}


def _slots(o: Any) -> dict[str, Any]:
    return {
        "date": _start().date().isoformat(),
        "first_start": "09:00",
        "count": "2",
        "duration_minutes": "45",
        "break_minutes": "0",
        "location": "Lokale 5",
        f"slot-{o.mus.conversation.uuid}": "0",
    }


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Any], str]
    data: Callable[[Any], dict[str, Any]] | None
    expected: dict[str, int]  # persona -> status; personas not named get `default`
    setup: Callable[[Any], None] | None = None
    default: int = 404


READERS_403 = {"employee": 403, "head": 403, "director": 403}
ATTENDEES_403 = {"daily_leader": 403, "union_rep": 403}

CASES = [
    Case(
        "viewing the conversation as an invited attendee",
        "get",
        lambda o: _c(o, "detail"),
        None,
        {"employee": 200, "leader": 200, "head": 200, "director": 200, "daily_leader": 200, "union_rep": 200},
        setup=invited,
    ),
    Case(
        "viewing the conversation when asked for but not yet invited",
        "get",
        lambda o: _c(o, "detail"),
        None,
        {"employee": 200, "leader": 200, "head": 200, "director": 200},
        setup=asked,
    ),
    Case(
        "the page to set time and place",
        "get",
        lambda o: _c(o, "schedule"),
        None,
        {"leader": 200, **READERS_403, **ATTENDEES_403},
        setup=invited,
    ),
    Case(
        "setting time and place",
        "post",
        lambda o: _c(o, "schedule"),
        _when,
        {"leader": 302, **READERS_403, **ATTENDEES_403},
        setup=invited,
    ),
    Case(
        "cancelling the time",
        "post",
        lambda o: _c(o, "schedule_cancel"),
        lambda o: {"confirmed": "1"},  # asked first, answered yes
        {"leader": 302, **READERS_403, **ATTENDEES_403},
        setup=invited,
    ),
    Case(
        "the slots page of the round",
        "get",
        lambda o: reverse("conversations:slots", args=[o.mus.round.uuid]),
        None,
        # Every personnel leader with a team in the round: each sees only their own team.
        {"leader": 200, "head": 200, "director": 200},
    ),
    Case(
        "laying out slots with the employee's conversation",
        "post",
        lambda o: reverse("conversations:slots", args=[o.mus.round.uuid]),
        _slots,
        # Other leaders' pages do not offer the employee: refused, nothing written.
        {"leader": 302, "head": 400, "director": 400},
    ),
    Case(
        "downloading the calendar file",
        "get",
        lambda o: _c(o, "ics"),
        None,
        {"employee": 200, "leader": 200, "head": 200, "director": 200, "daily_leader": 200, "union_rep": 200},
        setup=invited,
    ),
    Case(
        "announcing a special topic",
        "post",
        lambda o: _c(o, "topic_raise"),
        lambda o: {"topic-text": "Et emne"},
        {"employee": 302, "leader": 302, "head": 403, "director": 403, **ATTENDEES_403},
        setup=invited,
    ),
    Case(
        "withdrawing the employee's special topic",
        "post",
        lambda o: _c(o, "topic_withdraw", o.topic.uuid),
        lambda o: {},
        {"employee": 302, "leader": 403, "head": 403, "director": 403, **ATTENDEES_403},
        setup=with_topic,
    ),
    Case(
        "the page to give the notice",
        "get",
        lambda o: _c(o, "notice"),
        None,
        {"leader": 200, **READERS_403, **ATTENDEES_403},
        setup=invited,
    ),
    Case(
        "giving the “must improve” notice",
        "post",
        lambda o: _c(o, "notice"),
        lambda o: {"text": "Mødetider"},
        {"leader": 302, **READERS_403, **ATTENDEES_403},
        setup=invited,
    ),
    Case(
        "asking for the daily leader",
        "post",
        lambda o: _c(o, "daily_leader"),
        lambda o: {},
        {"employee": 302, "leader": 403, "head": 403, "director": 403},
    ),
    Case(
        "agreeing to the daily leader",
        "post",
        lambda o: _c(o, "daily_leader_decision"),
        lambda o: {"decision": "agree"},
        {"leader": 302, **READERS_403},
        setup=asked,
    ),
    Case(
        "bringing the union representative",
        "post",
        lambda o: _c(o, "union_rep"),
        lambda o: {"union_rep-representative": str(o.union_rep.uuid)},
        {"employee": 302, "leader": 403, "head": 403, "director": 403},
    ),
    Case(
        "summoning the union representative",
        "post",
        lambda o: _c(o, "union_rep_summon"),
        lambda o: {},
        {"leader": 302, **READERS_403},
        setup=asked,
    ),
]


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scheduling_access_matrix(org: Org, mus: Mus, case: Case) -> None:
    org.mus = mus  # type: ignore[attr-defined]
    if case.setup:
        case.setup(org)
    mismatches = []
    for persona in PERSONAS:
        try:
            with transaction.atomic():
                client = org.client(persona)
                url = case.url(org)
                if case.method == "get":
                    response = client.get(url)
                else:
                    response = client.post(url, case.data(org) if case.data else {})
                expected = case.expected.get(persona, case.default)
                if response.status_code != expected:
                    mismatches.append(f"{persona}: {response.status_code}, expected {expected}")
                raise _Rollback
        except _Rollback:
            pass
    assert not mismatches, f"{case.name}: " + "; ".join(mismatches)


def test_a_refused_write_changes_nothing(org: Org, mus: Mus) -> None:
    """The 403s and 404s above write nothing: no time, no topic, no notice, no attendee, no e-mail."""
    from samtale.conversations.models import ImprovementNotice
    from samtale.outbox.models import OutboxMessage

    org.mus = mus  # type: ignore[attr-defined]
    asked(org)
    before = OutboxMessage.objects.count()
    for persona in ("head", "director", "former_leader", "colleague", "outsider", "hr", "daily_leader", "union_rep"):
        client = org.client(persona)
        client.post(_c(org, "schedule"), _when(org))
        client.post(_c(org, "topic_raise"), {"topic-text": "x"})
        client.post(_c(org, "notice"), {"text": "x"})
        client.post(_c(org, "daily_leader_decision"), {"decision": "agree"})
        client.post(_c(org, "union_rep_summon"))
        client.post(reverse("conversations:slots", args=[mus.round.uuid]), _slots(org))
    conversation = Conversation.objects.get(pk=mus.conversation.pk)
    assert conversation.starts_at is None and conversation.status == ConversationStatus.INVITED
    assert conversation.daily_leader_status == "requested" and conversation.union_rep_status == "chosen"
    assert not SpecialTopic.objects.exists() and not ImprovementNotice.objects.exists()
    assert OutboxMessage.objects.count() == before

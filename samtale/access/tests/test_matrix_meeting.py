"""The access matrix for preparation, the meeting and its outcome (docs/trust.md § Access matrix):
every persona × the employee's preparation (unshared, shared with the leader, shared with a summoned
union representative), the leader's preparation, the guide and its minutes, the open items, the
outcome and the team overview, through the real URLs.

200 read, 302 done, 403 a refused write to something the persona may read, 404 not theirs
(exactly as for a missing object)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.models import DailyLeaderStatus, OpenItem, UnionRepStatus
from samtale.conversations.services import meeting
from samtale.testing import Mus, Org
from samtale.testing.access import PERSONAS


def _prepared(o: Org) -> None:
    meeting.employee_preparation_save(
        viewer=viewer_for(o.user("employee")), conversation=o.mus.conversation, answers={"experience": "Svar"}
    )


def _shared(o: Org) -> None:
    _prepared(o)
    meeting.employee_preparation_share(
        viewer=viewer_for(o.user("employee")), conversation=o.mus.conversation, recipient="leader", share=True
    )


def _invited(o: Org) -> None:
    """The daily leader agreed to, the union representative summoned."""
    conversation = o.mus.conversation
    conversation.daily_leader = o.daily_leader
    conversation.daily_leader_status = DailyLeaderStatus.AGREED
    conversation.union_rep = o.union_rep
    conversation.union_rep_status = UnionRepStatus.SUMMONED
    conversation.save(update_fields=["daily_leader", "daily_leader_status", "union_rep", "union_rep_status"])


def _invited_and_shared_with_leader(o: Org) -> None:
    _invited(o)
    _shared(o)


def _shared_with_union_rep(o: Org) -> None:
    _invited(o)
    _shared(o)
    meeting.employee_preparation_share(
        viewer=viewer_for(o.user("employee")), conversation=o.mus.conversation, recipient="union_rep", share=True
    )


def _invited_with_item(o: Org) -> None:
    _invited(o)
    meeting.open_item_add(
        viewer=viewer_for(o.user("leader")),
        conversation=o.mus.conversation,
        text="Budget",
        responsible="",
        deadline=timezone.localdate() + timedelta(days=7),
    )


def _url(name: str) -> Callable[[Org], str]:
    return lambda o: reverse(f"conversations:{name}", args=[o.mus.conversation.uuid])


def _item_url(name: str) -> Callable[[Org], str]:
    def url(o: Org) -> str:
        item = OpenItem.objects.get(conversation=o.mus.conversation)
        return reverse(f"conversations:{name}", args=[o.mus.conversation.uuid, item.uuid])

    return url


def _nothing(o: Org) -> None:
    return None


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Org], str]
    data: dict[str, Any] | None
    expected: dict[str, int]
    setup: Callable[[Org], None] = _nothing
    default: int = 404


def _today() -> str:
    return timezone.localdate().isoformat()


PREP = {"q_experience": "Ændret"}
SHARE = {"recipient": "leader", "share": "1", "confirmed": "1"}  # asked first, answered yes
NOTES = {"version": "0", "notes_goals": "Mål"}
ITEM = {"text": "Afklar budget", "deadline": "2099-01-01"}
HELD = {"outcome": "held", "held_on": "today"}
VIEWERS_OF_CONVERSATION = {"employee": 403, "head": 403, "director": 403}

CASES = [
    # The employee's preparation ------------------------------------------------------------------
    Case("employee prep, unshared: read", "get", _url("preparation"), None, {"employee": 200}, _prepared),
    Case("employee prep, unshared: print", "get", _url("preparation_print"), None, {"employee": 200}, _prepared),
    Case("employee prep, unshared: write", "post", _url("preparation"), PREP, {"employee": 302}, _prepared),
    Case("employee prep, unshared: share", "post", _url("preparation_share"), SHARE, {"employee": 302}, _prepared),
    Case(
        "employee prep, shared with the leader: read",
        "get",
        _url("preparation"),
        None,
        {"employee": 200, "leader": 200},
        _shared,
    ),
    Case(
        "employee prep, shared with the leader: print",
        "get",
        _url("preparation_print"),
        None,
        {"employee": 200, "leader": 200},
        _shared,
    ),
    Case(
        "employee prep, shared with the leader: write",
        "post",
        _url("preparation"),
        PREP,
        {"employee": 302, "leader": 403},
        _shared,
    ),
    Case(
        "employee prep, shared with the leader: change the share",
        "post",
        _url("preparation_share"),
        {"recipient": "leader", "share": "0"},
        {"employee": 302, "leader": 403},
        _shared,
    ),
    Case(
        "employee prep, union rep summoned but not shared with: read",
        "get",
        _url("preparation"),
        None,
        {"employee": 200, "leader": 200},
        _invited_and_shared_with_leader,
    ),
    Case(
        "employee prep, shared with the summoned union rep: read",
        "get",
        _url("preparation"),
        None,
        {"employee": 200, "leader": 200, "union_rep": 200},
        _shared_with_union_rep,
    ),
    Case(
        "employee prep, shared with the summoned union rep: write",
        "post",
        _url("preparation"),
        PREP,
        {"employee": 302, "leader": 403, "union_rep": 403},
        _shared_with_union_rep,
    ),
    # The leader's preparation --------------------------------------------------------------------
    Case("leader prep: read", "get", _url("leader_preparation"), None, {"leader": 200}, _shared_with_union_rep),
    Case("leader prep: print", "get", _url("leader_preparation_print"), None, {"leader": 200}, _invited),
    Case(
        "leader prep: write",
        "post",
        _url("leader_preparation"),
        {"q_feedback": "x", "must_improve": ""},
        {"leader": 302},
        _invited,
    ),
    # The guide and the minutes -------------------------------------------------------------------
    Case("guide and minutes, nobody invited: read", "get", _url("guide"), None, {"employee": 200, "leader": 200}),
    Case(
        "guide and minutes, attendees invited: read",
        "get",
        _url("guide"),
        None,
        {"employee": 200, "leader": 200, "daily_leader": 200, "union_rep": 200},
        _invited,
    ),
    Case(
        "minutes, attendees invited: write",
        "post",
        _url("guide"),
        NOTES,
        {"employee": 302, "leader": 302, "daily_leader": 403, "union_rep": 403},
        _invited,
    ),
    # Open items ----------------------------------------------------------------------------------
    Case("open items: add", "post", _url("open_item_add"), ITEM, {"employee": 302, "leader": 302}, _invited),
    Case(
        "open items: answer",
        "post",
        _item_url("open_item_answer"),
        {"answer": "Ja"},
        {"employee": 302, "leader": 302},
        _invited_with_item,
    ),
    Case(
        "open items: remove",
        "post",
        _item_url("open_item_remove"),
        {},
        {"employee": 302, "leader": 302},
        _invited_with_item,
    ),
    # The outcome ---------------------------------------------------------------------------------
    Case(
        "outcome: the form",
        "get",
        _url("outcome"),
        None,
        {"leader": 200, **VIEWERS_OF_CONVERSATION, "daily_leader": 403, "union_rep": 403},
        _invited,
    ),
    Case(
        "outcome: mark held",
        "post",
        _url("outcome"),
        HELD,
        {"leader": 302, **VIEWERS_OF_CONVERSATION, "daily_leader": 403, "union_rep": 403},
        _invited,
    ),
    Case("outcome: undo", "post", _url("outcome_clear"), {}, {"leader": 302, **VIEWERS_OF_CONVERSATION}),
    # The team overview ---------------------------------------------------------------------------
    Case(
        "the team overview",
        "get",
        lambda o: reverse("dashboards:team"),
        None,
        # Leaders of someone or of a unit, and the daily leader; never HR or colleagues as such.
        {"leader": 200, "former_leader": 200, "head": 200, "director": 200, "daily_leader": 200},
        _shared,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_meeting_access_matrix(org: Org, mus: Mus, case: Case, persona: str) -> None:
    org.mus = mus  # type: ignore[attr-defined]
    case.setup(org)
    client = org.client(persona)
    url = case.url(org)
    if case.method == "get":
        response = client.get(url)
    else:
        data = {key: (_today() if value == "today" else value) for key, value in (case.data or {}).items()}
        response = client.post(url, data)
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"


def test_every_case_names_only_known_personas() -> None:
    for case in CASES:
        assert set(case.expected) <= set(PERSONAS), case.name

"""The access matrix for the round (docs/trust.md § Beyond the matrix): every persona × creating,
changing, checking and launching a round, its goals, the round in a unit, its focus areas, opening
it, proposing a topic and answering it, through the real URLs.

200 read, 302 done, 403 a refused write to something the persona may read, 404 not there for
them. The round covers the whole organisation; the director is also management."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.services.goals import goal_add
from samtale.rounds.services.unit_round import focus_area_add, topic_propose
from samtale.testing import Mus, Org
from samtale.testing.access import PERSONAS, Case
from samtale.testing.rounds import as_, draft_round, make_management, open_in_payroll

HR_ONLY = {"hr": 200}
EVERYONE = {p: 200 for p in PERSONAS if p != "admin"}
# The round in Løn: its people, the leaders of Løn and above, and HR covering it.
PAYROLL_READERS = ("employee", "leader", "daily_leader", "union_rep", "colleague", "head", "director", "hr")


def _readers(**writes: int) -> dict[str, int]:
    """Those who may read the round in Løn get 403 for a write, unless given here."""
    return {**dict.fromkeys(PAYROLL_READERS, 403), **writes}


def mus(o: Org) -> Mus:
    return o.mus  # type: ignore[attr-defined,no-any-return]


def _round_form(o: Org, name: str = "MUS-2030") -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "name": name,
        "concept": default_concept_ensure().pk,
        "opens_on": (today + timedelta(days=5)).isoformat(),
        "held_by": (today + timedelta(days=95)).isoformat(),
        "units": [o.root.pk],
        "unit_codes": "",
    }


def _draft(o: Org) -> Any:
    if not hasattr(o, "draft"):
        o.draft = draft_round(o, name="MUS-2029")  # type: ignore[attr-defined]
    return o.draft  # type: ignore[attr-defined]


def _unit_round_url(o: Org, name: str = "rounds:unit_round", *extra: Any) -> str:
    return reverse(name, args=[mus(o).round.uuid, o.payroll.uuid, *extra])


def _with_focus_area(o: Org) -> str:
    area = focus_area_add(viewer=as_(o, "leader"), unit_round=mus(o).unit_round, text="Vidensdeling")
    return _unit_round_url(o, "rounds:focus_area_edit", area.uuid)


def _opened(o: Org) -> None:
    open_in_payroll(o, mus(o))


def _proposal_answer_url(o: Org) -> str:
    _opened(o)
    proposal = topic_propose(viewer=as_(o, "employee"), unit_round=mus(o).unit_round, text="Deltid")
    o.proposal = proposal  # type: ignore[attr-defined]
    return reverse("rounds:proposal_answer", args=[proposal.uuid])


def _goal_edit_url(o: Org) -> str:
    goal = goal_add(viewer=as_(o, "director"), round_=mus(o).round, text="Et mål")
    return reverse("rounds:goal_edit", args=[mus(o).round.uuid, goal.uuid])


def _answer(o: Org) -> dict[str, str]:
    prefix = f"answer-{o.proposal.uuid}"  # type: ignore[attr-defined]
    return {f"{prefix}-decision": "decline", f"{prefix}-answer": "Ikke i år"}


CASES = [
    # HR runs the round.
    Case("the list of rounds", "get", lambda o: reverse("rounds:list"), None, HR_ONLY),
    Case("the new round form", "get", lambda o: reverse("rounds:create"), None, HR_ONLY),
    Case("creating a round", "post", lambda o: reverse("rounds:create"), _round_form, {"hr": 302}),
    Case("a round's page", "get", lambda o: reverse("rounds:detail", args=[mus(o).round.uuid]), None, HR_ONLY),
    Case(
        "changing a round being prepared",
        "post",
        lambda o: reverse("rounds:edit", args=[_draft(o).uuid]),
        lambda o: _round_form(o, "MUS-2029 B"),
        {"hr": 302},
    ),
    Case(
        "the participants before the launch",
        "get",
        lambda o: reverse("rounds:participants", args=[_draft(o).uuid]),
        None,
        HR_ONLY,
    ),
    Case(
        "the launch's confirmation",
        "get",
        lambda o: reverse("conversations:round_launch", args=[_draft(o).uuid]),
        None,
        HR_ONLY,
    ),
    Case(
        "launching a round",
        "post",
        lambda o: reverse("conversations:round_launch", args=[_draft(o).uuid]),
        lambda o: {"confirm": "on"},
        {"hr": 302},
    ),
    # The goals.
    Case(
        "the goals of a launched round",
        "get",
        lambda o: reverse("rounds:goals", args=[mus(o).round.uuid]),
        None,
        EVERYONE,
    ),
    Case(
        "the goals of a round being prepared",
        "get",
        lambda o: reverse("rounds:goals", args=[_draft(o).uuid]),
        None,
        {"hr": 200, "director": 200},
    ),
    Case(
        "writing a goal",
        "post",
        lambda o: reverse("rounds:goals", args=[mus(o).round.uuid]),
        lambda o: {"text": "Et mål"},
        {"director": 302, "admin": 404},
        default=403,
    ),
    Case(
        "editing a goal",
        "post",
        _goal_edit_url,
        lambda o: {"text": "Et skarpere mål"},
        {"director": 302, "admin": 404},
        default=403,
    ),
    Case(
        "writing a goal for a round being prepared",
        "post",
        lambda o: reverse("rounds:goals", args=[_draft(o).uuid]),
        lambda o: {"text": "Et mål"},
        {"director": 302, "hr": 403},
    ),
    # The round in a unit.
    Case("the round in the employee's unit", "get", _unit_round_url, None, dict.fromkeys(PAYROLL_READERS, 200)),
    Case(
        "writing a focus area",
        "post",
        lambda o: _unit_round_url(o, "rounds:focus_area_add"),
        lambda o: {"text": "Opgaveudvikling"},
        _readers(leader=302),
    ),
    Case("the focus area's edit form", "get", _with_focus_area, None, _readers(leader=200)),
    Case(
        "writing what the goals mean for the unit",
        "post",
        lambda o: _unit_round_url(o, "rounds:unit_round_introduction"),
        lambda o: {"introduction": "Det betyder"},
        _readers(leader=302),
    ),
    Case(
        "opening the round in the unit",
        "post",
        lambda o: (_with_focus_area(o), _unit_round_url(o, "rounds:unit_round_open"))[1],
        None,
        _readers(leader=302),
    ),
    Case(
        "proposing a topic",
        "post",
        lambda o: (_opened(o), _unit_round_url(o, "rounds:proposal_add"))[1],
        lambda o: {"text": "Deltid"},
        _readers(employee=302, colleague=302, union_rep=302, daily_leader=302),
    ),
    Case(
        "answering a proposed topic",
        "post",
        _proposal_answer_url,
        _answer,
        # The proposer reads it and may not answer it; nobody else sees it at all.
        {"leader": 302, "employee": 403},
    ),
    # The way in from the navigation.
    Case(
        "the current round",
        "get",
        lambda o: reverse("rounds:current"),
        None,
        {
            "hr": 302,
            "director": 302,
            "leader": 302,
            "head": 302,
            "former_leader": 302,
            "employee": 200,
            "daily_leader": 200,
            "union_rep": 200,
            "colleague": 200,
            "outsider": 200,
            "regional_hr": 200,
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_round_access_matrix(org: Org, mus: Mus, case: Case, persona: str) -> None:
    make_management(org)
    org.mus = mus  # type: ignore[attr-defined]
    client = org.client(persona)
    url = case.url(org)
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"

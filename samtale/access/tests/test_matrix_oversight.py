"""The access matrix for the completion overview: every persona × the list of rounds, a round's
overview, the reminder to leaders, a unit's people and their exports, through the real URLs.

HR sees the units it covers, a leader their team, the chain its subtree; everyone else, and everyone
for a round still being prepared, gets 404 (docs/trust.md § Access matrix, "completion status")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samtale.testing import Mus, Org
from samtale.testing.access import PERSONAS, Case, confirmed
from samtale.testing.rounds import draft_round

LEADERS_AND_HR = dict.fromkeys(("leader", "former_leader", "head", "director", "hr", "regional_hr"), 200)
# Løn: HR for the whole organisation, its leader and the chain above it.
PAYROLL = dict.fromkeys(("leader", "head", "director", "hr"), 200)


def _mus(o: Org) -> Mus:
    return o.mus  # type: ignore[attr-defined,no-any-return]


def _payroll(name: str) -> Case:
    return Case(
        f"the people of Løn ({name})",
        "get",
        lambda o: reverse(f"oversight:{name}", args=[_mus(o).round.uuid, o.payroll.uuid]),
        None,
        PAYROLL,
    )


CASES = [
    Case("the rounds to follow", "get", lambda o: reverse("oversight:rounds"), None, LEADERS_AND_HR),
    Case(
        "a round's completion",
        "get",
        lambda o: reverse("oversight:overview", args=[_mus(o).round.uuid]),
        None,
        LEADERS_AND_HR,
    ),
    Case(
        "a round being prepared",
        "get",
        lambda o: reverse("oversight:overview", args=[draft_round(o, name="MUS-2029").uuid]),
        None,
        {},
    ),
    Case(
        "reminding the leaders of late conversations",
        "post",
        lambda o: reverse("oversight:nudge", args=[_mus(o).round.uuid]),
        confirmed,  # asked first, answered yes
        {"hr": 302, "regional_hr": 302, "leader": 403, "former_leader": 403, "head": 403, "director": 403},
    ),
    _payroll("unit"),
    _payroll("csv"),
    _payroll("xlsx"),
    Case(
        "the people of Børn",
        "get",
        lambda o: reverse("oversight:unit", args=[_mus(o).round.uuid, o.children.uuid]),
        None,
        {"director": 200, "hr": 200, "regional_hr": 200},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_oversight_access_matrix(org: Org, mus: Mus, case: Case, persona: str) -> None:
    org.mus = mus  # type: ignore[attr-defined]
    client = org.client(persona)
    url = case.url(org)
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"

"""The access matrix for a conversation and what belongs to it (docs/trust.md § Access matrix). Each
feature adds its rows here: persona × object × action, through the real URLs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samtale.testing import Mus, Org
from samtale.testing.access import PERSONAS, Case

CASES = [
    Case(
        "the employee's conversation: invitation, time and place, agenda",
        "get",
        lambda o: reverse("conversations:detail", args=[o.mus.conversation.uuid]),
        None,
        # Not the daily leader or the union representative until invited, nor HR (status only).
        {"employee": 200, "leader": 200, "head": 200, "director": 200},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_conversation_access_matrix(org: Org, mus: Mus, case: Case, persona: str) -> None:
    org.mus = mus  # type: ignore[attr-defined]
    client = org.client(persona)
    url = case.url(org)
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"

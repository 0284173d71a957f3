"""Pages keep a constant number of queries as the organisation grows: an N+1 fails here.
(Speed itself is measured by the benchmark harness, never by a timed test.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samtale.org.models import RoleKind
from samtale.testing import Org, make_person, make_role, make_unit

PAGES: list[tuple[str, str, Callable[[Org], str]]] = [
    ("employee", "my conversations", lambda o: reverse("dashboards:home")),
    ("leader", "my team", lambda o: reverse("dashboards:team")),
    ("employee", "the tree", lambda o: reverse("org:tree")),
    ("head", "a unit with its people", lambda o: reverse("org:unit", args=[o.payroll.uuid])),
    ("director", "a unit with units below", lambda o: reverse("org:unit", args=[o.economy.uuid])),
    ("hr", "a person", lambda o: reverse("org:person", args=[o.employee.uuid])),
    ("leader", "a person, as their leader", lambda o: reverse("org:person", args=[o.employee.uuid])),
    ("hr", "the people", lambda o: reverse("org:people")),
    ("hr", "a search", lambda o: reverse("org:people") + "?q=a"),
    ("hr", "the roles", lambda o: reverse("org:roles")),
    ("hr", "the import", lambda o: reverse("org:import")),
    ("employee", "my account", lambda o: reverse("accounts:account")),
]


def grow(org: Org, size: int) -> None:
    """More people, units, roles and leader history in every part the pages touch."""
    for index in range(size):
        team = make_unit(f"T{index}", f"Team {index}", parent=org.economy if index % 2 else org.children)
        lead = make_person(f"Leder {index}", unit=team, leader=org.leader, leads=team)
        for member in range(3):
            make_person(f"Medarbejder {index}-{member}", unit=org.payroll, leader=org.leader)
            make_person(f"Person {index}-{member}", unit=team, leader=lead, daily_leader=org.daily_leader)
        if index % 3 == 0:
            make_role(lead, RoleKind.UNION_REP, team)
            make_role(lead, RoleKind.HR, team)


def count_queries(org: Org, persona: str, url: str) -> int:
    client = org.client(persona)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("persona", "page", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_a_page_makes_the_same_number_of_queries_for_a_bigger_organisation(
    org: Org, persona: str, page: str, url: Callable[[Org], str]
) -> None:
    small = count_queries(org, persona, url(org))
    grow(org, 12)
    large = count_queries(org, persona, url(org))
    assert small == large, f"{page}: {small} queries with a small organisation, {large} with a larger one"

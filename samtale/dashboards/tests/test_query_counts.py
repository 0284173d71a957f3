"""Pages keep a constant number of queries as the organisation grows: an N+1 fails here.
(Speed itself is measured by the benchmark harness, never by a timed test.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samtale.testing import Org, grow_org

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
    grow_org(org, 12)
    large = count_queries(org, persona, url(org))
    assert small == large, f"{page}: {small} queries with a small organisation, {large} with a larger one"

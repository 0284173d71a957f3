"""Pages keep a constant number of queries as the organisation grows: an N+1 fails here.
(Speed itself is measured by the benchmark harness, never by a timed test.)"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from samtale.testing import Org, grow_org
from samtale.testing.queries import Page, assert_same_queries

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


def test_every_page_makes_the_same_number_of_queries_for_a_bigger_organisation(org: Org) -> None:
    # One growth for all the pages (each page's count before and after it is compared on its own).
    pages = [Page(org.client(persona), url(org), name=page) for persona, page, url in PAGES]
    assert_same_queries(lambda: grow_org(org, 12), *pages)

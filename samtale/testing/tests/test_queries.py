"""The helper every query-count test uses (samtale/testing/queries.py) fails an N+1, and says
which statements came."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samtale.org.models import Person
from samtale.testing import Org, grow_org
from samtale.testing.queries import Page, assert_same_queries


def test_a_query_per_person_fails_and_names_the_statement(org: Org) -> None:
    def one_query_per_person() -> None:
        for pk in Person.objects.values_list("pk", flat=True):
            Person.objects.filter(pk=pk).exists()

    with pytest.raises(AssertionError) as failure:
        assert_same_queries(lambda: grow_org(org, 2), one_query_per_person, names=["the N+1"])
    message = str(failure.value)
    assert "the N+1: 13 queries with a small organisation, 27 with a larger one" in message
    # The statement that came once for each new person, without its values.
    assert '+14 SELECT ? AS "a" FROM "org_person" WHERE "org_person"."id" = ? LIMIT ?' in message


def test_the_same_queries_pass_and_are_returned(org: Org) -> None:
    page = Page(org.client("hr"), reverse("org:people"), name="the people")
    (small,) = assert_same_queries(lambda: grow_org(org, 2), page)
    assert small and all(isinstance(sql, str) for sql in small)


def test_a_page_that_does_not_answer_200_fails(org: Org) -> None:
    with pytest.raises(AssertionError, match="404"):
        assert_same_queries(lambda: None, Page(org.client("employee"), "/no-such-page/"))

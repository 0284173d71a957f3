"""The same queries at two sizes: an N+1 fails here. (Speed itself is measured by the benchmark
harness, never by a timed test.)

``assert_same_queries`` counts the queries of pages (or of any code) on the database as it is,
calls ``grow()`` and counts them again; any page whose number changed fails, with the statements
that were added or went. One growth serves all the pages of a test, so a test measures every page
it names after one growth rather than growing the organisation once per page."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Page:
    """A GET of ``url`` (with ``data`` as its query string) by ``client``, which must answer 200."""

    client: Client
    url: str
    data: Mapping[str, Any] | None = None
    name: str = ""

    def __str__(self) -> str:
        return self.name or self.url


Measured = Page | Callable[[], object]


def queries_of(what: Measured) -> list[str]:
    """The SQL statements of one GET of the page, once a first GET has filled the session and what
    is kept per process; or of one call."""
    if isinstance(what, Page):
        what.client.get(what.url, what.data)
        with CaptureQueriesContext(connection) as captured:
            response = what.client.get(what.url, what.data)
        assert response.status_code == 200, f"{what}: {response.status_code}"
    else:
        with CaptureQueriesContext(connection) as captured:
            what()
    return [query["sql"] for query in captured.captured_queries]


_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def _shape(sql: str) -> str:
    """A statement without its values, so that the same query for another row is the same."""
    return _LITERALS.sub("?", sql)


def _difference(small: list[str], large: list[str]) -> str:
    before, after = Counter(map(_shape, small)), Counter(map(_shape, large))
    lines = [f"    +{count} {sql[:300]}" for sql, count in (after - before).items()]
    lines += [f"    -{count} {sql[:300]}" for sql, count in (before - after).items()]
    return "\n".join(lines)


def assert_same_queries(
    grow: Callable[[], object],
    *measured: Measured,
    names: Sequence[str] | None = None,
    sizes: tuple[str, str] = ("a small organisation", "a larger one"),
) -> list[list[str]]:
    """Each page (or call) makes as many queries after ``grow()`` as before it. Returns the
    statements of each, as counted before ``grow()``."""
    assert measured, "nothing to measure"
    labels = list(names) if names is not None else [str(what) for what in measured]
    assert len(labels) == len(measured)
    small = [queries_of(what) for what in measured]
    grow()
    large = [queries_of(what) for what in measured]
    failures = [
        f"{label}: {len(before)} queries with {sizes[0]}, {len(after)} with {sizes[1]}\n{_difference(before, after)}"
        for label, before, after in zip(labels, small, large, strict=True)
        if len(before) != len(after)
    ]
    assert not failures, "\n".join(failures)
    return small

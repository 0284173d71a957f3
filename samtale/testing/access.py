"""Helpers for the access tests: the personas as the matrix names them, a row of a matrix, and
a crawl of every page a persona reaches (they were test_matrix.py's and test_no_leak.py's)."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client

from samtale.testing.personas import Org

PERSONAS = Org.PERSONAS


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Org], str]
    data: Callable[[Org], dict[str, Any]] | None
    expected: dict[str, int]  # persona -> status; personas not named get `default`
    default: int = 404


def confirmed(_org: Org) -> dict[str, Any]:
    """The form of an action asked first (``samtale.lib.confirm``), answered yes."""
    return {"confirmed": "1"}


LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/logout/", "/admin/logout/", "/organisation/export.csv")


def crawl(
    client: Client, start: str = "/", limit: int = 150, *, known: dict[str, tuple[str, bool]] | None = None
) -> dict[str, str]:
    """Every page reachable by following links from ``start``, by URL. Files (CSV, calendar,
    PDF, XLSX) are read as bytes, so text in them is found too; only pages are followed.

    ``known``: what this client has fetched already (in an earlier crawl from another start), by
    URL: the text, and whether it is a page. Read from there instead of fetched again (a page
    fetched twice differs only in its CSRF token); every page fetched is added to it."""
    known = {} if known is None else known
    pages: dict[str, str] = {}
    queue = deque([start])
    while queue and len(pages) < limit:
        url = queue.popleft().replace("&amp;", "&")
        if url in pages or url.startswith(SKIP):
            continue
        if url not in known:
            response = client.get(url, follow=True)
            ok = response.status_code == 200
            html = ok and response.get("Content-Type", "").startswith("text/html")
            # Exports are streamed (written a chunk at a time): read them whole.
            body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
            known[url] = (body.decode() if html else (body.decode("latin-1") if ok else ""), html)
        text, html = known[url]
        pages[url] = text
        if html:
            queue.extend(link for link in LINK.findall(text) if link not in pages)
    return pages

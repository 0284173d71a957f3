"""The Server-Timing header: the server's time and the page's SQL, when switched on."""

from __future__ import annotations

import os
import re

from django.http import HttpRequest, HttpResponse

from samtale.accounts.models import User
from samtale.lib.server_timing import ServerTimingMiddleware


def test_the_header_carries_the_time_and_the_statements_of_the_request(db) -> None:  # type: ignore[no-untyped-def]
    def view(request: HttpRequest) -> HttpResponse:
        User.objects.count()
        User.objects.filter(email="x@example.dk").exists()
        return HttpResponse("ok")

    response = ServerTimingMiddleware(view)(HttpRequest())

    match = re.fullmatch(
        r'app;dur=([\d.]+), db;dur=([\d.]+);desc="(\d+)", proc;desc="(\d+)"', response["Server-Timing"]
    )
    assert match is not None
    app, sql, statements, process = float(match[1]), float(match[2]), int(match[3]), int(match[4])
    assert statements == 2
    assert 0 <= sql <= app
    assert process == os.getpid()


def test_it_is_off_unless_asked_for(client) -> None:  # type: ignore[no-untyped-def]
    assert "Server-Timing" not in client.get("/login/")

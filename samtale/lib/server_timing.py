"""The server's own time and query count on every response, for the benchmark harness and a
developer's browser tools (``Server-Timing``, W3C): ``app;dur=`` the milliseconds from the first
middleware in to the response out, ``db;dur=`` the milliseconds spent in SQL with the number of
statements as ``desc``, and ``proc;desc=`` the application process that answered (so a load test
can show the requests spread over the processes). Off unless ``SAMTALE_SERVER_TIMING`` is set:
timings and query counts say something about what a page read, so a production site shows them
only when it wants to."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


class _Queries:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = _Queries()
        started = time.perf_counter()
        with connection.execute_wrapper(queries):
            response = self.get_response(request)
        app = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f'app;dur={app:.2f}, db;dur={queries.seconds * 1000:.2f};desc="{queries.count}", proc;desc="{os.getpid()}"'
        )
        return response

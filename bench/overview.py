"""Benchmark of HR's completion overview of a round under way: server time of the page and its
number of queries, at two organisation sizes (the overview "answers in the same number of queries at
1,000 and at 50,000 people", docs/domain.md § Completion overview).

    .venv/bin/python bench/overview.py [--people 1000 50000] [--requests 40] [--database sqlite|postgres]

For each size it builds the demo organisation with its round MUS-2027 (``seed_demo``), moves the
round forward in bulk (``history.round_progress``: 80 % scheduled, 60 % held, plans handed in and
signed), then requests the overview, a unit's overview and a unit's people as HR covering the
whole organisation, through Django's full request handling (middleware, session, templates) in
this process. Target: the overview ≤ 150 ms at 50,000 people, with the same number of queries at
every size.
"""

from __future__ import annotations

import argparse
import functools
import gc
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, start  # noqa: E402 (after the path is set)


def build(people: int) -> None:
    from history import round_progress

    from samtale.completion.counters import completion_rebuild
    from samtale.demo.organisation import seed_demo
    from samtale.demo.round import demo_round_seed

    seed_demo(employees=people)
    round_ = demo_round_seed()
    assert round_ is not None
    round_progress(round_)
    completion_rebuild(rounds=[round_])  # the progress is written in bulk, past the services


class QueryCounter:
    """Counts the SQL statements run (whatever DEBUG and the connection's lifetime)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def measure(requests: int) -> list[tuple[str, float, float, int]]:
    from django.db import connection
    from django.test import Client

    from samtale.accounts.models import User
    from samtale.demo.organisation import PERSONAS
    from samtale.org.models import Person
    from samtale.rounds.models import Round

    round_ = Round.objects.get(name="MUS-2027")
    leader = Person.objects.select_related("unit").get(email=PERSONAS["leader"].email)
    department = leader.unit.parent
    assert department is not None
    client = Client()
    client.force_login(User.objects.get(email=PERSONAS["hr"].email))
    pages = {
        "overview": f"/oversight/{round_.uuid}/",
        "overview of a department": f"/oversight/{round_.uuid}/?under={department.uuid}",
        "people of a team": f"/oversight/{round_.uuid}/units/{leader.unit.uuid}/",
    }
    # As samtale/wsgi.py does in each application process: what is loaded is out of the
    # collector's reach, so its oldest generation does not walk Django on random requests.
    gc.collect()
    gc.freeze()
    results = []
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url  # warm
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(url)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[min(len(times) - 1, round(len(times) * 0.95) - 1)]
        results.append((name, statistics.median(times), p95, queries.count))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[1_000, 50_000])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()

    workdir = start(args.database)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    fresh = FreshDatabase(args.database, workdir)
    table = []
    try:
        for people in args.people:
            started = time.perf_counter()
            fresh.prepare(setup=functools.partial(build, people))
            fresh.reset()
            print(f"{people:,} people built in {time.perf_counter() - started:.1f} s ({args.database})", flush=True)
            for name, p50, p95, queries in measure(args.requests):
                table.append((people, name, p50, p95, queries))
            fresh.drop()
    finally:
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(f"| page ({args.database}, {args.requests} requests) | people | p50 | p95 | queries |")
    print("|---|---|---|---|---|")
    for people, name, p50, p95, queries in table:
        print(f"| {name} | {people:,} | {p50:.1f} ms | {p95:.1f} ms | {queries} |")


if __name__ == "__main__":
    main()

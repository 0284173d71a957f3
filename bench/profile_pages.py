"""Where a page's time goes: each page of ``bench/pages.py`` requested in this process, with the
production settings (no debug, cached templates), under cProfile, and the functions that took the
most time printed; a ``.prof`` file per page for snakeviz or ``pstats``.

    .venv/bin/python bench/profile_pages.py [--people 1000] [--database sqlite|postgres]
                                            [--requests 200] [--pages NAME ...] [--out DIR] [--top 25]
                                            [--queries] [--compiled]

The organisation is the one ``bench/pages.py`` builds (``history.organisation_build``, cached);
the requests go through Django's test client, so the figures are the application's alone
(no HTTP server). Besides the profile, each page's mean time with the profiler off, and of it the
share in SQL.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import pstats
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, start  # noqa: E402 (after the path is set)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pages", nargs="*", help="page names as bench/pages.py calls them (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "profiles")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime or cumulative")
    parser.add_argument(
        "--queries", action="store_true", help="each page's statements, with their plan and run times on PostgreSQL"
    )
    parser.add_argument("--width", type=int, default=300, help="characters of each statement printed")
    parser.add_argument(
        "--compiled", action="store_true", help="each page's time compiling SQL, by the line that asked"
    )
    args = parser.parse_args()

    workdir = start(args.database, static=True)
    from history import organisation_build

    fresh = FreshDatabase(args.database, workdir, cache=f"history-{args.people}")
    fresh.prepare(setup=functools.partial(organisation_build, args.people))
    fresh.reset()
    # Production settings from here on: what a person's request costs on a real site.
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    from pages import pages_and_sessions

    pages, sessions = pages_and_sessions()
    if args.pages:
        pages = [page for page in pages if page.name in args.pages]
    from django.db import connection
    from django.test import Client

    args.out.mkdir(parents=True, exist_ok=True)
    try:
        for page in pages:
            if page.name == "plan save":
                continue  # a POST; bench/pages.py measures it
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page.persona]
            for _ in range(20):  # warm: templates compiled, caches filled
                assert client.get(page.path).status_code == 200, page
            if args.queries:
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as captured:
                    client.get(page.path)
                print(f"\n=== {page.name}: {len(captured)} statements")
                for query in captured:
                    print(f"{explained(connection, query['sql'])}  {query['sql'][: args.width]}")
            if args.compiled:
                print(f"\n=== {page.name}: compiling SQL, ms a request, by the line of Samtale that asked")
                for where, spent in compiling(functools.partial(client.get, page.path), args.requests):
                    print(f"{spent:6.3f}  {where}")
            sql = [0.0]

            def timed(execute, sql_text, params, many, context, sql=sql):  # type: ignore[no-untyped-def]
                started = time.perf_counter()
                try:
                    return execute(sql_text, params, many, context)
                finally:
                    sql[0] += time.perf_counter() - started

            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                for _ in range(args.requests):
                    client.get(page.path)
            total = (time.perf_counter() - started) / args.requests * 1000
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                client.get(page.path)
            profiler.disable()
            name = page.name.replace(" ", "-").replace("'", "").replace("(", "").replace(")", "")
            profiler.dump_stats(args.out / f"{name}.prof")
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats(args.sort).print_stats(args.top)
            print(
                f"\n=== {page.name} ({page.persona}): {total:.1f} ms a request, "
                f"{sql[0] / args.requests * 1000:.1f} ms of it SQL"
            )
            print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
    finally:
        connection.close()
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)


def compiling(request, times: int) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    """The time Django's compiler took turning querysets into SQL over ``times`` requests, a
    request's share by the first line of Samtale's own code on the way (not lib/queries.py)."""
    import traceback

    from django.db.models.sql.compiler import SQLCompiler

    whole = SQLCompiler.as_sql
    spent: dict[str, float] = {}

    def timed(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return whole(self, *args, **kwargs)
        finally:
            elapsed = time.perf_counter() - started
            ours = [
                frame
                for frame in traceback.extract_stack()
                if "/samtale/" in frame.filename and "lib/queries.py" not in frame.filename
            ]
            where = f"{ours[-1].filename.split('/samtale/')[-1]}:{ours[-1].lineno}" if ours else "(Django)"
            spent[where] = spent.get(where, 0.0) + elapsed

    SQLCompiler.as_sql = timed  # type: ignore[method-assign]
    try:
        for _ in range(times):
            request()
    finally:
        SQLCompiler.as_sql = whole  # type: ignore[method-assign]
    return sorted(((where, total / times * 1000) for where, total in spent.items()), key=lambda item: -item[1])


def explained(connection, sql: str) -> str:  # type: ignore[no-untyped-def]
    """A statement's planning and execution time in PostgreSQL (EXPLAIN ANALYZE), or nothing."""
    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return " " * 24
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    return f"plan {plan[0]['Planning Time']:5.2f} run {plan[0]['Execution Time']:5.2f}"


if __name__ == "__main__":
    main()

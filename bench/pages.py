"""Benchmark of the pages, each as the persona who uses it: server time through gunicorn over
HTTP, p50 and p95, and the number of SQL statements, at several organisation sizes.

    .venv/bin/python bench/pages.py [--people 1000 50000] [--database sqlite|postgres]
                                    [--requests 30] [--runs 3] [--out bench/results] [--pages NAME ...]

For each size it builds the demo organisation with history (``history.organisation_build``:
three finished rounds and MUS-2027 under way), starts gunicorn on loopback against it (two
processes, production settings but plain HTTP, ``SAMTALE_SERVER_TIMING=1``), signs the personas
in, and requests every page ``--runs`` times ``--requests`` times, one at a time over a kept-alive
connection. Server time and statements come from each response's ``Server-Timing`` header
(``samtale/lib/server_timing.py``): the time from the first middleware in to the response out.
A figure is the median over the runs of each run's p50 (p95), with the runs' lowest and highest.
Targets at 50,000 people: every page p95 ≤ 50 ms, the HR overview ≤ 150 ms, a plan as PDF
≤ 300 ms, and the same number of statements at every size.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, figure, machine, start, write_figures  # noqa: E402 (after the path is set)
from webform import FormFields  # noqa: E402

SECRET = "samtale-bench-secret-key-not-for-production-0123456789"  # noqa: S105 (loopback only)
TIMING = re.compile(r'app;dur=([\d.]+), db;dur=([\d.]+);desc="(\d+)"')
PROCESS = re.compile(r'proc;desc="(\d+)"')
TARGETS = {"overview": 150.0, "plan as PDF": 300.0}
DEFAULT_TARGET = 50.0


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    path: str


@dataclass
class Result:
    people: int
    database: str
    page: str
    persona: str
    p50: float
    p95: float
    p95_low: float
    p95_high: float
    queries: int
    target: float
    # The server's time ÷ the time of its SQL alone, median over the requests (issue 17: ≤ 3).
    ratio: float = 0.0

    @property
    def met(self) -> bool:
        return self.p95 <= self.target


def pages_and_sessions() -> tuple[list[Page], dict[str, str]]:
    """The pages of the navigation, each with the persona who uses it, found in the built data;
    and a signed-in session per persona (made by Django's own sign-in, stored in the database)."""
    from django.conf import settings
    from django.test import Client

    from samtale.accounts.models import User
    from samtale.conversations.models import Conversation
    from samtale.demo.organisation import PERSONAS
    from samtale.org.models import Person, Unit
    from samtale.plans.models import Plan, PlanStatus
    from samtale.rounds.models import Round

    current = Round.objects.get(name="MUS-2027")
    employee = Person.objects.get(email=PERSONAS["employee"].email)
    leader = Person.objects.select_related("unit").get(email=PERSONAS["leader"].email)
    conversation = Conversation.objects.get(round=current, employee=employee)
    organisation = Unit.objects.get(parent=None)
    # The union representative persona's: held, with a plan signed by both, at every size.
    team_conversation = Conversation.objects.get(round=current, employee__email=PERSONAS["union_rep"].email)
    draft = (
        Plan.objects.filter(conversation__round=current, status=PlanStatus.DRAFT, employee__user__isnull=False)
        .select_related("employee__user")
        .order_by("pk")
        .first()
    )
    signed = Plan.objects.get(conversation__round=current, employee__email=PERSONAS["union_rep"].email)
    assert draft is not None and draft.employee.user is not None
    pages = [
        Page("home", "employee", "/"),
        Page("conversation", "employee", f"/conversations/{conversation.uuid}/"),
        Page("preparation", "employee", f"/conversations/{conversation.uuid}/preparation/"),
        Page("plan", "writer", f"/plans/{draft.uuid}/"),
        Page("plan edit", "writer", f"/plans/{draft.uuid}/write/"),
        Page("plan save", "writer", f"/plans/{draft.uuid}/write/"),
        Page("signed plan", "union_rep", f"/plans/{signed.uuid}/"),
        Page("plan as PDF", "union_rep", f"/plans/{signed.uuid}/versions/1/pdf/"),
        Page("leader's team", "leader", "/team/"),
        Page("meeting guide", "leader", f"/conversations/{team_conversation.uuid}/guide/"),
        Page("overview", "hr", f"/oversight/{current.uuid}/"),
        Page("drill-down (a team)", "hr", f"/oversight/{current.uuid}/units/{leader.unit.uuid}/"),
        Page("drill-down (whole organisation)", "hr", f"/oversight/{current.uuid}/units/{organisation.uuid}/"),
        Page("organisation tree", "hr", "/organisation/"),
        Page("person", "hr", f"/organisation/people/{employee.uuid}/"),
        Page("rounds", "hr", "/rounds/"),
        Page("round", "hr", f"/rounds/{current.uuid}/"),
    ]
    users = {persona: User.objects.get(email=PERSONAS[persona].email) for persona in ("employee", "leader", "hr")}
    users["union_rep"] = User.objects.get(email=PERSONAS["union_rep"].email)
    users["writer"] = draft.employee.user
    sessions = {}
    for persona, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return pages, sessions


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Gunicorn:
    """gunicorn on loopback, against the benchmark's database, stopped on exit."""

    def __init__(self, database_url: str, *, workers: int = 2, threads: int = 1) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SAMTALE_DEBUG": "0",
            "SAMTALE_SECURE": "0",
            "SAMTALE_SECRET_KEY": SECRET,
            "SAMTALE_ALLOWED_HOSTS": "127.0.0.1",
            "SAMTALE_SERVER_TIMING": "1",
        }
        self.workers = workers
        self.threads = threads  # above 1: gunicorn's threaded workers (gthread)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "samtale.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/login/")
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def repeated(
    request: Callable[[], tuple[float, int, float]], *, requests: int, runs: int
) -> tuple[list[float], list[float], int, float]:
    """``runs`` times ``requests`` requests: each run's p50 and p95 of the server time, the
    statements of the last request, and the median of the server time ÷ its SQL time."""
    p50s, p95s, queries, ratios = [], [], 0, []
    for _ in range(runs):
        times = []
        for _ in range(requests):
            ms, queries, sql_ms = request()
            times.append(ms)
            ratios.append(ms / sql_ms if sql_ms > 0 else 0.0)
        times.sort()
        p50s.append(statistics.median(times))
        p95s.append(times[min(len(times) - 1, round(0.95 * len(times)) - 1)])
    return p50s, p95s, queries, statistics.median(ratios)


def measure_page(
    port: int, page: Page, session: str, *, requests: int, runs: int
) -> tuple[list[float], list[float], int, float]:
    """Each run's p50 and p95 of the server time, the statements of the page and its server ÷ SQL time."""
    from django.conf import settings

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    last_process = [""]

    def get() -> tuple[float, int, float]:
        connection.request("GET", page.path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{page.name} ({page.path}) as {page.persona}: HTTP {response.status}")
        timing = response.getheader("Server-Timing", "")
        match = TIMING.search(timing)
        assert match is not None, "no Server-Timing header: is SAMTALE_SERVER_TIMING set?"
        process = PROCESS.search(timing)
        last_process[0] = process[1] if process else ""
        return float(match[1]), int(match[3]), float(match[2])

    # Each process compiles a page's templates on its first request for it: warm both (each
    # response names its process), so the figures are of pages as they are served all day.
    answered: dict[str, int] = {}
    for _ in range(20):
        get()
        answered[last_process[0]] = answered.get(last_process[0], 0) + 1
        if len(answered) >= 2 and min(answered.values()) >= 2:
            break
    try:
        return repeated(get, requests=requests, runs=runs)
    finally:
        connection.close()


def measure_save(
    port: int, path: str, session: str, *, requests: int, runs: int
) -> tuple[list[float], list[float], int, float]:
    """The employee saves the plan: each time the form is read (as the browser has it) and posted
    back changed; the server time of the POST (answered by a redirect) is measured."""
    from django.conf import settings

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"

    def save(n: int) -> tuple[float, int, float]:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        body = response.read().decode()
        csrf = (response.getheader("Set-Cookie") or "").split("csrftoken=")[-1].split(";")[0]
        form = FormFields("plan-form")
        form.feed(body)
        fields = [(k, v) for k, v in form.fields if k != "csrfmiddlewaretoken"]
        token = dict(form.fields).get("csrfmiddlewaretoken", "")
        fields = [
            (k, f"Planens mål, gemt for {n}. gang" if k.endswith("-text") and k.startswith("goal-") else v)
            for k, v in fields
        ]
        body = urlencode([*fields, ("csrfmiddlewaretoken", token)])
        headers = {
            "Cookie": f"{cookie}; csrftoken={csrf}" if csrf else cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}{path}",
            "Origin": f"http://127.0.0.1:{port}",
        }
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 302:
            raise RuntimeError(f"saving the plan: HTTP {response.status}")
        match = TIMING.search(response.getheader("Server-Timing", ""))
        assert match is not None
        return float(match[1]), int(match[3]), float(match[2])

    saves = itertools.count()
    save(next(saves))
    try:
        return repeated(lambda: save(next(saves)), requests=requests, runs=runs)
    finally:
        connection.close()


def run_size(
    people: int, database: str, workdir: Path, *, requests: int, runs: int, only: list[str] | None = None
) -> list[Result]:
    import functools

    from history import organisation_build

    fresh = FreshDatabase(database, workdir, cache=f"history-{people}")
    started = time.perf_counter()
    fresh.prepare(setup=functools.partial(organisation_build, people))
    fresh.reset()
    print(f"{people:,} people with history ready in {time.perf_counter() - started:.0f} s ({database})", flush=True)
    pages, sessions = pages_and_sessions()
    from django.db import connection

    connection.close()
    url = os.environ["DATABASE_URL"]
    results = []
    try:
        if only:
            unknown = set(only) - {page.name for page in pages}
            if unknown:
                names = ", ".join(f'"{page.name}"' for page in pages)
                raise SystemExit(f"no such page: {', '.join(sorted(unknown))} (the pages: {names})")
            pages = [page for page in pages if page.name in only]
        with Gunicorn(url) as server:
            for page in pages:
                if page.name == "plan save":
                    p50s, p95s, queries, ratio = measure_save(
                        server.port, page.path, sessions[page.persona], requests=requests, runs=runs
                    )
                else:
                    p50s, p95s, queries, ratio = measure_page(
                        server.port, page, sessions[page.persona], requests=requests, runs=runs
                    )
                result = Result(
                    people=people,
                    database=database,
                    page=page.name,
                    persona=page.persona,
                    p50=statistics.median(p50s),
                    p95=statistics.median(p95s),
                    p95_low=min(p95s),
                    p95_high=max(p95s),
                    queries=queries,
                    target=TARGETS.get(page.name, DEFAULT_TARGET),
                    ratio=ratio,
                )
                results.append(result)
                print(
                    f"  {page.name:<31} {result.p50:7.1f} ms p50 {result.p95:7.1f} ms p95 "
                    f"({result.p95_low:.1f}–{result.p95_high:.1f}) {queries:3d} queries, "
                    f"server ÷ SQL {ratio:.1f}",
                    flush=True,
                )
    finally:
        fresh.drop()
    return results


def table(results: list[Result]) -> str:
    sizes = sorted({r.people for r in results})
    lines = [
        "| page | persona | database | people | p50 | p95 (runs' range) | target | queries | server ÷ SQL |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    queries: dict[tuple[str, str], set[int]] = {}
    for r in results:
        queries.setdefault((r.page, r.database), set()).add(r.queries)
    for r in sorted(results, key=lambda r: (r.database, r.page, r.people)):
        verdict = "met" if r.met or r.people != max(sizes) else "MISSED"
        same = "same at every size" if len(queries[(r.page, r.database)]) == 1 else "DIFFERS"
        lines.append(
            f"| {r.page} | {r.persona} | {r.database} | {r.people:,} | {r.p50:.1f} ms "
            f"| {r.p95:.1f} ms ({r.p95_low:.1f}–{r.p95_high:.1f}) | ≤ {r.target:.0f} ms {verdict} "
            f"| {r.queries} ({same}) | {r.ratio:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[1_000, 50_000])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--pages", nargs="+", metavar="NAME", help='only these pages, by name (e.g. "overview")')
    parser.add_argument("--json", help="append the figures to this JSON file (bench/run.py)")
    args = parser.parse_args()

    os.environ["SAMTALE_SECRET_KEY"] = SECRET
    workdir = start(args.database, static=True)
    results: list[Result] = []
    try:
        for people in args.people:
            results += run_size(people, args.database, workdir, requests=args.requests, runs=args.runs, only=args.pages)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    figures = [
        figure(
            f"page: {r.page} (as {r.persona}), p95",
            [r.p95_low, r.p95, r.p95_high],  # the median of these is the runs' median p95
            unit="ms",
            database=r.database,
            people=r.people,
            target=r.target,
            note=f"p50 {r.p50:.1f} ms",
        )
        | {"runs": args.runs, "queries": r.queries, "server_sql_ratio": round(r.ratio, 2)}
        for r in results
    ]
    write_figures(args.json, figures)
    text = table(results)
    print()
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d-%H%M", time.gmtime())  # UTC, as bench/run.py
    about = machine()
    (args.out / f"pages-{args.database}-{stamp}.json").write_text(
        json.dumps({"machine": about, "results": [asdict(r) for r in results]}, indent=2, ensure_ascii=False)
    )
    (args.out / f"pages-{args.database}-{stamp}.md").write_text(f"# Pages ({stamp})\n\n{about['text']}\n\n{text}\n")


if __name__ == "__main__":
    main()

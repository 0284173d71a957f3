"""Load test: simulated people doing the round's flows at once (``bench/locustfile.py``), against
gunicorn on loopback, as requests per second, p95 and errors.

    .venv/bin/python bench/load.py [--people 50000] [--users 100] [--seconds 90] [--database sqlite|postgres]
                                   [--app-processes 2]

It builds the demo organisation with history (``history.organisation_build``), gives a password
to the people the simulation signs in as (employees of MUS-2027 still to hold their conversation,
employees with a draft plan, their leaders, and HR), starts gunicorn with ``--app-processes``
processes, and runs locust headless: ``--users`` people, four starting a second, each signing in
once through the form (a password check is meant to be slow: PBKDF2), then ``--seconds`` with
all of them at work; every loop stops by itself. The figures are locust's from the moment the
last of them has signed in (``bench/locustfile.py`` resets the statistics then), with the requests
each application process answered (``proc`` in the Server-Timing header). A page
that answers with anything but 200, or with the sign-in page, counts as an error. Target at
50,000 people: 0 errors, p95 ≤ 250 ms.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, figure, start, write_figures  # noqa: E402 (after the path is set)
from pages import SECRET, Gunicorn  # noqa: E402

PASSWORD = "samtale-bench-password"  # noqa: S105 (loopback only)
PACE = "2-8"  # seconds between a person's steps in the target's run: reading a page, typing an answer
SPAWN_RATE = 4  # people starting per second; each signs in once, and a password check is meant to be slow


def people_file(path: Path, *, simulated: int) -> dict[str, int]:
    """Who the simulation signs in as, with the pages each uses; their password set (one hash).
    More people than simulated users of each kind, so no two write the same plan at once (which
    the plan form rightly refuses as a conflict, and which would make them queue for the same
    rows)."""
    from django.contrib.auth.hashers import make_password

    from samtale.accounts.models import User
    from samtale.demo.organisation import PERSONAS
    from samtale.rounds.models import Round

    current = Round.objects.get(name="MUS-2027")
    hr = User.objects.get(email=PERSONAS["hr"].email)
    users: set[int] = {hr.pk}
    people: dict[str, list[dict[str, Any]]] = {
        "preparing": _preparing(current, users, count=simulated),
        "writing": _writing(current, users, count=simulated // 2),
        "leading": _leading(current, users, count=simulated // 4),
        "overseeing": [_overseeing(current, hr.email)],
    }
    User.objects.filter(pk__in=users).update(password=make_password(PASSWORD), is_active=True)
    for group in people.values():
        for person in group:
            person["password"] = PASSWORD
    path.write_text(json.dumps(people, indent=1))
    return {role: len(group) for role, group in people.items()}


def _preparing(current: Any, users: set[int], *, count: int) -> list[dict[str, Any]]:
    """Employees still to hold their conversation (no leaders): their preparation."""
    from samtale.conversations.models import Conversation, ConversationStatus

    open_ = (
        Conversation.objects.filter(
            round=current,
            status__in=(ConversationStatus.INVITED, ConversationStatus.SCHEDULED),
            employee__user__isnull=False,
        )
        .exclude(employee__led_units__isnull=False)
        .select_related("employee__user")
        .order_by("pk")[:count]
    )
    people = []
    for conversation in open_:
        user = conversation.employee.user
        assert user is not None
        users.add(user.pk)
        people.append(
            {
                "email": user.email,
                "urls": {
                    "home": "/",
                    "conversation": f"/conversations/{conversation.uuid}/",
                    "preparation": f"/conversations/{conversation.uuid}/preparation/",
                },
            }
        )
    return people


def _writing(current: Any, users: set[int], *, count: int) -> list[dict[str, Any]]:
    """Employees with a draft plan: the plan and its form."""
    from samtale.plans.models import Plan, PlanStatus

    drafts = (
        Plan.objects.filter(conversation__round=current, status=PlanStatus.DRAFT, employee__user__isnull=False)
        .select_related("employee__user")
        .order_by("pk")[:count]
    )
    people = []
    for plan in drafts:
        user = plan.employee.user
        assert user is not None
        users.add(user.pk)
        people.append(
            {"email": user.email, "urls": {"plan": f"/plans/{plan.uuid}/", "plan edit": f"/plans/{plan.uuid}/write/"}}
        )
    return people


def _leading(current: Any, users: set[int], *, count: int) -> list[dict[str, Any]]:
    """Personnel leaders of the round, each once: their team and the guide of one conversation."""
    from samtale.conversations.models import Conversation

    leaders: dict[int, str] = {}
    people = []
    for conversation in (
        Conversation.objects.filter(round=current, employee__personnel_leader__user__isnull=False)
        .select_related("employee__personnel_leader__user")
        .order_by("employee__personnel_leader_id", "pk")
    ):
        leader = conversation.employee.personnel_leader
        assert leader is not None and leader.user is not None
        if leader.pk in leaders:
            continue
        leaders[leader.pk] = leader.user.email
        users.add(leader.user.pk)
        people.append(
            {
                "email": leader.user.email,
                "urls": {"team": "/team/", "meeting guide": f"/conversations/{conversation.uuid}/guide/"},
            }
        )
        if len(leaders) == count:
            break
    return people


def _overseeing(current: Any, hr_email: str) -> dict[str, Any]:
    """HR: the round's overview and the drill-down into the leader persona's unit."""
    from samtale.conversations.models import Conversation
    from samtale.demo.organisation import PERSONAS

    unit = Conversation.objects.filter(round=current, employee__email=PERSONAS["leader"].email).values_list(
        "employee__unit__uuid", flat=True
    )[0]
    return {
        "email": hr_email,
        "urls": {
            "overview": f"/oversight/{current.uuid}/",
            "drill-down": f"/oversight/{current.uuid}/units/{unit}/",
        },
    }


def run_locust(host: str, people: Path, out: Path, *, users: int, seconds: int, pace: str) -> dict[str, Any]:
    served_by = Path(f"{out}_served_by.json")
    env = {
        **os.environ,
        "SAMTALE_LOCUST_PEOPLE": str(people),
        "SAMTALE_LOCUST_SERVED_BY": str(served_by),
        "SAMTALE_LOCUST_PACE": pace,
    }
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(SPAWN_RATE),
        "--run-time",
        f"{users // SPAWN_RATE + seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        host,
        "--csv",
        str(out),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(command, env=env, check=False, timeout=users // SPAWN_RATE + seconds + 120)
    with open(f"{out}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    by_name = {row["Name"]: row for row in rows if row["Name"] != "Aggregated"}
    return {
        # requests answered by each application process (its share), largest first
        "served_by": sorted(json.loads(served_by.read_text()).values(), reverse=True) if served_by.exists() else [],
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p95_without_sign_in": max(
            (float(row["95%"]) for name, row in by_name.items() if name not in ("sign in", "sign-in page")), default=0
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--app-processes", type=int, default=2)
    parser.add_argument(
        "--pace",
        default=PACE,
        help="seconds between a person's steps, low-high: 2-8 (reading a page, typing an answer) or 1-3 (brisk)",
    )
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="more users than the target's, to see what the machine holds: no target for the p95 (nor for a "
        "pace other than 2-8)",
    )
    parser.add_argument("--json", help="append the figures to this JSON file (bench/run.py)")
    args = parser.parse_args()

    os.environ["SAMTALE_SECRET_KEY"] = SECRET
    workdir = start(args.database, static=True)
    from django.db import connection
    from history import organisation_build

    fresh = FreshDatabase(args.database, workdir, cache=f"history-{args.people}")
    try:
        started = time.perf_counter()
        fresh.prepare(setup=functools.partial(organisation_build, args.people))
        fresh.reset()
        print(f"{args.people:,} people with history ready in {time.perf_counter() - started:.0f} s", flush=True)
        roles = people_file(workdir / "people.json", simulated=args.users)
        connection.close()
        with Gunicorn(os.environ["DATABASE_URL"], workers=args.app_processes) as server:
            figures = run_locust(
                f"http://127.0.0.1:{server.port}",
                workdir / "people.json",
                workdir / "locust",
                users=args.users,
                seconds=args.seconds,
                pace=args.pace,
            )
    finally:
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    common = {"database": args.database, "people": args.people}
    ceiling = args.ceiling or args.pace != PACE
    pace = args.pace.replace("-", "–")
    label = f"load, {args.users} users, a step every {pace} s, {args.app_processes} app processes"
    shares = " / ".join(f"{n:,}" for n in figures["served_by"]) or "not known"
    note = (
        f"{figures['requests']:,} requests ({figures['rps']:.1f}/s), p50 {figures['p50']:.0f} ms; "
        f"answered by the app processes: {shares}"
    )
    write_figures(
        args.json,
        [
            figure(
                f"{label}: p95", [figures["p95"]], unit="ms", target=None if ceiling else 250.0, note=note, **common
            ),
            figure(f"{label}: requests/s", [figures["rps"]], unit="/s", **common),
            figure(f"{label}: errors", [figures["failures"]], unit="", target=0.0, **common),
        ],
    )
    print(f"people signed in as: {roles}")
    print()
    print(
        f"| load ({args.users} users, a step every {pace} s, {args.seconds} s, {args.people:,} people, "
        f"{args.database}, {args.app_processes} app processes) | figure | target |"
    )
    print("|---|---|---|")
    print(f"| requests | {figures['requests']:,} ({figures['rps']:.1f}/s) | |")
    print(f"| requests answered by each app process | {shares} | |")
    print(f"| errors | {figures['failures']} | 0 {'met' if figures['failures'] == 0 else 'MISSED'} |")
    print(f"| p50 | {figures['p50']:.0f} ms | |")
    verdict = "(the ceiling: no target)" if ceiling else f"≤ 250 ms {'met' if figures['p95'] <= 250 else 'MISSED'}"
    print(f"| p95 | {figures['p95']:.0f} ms | {verdict} |")
    print(f"| p95 of the slowest request kind but signing in | {figures['p95_without_sign_in']:.0f} ms | |")


if __name__ == "__main__":
    main()

"""Benchmark of privacy at scale: retention deleting a finished round's preparations, and the data
protection officer's audit trail with a million events.

    .venv/bin/python bench/retention.py [--people 50000] [--events 1000000] [--repeat 3]
                                        [--requests 30] [--database sqlite|postgres]

The organisation with three closed rounds (``history.organisation_build``), every held conversation
of them given both preparations, and ``--events`` audit events spread over five years, is built once
into a template database. Each run, on a fresh copy, moves the clock to the day the oldest round's
preparations fall due and runs ``apply_retention`` as the daily job does, measuring its time and
(on one more copy, with tracemalloc) the most memory it held at once — constant: batches of 500,
whatever the size. Then the audit
trail's pages (the newest, a deep page by its cursor, one person's events, one area, one month) are
fetched as the officer, in the process, and their p95 taken.

Targets: deleting a round's preparations ≤ 60 s at 50,000 people, holding ≤ 100 MB at once;
the audit trail's pages p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, figure, start, write_figures  # noqa: E402 (after the path is set)


def build(people: int, events: int) -> None:
    from django.utils import timezone
    from history import organisation_build

    from samtale.audit.models import AuditEvent
    from samtale.conversations.models import Conversation, ConversationStatus, EmployeePreparation, LeaderPreparation
    from samtale.lib.bulk import insert_rows
    from samtale.org.models import Person
    from samtale.rounds.models import RoundStatus

    organisation_build(people, finished=3)
    held = list(
        Conversation.objects.filter(round__status=RoundStatus.CLOSED, status=ConversationStatus.HELD).values_list(
            "pk", flat=True
        )
    )
    now = timezone.now()
    answers = {"strengths": "Jeg er god til at samarbejde.", "wishes": "Et kursus i det nye økonomisystem."}
    for model in (EmployeePreparation, LeaderPreparation):
        insert_rows(model, [{"conversation_id": pk, "answers": answers, "updated_at": now} for pk in held])
    person_ids = list(Person.objects.values_list("pk", flat=True)[:5000])
    actions = ("plans.plan_read", "conversations.preparation_read", "plans.plan_saved", "org.unit_changed")
    start_at = now - timedelta(days=5 * 365)
    step = (now - start_at) / max(events, 1)
    batch = 50_000
    for first in range(0, events, batch):
        insert_rows(
            AuditEvent,
            [
                {
                    "at": start_at + step * i,
                    "actor_id": None,
                    "actor_label": "bench@vesterby.example",
                    "action": actions[i % len(actions)],
                    "outcome": "ok",
                    "target_type": "plan",
                    "target_id": str(i),
                    "subject_person_id": person_ids[i % len(person_ids)],
                    "data": {},
                }
                for i in range(first, min(first + batch, events))
            ],
        )


def the_day_the_oldest_round_is_due() -> date:
    from samtale.privacy.schedule import months_after
    from samtale.rounds.models import Round, RoundStatus

    oldest = Round.objects.filter(status=RoundStatus.CLOSED).order_by("held_by").first()
    assert oldest is not None
    # Every conversation of the oldest round was held by its held-by date; the next round's after it.
    return months_after(oldest.held_by, 12) + timedelta(days=1)


def retention_run(*, weigh: bool = False) -> tuple[float, int, float]:
    """The daily job on the day the oldest round's preparations fall due: its seconds, the
    conversations whose preparations went, and (``weigh``) the most memory Python held at once, in
    MB — with tracemalloc on, which slows it, so a weighed run is not a timed one."""
    from samtale.privacy.retention import retention_apply

    today = the_day_the_oldest_round_is_due()
    if weigh:
        tracemalloc.start()
    started = time.perf_counter()
    report = retention_apply(today=today)
    seconds = time.perf_counter() - started
    peak = 0.0
    if weigh:
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return seconds, report.deleted["preparations"], peak


def audit_pages(requests: int) -> list[float]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from samtale.demo.organisation import PERSONAS
    from samtale.org.models import Person
    from samtale.privacy.selectors import audit_events, audit_page

    officer = Person.objects.get(email=PERSONAS["dpo"].email)
    client = Client(SERVER_NAME="localhost")  # an allowed host
    assert officer.user is not None
    client.force_login(officer.user)
    url = reverse("privacy:audit")
    deep = audit_events()
    cursor = ""
    for _ in range(20):  # twenty pages in: a cursor a thousand events deep
        cursor = audit_page(deep, after=cursor).after or ""
    someone = Person.objects.order_by("pk").values_list("email", flat=True)[10]
    month = (timezone.localdate() - timedelta(days=400)).replace(day=1)
    queries = [
        {},
        {"after": cursor},
        {"person": someone},
        {"area": "conversations"},
        {"since": month.isoformat(), "until": (month + timedelta(days=30)).isoformat()},
    ]
    times: list[float] = []
    for query in queries:
        client.get(url, query)  # warm
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url, query)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (query, response.status_code)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", help="append the figures to this JSON file (bench/run.py)")
    args = parser.parse_args()

    workdir = start(args.database)
    fresh = FreshDatabase(args.database, workdir, cache=f"retention-{args.people}-{args.events}")
    seconds: list[float] = []
    grown: list[float] = []
    page_times: list[float] = []
    try:
        started = time.perf_counter()
        fresh.prepare(setup=lambda: build(args.people, args.events))
        built = time.perf_counter() - started
        print(f"organisation: {args.people:,} people, {args.events:,} audit events in {built:.1f} s")
        for index in range(args.repeat):
            fresh.reset()
            if index == 0:
                page_times = audit_pages(args.requests)
                print(f"audit trail: p50 {statistics.median(page_times):.1f} ms, p95 {p95(page_times):.1f} ms")
            took, deleted, _peak = retention_run()
            seconds.append(took)
            print(f"run {index + 1}: {took:.2f} s, {deleted:,} conversations' preparations deleted")
        fresh.reset()
        _took, deleted, peak = retention_run(weigh=True)
        grown.append(peak)
        print(f"weighed: at most {peak:.1f} MB held at once while deleting {deleted:,} conversations' preparations")
    finally:
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    write_figures(
        args.json,
        [
            figure(
                "apply_retention: a round's preparations",
                seconds,
                unit="s",
                database=args.database,
                people=args.people,
                target=60.0,
            ),
            figure(
                "apply_retention: most memory held at once",
                grown,
                unit="MB",
                database=args.database,
                people=args.people,
                target=100.0,
            ),
            figure(
                f"audit trail pages, p95 ({args.events:,} events)",
                [p95(page_times)],
                unit="ms",
                database=args.database,
                people=args.people,
                target=50.0,
            ),
        ],
    )


if __name__ == "__main__":
    main()

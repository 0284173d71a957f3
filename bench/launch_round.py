"""Benchmark of launching a round: every eligible person of an organisation gets a conversation
and an e-mail in the outbox, their leaders one each.

    .venv/bin/python bench/launch_round.py [--people 50000] [--repeat 3] [--database sqlite|postgres]

The organisation is the demo (`seed_demo`), built once into a template database; every run
launches a new round over the whole organisation on a fresh copy. Target at 50,000 people: ≤ 15 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, figure, start, write_figures  # noqa: E402 (after the path is set)


def one_run() -> tuple[float, int, int]:
    from django.utils import timezone

    from samtale.access.viewer import viewer_for
    from samtale.conversations.models import Conversation
    from samtale.conversations.services.invitation import round_launch
    from samtale.demo.organisation import PERSONAS
    from samtale.org.models import Person, Unit
    from samtale.outbox.models import OutboxMessage
    from samtale.rounds.defaults import default_concept_ensure
    from samtale.rounds.services.rounds import round_create

    hr_user = Person.objects.get(email=PERSONAS["hr"].email).user
    assert hr_user is not None
    hr = viewer_for(hr_user)
    today = timezone.localdate()
    round_ = round_create(
        viewer=hr,
        name="MUS-bench",
        concept=default_concept_ensure(),
        opens_on=today,
        held_by=today + timedelta(days=120),
        units=[Unit.objects.get(parent=None)],
    )
    started = time.perf_counter()
    result = round_launch(viewer=hr, round_=round_)
    seconds = time.perf_counter() - started
    assert Conversation.objects.filter(round=round_).count() == result.created
    return seconds, result.created, OutboxMessage.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", help="append the figures to this JSON file (bench/run.py)")
    args = parser.parse_args()

    workdir = start(args.database)
    from samtale.demo.organisation import seed_demo

    fresh = FreshDatabase(args.database, workdir)
    times: list[float] = []
    try:
        started = time.perf_counter()
        fresh.prepare(setup=lambda: seed_demo(employees=args.people))
        print(f"organisation: {args.people:,} people built in {time.perf_counter() - started:.1f} s; {args.database}")
        for index in range(args.repeat):
            fresh.reset()
            seconds, created, messages = one_run()
            times.append(seconds)
            print(f"run {index + 1}: {seconds:.2f} s, {created:,} conversations, {messages:,} e-mails in the outbox")
    finally:
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    target = 15.0 if args.people <= 50_000 else 20.0  # 50,000 in 15 s; the largest (200,000) in 20 s
    write_figures(
        args.json,
        [figure("launch of a round", times, unit="s", database=args.database, people=args.people, target=target)],
    )
    verdict = "ok" if statistics.median(times) <= target else "TOO SLOW"
    print()
    print(f"| measure ({args.people:,} people, {args.database}, {args.repeat} runs) | median | min | max | target |")
    print("|---|---|---|---|---|")
    print(
        f"| launch of a round | {statistics.median(times):.2f} s | {min(times):.2f} s | {max(times):.2f} s "
        f"| ≤ {target:.0f} s {verdict} |"
    )


if __name__ == "__main__":
    main()

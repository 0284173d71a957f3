"""Benchmark of the daily reminder sweep and of the outbox sending to a mail server, with one and
with two workers sharing the outbox.

    .venv/bin/python bench/outbox.py [--people 50000] [--database sqlite|postgres] [--messages 5000]
                                     [--workers 1 2] [--repeat 3]

It builds the demo organisation with history (``history.organisation_build``), then on a fresh
copy for every run:

1. the reminder sweep (``reminders_send``, what the daily task runs at 06:30), timed, with the
   e-mails it puts in the outbox;
2. the outbox delivered to a local mail sink (aiosmtpd on loopback, counting what arrives by
   Message-ID): ``--messages`` of MUS-2027's opening e-mails are put back as waiting, and
   ``--workers`` processes each run ``outbox_deliver`` (what the ``deliver_outbox`` task runs)
   until nothing is left. It checks that every message arrived exactly once, and reports
   messages per second.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, figure, start, write_figures  # noqa: E402 (after the path is set)
from pages import free_port  # noqa: E402

WORKER = """
import time
import django
django.setup()
from samtale.outbox.delivery import outbox_deliver
started = time.time()
report = outbox_deliver()
print(report.sent, started, time.time())
"""


class MailSink:
    """An SMTP server on loopback that keeps only the Message-ID of what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                content = envelope.original_content or b""
                header = next((line for line in content.split(b"\r\n") if line.lower().startswith(b"message-id:")), b"")
                with sink.lock:
                    sink.received[header.split(b":", 1)[-1].strip().decode()] += 1
                return "250 OK"

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's log of every command
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())

    def __enter__(self) -> MailSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return int(self.controller.port)


def sweep() -> tuple[float, int]:
    from samtale.jobs.reminders import reminders_send
    from samtale.outbox.models import MessageStatus, OutboxMessage

    before = OutboxMessage.objects.filter(status=MessageStatus.PENDING).count()
    started = time.perf_counter()
    reminders_send()
    seconds = time.perf_counter() - started
    return seconds, OutboxMessage.objects.filter(status=MessageStatus.PENDING).count() - before


def waiting(messages: int) -> int:
    """Put ``messages`` of MUS-2027's opening e-mails back in the outbox, due now; nothing else
    waits. Returns how many wait."""
    from django.utils import timezone

    from samtale.outbox.models import MessageStatus, OutboxMessage

    OutboxMessage.objects.filter(status=MessageStatus.PENDING).update(status=MessageStatus.CANCELLED)
    chosen = list(
        OutboxMessage.objects.filter(kind="rounds.opened").order_by("pk").values_list("pk", flat=True)[:messages]
    )
    if len(chosen) < messages:
        chosen = list(
            OutboxMessage.objects.filter(kind__startswith="rounds.")
            .order_by("pk")
            .values_list("pk", flat=True)[:messages]
        )
    OutboxMessage.objects.filter(pk__in=chosen).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claim="", sent_at=None
    )
    return len(chosen)


def deliver(workers: int, sink: MailSink) -> tuple[float, int]:
    """Run ``workers`` processes delivering the outbox at once; the seconds from the first one
    starting to deliver (after starting Django) to the last one done, and how many they sent."""
    from django.db import connection

    connection.close()
    env = {
        **os.environ,
        "SAMTALE_EMAIL_HOST": "127.0.0.1",
        "SAMTALE_EMAIL_PORT": str(sink.port),
        "SAMTALE_EMAIL_TLS": "0",
        "PYTHONPATH": str(ROOT),
    }
    processes = [
        subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(workers)
    ]
    sent, starts, ends = 0, [], []
    for process in processes:
        out, _err = process.communicate(timeout=900)
        count, start, end = out.split()[-3:]
        sent += int(count)
        starts.append(float(start))
        ends.append(float(end))
    return max(ends) - min(starts), sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="append the figures to this JSON file (bench/run.py)")
    args = parser.parse_args()

    workdir = start(args.database)
    from history import organisation_build

    fresh = FreshDatabase(args.database, workdir, cache=f"history-{args.people}")
    sweeps: list[tuple[float, int]] = []
    rates: dict[int, list[float]] = {w: [] for w in args.workers}
    try:
        started = time.perf_counter()
        fresh.prepare(setup=functools.partial(organisation_build, args.people))
        print(f"{args.people:,} people with history ready in {time.perf_counter() - started:.0f} s", flush=True)
        for run in range(args.repeat):
            fresh.reset()
            seconds, queued = sweep()
            sweeps.append((seconds, queued))
            print(f"run {run + 1}: reminder sweep {seconds:.2f} s, {queued:,} e-mails", flush=True)
            for workers in args.workers:
                fresh.reset()
                count = waiting(args.messages)
                with MailSink() as sink:
                    seconds, sent = deliver(workers, sink)
                    twice = [key for key, n in sink.received.items() if n > 1]
                    arrived = sum(sink.received.values())
                assert sent == count == arrived, f"{count} waiting, {sent} sent, {arrived} arrived"
                assert not twice, f"{len(twice)} messages arrived twice"
                rates[workers].append(sent / seconds)
                print(
                    f"  {workers} worker(s): {sent:,} e-mails in {seconds:.1f} s = {sent / seconds:.0f}/s, "
                    "each arrived once",
                    flush=True,
                )
    finally:
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    times = [s for s, _n in sweeps]
    common = {"database": args.database, "people": args.people}
    write_figures(
        args.json,
        [
            figure("reminder sweep", times, unit="s", note=f"{sweeps[0][1]:,} e-mails queued", **common),
            *(
                figure(
                    f"outbox to a mail sink, {workers} worker(s)",
                    values,
                    unit="e-mails/s",
                    higher_is_better=True,
                    note=f"{args.messages:,} e-mails, each arrived once",
                    **common,
                )
                for workers, values in rates.items()
            ),
        ],
    )
    print()
    print(f"| measure ({args.people:,} people, {args.database}, {args.repeat} runs) | median | min | max |")
    print("|---|---|---|---|")
    print(
        f"| reminder sweep ({sweeps[0][1]:,} e-mails) | {statistics.median(times):.2f} s | {min(times):.2f} s "
        f"| {max(times):.2f} s |"
    )
    for workers, values in rates.items():
        print(
            f"| outbox to a mail sink, {workers} worker(s), {args.messages:,} e-mails | "
            f"{statistics.median(values):.0f}/s | {min(values):.0f}/s | {max(values):.0f}/s |"
        )


if __name__ == "__main__":
    main()

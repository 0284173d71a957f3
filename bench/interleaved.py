"""Side by side: the same requests to two servers, in pairs, alternating, so both see the same
machine at the same moment; then each under the same concurrent load, in turns. Client wall time,
p50 and p95 per request, and the ratio of the first side to the second.

    .venv/bin/python bench/interleaved.py [--people 1000] [--database postgres] [--pairs 200]
                                          [--clients 20] [--seconds 20] [--peer SPEC.json]
                                          [--json OUT.json]

Side A is Samtale at this commit: the organisation ``bench/pages.py`` builds (cached), served by
gunicorn with two processes and production settings, the pages as the persona who uses each.
Side B is given by ``--peer``, a JSON file naming a server and, for each request, its path and
headers — Frappe HRMS's JSON API with an API token, or another Samtale (an earlier commit started
by hand against a copy of the same data, with its session cookies)::

    {"name": "Frappe HRMS", "base": "http://127.0.0.1:8000",
     "headers": {"Authorization": "token KEY:SECRET"},
     "requests": {"team": "/api/resource/Employee?filters=...&limit_page_length=20", ...}}

The request names are those of ``REQUESTS`` below; a name the peer does not give is measured on
Samtale alone. Without ``--peer``, the figures the issue measured for Frappe HRMS v15 on this
machine stand for side B (``REFERENCE``), and the table says so.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import shutil
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, start  # noqa: E402 (after the path is set)

# What a person asks for, as (persona, the page of bench/pages.py).
REQUESTS = {
    "drill-down, 100 people (HR, the whole organisation)": ("hr", "drill-down (whole organisation)"),
    "a leader's team": ("leader", "leader's team"),
    "one plan": ("union_rep", "signed plan"),
    "one conversation as its leader": ("leader", "meeting guide"),
    "the sign-in page": ("", "sign-in"),
}
# Frappe HRMS v15 on this machine, 1,000 employees, gunicorn with 2 workers (issue 17), p50.
REFERENCE = {
    "drill-down, 100 people (HR, the whole organisation)": 8.9,
    "a leader's team": 8.1,
    "one plan": 10.0,
    "one conversation as its leader": 10.0,
    "the sign-in page": 3.5,
}
REFERENCE_LOAD = (245.0, 97.0)  # requests/s and p95 ms at 20 clients


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    headers: dict[str, str]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Client:
    """One kept-alive connection per server and thread."""

    def __init__(self) -> None:
        self.connections: dict[tuple[str, int], http.client.HTTPConnection] = {}

    def get(self, target: Target) -> float:
        key = (target.host, target.port)
        connection = self.connections.get(key)
        if connection is None:
            connection = self.connections[key] = http.client.HTTPConnection(target.host, target.port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request("GET", target.path, headers=target.headers)
            response = connection.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):
            connection.close()
            del self.connections[key]
            raise
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{target.host}:{target.port}{target.path}: HTTP {response.status}")
        return elapsed


def pairs(a: dict[str, Target], b: dict[str, Target], count: int) -> dict[str, tuple[list[float], list[float]]]:
    """Each request ``count`` times on each side, A then B then B then A…, so neither side always goes first."""
    client = Client()
    times: dict[str, tuple[list[float], list[float]]] = {}
    for name, target in a.items():
        peer = b.get(name)
        for _ in range(10):  # warm both processes of each side
            client.get(target)
            if peer is not None:
                client.get(peer)
        ours: list[float] = []
        theirs: list[float] = []
        for index in range(count):
            order = [(target, ours), (peer, theirs)] if index % 2 == 0 else [(peer, theirs), (target, ours)]
            for side, into in order:
                if side is not None:
                    into.append(client.get(side))
        times[name] = (ours, theirs)
    return times


def load(targets: list[Target], *, clients: int, seconds: float) -> tuple[float, float, int]:
    """``clients`` threads asking without pause, round the mix, for ``seconds``: requests/s, p95 ms, errors."""
    stop = time.perf_counter() + seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def work(offset: int) -> None:
        client = Client()
        mine: list[float] = []
        index = offset
        while time.perf_counter() < stop:
            try:
                mine.append(client.get(targets[index % len(targets)]))
            except (RuntimeError, OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
            index += 1
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(times) / elapsed, percentile(times, 0.95) if times else 0.0, errors[0]


def samtale_targets(port: int) -> dict[str, Target]:
    from django.conf import settings
    from pages import pages_and_sessions

    pages, sessions = pages_and_sessions()
    by_name = {page.name: page for page in pages}
    targets = {}
    for name, (persona, page_name) in REQUESTS.items():
        if page_name == "sign-in":
            targets[name] = Target("127.0.0.1", port, "/login/", {})
            continue
        page = by_name[page_name]
        cookie = f"{settings.SESSION_COOKIE_NAME}={sessions[persona]}"
        targets[name] = Target("127.0.0.1", port, page.path, {"Cookie": cookie})
    return targets


def peer_targets(spec: dict[str, Any]) -> dict[str, Target]:
    base = urlsplit(spec["base"])
    headers = dict(spec.get("headers", {}))
    return {
        name: Target(base.hostname or "127.0.0.1", base.port or 80, path, headers)
        for name, path in spec["requests"].items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--peer", type=Path, help="the other side (JSON); else the issue's figures for Frappe HRMS")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn process (above 1: gthread)")
    args = parser.parse_args()

    import os

    from pages import SECRET, Gunicorn

    os.environ["SAMTALE_SECRET_KEY"] = SECRET  # the sessions made here are good on the server
    workdir = start(args.database, static=True)
    from history import organisation_build

    fresh = FreshDatabase(args.database, workdir, cache=f"history-{args.people}")
    fresh.prepare(setup=functools.partial(organisation_build, args.people))
    fresh.reset()
    spec = json.loads(args.peer.read_text()) if args.peer else None
    peer_name = spec["name"] if spec else "Frappe HRMS (the issue's figures)"
    from django.db import connection

    try:
        with Gunicorn(os.environ["DATABASE_URL"], threads=args.threads) as server:
            ours = samtale_targets(server.port)
            connection.close()
            theirs = peer_targets(spec) if spec else {}
            measured = pairs(ours, theirs, args.pairs)
            rows = []
            for name, (a, b) in measured.items():
                b50 = statistics.median(b) if b else REFERENCE.get(name) if not spec else None
                a50 = statistics.median(a)
                rows.append(
                    {
                        "request": name,
                        "samtale_p50": round(a50, 1),
                        "samtale_p95": round(percentile(a, 0.95), 1),
                        "peer_p50": None if b50 is None else round(b50, 1),
                        "peer_p95": round(percentile(b, 0.95), 1) if b else None,
                        "ratio": None if not b50 else round(a50 / b50, 2),
                    }
                )
            mix = [ours[name] for name in REQUESTS if name != "the sign-in page"]
            ours_load = load(mix, clients=args.clients, seconds=args.seconds)
            theirs_load = None
            if spec:
                peer_mix = [theirs[name] for name in REQUESTS if name in theirs and name != "the sign-in page"]
                theirs_load = load(peer_mix, clients=args.clients, seconds=args.seconds) if peer_mix else None
    finally:
        connection.close()
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\n| what the user asks for ({args.people:,} people, {args.database}) | {peer_name} p50 "
        "| Samtale p50 (p95) | Samtale ÷ peer |"
    )
    print("|---|---|---|---|")
    for row in rows:
        peer = "—" if row["peer_p50"] is None else f"{row['peer_p50']} ms"
        ratio = "—" if row["ratio"] is None else f"{row['ratio']:.2f}"
        print(f"| {row['request']} | {peer} | {row['samtale_p50']} ms ({row['samtale_p95']} ms) | {ratio} |")
    rate, p95, errors = ours_load
    peer_rate, peer_p95 = (theirs_load[0], theirs_load[1]) if theirs_load else REFERENCE_LOAD
    print(
        f"| {args.clients} clients at once, the mix above | {peer_rate:.0f} requests/s, p95 {peer_p95:.0f} ms | "
        f"{rate:.0f} requests/s, p95 {p95:.0f} ms ({errors} errors) | {rate / peer_rate:.2f} × the throughput |"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"peer": peer_name, "rows": rows, "load": {"samtale": ours_load, "peer": [peer_rate, peer_p95]}},
                indent=2,
            )
        )


if __name__ == "__main__":
    main()

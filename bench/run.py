"""``make bench``: every benchmark of ``bench/`` on SQLite and on PostgreSQL, gathered into one
table against each benchmark's own target (the README's "Measured" table lists them), with
PostgreSQL against SQLite as ratios.

    .venv/bin/python bench/run.py [--quick] [--databases sqlite postgres] [--out bench/results]

``--quick`` measures 1,000 people with one run of each (a check that everything works, in a few
minutes); ``--large`` (``make bench-large``) the largest organisation promised, 200,000 people:
its import and re-import, a round's launch, and every page beside the same pages at 1,000 and
50,000 (the queries must not change); without either: the import at 10,000 and 50,000 people,
the pages at 1,000, 10,000 and 50,000, the rest at 50,000, each figure the median of three runs
(the load tests: one run).
PostgreSQL is the machine's own (``scripts/postgres`` starts it, as CI does) unless
``DATABASE_URL`` names one whose role may create databases. Each benchmark runs in its own
process and stops by itself; the organisation with history is built once per size and database
and reused (``bench/.cache``). The table is printed and written, with the machine described, to
``bench/results/bench-<time>.md`` and ``.json`` (and, for a full run, ``bench/results/latest.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
POSTGRES = "postgres://samtale:samtale@127.0.0.1:5432/samtale"


def steps(quick: bool, large: bool = False) -> list[tuple[tuple[str, ...], list[str]]]:
    """Each benchmark with the databases it runs on. The load test's ceiling (the same 100 people
    clicking every 1–3 s, to see what one machine holds) runs on PostgreSQL, the production
    database, only. ``large``: the largest organisation the README promises, 200,000 people."""
    both = ("sqlite", "postgres")
    if large:
        return [
            (both, ["import_org.py", "--people", "200000", "--repeat", "1"]),
            (both, ["launch_round.py", "--people", "200000", "--repeat", "1"]),
            # 1,000 and 50,000 beside it: the queries per page must be the same at every size.
            (both, ["pages.py", "--people", "1000", "50000", "200000", "--requests", "30", "--runs", "3"]),
        ]
    if quick:
        return [
            (both, ["import_org.py", "--people", "1000", "--repeat", "1"]),
            (both, ["launch_round.py", "--people", "1000", "--repeat", "1"]),
            (both, ["pages.py", "--people", "1000", "--requests", "10", "--runs", "1"]),
            (both, ["outbox.py", "--people", "1000", "--messages", "300", "--repeat", "1"]),
            (both, ["load.py", "--people", "1000", "--users", "20", "--seconds", "20"]),
            (both, ["retention.py", "--people", "1000", "--events", "100000", "--repeat", "1", "--requests", "10"]),
            (both, ["competences.py", "--people", "1000", "--requests", "10"]),
            (both, ["competence_import.py", "--people", "1000", "--repeat", "1"]),
        ]
    return [
        (both, ["import_org.py", "--people", "10000", "--repeat", "3"]),
        (both, ["import_org.py", "--people", "50000", "--repeat", "3"]),
        (both, ["launch_round.py", "--people", "50000", "--repeat", "3"]),
        (both, ["pages.py", "--people", "1000", "10000", "50000", "--requests", "30", "--runs", "3"]),
        (both, ["outbox.py", "--people", "50000", "--messages", "3000", "--repeat", "3"]),
        (both, ["load.py", "--people", "50000", "--users", "100", "--seconds", "60"]),
        (both, ["retention.py", "--people", "50000", "--events", "1000000", "--repeat", "3"]),
        (both, ["competences.py", "--people", "50000", "--levels", "20", "--courses", "500", "--requests", "30"]),
        (both, ["competence_import.py", "--people", "50000", "--competences", "20", "--repeat", "3"]),
        (("postgres",), ["load.py", "--people", "50000", "--users", "100", "--seconds", "45", "--pace", "1-3"]),
    ]


def postgres_url() -> str:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return os.environ["DATABASE_URL"]
    subprocess.run([str(ROOT / "scripts" / "postgres")], check=True, stdout=subprocess.DEVNULL)
    return POSTGRES


def formatted(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit:
        return f"{value:,.0f} {unit}"
    return f"{value:,.0f}"


def table(figures: list[dict[str, Any]]) -> str:
    lines = [
        "| measure | people | database | median (lowest–highest) | runs | target | |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        target = ""
        if f["target"] is not None:
            target = ("≥ " if f["higher_is_better"] else "≤ ") + formatted(f["target"], f["unit"])
        verdict = {True: "met", False: "MISSED", None: ""}[f["met"]]
        spread = (
            f"{formatted(f['median'], f['unit'])} ({formatted(f['low'], f['unit'])}–{formatted(f['high'], f['unit'])})"
        )
        extra = f"; {f['queries']} queries" if "queries" in f else ""
        lines.append(
            f"| {f['measure']} | {f['people']:,} | {f['database']} | {spread} | {f['runs']} "
            f"| {target} | {verdict}{'; ' if verdict and (f['note'] or extra) else ''}{f['note']}{extra} |"
        )
    return "\n".join(lines)


def ratios(figures: list[dict[str, Any]]) -> str:
    """PostgreSQL against SQLite for every measure taken on both (below 1: PostgreSQL is faster,
    or for rates, slower)."""
    sqlite = {(f["measure"], f["people"]): f for f in figures if f["database"] == "sqlite"}
    lines = ["| measure | people | PostgreSQL / SQLite |", "|---|---|---|"]
    for f in figures:
        other = sqlite.get((f["measure"], f["people"]))
        if f["database"] != "postgres" or other is None or not other["median"]:
            continue
        lines.append(f"| {f['measure']} | {f['people']:,} | {f['median'] / other['median']:.2f} |")
    return "\n".join(lines) if len(lines) > 2 else ""


def queries_same(figures: list[dict[str, Any]]) -> str:
    """Whether every page ran the same number of statements at every size (per database)."""
    seen: dict[tuple[str, str], set[int]] = {}
    for f in figures:
        if "queries" in f:
            seen.setdefault((f["measure"], f["database"]), set()).add(f["queries"])
    differ = [f"{measure} ({database}): {sorted(n)}" for (measure, database), n in seen.items() if len(n) > 1]
    if not seen:
        return ""
    return "Queries per page: the same at every size." if not differ else "Queries differ: " + "; ".join(differ)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--large", action="store_true", help="200,000 people: import, launch and every page")
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()

    started = time.perf_counter()
    results = Path(tempfile.mkdtemp(prefix="samtale-bench-run-")) / "figures.json"
    env = dict(os.environ)
    if "postgres" in args.databases:
        env["DATABASE_URL"] = postgres_url()
    failed = []
    for database in args.databases:
        for databases, step in steps(args.quick, args.large):
            if database not in databases:
                continue
            command = [PYTHON, str(ROOT / "bench" / step[0]), *step[1:], "--database", database, "--json", str(results)]
            if step[0] == "pages.py":
                command += ["--out", str(Path(results).parent)]
            print(f"==> [{time.perf_counter() - started:.0f} s] {' '.join(command[1:-2])}", flush=True)
            if subprocess.run(command, cwd=ROOT, env=env, check=False).returncode != 0:
                failed.append(f"{step[0]} on {database}")
    figures = json.loads(results.read_text()) if results.exists() else []

    sys.path.insert(0, str(ROOT / "bench"))
    from harness import machine

    os.environ["DATABASE_URL"] = env.get("DATABASE_URL", "")
    about = machine()
    kind = ", quick" if args.quick else ", 200,000 people" if args.large else ""
    minutes = (time.perf_counter() - started) / 60
    parts = [
        f"# Samtale benchmarks ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}{kind})",
        f"Machine: {about['text']}. The whole run took {minutes:.1f} minutes.",
        table(figures),
        queries_same(figures),
        ratios(figures),
    ]
    if failed:
        parts.append("Failed: " + ", ".join(failed))
    text = "\n\n".join(part for part in parts if part) + "\n"
    print()
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d-%H%M", time.gmtime()) + ("-quick" if args.quick else "-large" if args.large else "")
    (args.out / f"bench-{stamp}.md").write_text(text)
    (args.out / f"bench-{stamp}.json").write_text(
        json.dumps({"machine": about, "minutes": minutes, "figures": figures}, indent=1, ensure_ascii=False)
    )
    if not (args.quick or args.large):  # latest.md is the last full table
        (args.out / "latest.md").write_text(text)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

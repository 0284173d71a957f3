"""Benchmark of the organisation import: a realistic HR export of N people is imported into a
fresh database (invitations on, as HR would), then the same file is imported again, which must
change nothing.

    .venv/bin/python bench/import_org.py [--people 50000] [--repeat 3] [--database sqlite|postgres]

SQLite runs in a temporary file, migrated once and copied fresh for every run. PostgreSQL uses
DATABASE_URL (a role that may create databases; default postgres://postgres@localhost/postgres)
and a temporary database made from a migrated template. Targets at 50,000 people: import
≤ 20 s, re-import ≤ 10 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import FreshDatabase, build_day, figure, start, write_figures  # noqa: E402 (after the path is set)

from samtale.org.importing.reader import COLUMNS  # noqa: E402

# As HR systems write them: Danish values, every employment type.
EMPLOYMENT_MIX = (
    ("Fastansat", 78),
    ("Tidsbegrænset", 7),
    ("Fleksjob", 4),
    ("Elev", 4),
    ("Vikar", 4),
    ("Jobtræning", 3),
)
# The Danish headings, as an HR system in Denmark writes them (without the optional unit leader).
HEADINGS = [aliases[1].capitalize() for column, aliases in COLUMNS.items() if column != "unit_leader_number"]
TEAM_SIZE = 12


def organisation_csv(people: int, seed: int = 2027) -> bytes:
    """An export as Excel saves it (semicolons, UTF-8 with BOM, Danish headings): 5 levels of units
    (municipality, directorates, departments, offices, teams), every unit led by one of its
    members who reports to the leader above, teams of about 12 with a coordinator as daily
    leader for some, dates in the three formats. Names and titles are the demo's."""
    from samtale.demo.organisation import DIRECTORATES, FIRST_NAMES, LAST_NAMES, PLACES, TITLES, slug

    rng = random.Random(seed)
    teams_wanted = max(1, people // TEAM_SIZE)
    branching = max(2, round((teams_wanted / len(DIRECTORATES)) ** (1 / 3)))
    units: list[tuple[str, str, str, int]] = [("K", "Vesterby Kommune", "", 0)]  # code, name, parent, depth
    frontier = []
    for d, name in enumerate(DIRECTORATES, start=1):
        units.append((f"K{d}", name, "K", 1))
        frontier.append(f"K{d}")
    for depth, label in ((2, "Afdeling"), (3, "Kontor"), (4, "Team")):
        next_frontier = []
        for parent in frontier:
            for index in range(1, branching + 1):
                code = f"{parent}.{index}"
                units.append((code, f"{label} {PLACES[(len(units) + index) % len(PLACES)]} {code}", parent, depth))
                next_frontier.append(code)
        frontier = next_frontier
    teams = frontier

    today = build_day()  # Samtale's today, not the machine's (UTC here)
    numbers = iter(range(100001, 10_000_000))
    kinds, weights = zip(*EMPLOYMENT_MIX, strict=True)
    rows: list[list[str]] = []
    leader_of_unit: dict[str, str] = {}

    def show(day: date) -> str:
        return rng.choice((day.isoformat(), day.strftime("%d-%m-%Y"), day.strftime("%d.%m.%Y")))

    def person(unit: tuple[str, str, str, int], leader: str, title: str, kind: str = "Fastansat") -> list[str]:
        number = str(next(numbers))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        start = today - timedelta(days=rng.randint(30, 12000))
        end = ""
        if kind in ("Tidsbegrænset", "Vikar", "Elev"):
            end = show(today + timedelta(days=rng.randint(30, 900)))
        email = f"{slug(first)}.{slug(last)}.{number}@vesterby.example"
        row = [number, f"{first} {last}", email, unit[0], unit[1], unit[2], title, kind, leader, "", show(start), end]
        rows.append(row)
        return row

    for unit in units:  # parents come before their children
        leader = leader_of_unit.get(unit[2], "")
        leader_of_unit[unit[0]] = person(unit, leader, "Leder" if unit[3] else "Kommunaldirektør")[0]
    by_code = {unit[0]: unit for unit in units}
    left = people - len(units)
    for index in range(max(0, left)):
        team = by_code[teams[index % len(teams)]]
        person(team, leader_of_unit[team[0]], rng.choice(TITLES), rng.choices(kinds, weights)[0])
    # A coordinator in each team is the daily leader of about a third of the others.
    members: dict[str, list[list[str]]] = {}
    for row in rows[len(units) :]:
        members.setdefault(row[3], []).append(row)
    for team_rows in members.values():
        coordinator = team_rows[0]
        coordinator[6] = "Teamkoordinator"
        for row in team_rows[1:]:
            if rng.random() < 0.35:
                row[9] = coordinator[0]

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def snapshot() -> dict[str, Any]:
    """What a second import must leave exactly as it was."""
    from django.db.models import Max

    from samtale.accounts.models import User
    from samtale.audit.models import AuditEvent
    from samtale.org.models import Person, PlacementChange, Unit
    from samtale.outbox.models import OutboxMessage

    return {
        "people": Person.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "placement changes": PlacementChange.objects.count(),
        "person events": AuditEvent.objects.exclude(subject_person_id=None).count(),
        "last person update": Person.objects.aggregate(last=Max("updated_at"))["last"],
        "ended": Person.objects.exclude(end_date=None).count(),
        "unit leaders": sorted(Unit.objects.exclude(leader=None).values_list("id", "leader_id")),
    }


def one_run(content: bytes, people: int, profile: Path | None) -> tuple[float, float]:
    from samtale.accounts.models import User
    from samtale.org.importing.apply import organisation_import
    from samtale.org.models import Person
    from samtale.outbox.models import OutboxMessage

    actor = User.objects.create_user("hr@bench.example", None, name="Bench HR")

    def timed(label: str) -> tuple[float, Any]:
        profiler = None
        if profile is not None:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        outcome = organisation_import(content=content, file_name="hr-eksport.csv", actor=actor, send_invitations=True)
        elapsed = time.perf_counter() - started
        if profiler is not None and profile is not None:
            profiler.disable()
            profiler.dump_stats(profile.with_suffix(f".{label}.prof"))
        if not outcome.applied:
            raise SystemExit(f"{label}: the file was refused: {outcome.plan.errors[:5]}")
        return elapsed, outcome

    first, outcome = timed("import")
    created = Person.objects.count()
    if outcome.plan.summary()["created"] != people or created != people:
        raise SystemExit(f"import: {created} people stored, {people} expected")
    if OutboxMessage.objects.count() != people:
        raise SystemExit(f"import: {OutboxMessage.objects.count()} invitations, {people} expected")
    before = snapshot()
    second, outcome = timed("reimport")
    if outcome.plan.has_changes or snapshot() != before:
        raise SystemExit(f"re-import changed something: {outcome.plan.summary()}")
    return first, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs, each on a fresh database (default 3)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", help="append the figures to this JSON file (bench/run.py)")
    parser.add_argument("--profile", type=Path, help="write cProfile stats to PROFILE.import.prof and .reimport.prof")
    args = parser.parse_args()

    # SAMTALE_DEBUG=1 spares the benchmark production's secrets and HTTPS settings; the timing
    # is of production, though, which does not keep a log of every SQL query (``start``).
    workdir = start(args.database)
    started = time.perf_counter()
    content = organisation_csv(args.people)
    print(
        f"file: {args.people:,} people, {len(content) / 1024 / 1024:.1f} MB, "
        f"made in {time.perf_counter() - started:.1f} s; database: {args.database}"
    )
    fresh = FreshDatabase(args.database, workdir)
    imports: list[float] = []
    reimports: list[float] = []
    try:
        fresh.prepare()
        for index in range(args.repeat):
            fresh.reset()
            first, second = one_run(content, args.people, args.profile if index == 0 else None)
            imports.append(first)
            reimports.append(second)
            print(f"run {index + 1}: import {first:.2f} s, re-import {second:.2f} s (no changes)", flush=True)
    finally:
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)

    # The README's promise: 50,000 people in 20 s; the largest organisation (200,000) in 30 s.
    import_target = 20.0 if args.people <= 50_000 else 30.0
    write_figures(
        args.json,
        [
            figure(
                "import of the organisation file",
                imports,
                unit="s",
                database=args.database,
                people=args.people,
                target=import_target,
            ),
            figure(
                "re-import, no changes", reimports, unit="s", database=args.database, people=args.people, target=10.0
            ),
        ],
    )
    print()
    print(f"| measure ({args.people:,} people, {args.database}, {args.repeat} runs) | median | min | max | target |")
    print("|---|---|---|---|---|")
    for label, values, target in (
        ("import of the file", imports, import_target),
        ("re-import, no changes", reimports, 10.0),
    ):
        verdict = "ok" if statistics.median(values) <= target else "TOO SLOW"
        print(
            f"| {label} | {statistics.median(values):.2f} s | {min(values):.2f} s | {max(values):.2f} s "
            f"| ≤ {target:.0f} s {verdict} |"
        )


if __name__ == "__main__":
    main()

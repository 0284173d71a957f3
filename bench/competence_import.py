"""Benchmark of the import of registered levels (issue 16, "Speed"): a whole organisation's
levels, moved from SAP HR, ``--competences`` per person (1,000,000 levels at 50,000 people), are
imported into a fresh database; then the same file again, which must change nothing.

    .venv/bin/python bench/competence_import.py [--people 50000] [--competences 20] [--repeat 3]
                                                [--database sqlite|postgres] [--profile PATH]

The organisation is the HR export of ``import_org.py`` (units in five levels, teams of about 12),
imported once with ``organisation_import`` into a template database with ``--competences``
competences on the default scale (1–6) and two job profiles (a job title's and a directorate's),
so the counters count people short of their profile too. Each run, on a fresh copy, times
``levels_import`` of a file as SAP HR writes it (semicolons, UTF-8 with BOM, Danish headings): a
line per person and competence with the employee's level, a leader's line for every tenth, an
example on every fifth. The time is the whole import: reading the file, checking every line,
writing the registrations and their history in bulk and rebuilding the counters.

Target: ≤ 30 s for 1,000,000 levels (50,000 people × 20).
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, figure, start, write_figures  # noqa: E402 (after the path is set)

TARGET = 30.0


def build(people: int, competences: int) -> None:
    from import_org import organisation_csv

    from samtale.competences.defaults import default_scale
    from samtale.competences.models import Competence, CompetenceGroup, ExpectedLevel, JobProfile
    from samtale.org.importing.apply import organisation_import
    from samtale.org.models import Unit

    outcome = organisation_import(
        content=organisation_csv(people), file_name="hr-eksport.csv", actor=None, send_invitations=False
    )
    if not outcome.applied:
        raise SystemExit(f"the organisation was refused: {outcome.plan.errors[:5]}")
    scale = default_scale()
    groups = list(CompetenceGroup)
    made = Competence.objects.bulk_create(
        [
            Competence(code=f"K{index:02d}", name=f"Kompetence {index}", group=groups[index % 3], scale=scale)
            for index in range(1, competences + 1)
        ]
    )
    titled = JobProfile.objects.create(name="Teamkoordinator", job_title="Teamkoordinator")
    directorate = Unit.objects.filter(depth=1).order_by("code").first()
    assert directorate is not None
    unit_profile = JobProfile.objects.create(name=directorate.name, unit=directorate)
    ExpectedLevel.objects.bulk_create(
        [ExpectedLevel(profile=titled, competence=c, level=4) for c in made[:5]]
        + [ExpectedLevel(profile=unit_profile, competence=c, level=3) for c in made[:10]]
    )


def levels_csv(competences: int) -> tuple[bytes, int]:
    """The file, and its number of lines below the headings."""
    from samtale.org.models import Person

    numbers = list(Person.objects.order_by("employee_number").values_list("employee_number", flat=True))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Medarbejdernummer", "Kompetence", "Niveau", "Eksempel", "Part"])
    lines = 0
    for index, number in enumerate(numbers):
        for competence in range(1, competences + 1):
            mixed = index * 7 + competence
            level = 1 + mixed % 6
            example = "Har løst opgaven i det nye økonomisystem." if mixed % 5 == 0 else ""
            writer.writerow([number, f"K{competence:02d}", level, example, "medarbejder"])
            lines += 1
            if mixed % 10 == 0:
                writer.writerow([number, f"K{competence:02d}", 1 + (mixed // 10) % 6, "", "leder"])
                lines += 1
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8"), lines


def one_run(content: bytes, lines: int, profile: Path | None) -> tuple[float, float]:
    from samtale.competences.importing import levels_import
    from samtale.competences.models import LevelCount, Registration, RegistrationChange

    def timed(label: str) -> tuple[float, Any]:
        profiler = None
        if profile is not None:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        result = levels_import(content=content, file_name="sap-niveauer.csv", actor=None)
        elapsed = time.perf_counter() - started
        if profiler is not None and profile is not None:
            profiler.disable()
            profiler.dump_stats(profile.with_suffix(f".{label}.prof"))
        if not result.applied:
            raise SystemExit(f"{label}: the file was refused: {result.errors[:5]}")
        return elapsed, result

    first, result = timed("import")
    if result.rows != lines or RegistrationChange.objects.count() != lines:
        raise SystemExit(
            f"import: {result.rows} rows read, {RegistrationChange.objects.count()} changes, {lines} lines"
        )
    if Registration.objects.count() != result.created or not LevelCount.objects.exists():
        raise SystemExit("import: the registrations or the counters are missing")
    second, result = timed("reimport")
    if result.created or result.changed or RegistrationChange.objects.count() != lines:
        raise SystemExit(f"re-import changed something: {result.summary()}")
    return first, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--competences", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="runs, each on a fresh database (default 3)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", help="append the figures to this JSON file (bench/run.py)")
    parser.add_argument("--profile", type=Path, help="write cProfile stats to PROFILE.import.prof and .reimport.prof")
    args = parser.parse_args()

    workdir = start(args.database)
    fresh = FreshDatabase(args.database, workdir, cache=f"competences-{args.people}-{args.competences}")
    imports: list[float] = []
    reimports: list[float] = []
    try:
        started = time.perf_counter()
        fresh.prepare(lambda: build(args.people, args.competences))
        print(f"organisation: {args.people:,} people, ready in {time.perf_counter() - started:.1f} s", flush=True)
        fresh.reset()
        content, lines = levels_csv(args.competences)
        print(f"file: {lines:,} levels, {len(content) / 1024 / 1024:.1f} MB; database: {args.database}", flush=True)
        for index in range(args.repeat):
            fresh.reset()
            first, second = one_run(content, lines, args.profile if index == 0 else None)
            imports.append(first)
            reimports.append(second)
            print(f"run {index + 1}: import {first:.2f} s, re-import {second:.2f} s (no changes)", flush=True)
    finally:
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)

    write_figures(
        args.json,
        [
            figure(
                "import of the registered levels",
                imports,
                unit="s",
                database=args.database,
                people=args.people,
                target=TARGET,
            ),
            figure(
                "re-import of the levels, no changes", reimports, unit="s", database=args.database, people=args.people
            ),
        ],
    )
    print()
    size = f"{args.people:,} people × {args.competences}, {args.database}, {args.repeat} runs"
    print(f"| measure ({size}) | median | min | max | target |")
    print("|---|---|---|---|---|")
    for label, values, target in (
        ("import of the levels", imports, TARGET),
        ("re-import, no changes", reimports, None),
    ):
        verdict = (
            ""
            if target is None
            else f"≤ {target:.0f} s " + ("ok" if statistics.median(values) <= target else "TOO SLOW")
        )
        print(
            f"| {label} | {statistics.median(values):.2f} s | {min(values):.2f} s | {max(values):.2f} s | {verdict} |"
        )


if __name__ == "__main__":
    main()

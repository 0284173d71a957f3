"""Benchmark of the competence and learning pages at scale (issue 16, "Speed"): the demo
organisation of ``--people`` people, the demo's 40 competences, ``--levels`` registered per person
(1,000,000 at 50,000 people × 20), ``--courses`` courses (500) with one or two coming sessions each,
and the counters rebuilt; then each page, fetched in the process as the person who uses it, its p95.

    .venv/bin/python bench/competences.py [--people 50000] [--levels 20] [--courses 500]
                                          [--requests 30] [--database sqlite|postgres]

The pages: the employee's register, one registration, the education record, the competence and
course catalogues (the first page, a search, a competence's courses, page 10), a course; the
leader's team and a report's register; HR's overview of the whole organisation, of a directorate and
of a team, and its CSV. Also timed: the counters' rebuild of the million levels (the daily sweep's).

Targets: every page p95 ≤ 50 ms, the overview ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FreshDatabase, figure, start, write_figures  # noqa: E402 (after the path is set)

PAGE_TARGET = 50.0
OVERVIEW_TARGET = 150.0


def build(people: int, levels: int, courses: int) -> float:
    """The organisation, the catalogue and the registers; returns the counters' rebuild seconds."""
    from uuid import uuid4

    from django.utils import timezone

    from samtale.competences.counters import counters_rebuild
    from samtale.competences.models import Course, CourseSession, Registration
    from samtale.demo.competences import competence_catalogue_seed
    from samtale.demo.organisation import seed_demo
    from samtale.lib.bulk import insert_rows
    from samtale.org.models import Person

    seed_demo(employees=people)
    rng = random.Random(16)
    made = competence_catalogue_seed()
    competence_ids = [c.pk for c in made.values()]
    today = timezone.localdate()
    course_rows = [
        {
            "uuid": uuid4(),
            "code": f"C{i:04d}",
            "title": f"Kursus nummer {i}",
            "provider_kind": "internal",
            "provider": "Vesterby Akademi",
            "active": True,
            "created_at": timezone.now(),
        }
        for i in range(courses)
    ]
    ids = insert_rows(Course, course_rows, key="code")
    through = Course.competences.through
    insert_rows(
        through,
        [
            {"course_id": ids[row["code"]], "competence_id": competence_ids[i % len(competence_ids)]}
            for i, row in enumerate(course_rows)
        ],
    )
    sessions = []
    for i, row in enumerate(course_rows):
        for run in range(1 + i % 2):
            starts = today + timedelta(days=20 + (i * 7 + run * 30) % 200)
            sessions.append(
                {
                    "uuid": uuid4(),
                    "course_id": ids[row["code"]],
                    "starts_on": starts,
                    "ends_on": starts,
                    "place": "Rådhuset",
                    "online": False,
                    "seats": 20,
                    "registration_deadline": starts - timedelta(days=7),
                    "enrolled": 0,
                    "waiting": 0,
                }
            )
    insert_rows(CourseSession, sessions)
    person_ids = list(Person.objects.values_list("pk", flat=True))
    now = timezone.now()
    batch: list[dict[str, Any]] = []
    for person_id in person_ids:
        for competence_id in rng.sample(competence_ids, min(levels, len(competence_ids))):
            level = rng.randint(1, 6)
            batch.append(
                {
                    "uuid": uuid4(),
                    "person_id": person_id,
                    "competence_id": competence_id,
                    "employee_level": level,
                    "employee_at": now,
                    "leader_level": level if rng.random() < 0.8 else None,
                    "level": level,
                }
            )
        if len(batch) >= 100_000:
            insert_rows(Registration, batch)
            batch = []
    insert_rows(Registration, batch)
    started = time.perf_counter()
    counters_rebuild()
    return time.perf_counter() - started


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def pages(requests: int) -> dict[str, list[float]]:
    from django.test import Client
    from django.urls import reverse

    from samtale.competences.models import Competence, Course
    from samtale.demo.organisation import PERSONAS
    from samtale.org.models import Person, Unit

    def client_for(persona: str) -> Client:
        person = Person.objects.get(email=PERSONAS[persona].email)
        client = Client(SERVER_NAME="localhost")
        assert person.user is not None
        client.force_login(person.user)
        return client

    employee, leader, hr = client_for("employee"), client_for("leader"), client_for("hr")
    me = Person.objects.select_related("unit").get(email=PERSONAS["employee"].email)
    competence = Competence.objects.order_by("code").first()
    course = Course.objects.order_by("code")[250]
    root = Unit.objects.get(parent=None)
    directorate = Unit.objects.filter(parent=root).order_by("name").first()
    assert competence is not None and directorate is not None
    measured: list[tuple[str, Client, str, dict[str, str]]] = [
        ("the register", employee, reverse("competences:register", args=[me.uuid]), {}),
        ("one registration", employee, reverse("competences:registration", args=[me.uuid, competence.uuid]), {}),
        ("the education record", employee, reverse("competences:record", args=[me.uuid]), {}),
        ("the competence catalogue", employee, reverse("competences:catalogue"), {}),
        ("the course catalogue", employee, reverse("competences:courses"), {}),
        ("the course catalogue, a search", employee, reverse("competences:courses"), {"q": "nummer 12"}),
        (
            "the course catalogue, a competence",
            employee,
            reverse("competences:courses"),
            {"competence": str(competence.uuid)},
        ),
        ("the course catalogue, page 10", employee, reverse("competences:courses"), {"page": "10"}),
        ("a course", employee, reverse("competences:course", args=[course.uuid]), {}),
        ("the leader's team", leader, reverse("learning:team"), {}),
        ("a report's register", leader, reverse("competences:register", args=[me.uuid]), {}),
        ("the overview, the whole organisation", hr, reverse("learning:overview"), {}),
        ("the overview, a directorate", hr, reverse("learning:overview"), {"unit": str(directorate.uuid)}),
        ("the overview, a team", hr, reverse("learning:overview"), {"unit": str(me.unit.uuid)}),
        ("the overview as CSV", hr, reverse("learning:overview_export"), {}),
    ]
    times: dict[str, list[float]] = {}
    for name, client, url, query in measured:
        response = client.get(url, query)  # warm
        assert response.status_code == 200, (name, response.status_code)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url, query)
            samples.append((time.perf_counter() - started) * 1000)
        times[name] = samples
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--levels", type=int, default=20)
    parser.add_argument("--courses", type=int, default=500)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", help="append the figures to this JSON file (bench/run.py)")
    args = parser.parse_args()

    workdir = start(args.database)
    fresh = FreshDatabase(args.database, workdir)
    rebuilt: list[float] = []
    try:
        started = time.perf_counter()
        fresh.prepare(setup=lambda: rebuilt.append(build(args.people, args.levels, args.courses)))
        print(
            f"built: {args.people:,} people × {args.levels} levels, {args.courses} courses in "
            f"{time.perf_counter() - started:.1f} s (the counters rebuilt in {rebuilt[0]:.1f} s)"
        )
        fresh.reset()
        times = pages(args.requests)
    finally:
        fresh.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    figures = []
    for name, samples in times.items():
        target = OVERVIEW_TARGET if "overview" in name else PAGE_TARGET
        print(f"{name}: p50 {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms (target {target:.0f})")
        figures.append(
            figure(f"{name}, p95", [p95(samples)], unit="ms", database=args.database, people=args.people, target=target)
        )
    figures.append(
        figure(
            f"competence counters rebuilt ({args.people * args.levels:,} levels)",
            rebuilt,
            unit="s",
            database=args.database,
            people=args.people,
        )
    )
    write_figures(args.json, figures)


if __name__ == "__main__":
    main()

"""The personas and ``make_*`` helpers every test uses, so that access is always exercised
from each side: the employee, their leaders, the people beside them, and strangers.

The organisation of the personas (``build_org``)::

    Kommunen (KOM)                 leader: director
    ├── Økonomi (OKO)              leader: head            (reports to director)
    │   ├── Løn (LON)              leader: leader          (reports to head)
    │   │     employee, colleague, union_rep, daily_leader (all report to leader;
    │   │     daily_leader is the employee's daily leader)
    │   └── Regnskab (REG)         leader: former_leader   (reports to head; was the employee's leader)
    ├── Børn (BOR)                 leader: other_head      (reports to director)
    │     outsider, regional_hr    (report to other_head; regional_hr is HR for Børn only)
    └── HR (HRA)                   led by director; hr     (HR for the whole organisation, reports to director)

    admin: a superuser who is not a person. union_rep represents Økonomi.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client

from samtale.accounts.models import User
from samtale.org.models import ChangeSource, EmploymentType, Person, PlacementChange, Role, RoleKind, Unit
from samtale.org.services import unit_tree_rebuild

PASSWORD = "Samtale-test-1234"  # noqa: S105 (the test personas' password)
# The hasher every test runs with: Django's default takes most of a second for each password.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_numbers = itertools.count(1000)


def make_unit(code: str, name: str | None = None, *, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.create(code=code, name=name or code, parent=parent, path="")
    unit_tree_rebuild()
    unit.refresh_from_db()
    return unit


def make_person(
    name: str,
    *,
    unit: Unit,
    leader: Person | None = None,
    daily_leader: Person | None = None,
    employment_type: str = EmploymentType.PERMANENT,
    job_title: str = "",
    email: str | None = None,
    end_date: date | None = None,
    password: str | None = PASSWORD,
    language: str = "da",
    leads: Unit | None = None,
) -> Person:
    number = str(next(_numbers))
    email = email or f"{number}@test.example"
    user = User.objects.create_user(email, password, name=name, language=language)
    person = Person.objects.create(
        employee_number=number,
        name=name,
        email=email,
        unit=unit,
        job_title=job_title,
        employment_type=employment_type,
        personnel_leader=leader,
        daily_leader=daily_leader,
        end_date=end_date,
        user=user,
    )
    if leads is not None:
        leads.leader = person
        leads.save(update_fields=["leader"])
    return person


def make_role(person: Person, kind: str, *units: Unit, region: str = "") -> Role:
    role = Role.objects.create(person=person, kind=kind, region=region)
    role.units.set(units)
    return role


@dataclass
class Org:
    root: Unit
    economy: Unit
    payroll: Unit
    accounting: Unit
    children: Unit
    hr_unit: Unit
    director: Person
    head: Person
    leader: Person
    former_leader: Person
    employee: Person
    colleague: Person
    union_rep: Person
    daily_leader: Person
    other_head: Person
    outsider: Person
    regional_hr: Person
    hr: Person
    admin: User

    PERSONAS = (
        "employee",
        "leader",
        "former_leader",
        "head",
        "director",
        "daily_leader",
        "union_rep",
        "hr",
        "regional_hr",
        "colleague",
        "outsider",
        "admin",
    )

    def user(self, persona: str) -> User:
        value = getattr(self, persona)
        return value if isinstance(value, User) else value.user

    def client(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.user(persona))
        return client


def build_org() -> Org:
    root = make_unit("KOM", "Kommunen")
    economy = make_unit("OKO", "Økonomi", parent=root)
    payroll = make_unit("LON", "Løn", parent=economy)
    accounting = make_unit("REG", "Regnskab", parent=economy)
    children = make_unit("BOR", "Børn", parent=root)
    hr_unit = make_unit("HRA", "HR", parent=root)

    director = make_person("Dora Direktør", unit=root, leads=root, job_title="Direktør")
    head = make_person("Hans Afdelingschef", unit=economy, leader=director, leads=economy)
    leader = make_person("Lise Leder", unit=payroll, leader=head, leads=payroll)
    former_leader = make_person("Frode Førleder", unit=accounting, leader=head, leads=accounting)
    daily_leader = make_person("Dagny Daglig", unit=payroll, leader=leader)
    employee = make_person("Emil Ærø", unit=payroll, leader=leader, daily_leader=daily_leader)
    colleague = make_person("Kåre Kollega", unit=payroll, leader=leader)
    union_rep = make_person("Tove Tillid", unit=payroll, leader=leader)
    other_head = make_person("Olga Børnechef", unit=children, leader=director, leads=children)
    outsider = make_person("Ulla Udenfor", unit=children, leader=other_head)
    regional_hr = make_person("Rita Regional", unit=children, leader=other_head)
    hr = make_person("Hanne HR", unit=hr_unit, leader=director)
    admin = User.objects.create_superuser("admin@test.example", PASSWORD, name="Admin")

    hr_unit.leader = director  # HR is led from the top
    hr_unit.save(update_fields=["leader"])

    make_role(hr, RoleKind.HR, region="Hele kommunen")
    make_role(regional_hr, RoleKind.HR, children, region="Børn")
    make_role(union_rep, RoleKind.UNION_REP, economy)

    # The employee was led by former_leader until recently.
    PlacementChange.objects.create(
        person=employee,
        field="personnel_leader",
        old_id=former_leader.pk,
        new_id=leader.pk,
        old_label=former_leader.name,
        new_label=leader.name,
        source=ChangeSource.MANUAL,
    )
    return Org(
        root=root,
        economy=economy,
        payroll=payroll,
        accounting=accounting,
        children=children,
        hr_unit=hr_unit,
        director=director,
        head=head,
        leader=leader,
        former_leader=former_leader,
        employee=employee,
        colleague=colleague,
        union_rep=union_rep,
        daily_leader=daily_leader,
        other_head=other_head,
        outsider=outsider,
        regional_hr=regional_hr,
        hr=hr,
        admin=admin,
    )


def grow_org(org: Org, size: int) -> None:
    """More people, units, roles and leader history in every part the pages touch: ``size`` teams,
    each with a leader and three people, and three more people in Løn for each (for the tests that
    a page makes the same queries for a bigger organisation)."""
    for index in range(size):
        team = make_unit(f"T{index}", f"Team {index}", parent=org.economy if index % 2 else org.children)
        lead = make_person(f"Leder {index}", unit=team, leader=org.leader, leads=team)
        for member in range(3):
            make_person(f"Medarbejder {index}-{member}", unit=org.payroll, leader=org.leader)
            make_person(f"Person {index}-{member}", unit=team, leader=lead, daily_leader=org.daily_leader)
        if index % 3 == 0:
            make_role(lead, RoleKind.UNION_REP, team)
            make_role(lead, RoleKind.HR, team)


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """A CSV file as an HR system would export it."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode(encoding)


@dataclass
class Mus:
    """A launched round over the personas' organisation, with the employee's conversation."""

    round: Any
    concept: Any
    conversation: Any  # the employee's
    colleague_conversation: Any
    unit_round: Any  # the round in Løn, the employee's unit


def working_day(days: int = 7) -> date:
    """The first day from Monday to Friday at least ``days`` days from today. The forms that book
    a conversation ask before they book a weekend day, so a test about something else books a
    weekday, whatever day the suite runs on."""
    from datetime import timedelta

    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def weekend_day(days: int = 7) -> date:
    """The first Saturday or Sunday at least ``days`` days from today."""
    from datetime import timedelta

    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() < 5:
        day += timedelta(days=1)
    return day


def build_round(org: Org, *, name: str = "MUS-2027") -> Mus:
    from datetime import timedelta

    from django.utils import timezone

    from samtale.access.viewer import viewer_for
    from samtale.conversations.models import Conversation
    from samtale.conversations.services.invitation import round_launch
    from samtale.rounds.defaults import default_concept_ensure
    from samtale.rounds.models import UnitRound
    from samtale.rounds.services.rounds import round_create

    hr = viewer_for(org.user("hr"))
    concept = default_concept_ensure()
    today = timezone.localdate()
    round_ = round_create(
        viewer=hr, name=name, concept=concept, opens_on=today, held_by=today + timedelta(days=90), units=[org.root]
    )
    round_launch(viewer=hr, round_=round_)
    unit_round, _created = UnitRound.objects.get_or_create(round=round_, unit=org.payroll)
    return Mus(
        round=round_,
        concept=concept,
        conversation=Conversation.objects.get(round=round_, employee=org.employee),
        colleague_conversation=Conversation.objects.get(round=round_, employee=org.colleague),
        unit_round=unit_round,
    )


def launch_demo_round(*, name: str = "MUS-2027") -> Any:
    """A launched round over the whole demo organisation (``seed_demo``), as HR would make it."""
    from datetime import timedelta

    from django.utils import timezone

    from samtale.access.viewer import viewer_for
    from samtale.conversations.services.invitation import round_launch
    from samtale.demo.organisation import PERSONAS
    from samtale.rounds.defaults import default_concept_ensure
    from samtale.rounds.services.rounds import round_create

    hr_user = User.objects.get(email=PERSONAS["hr"].email)
    hr = viewer_for(hr_user)
    today = timezone.localdate()
    round_ = round_create(
        viewer=hr,
        name=name,
        concept=default_concept_ensure(),
        opens_on=today,
        held_by=today + timedelta(days=90),
        units=[Unit.objects.get(parent=None)],
    )
    round_launch(viewer=hr, round_=round_)
    return round_


def remove_signed_rows() -> None:
    """Delete every plan version and signature, with the database's guard lifted for a moment.

    Signed means frozen, in the database too (plans migration 0002): SQLite's flush after a
    transactional test deletes row by row, which the guard refuses for signatures and signed
    versions. Tests only; the guard is back before this returns."""
    import importlib

    from django.apps import apps as django_apps
    from django.db import connection

    from samtale.plans.models import PlanVersion, Signature

    if not Signature.objects.exists() and not PlanVersion.objects.exclude(content_hash="").exists():
        return
    frozen = importlib.import_module("samtale.plans.migrations.0002_signed_means_frozen")
    with connection.schema_editor() as editor:
        frozen.drop(django_apps, editor)
    try:
        Signature.objects.all().delete()
        PlanVersion.objects.update(amends=None)  # an amendment protects the version it amends
        PlanVersion.objects.all().delete()
    finally:
        with connection.schema_editor() as editor:
            frozen.create(django_apps, editor)

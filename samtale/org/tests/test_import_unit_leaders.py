"""Who leads a unit after an import. Leading a unit puts a person in the leader chain of everyone in
it and below it (docs/trust.md § Access matrix), so the import never makes a peer or someone below
them a unit's leader; HR's own choice, and a leader the file names, are kept."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.org.importing.apply import organisation_import
from samtale.org.models import MAX_DEPTH, Person, Unit
from samtale.org.services import unit_set_leader
from samtale.testing import csv_bytes
from samtale.testing.import_files import (
    COLUMN_NAMES,
    import_plan_for,
    new_record,
    org_file,
    org_records,
    record,
)

WITH_UNIT_LEADER = [*COLUMN_NAMES[:6], "unit_leader_number", *COLUMN_NAMES[6:]]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def records(org):
    return org_records()


def run_import(content: bytes, actor=None):
    return organisation_import(content=content, file_name="organisation.csv", actor=actor)


def test_a_team_leader_who_leads_the_most_members_does_not_become_the_head_s_unit_leader(org, records):
    """A department holding its head, two team leaders and their people is led by the head."""
    head = new_record(
        "700",
        "Hedda Head",
        unit="DEP",
        unit_name="Afdeling",
        parent_unit_code="KOM",
        leader=org.director.employee_number,
    )
    t1 = new_record("701", "Tina Team", unit="DEP", unit_name="Afdeling", parent_unit_code="KOM", leader="700")
    t2 = new_record("702", "Tom Team", unit="DEP", unit_name="Afdeling", parent_unit_code="KOM", leader="700")
    staff = [
        new_record(
            str(710 + i),
            f"S{i}",
            unit="DEP",
            unit_name="Afdeling",
            parent_unit_code="KOM",
            leader="701" if i < 6 else "702",
        )
        for i in range(11)
    ]
    outcome = run_import(org_file([*records, head, t1, t2, *staff]))

    assert outcome.applied, outcome.plan.errors
    unit = Unit.objects.get(code="DEP")
    assert unit.leader.employee_number == "700"
    tina = viewer_for(Person.objects.get(employee_number="701").user)
    hedda = Person.objects.select_related("unit").get(employee_number="700")
    tom = Person.objects.select_related("unit").get(employee_number="702")
    assert Relation.CHAIN not in relations_to(tina, hedda)
    assert Relation.CHAIN not in relations_to(tina, tom)


def test_a_unit_of_one_person_is_led_by_their_leader(org, records):
    records.append(
        new_record(
            "700", "Ene Alene", unit="ONE", unit_name="En", parent_unit_code="KOM", leader=org.director.employee_number
        )
    )
    run_import(org_file(records))
    assert Unit.objects.get(code="ONE").leader == org.director


def test_the_file_may_name_each_unit_s_leader(org, records):
    for row in records:
        row["unit_leader_number"] = org.daily_leader.employee_number if row["unit_code"] == "LON" else ""
    outcome = run_import(org_file(records, columns=WITH_UNIT_LEADER))

    assert outcome.applied, outcome.plan.errors
    assert Unit.objects.get(code="LON").leader == org.daily_leader
    event = AuditEvent.objects.get(action="org.unit_leader_changed")
    assert (event.target_id, event.data["to"]) == (str(org.payroll.uuid), org.daily_leader.employee_number)


def test_a_unit_leader_who_is_not_in_the_file_or_differs_between_rows_is_an_error(org, records):
    for row in records:
        row["unit_leader_number"] = "99999" if row["employee_number"] == org.employee.employee_number else ""
    record(records, org.colleague.employee_number)["unit_leader_number"] = org.leader.employee_number
    plan = import_plan_for(org_file(records, columns=WITH_UNIT_LEADER))

    messages = [message for _line, message in plan.errors]
    assert any("99999 is not in the file" in m for m in messages)
    assert any("Unit LON is led by" in m for m in messages)


def test_hr_s_own_choice_of_leader_survives_a_reimport_until_the_file_names_another(org, records):
    unit_set_leader(viewer=viewer_for(org.hr.user), unit=org.payroll, leader=org.daily_leader)
    outcome = run_import(org_file(records))
    assert outcome.plan.unit_leaders == {}
    assert Unit.objects.get(code="LON").leader == org.daily_leader

    for row in records:
        row["unit_leader_number"] = org.leader.employee_number if row["unit_code"] == "LON" else ""
    run_import(org_file(records, columns=WITH_UNIT_LEADER))
    unit = Unit.objects.get(code="LON")
    assert (unit.leader, unit.leader_set_by_hand) == (org.leader, False)


def test_unit_moves_renames_and_new_leaders_are_shown_before_and_audited_after(org, records):
    for row in records:
        if row["unit_code"] == "REG":
            row["parent_unit_code"] = "KOM"
            row["unit_name"] = "Regnskab og Revision"
    plan = import_plan_for(org_file(records))
    [changed] = plan.preview()["units_changed"]
    assert changed["code"] == "REG"
    assert ["name", "Regnskab", "Regnskab og Revision"] in changed["changes"]
    assert ["parent unit", "OKO", "KOM"] in changed["changes"]

    run_import(org_file(records), actor=org.hr.user)
    actions = set(AuditEvent.objects.filter(target_id=str(org.accounting.uuid)).values_list("action", flat=True))
    assert {"org.unit_moved", "org.unit_renamed"} <= actions


def test_the_preview_names_the_units_that_get_a_new_leader(org, records):
    record(records, org.employee.employee_number)["personnel_leader_number"] = org.former_leader.employee_number
    plan = import_plan_for(org_file(records))
    assert plan.preview()["unit_leaders"] == [
        {
            "code": "LON",
            "name": "Løn",
            "old": f"Lise Leder ({org.leader.employee_number})",
            "new": f"Hans Afdelingschef ({org.head.employee_number})",
        }
    ]


def test_someone_back_in_a_file_without_end_dates_is_employed_again(org, records):
    from datetime import timedelta

    from django.utils import timezone

    Person.objects.filter(pk=org.colleague.pk).update(end_date=timezone.localdate() - timedelta(days=30))
    columns = [c for c in COLUMN_NAMES if c != "end_date"]
    outcome = run_import(org_file(records, columns=columns))

    assert outcome.applied, outcome.plan.errors
    assert Person.objects.get(pk=org.colleague.pk).end_date is None


def test_a_tree_deeper_than_samtale_holds_is_refused_on_its_line(org, records):
    parent = "KOM"
    for level in range(MAX_DEPTH + 1):
        records.append(
            new_record(
                str(800 + level),
                f"P{level}",
                unit=f"D{level}",
                unit_name=f"Niveau {level}",
                parent_unit_code=parent,
                leader=org.director.employee_number,
            )
        )
        parent = f"D{level}"
    plan = import_plan_for(org_file(records))
    assert not plan.ok
    assert any("levels down" in message for _line, message in plan.errors)


@st.composite
def org_rows(draw: st.DrawFn) -> list[list[str]]:
    """A random organisation file: units in a random tree, people in random units, each led by
    someone before them (or nobody)."""
    units = draw(st.integers(min_value=1, max_value=6))
    parents = [""] + [f"U{draw(st.integers(min_value=0, max_value=i - 1))}" for i in range(1, units)]
    people = draw(st.integers(min_value=units, max_value=units + 10))
    rows = []
    for index in range(people):
        leader = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=index - 1))) if index else None
        # Units appear in an HR file through the people in them: each gets at least one.
        unit = index if index < units else draw(st.integers(min_value=0, max_value=units - 1))
        rows.append(
            [
                str(1000 + index),
                f"P{index}",
                f"p{index}@example.dk",
                f"U{unit}",
                f"Unit {unit}",
                parents[unit],
                "permanent",
                "" if leader is None else str(1000 + leader),
            ]
        )
    return rows


HEADER = [
    "employee_number",
    "name",
    "email",
    "unit_code",
    "unit_name",
    "parent_unit_code",
    "employment_type",
    "personnel_leader_number",
]


class DerivedUnitLeaders(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(org_rows())
    def test_a_derived_unit_leader_is_above_everyone_in_and_below_the_unit(self, rows: list[list[str]]) -> None:
        outcome = organisation_import(content=csv_bytes([HEADER, *rows]), file_name="o.csv", actor=None)
        assert outcome.applied, outcome.plan.errors
        leader_of = {row[0]: row[7] or None for row in rows}

        def line(number: str) -> set[str]:
            seen: set[str] = set()
            node: str | None = number
            while node is not None:
                seen.add(node)
                node = leader_of[node]
            return seen

        for unit in Unit.objects.select_related("leader"):
            if unit.leader is None:
                continue
            below = Person.objects.filter(unit__path__startswith=unit.path).values_list("employee_number", flat=True)
            for number in below:
                assert unit.leader.employee_number in line(number), (unit.code, number, rows)

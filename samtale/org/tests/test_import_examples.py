"""The example HR exports in examples/ against the demo organisation: the file with mistakes is
refused with each mistake on its line, and the corrected file applies cleanly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from samtale.demo.organisation import PERSONAS, seed_demo
from samtale.org.exporting import organisation_rows
from samtale.org.importing.apply import organisation_import
from samtale.org.models import Person, RoleKind, Unit
from samtale.testing import csv_bytes
from samtale.testing.import_files import people_state, stored_counts

EXAMPLES = Path(settings.BASE_DIR) / "examples"


@pytest.fixture
def demo(db):
    seed_demo(employees=300)
    with translation.override("en"):
        yield


def run_import(name: str, **options):
    return organisation_import(content=(EXAMPLES / name).read_bytes(), file_name=name, actor=None, **options)


def test_the_files_are_written_as_excel_writes_them():
    for name in ("hr-eksport.csv", "hr-eksport-med-fejl.csv"):
        content = (EXAMPLES / name).read_bytes()
        assert content.startswith("\ufeffMedarbejdernummer;Navn;E-mail;".encode())
        assert b"\r\n" in content


def test_the_file_with_mistakes_is_refused_with_every_mistake_on_its_line(demo):
    before, state = stored_counts(), people_state()

    outcome = run_import("hr-eksport-med-fejl.csv")

    assert not outcome.applied
    assert outcome.plan.errors == [
        (155, "Personaleleder 10310 is not in the file."),
        (213, "Employee number 10212 is also on line 212."),
        (296, outcome.plan.errors[2][1]),
        (303, "Navn is empty, but it is required."),
        (304, "“mikkel.holm@vesterby,example” is not a valid e-mail address."),
        (305, "Startdato: 30-02-2027 is not a real date."),
    ]
    assert outcome.plan.errors[2][1].startswith("Unknown employment type “Timelønnet”.")
    assert stored_counts() == before
    assert people_state() == state


def test_the_corrected_file_applies_cleanly_with_the_hires_moves_and_leavers(demo):
    hr = Person.objects.get(email=PERSONAS["hr"].email)

    outcome = run_import("hr-eksport.csv")

    assert outcome.applied, outcome.plan.errors
    summary = outcome.plan.summary()
    assert (summary["rows"], summary["created"], summary["ended"], summary["units_created"]) == (304, 4, 2, 1)
    # 3 moves, a leader, a surname, a daily leader; in another year than the files were written,
    # the demo's temporary employments also end on other dates than the file says.
    changes = [set(change.fields) - {"end_date"} for _id, _row, change in outcome.plan.change]
    assert len([fields for fields in changes if fields]) == 6
    # Each new hire is invited, except one whose employment in the file has already ended (the
    # temporary one ends 31 December 2027).
    today = timezone.localdate()
    created = [row.values.get("end_date") for row in outcome.plan.create]
    assert outcome.invitations == len([end for end in created if end is None or end >= today])
    assert outcome.invitations == (4 if today <= date(2027, 12, 31) else 3)
    team = Unit.objects.get(code="VK-5.2.4")
    assert (team.name, team.parent.code, team.leader.employee_number) == ("Team Digital Post", "VK-5.2", "10301")
    moved = Person.objects.get(employee_number="10154")
    assert (moved.unit, moved.personnel_leader.employee_number) == (team, "10301")
    assert Person.objects.get(employee_number="10082").unit.code == "VK-2.2.2"
    assert Person.objects.get(employee_number="10296").daily_leader.employee_number == "10122"
    assert Person.objects.get(employee_number="10244").name.endswith(" Friis")  # a new surname
    for number in ("10259", "10185"):
        assert Person.objects.get(employee_number=number).end_date == timezone.localdate()
    hr.refresh_from_db()
    assert hr.end_date is None
    assert hr.roles.filter(kind=RoleKind.HR, units__isnull=True).exists()

    again = run_import("hr-eksport.csv")
    assert not again.plan.has_changes


def test_the_corrected_file_is_the_demo_as_exported_plus_the_intended_changes(demo):
    # The demo exported and imported again changes nothing, so the file's changes are its own.
    exported = csv_bytes(list(organisation_rows(danish_headings=True)), delimiter=";")

    outcome = organisation_import(content=exported, file_name="demo.csv", actor=None)

    assert outcome.applied
    assert not outcome.plan.has_changes

"""`manage.py import_org FILE [--dry-run]`: the same import from the command line, with every
bad line reported as file:line and a failing exit when nothing was imported."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from samtale.org.models import Person
from samtale.outbox.models import OutboxMessage
from samtale.testing.import_files import (
    DANISH,
    new_record,
    org_file,
    org_records,
    people_state,
    record,
    stored_counts,
    xlsx_file,
)


@pytest.fixture
def records(org):
    return org_records()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_org", *args, "--language", "en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def a_good_file(org, records, tmp_path, **options):
    records.append(new_record("880001", "Nina Nyborg", leader=org.leader.employee_number))
    record(records, org.employee.employee_number)["personnel_leader_number"] = org.former_leader.employee_number
    records.remove(record(records, org.outsider.employee_number))
    path = tmp_path / "organisation.csv"
    path.write_bytes(org_file(records, **options))
    return path


def test_a_dry_run_shows_what_would_change_and_writes_nothing(org, records, tmp_path):
    path = a_good_file(org, records, tmp_path)
    before, state = stored_counts(), people_state()

    out, err = run(str(path), "--dry-run")

    assert out.strip() == (
        "12 rows. Would be created: 1 people and 0 units; changed: 1 people and 0 units; ended: 1; "
        "unchanged: 10. Nothing was written (--dry-run)."
    )
    assert err == ""
    assert stored_counts() == before
    assert people_state() == state


def test_the_command_applies_a_good_file_and_queues_invitations(org, records, tmp_path):
    path = a_good_file(org, records, tmp_path, headings=DANISH, delimiter=";", bom=True)

    out, _err = run(str(path))

    assert "Created: 1 people and 0 units; changed: 1 people and 0 units; ended: 1; unchanged: 10." in out
    assert "1 invitation is in the outbox." in out
    assert Person.objects.get(employee_number="880001").personnel_leader == org.leader
    assert Person.objects.get(pk=org.employee.pk).personnel_leader == org.former_leader
    assert Person.objects.get(pk=org.outsider.pk).end_date == timezone.localdate()
    assert OutboxMessage.objects.filter(kind="accounts.invitation").count() == 1


def test_the_command_can_leave_out_the_invitations(org, records, tmp_path):
    path = a_good_file(org, records, tmp_path)

    out, _err = run(str(path), "--no-invitations")

    assert "invitations" not in out
    assert not OutboxMessage.objects.exists()
    assert Person.objects.get(employee_number="880001").user is not None


def test_running_the_command_twice_changes_nothing_the_second_time(org, records, tmp_path):
    path = a_good_file(org, records, tmp_path)
    run(str(path))
    state = people_state()
    counts = stored_counts()

    out, _err = run(str(path))

    assert "Created: 0 people and 0 units; changed: 0 people and 0 units; ended: 0; unchanged: 12." in out
    assert people_state() == state
    assert {**stored_counts(), "audit": 0} == {**counts, "audit": 0}


def test_bad_lines_are_reported_as_file_and_line_and_nothing_is_written(org, records, tmp_path):
    records += [
        new_record("880001", "Nina", email="nina"),
        new_record("880002", "Otto", employment_type="konsulent"),
    ]
    path = tmp_path / "hr.csv"
    path.write_bytes(org_file(records))
    before, state = stored_counts(), people_state()
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_org", str(path), "--language", "en", stdout=out, stderr=err)

    assert str(raised.value) == "2 errors; nothing was imported."
    lines = err.getvalue().splitlines()
    assert lines[0] == "hr.csv:14: “nina” is not a valid e-mail address."
    assert lines[1].startswith("hr.csv:15: Unknown employment type “konsulent”.")
    assert stored_counts() == before
    assert people_state() == state


def test_a_dry_run_of_a_bad_file_fails_too(org, records, tmp_path):
    records.append(new_record("880001", "Nina", start_date="31-02-2026"))
    path = tmp_path / "hr.csv"
    path.write_bytes(org_file(records))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_org", str(path), "--dry-run", "--language", "en", stdout=StringIO(), stderr=err)

    assert err.getvalue() == "hr.csv:14: start_date: 31-02-2026 is not a real date.\n"


def test_an_xlsx_file_is_imported(org, records, tmp_path):
    from samtale.testing.import_files import COLUMN_NAMES

    records.append(new_record("880001", "Nina Nyborg", leader=org.leader.employee_number))
    path = tmp_path / "organisation.xlsx"
    path.write_bytes(xlsx_file([COLUMN_NAMES, *[[r[c] for c in COLUMN_NAMES] for r in records]]))

    out, _err = run(str(path))

    assert "Created: 1 people" in out
    assert Person.objects.filter(employee_number="880001").exists()


def test_a_fake_xlsx_gives_a_clear_error(org, tmp_path):
    path = tmp_path / "organisation.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip" * 10)

    with pytest.raises(CommandError) as raised:
        run(str(path))

    assert str(raised.value) == "The file is not a valid Excel (.xlsx) file. Save it again from Excel, or as CSV."


def test_a_missing_file_gives_a_clear_error(org, tmp_path):
    with pytest.raises(CommandError) as raised:
        run(str(tmp_path / "nowhere.csv"))

    assert "nowhere.csv: No such file or directory" in str(raised.value)


def test_a_file_over_the_limit_is_refused(org, records, tmp_path, settings):
    settings.SAMTALE_IMPORT_MAX_ROWS = 5
    path = tmp_path / "organisation.csv"
    path.write_bytes(org_file(records))

    with pytest.raises(CommandError) as raised:
        run(str(path))

    assert str(raised.value) == "The file has more than 5 rows, which is the limit."


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(org, records, tmp_path, settings):
    settings.SAMTALE_IMPORT_MAX_BYTES = 1024 * 1024
    path = tmp_path / "organisation.csv"
    path.write_bytes(org_file(records) + b"\n" * (2 * 1024 * 1024))

    with pytest.raises(CommandError) as raised:
        run(str(path))

    assert str(raised.value) == "The file is 2.0 MB; the limit is 1 MB."


def test_the_command_asks_for_confirmation_before_ending_many_people(org, records, tmp_path):
    from samtale.testing import make_person

    for index in range(10):
        make_person(f"Ekstra {index}", unit=org.payroll, leader=org.leader)
    path = tmp_path / "old.csv"
    path.write_bytes(org_file(records))
    with pytest.raises(CommandError) as raised:
        run(str(path))
    assert "--confirm-endings" in str(raised.value)
    assert Person.objects.filter(name__startswith="Ekstra", end_date__isnull=True).count() == 10
    out, _err = run(str(path), "--confirm-endings")
    assert "ended: 10" in out

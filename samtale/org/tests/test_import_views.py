"""The import as HR uses it in the browser: upload, preview, apply once, discard, the error
page, the export, and 404 for everyone who is not HR for the whole organisation."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from samtale.audit.models import AuditEvent
from samtale.org.importing.apply import organisation_import
from samtale.org.models import ImportRun, ImportStatus, Person
from samtale.outbox.models import OutboxMessage
from samtale.testing.import_files import (
    line_of,
    new_record,
    org_file,
    org_records,
    people_state,
    record,
    stored_counts,
)

STRANGERS = ["employee", "leader", "regional_hr", "director", "union_rep", "admin"]


@pytest.fixture
def hr(org):
    user = org.hr.user
    user.language = "en"
    user.save()
    return org.client("hr")


@pytest.fixture
def records(org):
    return org_records()


def upload(client, content: bytes, name: str = "organisation.csv", *, invitations: bool = True):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if invitations:
        data["send_invitations"] = "on"
    return client.post(reverse("org:import"), data)


def a_good_file(org, records) -> bytes:
    records.append(new_record("880001", "Nina Nyborg", leader=org.leader.employee_number))
    record(records, org.employee.employee_number)["personnel_leader_number"] = org.former_leader.employee_number
    records.remove(record(records, org.outsider.employee_number))
    return org_file(records)


def previewed_run(org, hr, content: bytes) -> ImportRun:
    response = upload(hr, content)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("org:import_run", args=[run.uuid])
    return run


def run_urls(run: ImportRun) -> list[tuple[str, str]]:
    return [
        ("get", reverse("org:import_run", args=[run.uuid])),
        ("post", reverse("org:import_apply", args=[run.uuid])),
        ("post", reverse("org:import_discard", args=[run.uuid])),
    ]


def test_hr_sees_the_import_page_with_the_columns(org, hr):
    response = hr.get(reverse("org:import"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "medarbejdernummer" in content
    assert "personnel_leader_number" in content
    assert 'enctype="multipart/form-data"' in content


def test_hr_sees_the_preview_with_counts_and_nothing_changes_yet(org, hr, records):
    before, state = stored_counts(), people_state()

    run = previewed_run(org, hr, a_good_file(org, records))
    response = hr.get(reverse("org:import_run", args=[run.uuid]))

    assert run.status == ImportStatus.PREVIEWED
    assert run.summary["created"] == 1
    assert run.summary["changed"] == 1
    assert run.summary["ended"] == 1
    assert run.summary["unchanged"] == 10
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nina Nyborg" in page
    assert "Ulla Udenfor" in page
    assert "personnel leader" in page
    assert "Apply the changes" in page
    # The summary and the button first, the details below them (a large file's details are long).
    assert page.index("Apply the changes") < page.index('id="created-heading"')
    compact = "".join(page.split())
    assert "<dt>Newpeople</dt><dd>1</dd>" in compact
    assert "<dt>Changedpeople</dt><dd>1</dd>" in compact
    assert "<dt>Peoplewhogetanenddate</dt><dd>1</dd>" in compact
    assert "<dt>Unchangedpeople</dt><dd>10</dd>" in compact
    assert people_state() == state
    assert {**stored_counts(), "audit": 0} == {**before, "audit": 0}
    assert AuditEvent.objects.filter(action="org.import_previewed").count() == 1


def test_applying_applies_the_file_and_keeps_no_copy_of_it(org, hr, records):
    run = previewed_run(org, hr, a_good_file(org, records))

    response = hr.post(reverse("org:import_apply", args=[run.uuid]), follow=True)

    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert run.applied_at is not None
    assert run.content is None
    assert run.summary["invitations"] == 1
    assert Person.objects.get(employee_number="880001").personnel_leader == org.leader
    assert Person.objects.get(pk=org.outsider.pk).end_date == timezone.localdate()
    assert OutboxMessage.objects.filter(kind="accounts.invitation").count() == 1
    page = response.content.decode()
    assert "The organisation is updated." in page
    assert "1 invitation is on its way by e-mail." in page


def test_a_form_posted_twice_applies_once_and_tells_the_user(org, hr, records):
    run = previewed_run(org, hr, a_good_file(org, records))
    hr.post(reverse("org:import_apply", args=[run.uuid]))
    after_first = stored_counts(), people_state()

    response = hr.post(reverse("org:import_apply", args=[run.uuid]), follow=True)

    assert (stored_counts(), people_state()) == after_first
    assert "This file has already been applied or discarded." in response.content.decode()
    assert AuditEvent.objects.filter(action="org.import_applied").count() == 1
    assert Person.objects.filter(employee_number="880001").count() == 1


def test_a_preview_that_no_longer_fits_the_organisation_is_not_applied(org, hr, records):
    run = previewed_run(org, hr, a_good_file(org, records))
    # Meanwhile someone else takes the new person's e-mail address.
    Person.objects.filter(pk=org.outsider.pk).update(email="880001@new.example")
    before, state = stored_counts(), people_state()

    response = hr.post(reverse("org:import_apply", args=[run.uuid]), follow=True)

    run.refresh_from_db()
    assert run.status == ImportStatus.REJECTED
    assert run.errors[0]["line"] == line_of(records, "880001")
    assert stored_counts() == before
    assert people_state() == state
    assert "the file no longer fits" in response.content.decode()


def test_discarding_changes_nothing_and_cannot_be_applied_afterwards(org, hr, records):
    run = previewed_run(org, hr, a_good_file(org, records))
    before, state = stored_counts(), people_state()

    response = hr.post(reverse("org:import_discard", args=[run.uuid]), follow=True)

    run.refresh_from_db()
    assert run.status == ImportStatus.DISCARDED
    assert run.content is None
    assert "The file is discarded. Nothing was imported." in response.content.decode()
    assert people_state() == state

    again = hr.post(reverse("org:import_apply", args=[run.uuid]), follow=True)
    assert "This file has already been applied or discarded." in again.content.decode()
    assert people_state() == state
    assert stored_counts() == {**before, "audit": before["audit"] + 1}  # the discard


def test_the_error_page_lists_every_bad_line(org, hr, records):
    records += [
        new_record("880001", "Nina", email="nina(at)example.dk"),
        new_record("880002", "Otto", start_date="31-02-2026"),
        new_record("880003", "Pia", leader="9999"),
    ]
    before, state = stored_counts(), people_state()

    run = previewed_run(org, hr, org_file(records))
    response = hr.get(reverse("org:import_run", args=[run.uuid]))

    assert run.status == ImportStatus.REJECTED
    assert run.content is None
    assert [error["line"] for error in run.errors] == [14, 15, 16]
    page = response.content.decode()
    assert "The file has 3 errors. Nothing was imported." in page
    for line in (14, 15, 16):
        assert f"<td>{line}</td>" in page
    assert "31-02-2026 is not a real date." in page
    assert "personnel_leader_number 9999 is not in the file." in page
    assert "Apply the changes" not in page
    assert people_state() == state
    assert {k: v for k, v in stored_counts().items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }


def test_a_rejected_file_cannot_be_applied(org, hr, records):
    records.append(new_record("880001", "Nina", email="nina"))
    run = previewed_run(org, hr, org_file(records))
    state = people_state()

    response = hr.post(reverse("org:import_apply", args=[run.uuid]), follow=True)

    assert "This file has already been applied or discarded." in response.content.decode()
    assert people_state() == state


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("organisation.xlsx", b"this is not a spreadsheet at all" * 20, "The file is not a valid Excel (.xlsx) file."),
        ("organisation.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4, "The file is not a valid Excel (.xlsx) file."),
        ("organisation.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "Old Excel files (.xls) cannot be read."),
        ("organisation.csv", b"\xef\xbb\xbf\r\n", "The file is empty."),
        ("organisation.csv", b"\x00\x01binary" * 10, "This is not a text file."),
    ],
)
def test_a_file_that_cannot_be_read_gives_a_clear_error_page(org, hr, name, content, message):
    run = previewed_run(org, hr, content) if name.endswith(".csv") else None
    if run is None:
        response = upload(hr, content, name)
        assert response.status_code == 302
        run = ImportRun.objects.get()

    page = hr.get(reverse("org:import_run", args=[run.uuid]))

    assert run.status == ImportStatus.REJECTED
    assert page.status_code == 200
    assert message in page.content.decode()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(org, hr, records, settings):
    settings.SAMTALE_IMPORT_MAX_BYTES = 1024 * 1024
    content = org_file(records) + b"\n" * (1024 * 1024)

    response = upload(hr, content)

    assert response.status_code == 400
    assert "The file is 1.0 MB; the limit is 1 MB." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_over_the_row_limit_is_refused(org, hr, records, settings):
    settings.SAMTALE_IMPORT_MAX_ROWS = 10

    run = previewed_run(org, hr, org_file(records))

    assert run.status == ImportStatus.REJECTED
    assert run.errors == [{"line": None, "message": "The file has more than 10 rows, which is the limit."}]


def test_uploading_without_a_file_shows_the_form_again(org, hr):
    response = hr.post(reverse("org:import"), {})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_invitations_can_be_turned_off_in_the_form(org, hr, records):
    records.append(new_record("880001", "Nina Nyborg", leader=org.leader.employee_number))
    upload(hr, org_file(records), invitations=False)
    run = ImportRun.objects.get()

    hr.post(reverse("org:import_apply", args=[run.uuid]))

    assert Person.objects.get(employee_number="880001").user is not None
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("persona", STRANGERS)
def test_everyone_but_hr_for_the_whole_organisation_gets_404_on_every_import_url(org, hr, records, persona):
    run = previewed_run(org, hr, a_good_file(org, records))
    client = org.client(persona)
    state = people_state()

    assert client.get(reverse("org:import")).status_code == 404
    assert client.post(reverse("org:import"), {"file": SimpleUploadedFile("o.csv", b"x")}).status_code == 404
    assert client.get(reverse("org:export")).status_code == 404
    for method, url in run_urls(run):
        assert getattr(client, method)(url).status_code == 404, url

    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED
    assert people_state() == state
    assert ImportRun.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(org, hr, records):
    from django.test import Client

    run = previewed_run(org, hr, a_good_file(org, records))
    client = Client()

    for method, url in [("get", reverse("org:import")), ("get", reverse("org:export")), *run_urls(run)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED


def test_an_unknown_run_is_404_for_hr(org, hr):
    import uuid

    assert hr.get(reverse("org:import_run", args=[uuid.uuid4()])).status_code == 404
    assert hr.post(reverse("org:import_apply", args=[uuid.uuid4()])).status_code == 404


def test_apply_and_discard_accept_only_post(org, hr, records):
    run = previewed_run(org, hr, a_good_file(org, records))

    assert hr.get(reverse("org:import_apply", args=[run.uuid])).status_code == 405
    assert hr.get(reverse("org:import_discard", args=[run.uuid])).status_code == 405
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED


def exported(client) -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse("org:export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    return content, rows


def test_the_export_is_a_file_excel_opens_with_one_row_per_employed_person(org, hr):
    Person.objects.filter(pk=org.outsider.pk).update(end_date=timezone.localdate() - timezone.timedelta(days=1))

    content, rows = exported(hr)

    assert content.startswith(b"\xef\xbb\xbf")
    assert rows[0][:3] == ["employee_number", "name", "email"]
    numbers = {row[0] for row in rows[1:]}
    assert len(numbers) == 11
    assert org.outsider.employee_number not in numbers
    assert AuditEvent.objects.filter(action="org.exported", actor_id=org.hr.user.pk).exists()


def test_the_export_has_danish_headings_for_a_danish_user(org):
    client = org.client("hr")  # the personas speak Danish

    _content, rows = exported(client)

    assert rows[0][:3] == ["medarbejdernummer", "navn", "e-mail"]


def test_the_export_neutralises_cells_that_look_like_formulas(org, hr):
    Person.objects.filter(pk=org.employee.pk).update(job_title='=HYPERLINK("http://evil.example")')
    Person.objects.filter(pk=org.colleague.pk).update(name="+45 Kollega", job_title="@SUM(A1)")
    Person.objects.filter(pk=org.union_rep.pk).update(job_title="-1+1")

    _content, rows = exported(hr)

    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[org.employee.employee_number][7] == '\'=HYPERLINK("http://evil.example")'
    assert by_number[org.colleague.employee_number][1] == "'+45 Kollega"
    assert by_number[org.colleague.employee_number][7] == "'@SUM(A1)"
    assert by_number[org.union_rep.employee_number][7] == "'-1+1"
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_the_exported_file_reimports_with_no_changes(org, hr):
    Person.objects.filter(pk=org.employee.pk).update(job_title="=Konsulent")
    organisation_import(content=org_file(org_records()), file_name="first.csv", actor=org.hr.user)
    content, _rows = exported(hr)
    before, state = stored_counts(), people_state()

    run = previewed_run(org, hr, content)
    hr.post(reverse("org:import_apply", args=[run.uuid]))

    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED, run.errors
    assert run.summary["changed"] == run.summary["created"] == run.summary["ended"] == 0
    assert run.summary["unit_leaders_changed"] == run.summary["units_changed"] == 0
    assert people_state() == state
    assert Person.objects.get(pk=org.employee.pk).job_title == "=Konsulent"
    changed = {k for k in stored_counts() if stored_counts()[k] != before[k]}
    assert changed == {"audit"}


def test_a_leader_who_has_left_is_exported_too_so_the_file_imports_again(org, hr):
    Person.objects.filter(pk=org.leader.pk).update(end_date=timezone.localdate() - timezone.timedelta(days=3))
    content, rows = exported(hr)
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[org.leader.employee_number][12] == (timezone.localdate() - timezone.timedelta(days=3)).isoformat()

    run = previewed_run(org, hr, content)
    assert run.status == ImportStatus.PREVIEWED, run.errors
    assert run.summary["changed"] == run.summary["created"] == run.summary["ended"] == 0


def test_a_file_with_thousands_of_errors_says_how_many_and_lists_the_first(org, hr, records):
    bad = [{**new_record(str(900000 + i), f"P{i}"), "email": f"not-an-address-{i}"} for i in range(2100)]
    run = previewed_run(org, hr, org_file(records + bad))
    assert run.status == ImportStatus.REJECTED
    assert len(run.errors) == 2000
    page = hr.get(reverse("org:import_run", args=[run.uuid])).content.decode()
    assert "The file has 2100 errors." in page
    assert "The first 2000 errors are listed below." in page


def test_hr_confirms_before_a_file_ends_many_people_at_once(org, hr, records):
    from samtale.testing import make_person

    for index in range(10):
        make_person(f"Ekstra {index}", unit=org.payroll, leader=org.leader)
    run = previewed_run(org, hr, org_file(records))
    page = hr.get(reverse("org:import_run", args=[run.uuid])).content.decode()
    assert 'name="confirm_endings"' in page

    hr.post(reverse("org:import_apply", args=[run.uuid]))
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED  # nothing happened without the tick
    assert Person.objects.filter(name__startswith="Ekstra", end_date__isnull=True).count() == 10

    hr.post(reverse("org:import_apply", args=[run.uuid]), {"confirm_endings": "1"})
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert Person.objects.filter(name__startswith="Ekstra", end_date__isnull=False).count() == 10


def test_a_preview_left_for_a_day_is_discarded_and_its_file_erased(org, hr, records):
    from datetime import timedelta

    run = previewed_run(org, hr, org_file(records))
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    hr.get(reverse("org:import"))
    run.refresh_from_db()
    assert (run.status, run.content) == (ImportStatus.DISCARDED, None)


def test_a_large_preview_shows_its_details_a_page_at_a_time_below_the_summary(org, hr):
    created = [{"line": n + 2, "employee_number": f"N{n:05d}", "name": f"Ny {n}", "unit": "LON"} for n in range(250)]
    run = ImportRun.objects.create(
        file_name="stor.csv",
        file_sha256="0" * 64,
        status=ImportStatus.PREVIEWED,
        summary={"created": 3000, "changed": 0, "ended": 0, "kept": 5, "errors": 0},
        preview={"created": created, "changed": [], "ended": []},
    )
    url = reverse("org:import_run", args=[run.uuid])
    first = hr.get(url).content.decode()
    assert first.index("stor.csv") < first.index('id="created-heading"')
    assert "N00099" in first and "N00100" not in first
    assert "?created_page=2#created-heading" in first
    assert (
        "The first 250 of 3,000 are shown here; all of them are applied." in first or "De første 250 af 3.000" in first
    )
    last = hr.get(url, {"created_page": "3"}).content.decode()
    assert "N00249" in last and "N00199" not in last and "?created_page=2#created-heading" in last

"""Privacy end to end (docs/trust.md § Erasure and retention, § Right of access): a person's export
holds every canary of theirs and none of anyone else's; erasure leaves no row of theirs but the
audit tombstones, and is refused under a legal hold; the job interrupted half-way and run again
deletes the rest and nothing more; a signed version is deleted only through retention's own door;
the commands do what the pages do."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.urls import reverse

from samtale.access.viewer import viewer_for
from samtale.accounts.models import User
from samtale.audit.models import AuditEvent
from samtale.conversations.models import Conversation
from samtale.org.models import Person, RoleKind
from samtale.plans.models import PlanVersion, Signature
from samtale.privacy import services
from samtale.privacy.exporting import person_data, person_export
from samtale.privacy.models import LegalHold, PrivacySetting
from samtale.privacy.retention import retention_apply, retention_due
from samtale.privacy.schedule import cutoff, kept_until, months_after, months_before
from samtale.testing import Mus, Org
from samtale.testing.personas import make_person, make_role
from samtale.testing.privacy import CLOSED_ON, database_text, plant, round_closed


def _closed(mus: Mus) -> None:
    round_closed(mus.round)


def _officer(org: Org):  # type: ignore[no-untyped-def]
    person = make_person("Dorte Databeskyttelse", unit=org.hr_unit, leader=org.director)
    make_role(person, RoleKind.DPO)
    return viewer_for(person.user)


def _plant_both(org: Org, mus: Mus):  # type: ignore[no-untyped-def]
    mine = plant(mus.conversation, leader=org.leader, held_on=CLOSED_ON - timedelta(days=30), sent_on=CLOSED_ON)
    theirs = plant(
        mus.colleague_conversation, leader=org.leader, held_on=CLOSED_ON - timedelta(days=30), sent_on=CLOSED_ON
    )
    return mine, theirs


def test_the_export_holds_every_canary_of_the_person_and_none_of_anyone_elses(org: Org, mus: Mus) -> None:
    mine, theirs = _plant_both(org, mus)
    PrivacySetting.objects.create(export_leader_preparation_text=True)
    archive = zipfile.ZipFile(io.BytesIO(person_export(org.employee)))
    assert sorted(archive.namelist()) == ["samtale-data.html", "samtale-data.json"]
    text = archive.read("samtale-data.json").decode() + archive.read("samtale-data.html").decode()
    for canary in mine.all:
        if canary.startswith("CANARY") and canary in mine.by_kind.get("audit", []):
            continue  # an audit event's details stay in the trail: the export says who did what, when
        assert canary in text, canary
    for canary in theirs.all:
        assert canary not in text
    data = json.loads(archive.read("samtale-data.json"))
    assert org.employee.name in json.dumps(data["person"], ensure_ascii=False)
    assert data["audit_events"] and data["emails"]
    assert org.colleague.email not in text


def test_the_leaders_preparation_is_listed_and_its_text_follows_the_officers_setting(org: Org, mus: Mus) -> None:
    mine, _theirs = _plant_both(org, mus)
    prepared = mine.by_kind["preparations"]  # the employee's answer, then the leader's two
    text = json.dumps(person_data(org.employee))
    assert prepared[0] in text
    assert prepared[1] not in text and prepared[2] not in text
    assert '"exists": true' in text
    services.privacy_setting_update(viewer=_officer(org), export_leader_preparation_text=True)
    text = json.dumps(person_data(org.employee))
    assert prepared[1] in text and prepared[2] in text


def test_erasure_leaves_only_the_audit_tombstones_and_refuses_under_a_hold(org: Org, mus: Mus) -> None:
    mine, theirs = _plant_both(org, mus)
    officer = _officer(org)
    hold = services.legal_hold_place(viewer=officer, person=org.employee, reason="A case")
    with pytest.raises(ValidationError):
        services.person_erase(viewer=officer, person=org.employee, reason="Asked")
    assert all(c in database_text() for c in mine.all)  # a hold keeps everything
    services.legal_hold_lift(viewer=officer, hold=hold, reason="The case is over")
    with pytest.raises(PermissionDenied):  # HR handles holds and exports; erasure is the officer's
        services.person_erase(viewer=viewer_for(org.user("hr")), person=org.employee, reason="Asked")

    erased = services.person_erase(viewer=officer, person=org.employee, reason="Asked")

    assert erased.conversations == 1 and erased.emails >= 1
    assert not Conversation.objects.filter(employee=org.employee).exists()
    text = database_text()
    for canary in mine.all:
        if canary in mine.by_kind["audit"]:
            continue  # the trail keeps its events until its own time
        assert canary not in text, canary
    assert all(c in text for c in theirs.all)
    tombstones = AuditEvent.objects.filter(subject_person_id=org.employee.pk, action__startswith="privacy.")
    assert {"privacy.erased", "privacy.person_erased", "privacy.hold_placed", "privacy.hold_lifted"} <= set(
        tombstones.values_list("action", flat=True)
    )
    assert "Asked" in json.dumps(list(tombstones.values_list("data", flat=True)))


def test_the_job_interrupted_half_way_and_run_again_deletes_the_rest_and_nothing_more(org: Org, mus: Mus) -> None:
    _closed(mus)
    mine, theirs = _plant_both(org, mus)
    today = months_after(CLOSED_ON, 61)
    due = retention_due(today)
    assert due["conversations"] >= 2 and due["preparations"] == 2

    first = retention_apply(today=today, batch=1, max_batches=3)
    assert not first.finished and first.batches == 3
    rest = retention_apply(today=today, batch=1)

    assert rest.finished
    deleted = {k: first.deleted[k] + rest.deleted[k] for k in first.deleted}
    assert {k: deleted[k] for k in due} == due
    assert retention_due(today) == dict.fromkeys(due, 0)
    text = database_text()
    assert not any(c in text for c in mine.all + theirs.all if c not in mine.by_kind["audit"] + theirs.by_kind["audit"])


def test_a_signed_version_is_deleted_only_through_retentions_door(org: Org, mus: Mus) -> None:
    _plant_both(org, mus)
    version = PlanVersion.objects.filter(plan__conversation=mus.conversation).get()
    with pytest.raises(DatabaseError), transaction.atomic():
        Signature.objects.filter(version=version).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk)._raw_delete(PlanVersion.objects.db)  # type: ignore[attr-defined]
    assert Signature.objects.filter(version=version).count() == 2


def test_a_legal_hold_keeps_everything_until_lifted_and_then_the_job_takes_it(org: Org, mus: Mus) -> None:
    _closed(mus)
    mine, _theirs = _plant_both(org, mus)
    officer = _officer(org)
    hold = services.legal_hold_place(viewer=officer, person=org.employee, reason="A case")
    with pytest.raises(ValidationError):
        services.legal_hold_place(viewer=officer, person=org.employee, reason="Another")
    today = months_after(CLOSED_ON, 70)
    retention_apply(today=today)
    assert all(c in database_text() for c in mine.all)
    services.legal_hold_lift(viewer=officer, hold=hold, reason="Over")
    retention_apply(today=today)
    assert not any(c in database_text() for c in mine.all)


def test_people_long_gone_leave_only_tombstones(org: Org, mus: Mus) -> None:
    _closed(mus)
    plant(mus.conversation, leader=org.leader, held_on=CLOSED_ON - timedelta(days=30), sent_on=CLOSED_ON)
    employee = org.employee
    employee.end_date, employee.start_date = CLOSED_ON, None
    employee.save(update_fields=["end_date", "start_date"])
    pk, user_pk = employee.pk, employee.user_id
    retention_apply(today=months_after(CLOSED_ON, 13))
    assert not Conversation.objects.filter(employee_id=pk).exists()
    assert not Person.objects.filter(pk=pk).exists() and not User.objects.filter(pk=user_pk).exists()
    assert AuditEvent.objects.filter(subject_person_id=pk, action="privacy.retention_deleted").exists()


@pytest.mark.parametrize("offset", range(0, 400, 7))
def test_kept_until_and_cutoff_agree_on_every_day(offset: int) -> None:
    """A record is kept through its last day and due the day after, for starts all over the year
    (month ends, leap days)."""
    start = date(2023, 1, 1) + timedelta(days=offset)
    last = kept_until("preparations", start)
    assert last is not None
    assert not start < cutoff("preparations", last)
    assert (
        start < cutoff("preparations", last + timedelta(days=1)) or months_before(last + timedelta(days=1), 12) == start
    )


def test_the_commands_list_delete_export_and_erase(org: Org, mus: Mus, tmp_path: Path) -> None:
    _closed(mus)
    mine, _theirs = _plant_both(org, mus)
    later = months_after(CLOSED_ON, 61).isoformat()
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--on", later, stdout=out)
    due = retention_due(date.fromisoformat(later))["conversations"]
    assert due > 2 and f"conversations: {due} due" in out.getvalue() and "nothing deleted" in out.getvalue()
    assert Conversation.objects.filter(round=mus.round, status="held").count() == 2

    zip_path = tmp_path / "data.zip"
    call_command("export_person", org.employee.email, str(zip_path), stdout=StringIO())
    assert mine.by_kind["conversations"][0] in zipfile.ZipFile(zip_path).read("samtale-data.json").decode()

    out = StringIO()
    call_command("erase_person", org.employee.email, "--dry-run", stdout=out)
    assert "would erase 1 conversations" in out.getvalue()
    call_command("erase_person", org.employee.email, "--reason", "Asked by the employee", stdout=StringIO())
    assert not Conversation.objects.filter(employee=org.employee).exists()

    out = StringIO()
    call_command("apply_retention", "--on", later, stdout=out)
    assert f"conversations: {due - 1} deleted" in out.getvalue()


def test_the_person_downloads_their_data_from_their_account(org: Org, mus: Mus) -> None:
    mine, theirs = _plant_both(org, mus)
    client = org.client("employee")
    assert reverse("privacy:my_data") in client.get(reverse("accounts:account")).content.decode()
    response = client.post(reverse("privacy:my_data_download"))
    assert response["Content-Type"] == "application/zip"
    body = zipfile.ZipFile(io.BytesIO(response.content)).read("samtale-data.json").decode()
    assert mine.by_kind["conversations"][0] in body and theirs.by_kind["conversations"][0] not in body
    assert AuditEvent.objects.filter(action="privacy.data_exported", subject_person_id=org.employee.pk).exists()
    assert not LegalHold.objects.exists()


def test_the_schedule_keeps_its_floor_and_ceiling(settings) -> None:  # type: ignore[no-untyped-def]
    from samtale.privacy.schedule import period, retention_check

    settings.SAMTALE_RETENTION = "preparations=0, emails=30, conversations=500, minutes=3, audit=many"
    errors = [str(e.msg) for e in retention_check()]
    assert len(errors) == 4 and any("preparations: 0 months is outside 1–24" in e for e in errors)
    assert any("unknown kind of record 'minutes'" in e for e in errors)
    assert period("emails") == 30 and period("preparations") == 12  # a refused value keeps the default
    settings.SAMTALE_RETENTION = ""
    assert retention_check() == []


@pytest.mark.django_db(transaction=True)
def test_nothing_due_is_left_in_a_pg_dump(org: Org, mus: Mus, tmp_path: Path) -> None:
    """On PostgreSQL, what the job deleted is not in a dump of the database."""
    import os
    import shutil
    import subprocess

    from django.db import connection

    pg_dump = shutil.which("pg_dump")
    if connection.vendor != "postgresql" or pg_dump is None:
        pytest.skip("PostgreSQL with pg_dump")
    _closed(mus)
    mine, theirs = _plant_both(org, mus)
    retention_apply(today=months_after(CLOSED_ON, 61))
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    dump = subprocess.run(  # noqa: S603  (the test database's own settings)
        [
            pg_dump,
            "-h",
            str(db.get("HOST") or "127.0.0.1"),
            "-p",
            str(db.get("PORT") or 5432),
            "-U",
            str(db["USER"]),
            str(db["NAME"]),
        ],
        env=env,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert org.employee.email in dump  # the dump is of this database
    for canary in mine.all + theirs.all:  # 61 months on, every kind of theirs is due, the trail's too
        assert canary not in dump, canary


def test_the_legal_hold_command_places_shows_and_lifts(org: Org, mus: Mus) -> None:
    out = StringIO()
    call_command("legal_hold", org.employee.email, "--reason", "A case", stdout=out)
    assert LegalHold.objects.active().filter(person=org.employee).exists()
    call_command("legal_hold", org.employee.email, "--show", stdout=out)
    assert "under a legal hold since" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("erase_person", org.employee.email, "--reason", "Asked", stdout=StringIO())
    call_command("legal_hold", org.employee.email, "--lift", "--reason", "Over", stdout=out)
    assert not LegalHold.objects.active().exists()
    assert AuditEvent.objects.filter(action="privacy.hold_lifted", subject_person_id=org.employee.pk).exists()

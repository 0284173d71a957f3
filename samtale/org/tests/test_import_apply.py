"""Applying an import: all or nothing, history and audit for every move, accounts and
invitations for new people, end dates instead of deletion, and a second run of the same file
changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from samtale.accounts.models import User
from samtale.audit.models import AuditEvent
from samtale.org.importing.apply import organisation_import
from samtale.org.models import ChangeSource, EmploymentType, Person, PlacementChange, Unit
from samtale.outbox.models import OutboxMessage
from samtale.testing.import_files import (
    DANISH,
    new_record,
    org_file,
    org_records,
    people_state,
    record,
    stored_counts,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def records(org):
    return org_records()


def run_import(content: bytes, actor: User | None = None, **options):
    return organisation_import(content=content, file_name="organisation.csv", actor=actor, **options)


def person(number: str) -> Person:
    return Person.objects.select_related("unit", "personnel_leader", "daily_leader", "user").get(employee_number=number)


# Dates in the file that hold whatever day the suite runs: a start in the past, an end ahead.
NINA_STARTS = timezone.localdate() - timedelta(days=95)
PIA_ENDS = timezone.localdate() + timedelta(days=200)


def a_busy_file(org, records) -> bytes:
    """New people and a new team, a move, a leader change, a rename and someone who left."""
    records += [
        new_record(
            "880001",
            "Nina Nyborg",
            unit="LON",
            leader=org.leader.employee_number,
            daily_leader_number=org.daily_leader.employee_number,
            start_date=f"{NINA_STARTS:%d.%m.%Y}",
        ),
        new_record(
            "880002",
            "Otto Ørsted",
            unit="DIG",
            unit_name="Digitalisering",
            parent_unit_code="OKO",
            leader=org.head.employee_number,
            employment_type="fastansat",
        ),
        new_record(
            "880003",
            "Pia Pålsson",
            unit="DIG",
            unit_name="Digitalisering",
            parent_unit_code="OKO",
            leader="880002",
            employment_type="vikar",
            end_date=f"{PIA_ENDS:%d-%m-%Y}",
        ),
    ]
    record(records, org.colleague.employee_number).update(
        unit_code="REG",
        unit_name="Regnskab",
        parent_unit_code="OKO",
        personnel_leader_number=org.former_leader.employee_number,
    )
    record(records, org.employee.employee_number)["personnel_leader_number"] = org.daily_leader.employee_number
    record(records, org.union_rep.employee_number)["name"] = "Tove Tillid-Hansen"
    records.remove(record(records, org.outsider.employee_number))
    return org_file(records)


def test_a_file_with_one_bad_row_changes_nothing(org, records):
    content = a_busy_file(org, records)
    bad = content + "880099,Bad Row,bad@example.dk,LON,Løn,OKO,,permanent,,,31-02-2026,\r\n".encode()
    before, state = stored_counts(), people_state()

    outcome = run_import(bad, actor=org.hr.user)

    assert not outcome.applied
    assert outcome.plan.errors == [(len(records) + 2, "start_date: 31-02-2026 is not a real date.")]
    assert stored_counts() == before
    assert people_state() == state


def test_a_file_that_fails_while_being_written_changes_nothing(org, records, monkeypatch):
    from samtale.org.importing import apply

    def broken(**kwargs):
        raise RuntimeError("the mail queue is gone")

    monkeypatch.setattr(apply, "outbox_enqueue_many", broken)
    before, state = stored_counts(), people_state()

    with pytest.raises(RuntimeError):
        run_import(a_busy_file(org, records), actor=org.hr.user)

    assert stored_counts() == before
    assert people_state() == state


def test_a_busy_file_applies_every_change(org, records):
    outcome = run_import(a_busy_file(org, records), actor=org.hr.user)

    assert outcome.applied
    assert outcome.plan.summary() == {
        "rows": 14,
        "units_created": 1,
        "units_changed": 0,
        "unit_leaders_changed": 1,
        "created": 3,
        "changed": 3,
        "ended": 1,
        "unchanged": 8,
        "errors": 0,
    }
    nina, otto, pia = person("880001"), person("880002"), person("880003")
    assert (nina.unit, nina.personnel_leader, nina.daily_leader) == (org.payroll, org.leader, org.daily_leader)
    assert nina.start_date == NINA_STARTS
    digital = Unit.objects.get(code="DIG")
    assert (digital.name, digital.parent, digital.leader) == ("Digitalisering", org.economy, otto)
    assert digital.path == org.economy.path + f"{digital.pk:08d}/"
    assert digital.depth == 2
    assert (otto.unit, otto.personnel_leader, otto.employment_type) == (digital, org.head, EmploymentType.PERMANENT)
    assert (pia.personnel_leader, pia.employment_type, pia.end_date) == (otto, EmploymentType.TEMP, PIA_ENDS)
    colleague = person(org.colleague.employee_number)
    assert (colleague.unit, colleague.personnel_leader) == (org.accounting, org.former_leader)
    assert person(org.employee.employee_number).personnel_leader == org.daily_leader
    assert person(org.union_rep.employee_number).name == "Tove Tillid-Hansen"
    assert person(org.outsider.employee_number).end_date == timezone.localdate()


def test_reimporting_the_same_file_changes_nothing(org, records):
    content = a_busy_file(org, records)
    run_import(content, actor=org.hr.user)
    before, state = stored_counts(), people_state()

    outcome = run_import(content, actor=org.hr.user)

    assert outcome.applied
    assert not outcome.plan.has_changes
    assert outcome.plan.unchanged == 14
    assert people_state() == state
    # Only the import itself is recorded.
    assert stored_counts() == {**before, "audit": before["audit"] + 1}
    assert AuditEvent.objects.order_by("-id").values_list("action", flat=True)[0] == "org.import_applied"


def test_people_not_in_the_file_get_todays_end_date_and_are_not_deleted(org, records):
    records.remove(record(records, org.outsider.employee_number))
    records.remove(record(records, org.colleague.employee_number))
    people_before = Person.objects.count()

    run_import(org_file(records), actor=org.hr.user)

    assert Person.objects.count() == people_before
    today = timezone.localdate()
    assert person(org.outsider.employee_number).end_date == today
    assert person(org.colleague.employee_number).end_date == today
    assert person(org.outsider.employee_number).user is not None
    assert person(org.employee.employee_number).end_date is None
    ended = AuditEvent.objects.filter(action="org.employment_ended")
    assert sorted(ended.values_list("subject_person_id", flat=True)) == sorted([org.outsider.pk, org.colleague.pk])
    assert {e.actor_id for e in ended} == {org.hr.user.pk}


def test_a_planned_end_date_later_than_today_becomes_today_when_the_person_leaves_the_file(org, records):
    Person.objects.filter(pk=org.outsider.pk).update(end_date=timezone.localdate() + timedelta(days=90))
    records = org_records()
    records.remove(record(records, org.outsider.employee_number))

    run_import(org_file(records), actor=org.hr.user)

    assert person(org.outsider.employee_number).end_date == timezone.localdate()


def test_a_future_hire_who_is_no_longer_in_the_file_ends_on_the_day_they_would_have_started(org, records):
    start = timezone.localdate() + timedelta(days=30)
    records.append(new_record("880001", "Nina Ny", start_date=start.isoformat()))
    run_import(org_file(records), actor=org.hr.user)
    records.remove(record(records, "880001"))
    content = org_file(records)

    outcome = run_import(content, actor=org.hr.user)

    assert outcome.applied
    nina = person("880001")
    assert nina.end_date == nina.start_date == start
    assert not run_import(content, actor=org.hr.user).plan.has_changes


def test_someone_back_in_the_file_after_leaving_is_employed_again(org, records):
    Person.objects.filter(pk=org.outsider.pk).update(end_date=date(2024, 1, 31))
    records = org_records()
    records.append(
        {
            **new_record(
                org.outsider.employee_number, "Ulla Udenfor", unit="BOR", leader=org.other_head.employee_number
            ),
            "email": org.outsider.email,
        }
    )

    run_import(org_file(records), actor=org.hr.user)

    outsider = person(org.outsider.employee_number)
    assert outsider.end_date is None
    assert outsider.job_title == "Konsulent"


def test_a_leader_change_keeps_its_time_and_is_audited(org, records):
    record(records, org.employee.employee_number)["personnel_leader_number"] = org.former_leader.employee_number
    before = timezone.now()

    run_import(org_file(records), actor=org.hr.user)

    change = PlacementChange.objects.get(person=org.employee, source=ChangeSource.IMPORT)
    assert (change.field, change.old_id, change.new_id) == ("personnel_leader", org.leader.pk, org.former_leader.pk)
    assert (change.old_label, change.new_label) == ("Lise Leder", "Frode Førleder")
    assert change.changed_by == org.hr.user
    assert change.changed_at >= before
    event = AuditEvent.objects.get(action="org.personnel_leader_changed")
    assert event.subject_person_id == org.employee.pk
    assert event.actor_id == org.hr.user.pk
    assert event.data["source"] == "import"
    assert event.at == change.changed_at


def test_the_former_leaders_name_is_kept_when_the_former_leader_has_left(org, records):
    # Lise leaves; her team now reports to the head.
    records.remove(record(records, org.leader.employee_number))
    for r in records:
        if r["personnel_leader_number"] == org.leader.employee_number:
            r["personnel_leader_number"] = org.head.employee_number

    run_import(org_file(records), actor=org.hr.user)

    change = PlacementChange.objects.get(person=org.employee, field="personnel_leader", source=ChangeSource.IMPORT)
    assert (change.old_label, change.new_label) == ("Lise Leder", "Hans Afdelingschef")
    assert Unit.objects.get(code="LON").leader == org.head


def test_a_move_to_another_unit_keeps_its_time_and_is_audited(org, records):
    record(records, org.colleague.employee_number).update(unit_code="REG", unit_name="Regnskab")

    run_import(org_file(records), actor=None)

    change = PlacementChange.objects.get(person=org.colleague, source=ChangeSource.IMPORT)
    assert (change.field, change.old_id, change.new_id) == ("unit", org.payroll.pk, org.accounting.pk)
    assert (change.old_label, change.new_label) == ("Løn", "Regnskab")
    assert change.changed_by is None
    event = AuditEvent.objects.get(action="org.unit_changed")
    assert (event.subject_person_id, event.actor_id) == (org.colleague.pk, None)


def test_a_removed_daily_leader_is_history_too(org, records):
    record(records, org.employee.employee_number)["daily_leader_number"] = ""

    run_import(org_file(records), actor=org.hr.user)

    assert person(org.employee.employee_number).daily_leader is None
    change = PlacementChange.objects.get(person=org.employee, field="daily_leader", source=ChangeSource.IMPORT)
    assert (change.old_id, change.new_id, change.old_label, change.new_label) == (
        org.daily_leader.pk,
        None,
        "Dagny Daglig",
        "",
    )


def test_different_changes_for_different_people_touch_only_their_own_values(org, records):
    record(records, org.employee.employee_number)["name"] = "Emil Ærø Jensen"
    record(records, org.colleague.employee_number).update(unit_code="REG", unit_name="Regnskab")
    record(records, org.union_rep.employee_number)["email"] = "tove@new.example"
    record(records, org.daily_leader.employee_number)["job_title"] = "Koordinator"
    record(records, org.outsider.employee_number)["start_date"] = "01.03.2001"

    run_import(org_file(records), actor=org.hr.user)

    employee, colleague, union_rep = (person(p.employee_number) for p in (org.employee, org.colleague, org.union_rep))
    daily, outsider = person(org.daily_leader.employee_number), person(org.outsider.employee_number)
    assert (employee.name, employee.email, employee.unit, employee.job_title) == (
        "Emil Ærø Jensen",
        org.employee.email,
        org.payroll,
        "",
    )
    assert (colleague.name, colleague.email, colleague.unit) == ("Kåre Kollega", org.colleague.email, org.accounting)
    assert (union_rep.name, union_rep.email, union_rep.unit) == ("Tove Tillid", "tove@new.example", org.payroll)
    assert (daily.name, daily.job_title, daily.start_date) == ("Dagny Daglig", "Koordinator", None)
    assert (outsider.name, outsider.start_date, outsider.unit) == ("Ulla Udenfor", date(2001, 3, 1), org.children)
    assert employee.personnel_leader == org.leader
    assert employee.daily_leader == org.daily_leader


def test_a_name_or_email_change_follows_to_the_sign_in(org, records):
    record(records, org.employee.employee_number).update(name="Emil Ærø Jensen", email="Emil.Jensen@Test.example")

    run_import(org_file(records), actor=org.hr.user)

    user = User.objects.get(pk=org.employee.user.pk)
    assert (user.name, user.email) == ("Emil Ærø Jensen", "emil.jensen@test.example")
    assert user.check_password("Samtale-test-1234")


def test_new_people_get_an_account_without_a_password_and_an_invitation(org, records):
    records += [
        new_record("880001", "Nina Nyborg", leader=org.leader.employee_number),
        new_record("880002", "Otto Ørsted", leader="880001", email="Otto@New.Example"),
    ]

    outcome = run_import(org_file(records), actor=org.hr.user)

    assert outcome.invitations == 2
    for number, email in (("880001", "880001@new.example"), ("880002", "otto@new.example")):
        new = person(number)
        assert new.user is not None
        assert new.user.email == email
        assert not new.user.has_usable_password()
        assert new.user.is_active
        message = OutboxMessage.objects.get(to_email=email)
        assert message.kind == "accounts.invitation"
        assert message.context == {"user_id": new.user.pk}
    assert OutboxMessage.objects.count() == 2


def test_new_people_get_no_invitation_when_invitations_are_off(org, records):
    records.append(new_record("880001", "Nina Nyborg", leader=org.leader.employee_number))

    outcome = run_import(org_file(records), actor=org.hr.user, send_invitations=False)

    assert outcome.invitations == 0
    assert not OutboxMessage.objects.exists()
    assert person("880001").user is not None


def test_an_address_that_belongs_to_an_account_without_a_person_is_refused(org, records):
    """An administrator's sign-in is never handed to a person from a file."""
    User.objects.create_superuser("nina@example.dk", "x", name="Nina")
    records.append({**new_record("880001", "Nina Nyborg"), "email": "nina@example.dk"})
    before = stored_counts()

    outcome = run_import(org_file(records), actor=org.hr.user)

    assert not outcome.applied
    assert [line for line, _message in outcome.plan.errors] == [len(records) + 1]
    assert "administrator" in outcome.plan.errors[0][1]
    assert stored_counts() == before


def test_two_people_may_swap_addresses_and_a_new_hire_may_take_one_given_up(org, records):
    employee = next(r for r in records if r["employee_number"] == org.employee.employee_number)
    colleague = next(r for r in records if r["employee_number"] == org.colleague.employee_number)
    employee["email"], colleague["email"] = colleague["email"], "kaare.ny@example.dk"
    records.append({**new_record("880001", "Nina Nyborg"), "email": org.employee.email})
    old_colleague_email = org.colleague.email

    outcome = run_import(org_file(records), actor=org.hr.user)

    assert outcome.applied, outcome.plan.errors
    assert person(org.employee.employee_number).email == old_colleague_email
    assert person(org.employee.employee_number).user.email == old_colleague_email
    assert person(org.colleague.employee_number).user.email == "kaare.ny@example.dk"
    assert person("880001").user.email == org.employee.email


def test_new_people_can_lead_each_other_in_any_order_of_rows(org, records):
    records += [
        new_record(
            "880004",
            "D",
            unit="NY",
            unit_name="Ny",
            parent_unit_code="KOM",
            leader="880003",
            daily_leader_number="880002",
        ),
        new_record("880003", "C", unit="NY", unit_name="Ny", parent_unit_code="KOM", leader="880002"),
        new_record(
            "880002",
            "B",
            unit="NY",
            unit_name="Ny",
            parent_unit_code="KOM",
            leader="880001",
            daily_leader_number="880004",
        ),
        new_record(
            "880001", "A", unit="NY", unit_name="Ny", parent_unit_code="KOM", leader=org.director.employee_number
        ),
    ]

    run_import(org_file(records), actor=org.hr.user)

    assert person("880004").personnel_leader.employee_number == "880003"
    assert person("880004").daily_leader.employee_number == "880002"
    assert person("880003").personnel_leader.employee_number == "880002"
    assert person("880002").personnel_leader.employee_number == "880001"
    assert person("880002").daily_leader.employee_number == "880004"
    assert person("880001").personnel_leader == org.director


def test_new_units_in_several_levels_get_their_place_in_the_tree(org, records):
    records += [
        new_record(
            "880001", "A", unit="C3", unit_name="Tredje", parent_unit_code="C2", leader=org.director.employee_number
        ),
        new_record(
            "880002", "B", unit="C2", unit_name="Anden", parent_unit_code="C1", leader=org.director.employee_number
        ),
        new_record(
            "880003", "C", unit="C1", unit_name="Første", parent_unit_code="KOM", leader=org.director.employee_number
        ),
    ]

    run_import(org_file(records), actor=org.hr.user)

    c1, c2, c3 = (Unit.objects.get(code=code) for code in ("C1", "C2", "C3"))
    assert (c1.parent, c2.parent, c3.parent) == (org.root, c1, c2)
    assert c3.path == f"{org.root.pk:08d}/{c1.pk:08d}/{c2.pk:08d}/{c3.pk:08d}/"
    assert [c1.depth, c2.depth, c3.depth] == [1, 2, 3]


def test_a_unit_can_be_renamed_and_moved(org, records):
    for r in records:
        if r["unit_code"] == "REG":
            r.update(unit_name="Regnskab og Revision", parent_unit_code="KOM")

    outcome = run_import(org_file(records), actor=org.hr.user)

    assert outcome.plan.summary()["units_changed"] == 1
    accounting = Unit.objects.get(code="REG")
    assert (accounting.name, accounting.parent, accounting.depth) == ("Regnskab og Revision", org.root, 1)
    assert accounting.path == f"{org.root.pk:08d}/{accounting.pk:08d}/"


def test_a_unit_whose_members_report_to_a_new_colleague_gets_that_colleague_as_leader(org, records):
    # Dagny takes over Løn: the others now report to her, and she to the head.
    for r in records:
        if r["personnel_leader_number"] == org.leader.employee_number:
            r["personnel_leader_number"] = org.daily_leader.employee_number
    record(records, org.daily_leader.employee_number)["personnel_leader_number"] = org.head.employee_number
    record(records, org.leader.employee_number)["personnel_leader_number"] = org.daily_leader.employee_number

    outcome = run_import(org_file(records), actor=org.hr.user)

    assert outcome.plan.unit_leaders == {"LON": org.daily_leader.employee_number}
    assert Unit.objects.get(code="LON").leader == org.daily_leader


def test_a_unit_whose_only_member_is_its_leader_keeps_its_leader(org, records):
    # Økonomi's and Regnskab's only members lead them and report to the leader above.
    outcome = run_import(org_file(records), actor=org.hr.user)

    assert outcome.plan.unit_leaders == {}
    assert Unit.objects.get(code="OKO").leader == org.head
    assert Unit.objects.get(code="REG").leader == org.former_leader


def test_a_new_unit_led_from_outside_gets_the_leader_its_members_report_to(org, records):
    records += [
        new_record(
            "880001", "A", unit="PRJ", unit_name="Projekt", parent_unit_code="OKO", leader=org.head.employee_number
        ),
        new_record(
            "880002", "B", unit="PRJ", unit_name="Projekt", parent_unit_code="OKO", leader=org.head.employee_number
        ),
    ]

    run_import(org_file(records), actor=org.hr.user)

    assert Unit.objects.get(code="PRJ").leader == org.head


def test_a_unit_whose_leader_left_gets_the_leader_its_members_now_report_to(org, records):
    records.remove(record(records, org.other_head.employee_number))
    for r in records:
        if r["personnel_leader_number"] == org.other_head.employee_number:
            r["personnel_leader_number"] = org.director.employee_number

    run_import(org_file(records), actor=org.hr.user)

    assert Unit.objects.get(code="BOR").leader == org.director


def test_a_file_without_the_leader_column_leaves_the_leaders_alone(org, records):
    columns = ["employee_number", "name", "email", "unit_code", "employment_type"]
    for r in records:
        r["name"] = r["name"].upper()

    run_import(org_file(records, columns=columns), actor=org.hr.user)

    employee = person(org.employee.employee_number)
    assert employee.name == "EMIL ÆRØ"
    assert (employee.personnel_leader, employee.daily_leader) == (org.leader, org.daily_leader)
    assert Unit.objects.get(code="LON").leader == org.leader


def test_a_dry_run_writes_nothing(org, records):
    content = a_busy_file(org, records)
    before, state = stored_counts(), people_state()

    outcome = run_import(content, actor=org.hr.user, dry_run=True)

    assert not outcome.applied
    assert outcome.plan.ok and outcome.plan.has_changes
    assert stored_counts() == before
    assert people_state() == state


def test_the_import_is_audited_with_its_summary(org, records):
    run_import(a_busy_file(org, records), actor=org.hr.user)

    event = AuditEvent.objects.get(action="org.import_applied")
    assert event.actor_id == org.hr.user.pk
    assert event.data["file"] == "organisation.csv"
    assert (event.data["created"], event.data["changed"], event.data["ended"], event.data["invitations"]) == (
        3,
        3,
        1,
        3,
    )


def test_a_danish_file_from_excel_applies_like_an_english_one(org, records):
    records.append(
        new_record(
            "880001",
            "Åse Bøgh",
            leader=org.leader.employee_number,
            employment_type="Elev",
            start_date=f"{NINA_STARTS:%d.%m.%Y}",
            end_date=f"{PIA_ENDS + timedelta(days=3 * 365):%d-%m-%Y}",
        )
    )

    outcome = run_import(org_file(records, headings=DANISH, delimiter=";", encoding="cp1252"), actor=org.hr.user)

    assert outcome.applied
    aase = person("880001")
    assert (aase.name, aase.employment_type, aase.start_date, aase.end_date) == (
        "Åse Bøgh",
        EmploymentType.TRAINEE,
        NINA_STARTS,
        PIA_ENDS + timedelta(days=3 * 365),
    )


def test_someone_in_the_file_who_has_already_left_gets_no_invitation(org, records):
    records.append(new_record("880001", "Gone Already", start_date="01-01-2019", end_date="01-01-2020"))
    records.append(new_record("880002", "Here Now"))
    outcome = run_import(org_file(records), actor=org.hr.user)
    assert outcome.invitations == 1
    assert [m.to_email for m in OutboxMessage.objects.all()] == ["880002@new.example"]


def test_a_file_with_headings_but_nobody_in_it_is_refused(org):
    outcome = run_import(org_file([]), actor=org.hr.user)
    assert not outcome.applied
    assert outcome.plan.errors == [(2, "The file has headings but nobody in it.")]
    assert Person.objects.filter(end_date__isnull=False).count() == 0


def test_a_file_that_ends_many_people_at_once_is_applied_only_when_confirmed(org, records):
    from samtale.testing import make_person

    for index in range(10):
        make_person(f"Ekstra {index}", unit=org.payroll, leader=org.leader)
    content = org_file(records)  # the file from before the ten were hired: they would all end
    before, state = stored_counts(), people_state()

    refused = run_import(content, actor=org.hr.user)
    assert (refused.applied, refused.needs_confirmation) == (False, True)
    assert refused.plan.ends_many
    assert stored_counts() == before
    assert people_state() == state

    confirmed = organisation_import(content=content, file_name="o.csv", actor=org.hr.user, confirm_endings=True)
    assert confirmed.applied
    assert Person.objects.filter(name__startswith="Ekstra", end_date__isnull=False).count() == 10

"""Planning an import: every bad row is reported with its line number and a clear reason, and a
good file becomes a plan of what will be created, changed and ended. Planning never writes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from samtale.org.importing.rows import parse_date
from samtale.org.models import EmploymentType
from samtale.testing.import_files import (
    DANISH,
    error_lines,
    import_plan_for,
    line_of,
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


# build_org has 12 people, on lines 2 to 13; a row added at the end is on line 14.
NEW = 14


@pytest.fixture
def records(org):
    return org_records()


def messages(plan) -> list[str]:
    return [message for _line, message in plan.errors]


def test_the_current_organisation_as_a_file_plans_no_change(org, records):
    plan = import_plan_for(org_file(records))

    assert plan.ok
    assert not plan.has_changes
    assert plan.unchanged == len(records) == 12


def test_the_same_organisation_with_danish_headings_semicolons_and_a_bom_plans_no_change(org, records):
    plan = import_plan_for(org_file(records, headings=DANISH, delimiter=";", bom=True))

    assert plan.ok
    assert not plan.has_changes


def test_planning_writes_nothing(org, records):
    before, state = stored_counts(), people_state()
    records.append(new_record("880001", "Nina Ny", leader=org.leader.employee_number))
    record(records, org.employee.employee_number).update(unit_code="REG", unit_name="Regnskab")
    records.remove(record(records, org.colleague.employee_number))

    plan = import_plan_for(org_file(records))

    assert plan.ok and plan.has_changes
    assert stored_counts() == before
    assert people_state() == state


def test_a_plan_lists_who_is_created_changed_and_ended(org, records):
    records.append(new_record("880001", "Nina Ny", leader=org.leader.employee_number))
    employee = record(records, org.employee.employee_number)
    employee["personnel_leader_number"] = org.former_leader.employee_number
    employee["job_title"] = "Lønkonsulent"
    records.remove(record(records, org.colleague.employee_number))
    content = org_file(records)

    plan = import_plan_for(content)

    assert plan.ok
    assert [row.employee_number for row in plan.create] == ["880001"]
    assert [(row.line, change.fields) for _id, row, change in plan.change] == [
        (
            line_of(records, org.employee.employee_number),
            {
                "job_title": ("", "Lønkonsulent"),
                "personnel_leader": (org.leader.employee_number, org.former_leader.employee_number),
            },
        )
    ]
    assert [number for _id, number, _name, *_rest in plan.end] == [org.colleague.employee_number]
    # Lise no longer leads everyone in Løn (the employee reports to Frode now), so leading the unit,
    # which would keep her in the employee's leader chain, passes to the head above them both.
    assert plan.unit_leaders == {"LON": org.head.employee_number}
    assert plan.summary() == {
        "rows": 12,
        "units_created": 0,
        "units_changed": 0,
        "unit_leaders_changed": 1,
        "created": 1,
        "changed": 1,
        "ended": 1,
        "unchanged": 10,
        "errors": 0,
    }
    preview = plan.preview()
    assert preview["created"] == [
        {"line": line_of(records, "880001"), "employee_number": "880001", "name": "Nina Ny", "unit": "LON"}
    ]
    assert preview["changed"][0]["fields"] == [
        ["job title", "–", "Lønkonsulent"],
        [
            "personnel leader",
            f"Lise Leder ({org.leader.employee_number})",
            f"Frode Førleder ({org.former_leader.employee_number})",
        ],
    ]
    assert preview["ended"] == [{"employee_number": org.colleague.employee_number, "name": "Kåre Kollega"}]


def test_someone_who_has_already_left_is_not_ended_again(org, records):
    yesterday = timezone.localdate() - timedelta(days=1)
    org.colleague.end_date = yesterday
    org.colleague.save()
    records.remove(record(records, org.colleague.employee_number))

    plan = import_plan_for(org_file(records))

    assert plan.end == []


def test_a_duplicate_employee_number_is_reported_with_both_lines(org, records):
    copy = new_record(org.employee.employee_number, "Emil Kopi")
    records.append(copy)

    plan = import_plan_for(org_file(records))

    first = line_of(records, org.employee.employee_number)
    assert plan.errors == [
        (len(records) + 1, f"Employee number {org.employee.employee_number} is also on line {first}.")
    ]


def test_a_duplicate_email_address_is_reported_with_both_lines(org, records):
    records.append(new_record("880001", "Nina Ny", email=org.employee.email.upper()))

    plan = import_plan_for(org_file(records))

    first = line_of(records, org.employee.employee_number)
    assert plan.errors == [(NEW, f"The e-mail address {org.employee.email} is also on line {first}.")]


def test_an_unknown_personnel_leader_is_reported_with_its_line(org, records):
    record(records, org.employee.employee_number)["personnel_leader_number"] = "9999"

    plan = import_plan_for(org_file(records))

    assert plan.errors == [
        (line_of(records, org.employee.employee_number), "personnel_leader_number 9999 is not in the file.")
    ]


def test_an_unknown_daily_leader_is_reported_with_the_heading_as_written(org, records):
    record(records, org.employee.employee_number)["daily_leader_number"] = "9999"

    plan = import_plan_for(org_file(records, headings=DANISH))

    assert plan.errors == [(line_of(records, org.employee.employee_number), "daglig leder 9999 is not in the file.")]


def test_a_leader_who_is_not_in_the_file_any_more_is_unknown(org, records):
    records.remove(record(records, org.leader.employee_number))

    plan = import_plan_for(org_file(records))

    reports = [org.daily_leader, org.employee, org.colleague, org.union_rep]
    assert error_lines(plan) == sorted(line_of(records, p.employee_number) for p in reports)
    assert not plan.has_changes


def test_a_person_who_is_their_own_leader_is_reported(org, records):
    employee = record(records, org.employee.employee_number)
    employee["personnel_leader_number"] = employee["daily_leader_number"] = org.employee.employee_number

    plan = import_plan_for(org_file(records))

    line = line_of(records, org.employee.employee_number)
    assert plan.errors == [
        (line, "The person is their own personnel leader."),
        (line, "The person is their own daily leader."),
    ]


def test_a_leader_loop_is_reported_on_every_line_of_the_loop(org, records):
    # The director would report to the head, who reports to the director.
    record(records, org.director.employee_number)["personnel_leader_number"] = org.head.employee_number

    plan = import_plan_for(org_file(records))

    director, head = line_of(records, org.director.employee_number), line_of(records, org.head.employee_number)
    assert error_lines(plan) == sorted([director, head])
    assert all(m.startswith("Personnel leaders go round in a loop: ") for m in messages(plan))
    assert f"{org.director.employee_number} (line {director})" in messages(plan)[0]
    assert f"{org.head.employee_number} (line {head})" in messages(plan)[0]


def test_a_longer_leader_loop_through_new_people_is_reported(org, records):
    records += [
        new_record("880001", "A", leader="880003"),
        new_record("880002", "B", leader="880001"),
        new_record("880003", "C", leader="880002"),
    ]

    plan = import_plan_for(org_file(records))

    assert error_lines(plan) == [NEW, NEW + 1, NEW + 2]


def test_a_unit_loop_is_reported_with_its_line(org, records):
    # Økonomi would be placed under Løn, which is under Økonomi.
    head = record(records, org.head.employee_number)
    for r in records:
        if r["unit_code"] == "OKO":
            r["parent_unit_code"] = "LON"

    plan = import_plan_for(org_file(records))

    assert plan.errors == [(line_of(records, head["employee_number"]), "Units go round in a loop: OKO → LON → OKO.")]


def test_a_unit_loop_with_a_unit_that_is_only_in_samtale_is_found(org, records):
    # REG has no-one in the file after this, so its parent (OKO) comes from Samtale.
    records.remove(record(records, org.former_leader.employee_number))
    for r in records:
        if r["unit_code"] == "OKO":
            r["parent_unit_code"] = "REG"

    plan = import_plan_for(org_file(records))

    assert plan.errors == [(line_of(records, org.head.employee_number), "Units go round in a loop: OKO → REG → OKO.")]


def test_an_unknown_parent_unit_is_reported(org, records):
    records.append(new_record("880001", "Nina", unit="NY", unit_name="Ny enhed", parent_unit_code="XXX"))

    plan = import_plan_for(org_file(records))

    assert plan.errors == [(NEW, "The parent unit XXX is neither in the file nor in Samtale.")]


def test_a_new_unit_without_a_name_is_reported(org, records):
    records.append(new_record("880001", "Nina", unit="NY", unit_name="", parent_unit_code="KOM"))

    plan = import_plan_for(org_file(records))

    assert plan.errors == [(NEW, "Unit NY is new, so it needs a unit name (unit_name / enhedsnavn).")]


def test_a_unit_given_two_names_or_two_parents_is_reported_on_the_later_line(org, records):
    employee = record(records, org.employee.employee_number)
    employee["unit_name"] = "Lønkontoret"
    employee["parent_unit_code"] = "KOM"

    plan = import_plan_for(org_file(records))

    line = line_of(records, org.employee.employee_number)
    first = line_of(records, org.leader.employee_number)
    assert plan.errors == [
        (line, f"Unit LON is called “Lønkontoret” here but “Løn” on line {first}."),
        (line, f"Unit LON has the parent unit “KOM” here but “OKO” on line {first}."),
    ]


@pytest.mark.parametrize("value", ["soren", "søren@", "a@b", "two words@example.dk", "a@@example.dk"])
def test_an_invalid_email_address_is_reported(org, records, value):
    record(records, org.employee.employee_number)["email"] = value

    plan = import_plan_for(org_file(records))

    assert plan.errors == [
        (line_of(records, org.employee.employee_number), f"“{value.lower()}” is not a valid e-mail address.")
    ]


def test_an_email_address_of_someone_who_is_not_in_the_file_is_reported(org, records):
    records.remove(record(records, org.colleague.employee_number))
    record(records, org.employee.employee_number)["email"] = org.colleague.email

    plan = import_plan_for(org_file(records))

    assert plan.errors == [
        (
            line_of(records, org.employee.employee_number),
            f"The e-mail address {org.colleague.email} belongs to employee number "
            f"{org.colleague.employee_number}, who is not in the file.",
        )
    ]


def test_an_unknown_employment_type_is_reported_with_the_values_to_use(org, records):
    record(records, org.employee.employee_number)["employment_type"] = "Freelancer"

    plan = import_plan_for(org_file(records))

    assert error_lines(plan) == [line_of(records, org.employee.employee_number)]
    assert messages(plan)[0].startswith("Unknown employment type “Freelancer”. Use one of: ")
    assert "fastansat" in messages(plan)[0]
    assert "permanent" in messages(plan)[0]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("permanent", EmploymentType.PERMANENT),
        ("Fastansat", EmploymentType.PERMANENT),
        ("fast ansat", EmploymentType.PERMANENT),
        ("fixed-term", EmploymentType.FIXED_TERM),
        ("Fixed term", EmploymentType.FIXED_TERM),
        ("tidsbegrænset", EmploymentType.FIXED_TERM),
        ("special terms", EmploymentType.SPECIAL_TERMS),
        ("flex job", EmploymentType.SPECIAL_TERMS),
        ("Fleksjob", EmploymentType.SPECIAL_TERMS),
        ("særlige vilkår", EmploymentType.SPECIAL_TERMS),
        ("trainee", EmploymentType.TRAINEE),
        ("Elev", EmploymentType.TRAINEE),
        ("lærling", EmploymentType.TRAINEE),
        ("temp", EmploymentType.TEMP),
        ("VIKAR", EmploymentType.TEMP),
        ("job training", EmploymentType.JOB_TRAINING),
        ("jobtræning", EmploymentType.JOB_TRAINING),
        ("job_training", EmploymentType.JOB_TRAINING),
    ],
)
def test_employment_types_are_understood_in_english_and_danish(org, records, value, kind):
    records.append(new_record("880001", "Nina Ny", employment_type=value))

    plan = import_plan_for(org_file(records))

    assert plan.ok
    assert plan.create[0].values["employment_type"] == kind


@pytest.mark.parametrize("value", ["2026-03-09", "09-03-2026", "9-3-2026", "09.03.2026", "9.3.2026"])
def test_every_date_format_is_understood(value):
    assert parse_date(value) == date(2026, 3, 9)


@pytest.mark.parametrize("value", ["31-02-2026", "2026-02-30", "31.04.2026", "2026-13-01", "00.01.2026"])
def test_an_impossible_date_is_reported_with_its_line(org, records, value):
    records.append(new_record("880001", "Nina Ny", start_date=value))

    plan = import_plan_for(org_file(records))

    assert plan.errors == [(NEW, f"start_date: {value} is not a real date.")]


@pytest.mark.parametrize("value", ["9/3/2026", "March 9, 2026", "2026-03", "i morgen", "20260309"])
def test_a_value_that_is_not_a_date_is_reported_with_the_formats_to_use(org, records, value):
    records.append(new_record("880001", "Nina Ny", end_date=value))

    plan = import_plan_for(org_file(records, headings=DANISH))

    assert plan.errors == [
        (NEW, f"slutdato: “{value}” is not a date. Write dates as YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY.")
    ]


def test_an_end_date_before_the_start_date_is_reported(org, records):
    records.append(new_record("880001", "Nina Ny", start_date="01-08-2026", end_date="31.07.2026"))

    plan = import_plan_for(org_file(records))

    assert plan.errors == [(NEW, "The end date 2026-07-31 is before the start date 2026-08-01.")]


@pytest.mark.parametrize("column", ["employee_number", "name", "email", "unit_code", "employment_type"])
def test_a_missing_required_value_is_reported_with_its_line(org, records, column):
    records.append(new_record("880001", "Nina Ny", **{column: "  "}))

    plan = import_plan_for(org_file(records))

    assert (NEW, f"{column} is empty, but it is required.") in plan.errors
    assert set(error_lines(plan)) == {NEW}


def test_a_value_longer_than_the_database_allows_is_reported(org, records):
    records.append(new_record("880001", "N" * 201))

    plan = import_plan_for(org_file(records))

    assert plan.errors == [(NEW, "name is longer than 200 characters.")]


def test_an_unknown_column_is_reported_on_line_1_and_the_rows_are_not_checked(org, records):
    record(records, org.employee.employee_number)["email"] = "not an address"
    content = org_file(records).replace(b"job_title", b"job title (old)", 1)

    plan = import_plan_for(content)

    assert error_lines(plan) == [1]
    assert messages(plan)[0].startswith("Unknown column “job title (old)”. The columns Samtale reads are: ")


def test_every_bad_row_is_reported_in_line_order(org, records):
    records += [
        new_record("880001", "", leader=org.leader.employee_number),  # NEW: missing name
        new_record("880002", "Bo", email="bo(at)example.dk"),  # NEW + 1: invalid e-mail
        new_record("880003", "Cy", employment_type="konsulent"),  # NEW + 2: unknown employment type
        new_record("880004", "Di", start_date="31-02-2026"),  # NEW + 3: impossible date
        new_record("880005", "Ed", leader="7777"),  # NEW + 4: unknown leader
        new_record("880001", "Fy", email="fy@new.example"),  # NEW + 5: duplicate employee number
    ]
    record(records, org.employee.employee_number)["personnel_leader_number"] = org.employee.employee_number

    plan = import_plan_for(org_file(records))

    first = line_of(records, org.employee.employee_number)
    assert error_lines(plan) == [first, NEW, NEW + 1, NEW + 2, NEW + 3, NEW + 4, NEW + 5]
    assert not plan.create and not plan.change and not plan.end


def test_people_with_errors_still_count_as_leaders_so_only_their_own_row_is_reported(org, records):
    leader = record(records, org.leader.employee_number)
    leader["email"] = "broken"

    plan = import_plan_for(org_file(records))

    assert error_lines(plan) == [line_of(records, org.leader.employee_number)]


def test_a_file_with_only_some_columns_compares_only_those(org, records):
    columns = ["employee_number", "name", "email", "unit_code", "employment_type"]

    plan = import_plan_for(org_file(records, columns=columns))

    assert plan.ok
    assert not plan.has_changes


def test_line_numbers_follow_multi_line_fields(org, records):
    record(records, org.director.employee_number)["job_title"] = "Direktør\n(konstitueret)"
    records.append(new_record("880001", "Nina Ny", email="nina"))

    plan = import_plan_for(org_file(records))

    assert plan.errors == [(NEW + 1, "“nina” is not a valid e-mail address.")]


def test_an_xlsx_with_numbers_and_date_cells_plans_like_the_csv(org, records):
    from samtale.testing.import_files import COLUMN_NAMES, xlsx_file

    new = new_record("880001", "Nina Ny", leader=org.leader.employee_number)
    rows = [COLUMN_NAMES]
    for r in records:
        rows.append([int(r[c]) if c.endswith("number") and r[c] else r[c] for c in COLUMN_NAMES])
    new_row = [new[c] for c in COLUMN_NAMES]
    new_row[0] = 880001.0
    new_row[-2] = date(2026, 8, 1)
    rows.append(new_row)

    plan = import_plan_for(xlsx_file(rows), "organisation.xlsx")

    assert plan.ok, plan.errors
    assert [(row.line, row.employee_number, row.values["start_date"]) for row in plan.create] == [
        (NEW, "880001", date(2026, 8, 1))
    ]
    assert plan.unchanged == 12


def test_errors_come_out_in_the_active_language_with_the_same_line_numbers(org, records):
    records.append(new_record("880001", "Nina Ny", email="nina", start_date="31-02-2026"))
    content = org_file(records)

    with translation.override("en"):
        english = import_plan_for(content)
    with translation.override("da"):
        danish = import_plan_for(content)

    assert english.errors == [
        (NEW, "“nina” is not a valid e-mail address."),
        (NEW, "start_date: 31-02-2026 is not a real date."),
    ] or english.errors == [
        (NEW, "start_date: 31-02-2026 is not a real date."),
        (NEW, "“nina” is not a valid e-mail address."),
    ]
    assert error_lines(danish) == error_lines(english) == [NEW, NEW]

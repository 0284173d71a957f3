"""The competence catalogue, the registered levels and the course catalogue from CSV and XLSX
files: all or nothing, every bad line named by its number, the counters counted again after
levels, the commands, and an export that imports again unchanged."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from samtale.audit.models import AuditEvent
from samtale.competences.defaults import default_scale
from samtale.competences.importing import (
    COMPETENCE_SPEC,
    COURSE_SPEC,
    LEVEL_SPEC,
    ImportResult,
    competences_export,
    competences_import,
    courses_export,
    courses_import,
    levels_import,
    ordered_uuids,
    parse_price,
)
from samtale.competences.models import (
    ChangeSide,
    Competence,
    CompetenceGroup,
    Course,
    CourseSession,
    LevelCount,
    ProviderKind,
    Registration,
    RegistrationChange,
    Scale,
    ScaleLevel,
)
from samtale.org.importing.reader import Columns, ImportFileError
from samtale.testing import Org, csv_bytes
from samtale.testing.import_files import xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# Helpers of this module ---------------------------------------------------------------------------


def a_file(
    spec: Columns, records: list[dict[str, Any]], *, danish: bool = False, delimiter: str = ",", bom: bool = False
) -> bytes:
    """A CSV file of ``records`` (canonical column -> value) with the columns they use, in the spec's order."""
    columns = [column for column in spec.columns if any(column in record for record in records)]
    headings = [spec.columns[column][1 if danish else 0] for column in columns]
    content = csv_bytes(
        [headings, *[[record.get(column, "") for column in columns] for record in records]], delimiter=delimiter
    )
    return b"\xef\xbb\xbf" + content if bom else content


def an_xlsx(spec: Columns, records: list[dict[str, Any]]) -> bytes:
    columns = [column for column in spec.columns if any(column in record for record in records)]
    return xlsx_file([[spec.columns[c][0] for c in columns], *[[r.get(c, "") for c in columns] for r in records]])


def make_competence(
    code: str, name: str = "", *, group: str = CompetenceGroup.PROFESSIONAL, scale: Scale | None = None
) -> Competence:
    return Competence.objects.create(
        code=code, name=name or f"Kompetence {code}", group=group, scale=scale or default_scale()
    )


def three_steps() -> Scale:
    scale = Scale.objects.create(name="Tre trin")
    ScaleLevel.objects.bulk_create([ScaleLevel(scale=scale, value=value) for value in (1, 2, 3)])
    return scale


def lines_of(result: ImportResult) -> list[int]:
    return [line for line, _message in result.errors]


def stored() -> dict[str, Any]:
    """Everything the imports write, to show that a refused file changed nothing."""
    return {
        "competences": list(
            Competence.objects.order_by("pk").values_list("code", "name", "group", "description", "scale_id", "active")
        ),
        "registrations": list(
            Registration.objects.order_by("pk").values_list(
                "person_id", "competence_id", "employee_level", "leader_level", "level"
            )
        ),
        "changes": RegistrationChange.objects.count(),
        "counts": list(LevelCount.objects.order_by("pk").values_list("unit_id", "competence_id", "level", "people")),
        "courses": list(Course.objects.order_by("pk").values_list("code", "title", "price")),
        "sessions": list(CourseSession.objects.order_by("pk").values_list("course_id", "starts_on", "seats")),
        "audit": AuditEvent.objects.count(),
    }


def ahead(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


# The competence catalogue ------------------------------------------------------------------------

CATALOGUE = [
    {"code": "IT-01", "name": "Excel", "group": "Professional", "description": "Regneark og pivottabeller"},
    {"code": "SAM", "name": "Samarbejde", "group": "sociale", "description": "", "active": "no"},
    {"code": "PLAN", "name": "Planlægning", "group": "PERSONLIG", "scale": "Tre trin", "active": "ja"},
]


def test_a_catalogue_with_commas_and_english_headings_is_created():
    three_steps()

    result = competences_import(content=a_file(COMPETENCE_SPEC, CATALOGUE), file_name="k.csv", actor=None)

    assert result.errors == []
    assert (result.rows, result.created, result.changed, result.unchanged, result.applied) == (3, 3, 0, 0, True)
    stored_ = {c.code: c for c in Competence.objects.select_related("scale")}
    assert stored_["IT-01"].group == CompetenceGroup.PROFESSIONAL
    assert stored_["IT-01"].description == "Regneark og pivottabeller"
    assert stored_["IT-01"].scale == default_scale()
    assert stored_["SAM"].group == CompetenceGroup.SOCIAL
    assert stored_["SAM"].active is False
    assert stored_["PLAN"].group == CompetenceGroup.PERSONAL
    assert stored_["PLAN"].scale.name == "Tre trin"
    assert stored_["PLAN"].active is True
    event = AuditEvent.objects.get(action="competences.catalogue_imported")
    assert event.data["created"] == 3


def test_a_catalogue_with_semicolons_and_danish_headings_changes_by_code():
    make_competence("IT-01", "Regneark", group=CompetenceGroup.SOCIAL)
    kept = make_competence("KOM", "Kommunikation", group=CompetenceGroup.SOCIAL)
    Competence.objects.filter(pk=kept.pk).update(description="Skriftlig og mundtlig")
    records = [
        {"code": "IT-01", "name": "Excel", "group": "faglige"},
        {"code": "KOM", "name": "Kommunikation", "group": "social"},
        {"code": "NY", "name": "Ny kompetence", "group": "faglig"},
    ]

    result = competences_import(
        content=a_file(COMPETENCE_SPEC, records, danish=True, delimiter=";", bom=True), file_name="k.csv", actor=None
    )

    assert result.errors == []
    assert (result.created, result.changed, result.unchanged) == (1, 1, 1)
    changed = Competence.objects.get(code="IT-01")
    assert (changed.name, changed.group) == ("Excel", CompetenceGroup.PROFESSIONAL)
    # A column the file does not have is left as it is.
    assert Competence.objects.get(code="KOM").description == "Skriftlig og mundtlig"
    assert Competence.objects.count() == 3


def test_a_catalogue_in_xlsx_is_created():
    result = competences_import(content=an_xlsx(COMPETENCE_SPEC, CATALOGUE[:2]), file_name="k.xlsx", actor=None)

    assert result.errors == []
    assert sorted(Competence.objects.values_list("code", flat=True)) == ["IT-01", "SAM"]


def test_a_dry_run_counts_and_writes_nothing():
    before = stored()

    result = competences_import(
        content=a_file(COMPETENCE_SPEC, CATALOGUE[:2]), file_name="k.csv", actor=None, dry_run=True
    )

    assert (result.created, result.applied) == (2, False)
    assert stored() == before


@pytest.mark.parametrize(
    ("bad", "line", "message"),
    [
        ({"group": "teknisk"}, 3, "“teknisk” is not a competence group."),
        ({"scale": "Fem trin"}, 3, "There is no level scale named “Fem trin”."),
        ({"code": "IT-01"}, 3, "The code IT-01 is also on line 2."),
        ({"name": "x" * 201}, 3, "name is longer than 200 characters."),
        ({"description": "x" * 2001}, 3, "description is longer than 2000 characters."),
        ({"name": ""}, 3, "name is empty, but it is required."),
        ({"active": "måske"}, 3, "active: “måske” is not yes or no."),
        ({"code": "A;B"}, 3, "A code cannot hold a comma or a semicolon"),
    ],
)
def test_a_bad_catalogue_line_is_named_and_nothing_is_written(bad, line, message):
    make_competence("OLD", "Gammel")
    records = [
        {**CATALOGUE[0], "scale": ""},
        {**CATALOGUE[1], "scale": "", **bad},
        {"code": "OLD", "name": "Ændret", "group": "social"},
    ]
    before = stored()

    result = competences_import(content=a_file(COMPETENCE_SPEC, records), file_name="k.csv", actor=None)

    assert lines_of(result) == [line]
    assert message in result.errors[0][1]
    assert not result.applied
    assert stored() == before


def test_the_scale_of_a_registered_competence_cannot_change(org: Org):
    excel = make_competence("IT-01", "Excel")
    Registration.objects.create(person=org.employee, competence=excel, employee_level=3, level=3)
    three_steps()
    before = stored()

    result = competences_import(
        content=a_file(COMPETENCE_SPEC, [{"code": "IT-01", "name": "Excel", "group": "faglig", "scale": "Tre trin"}]),
        file_name="k.csv",
        actor=None,
    )

    assert result.errors == [(2, "People have registered this competence; its scale can no longer change.")]
    assert stored() == before


def test_a_header_without_a_required_column_is_all_that_is_reported():
    result = competences_import(
        content=csv_bytes([["code", "name", "colour"], ["A", "B", "C"]]), file_name="k.csv", actor=None
    )

    assert lines_of(result) == [1, 1]
    assert "Unknown column “colour”" in result.errors[0][1]
    assert "The required column group / gruppe is missing." in result.errors[1][1]


def test_a_file_that_cannot_be_read_at_all_raises():
    with pytest.raises(ImportFileError, match=r"^The file is empty\.$"):
        competences_import(content=b"   ", file_name="k.csv", actor=None)


# The registered levels ---------------------------------------------------------------------------


@pytest.fixture
def catalogue():
    return {"K1": make_competence("K1", "Excel"), "K3": make_competence("K3", "Samarbejde", scale=three_steps())}


def test_levels_are_registered_in_bulk_with_their_history_and_counted(org: Org, catalogue):
    employee, colleague, leader = (
        org.employee.employee_number,
        org.colleague.employee_number,
        org.leader.employee_number,
    )
    records = [
        {
            "employee_number": employee,
            "competence": "K1",
            "level": "4",
            "example": "Lavede budgettet",
            "side": "employee",
        },
        {"employee_number": employee, "competence": "K1", "level": "3", "example": "Bør øve pivot", "side": "leader"},
        {"employee_number": colleague, "competence": "K1", "level": "4", "side": "medarbejder"},
        {"employee_number": colleague, "competence": "K1", "level": "4", "side": "leder"},
        {"employee_number": leader, "competence": "K3", "level": "2", "side": "Leader"},
        {"employee_number": leader, "competence": "K1", "level": "5"},
    ]

    result = levels_import(content=a_file(LEVEL_SPEC, records), file_name="sap.csv", actor=org.admin)

    assert result.errors == []
    assert (result.rows, result.created, result.changed, result.unchanged) == (6, 4, 0, 0)
    own = Registration.objects.get(person=org.employee, competence=catalogue["K1"])
    assert (own.employee_level, own.example, own.leader_level, own.leader_note) == (
        4,
        "Lavede budgettet",
        3,
        "Bør øve pivot",
    )
    assert own.level == 4  # the employee's own, not the leader's
    assert own.settled_at is None
    agreed = Registration.objects.get(person=org.colleague, competence=catalogue["K1"])
    assert agreed.settled_at is not None
    assessed_only = Registration.objects.get(person=org.leader, competence=catalogue["K3"])
    assert (assessed_only.employee_level, assessed_only.leader_level, assessed_only.level) == (None, 2, 2)
    changes = RegistrationChange.objects.filter(registration=own)
    assert sorted(changes.values_list("side", "level", "text")) == [
        (ChangeSide.IMPORTED, 3, "Bør øve pivot"),
        (ChangeSide.IMPORTED, 4, "Lavede budgettet"),
    ]
    assert RegistrationChange.objects.count() == 6
    assert not RegistrationChange.objects.exclude(by=None).exists()
    # Løn has the employee and the colleague at 4 and its leader at 5; Økonomi above it counts them too.
    counts = dict(
        LevelCount.objects.filter(unit=org.payroll, competence=catalogue["K1"]).values_list("level", "people")
    )
    assert counts == {4: 2, 5: 1}
    assert LevelCount.objects.get(unit=org.economy, competence=catalogue["K1"], level=4).people == 2
    assert LevelCount.objects.get(unit=org.root, competence=catalogue["K3"], level=2).people == 1
    event = AuditEvent.objects.get(action="competences.levels_imported")
    assert (event.actor_id, event.data["rows"]) == (org.admin.pk, 6)
    assert AuditEvent.objects.filter(action__startswith="competences.").count() == 1


def test_a_whole_organisations_levels_are_loaded_with_their_keys_checked_once(org: Org, catalogue, monkeypatch):
    """From ``BULK_LOAD`` new registrations on, the keys are checked for all rows at the end (on
    PostgreSQL: ``lib.bulk.foreign_keys_checked_at_end``); what is written is the same."""
    monkeypatch.setattr("samtale.competences.importing.BULK_LOAD", 2)
    records = [
        {"employee_number": person.employee_number, "competence": code, "level": "2"}
        for person in (org.employee, org.colleague, org.leader)
        for code in ("K1", "K3")
    ]

    result = levels_import(content=a_file(LEVEL_SPEC, records), file_name="sap.csv", actor=None)

    assert (result.errors, result.created, result.applied) == ([], 6, True)
    assert Registration.objects.filter(person=org.colleague, competence=catalogue["K3"], level=2).exists()
    assert RegistrationChange.objects.count() == 6
    assert LevelCount.objects.get(unit=org.economy, competence=catalogue["K1"], level=2).people == 3


def test_levels_imported_again_change_what_differs_and_keep_the_rest(org: Org, catalogue):
    employee = org.employee.employee_number
    first = [
        {"employee_number": employee, "competence": "K1", "level": "2"},
        {"employee_number": employee, "competence": "K3", "level": "1"},
    ]
    levels_import(content=a_file(LEVEL_SPEC, first), file_name="sap.csv", actor=None)
    assert levels_import(content=a_file(LEVEL_SPEC, first), file_name="sap.csv", actor=None).unchanged == 2
    assert RegistrationChange.objects.count() == 2

    second = [
        {"employee_number": employee, "competence": "K1", "level": "5"},
        {"employee_number": employee, "competence": "K1", "level": "5", "side": "leader"},
        {"employee_number": employee, "competence": "K3", "level": "1"},
    ]
    result = levels_import(content=a_file(LEVEL_SPEC, second), file_name="sap.csv", actor=None)

    assert (result.created, result.changed, result.unchanged) == (0, 1, 1)
    registration = Registration.objects.get(person=org.employee, competence=catalogue["K1"])
    assert (registration.employee_level, registration.leader_level, registration.level) == (5, 5, 5)
    assert registration.settled_at is not None
    assert RegistrationChange.objects.filter(registration=registration).count() == 3
    assert RegistrationChange.objects.count() == 4
    payroll_k1 = dict(
        LevelCount.objects.filter(unit=org.payroll, competence=catalogue["K1"]).values_list("level", "people")
    )
    assert payroll_k1.get(2, 0) == 0
    assert payroll_k1[5] == 1


def test_an_imported_leader_level_settles_what_the_employee_registered(org: Org, catalogue):
    Registration.objects.create(
        person=org.employee, competence=catalogue["K1"], employee_level=3, example="Budget", level=3
    )

    result = levels_import(
        content=a_file(
            LEVEL_SPEC,
            [{"employee_number": org.employee.employee_number, "competence": "K1", "level": "3", "side": "leader"}],
        ),
        file_name="sap.csv",
        actor=None,
    )

    assert result.changed == 1
    registration = Registration.objects.get(person=org.employee, competence=catalogue["K1"])
    assert (registration.employee_level, registration.example, registration.leader_level) == (3, "Budget", 3)
    assert registration.settled_at is not None


def test_levels_in_xlsx_with_numbers_typed_as_numbers(org: Org, catalogue):
    content = xlsx_file(
        [
            ["Medarbejdernummer", "Kompetence", "Niveau", "Part"],
            [int(org.employee.employee_number), "K1", 6, "medarbejder"],
            [int(org.colleague.employee_number), "K3", 3.0, ""],
        ]
    )

    result = levels_import(content=content, file_name="sap.xlsx", actor=None)

    assert result.errors == []
    assert sorted(Registration.objects.values_list("level", flat=True)) == [3, 6]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"employee_number": "999999"}, "There is no one with employee number 999999."),
        ({"competence": "K9"}, "There is no competence with the code K9."),
        ({"level": "7"}, "Level 7 is not on the scale of “Excel”: 1 to 6."),
        ({"competence": "K3", "level": "4"}, "Level 4 is not on the scale of “Samarbejde”: 1 to 3."),
        ({"level": "fire"}, "level: “fire” is not a level. Write the level as a whole number."),
        ({"level": ""}, "level is empty, but it is required."),
        ({"side": "kollega"}, "side: “kollega” is not a side."),
        ({"example": "x" * 1001}, "example is longer than 1000 characters."),
    ],
)
def test_a_bad_level_line_is_named_and_nothing_is_written(org: Org, catalogue, bad, message):
    employee = org.employee.employee_number
    good = {"employee_number": employee, "competence": "K1", "level": "3", "example": "", "side": "employee"}
    levels_import(content=a_file(LEVEL_SPEC, [good]), file_name="sap.csv", actor=None)
    records = [
        {**good, "level": "4"},
        {"employee_number": org.colleague.employee_number, "competence": "K1", "level": "2", "example": "", "side": ""},
        {**good, "side": "leader", **bad},
    ]
    before = stored()

    result = levels_import(content=a_file(LEVEL_SPEC, records), file_name="sap.csv", actor=None)

    assert result.errors == [(4, message)] or (lines_of(result) == [4] and message in result.errors[0][1])
    assert stored() == before


def test_a_level_given_twice_for_the_same_side_is_named(org: Org, catalogue):
    number = org.employee.employee_number
    records = [
        {"employee_number": number, "competence": "K1", "level": "3"},
        {"employee_number": number, "competence": "K1", "level": "3", "side": "leader"},
        {"employee_number": number, "competence": "K1", "level": "4", "side": "medarbejder"},
    ]

    result = levels_import(content=a_file(LEVEL_SPEC, records), file_name="sap.csv", actor=None)

    assert result.errors == [(4, f"This level of K1 for employee number {number} is also on line 2.")]
    assert not Registration.objects.exists()


def test_ordered_uuids_rise_and_differ():
    uuids = list(ordered_uuids(5000))

    assert uuids == sorted(uuids)
    assert len(set(uuids)) == 5000
    assert {u.version for u in uuids} == {7}


# The course catalogue -----------------------------------------------------------------------------


def course_records() -> list[dict[str, Any]]:
    return [
        {
            "code": "EXC",
            "title": "Excel for øvede",
            "provider_kind": "intern",
            "provider": "HR-Udvikling",
            "description": "Pivottabeller",
            "competences": "K1;K2",
            "price": "1.234,50",
            "session_start": ahead(30).strftime("%d-%m-%Y"),
            "session_end": ahead(31).isoformat(),
            "start_time": "9:00",
            "end_time": "15.30",
            "place": "Rådhuset, mødelokale 2",
            "online": "nej",
            "seats": "12",
            "registration_deadline": ahead(20).isoformat(),
        },
        {
            "code": "EXC",
            "title": "Excel for øvede",
            "session_start": ahead(60).isoformat(),
            "online": "ja",
            "seats": "20",
            "registration_deadline": ahead(50).isoformat(),
        },
        {
            "code": "LED",
            "title": "Lederuddannelse",
            "provider_kind": "External",
            "provider": "Akademiet",
            "price": "45000",
        },
    ]


@pytest.fixture
def course_competences():
    return [make_competence("K1", "Excel"), make_competence("K2", "Regneark")]


def test_courses_with_sessions_with_semicolons_and_danish_headings(course_competences):
    content = a_file(COURSE_SPEC, course_records(), danish=True, delimiter=";", bom=True)
    assert b'"K1;K2"' in content  # the list is quoted where the file's separator is a semicolon

    result = courses_import(content=content, file_name="kurser.csv", actor=None)

    assert result.errors == []
    assert (result.rows, result.created, result.sessions_created) == (3, 2, 2)
    excel = Course.objects.get(code="EXC")
    assert (excel.title, excel.provider_kind, excel.provider, excel.price) == (
        "Excel for øvede",
        ProviderKind.INTERNAL,
        "HR-Udvikling",
        Decimal("1234.50"),
    )
    assert sorted(excel.competences.values_list("code", flat=True)) == ["K1", "K2"]
    first, second = excel.sessions.order_by("starts_on")
    assert (first.starts_on, first.ends_on, first.start_time, first.end_time) == (
        ahead(30),
        ahead(31),
        time(9),
        time(15, 30),
    )
    assert (first.place, first.online, first.seats, first.registration_deadline) == (
        "Rådhuset, mødelokale 2",
        False,
        12,
        ahead(20),
    )
    assert (second.ends_on, second.online, second.seats) == (ahead(60), True, 20)
    leadership = Course.objects.get(code="LED")
    assert (leadership.provider_kind, leadership.price, leadership.sessions.count()) == (
        ProviderKind.EXTERNAL,
        Decimal(45000),
        0,
    )
    assert AuditEvent.objects.filter(action="competences.courses_imported").count() == 1


def test_courses_with_commas_and_in_xlsx(course_competences):
    records = course_records()
    records[0]["competences"] = "K1, K2"
    records[0]["price"] = "1234.50"
    comma = courses_import(content=a_file(COURSE_SPEC, records), file_name="kurser.csv", actor=None)
    assert comma.errors == []
    assert Course.objects.get(code="EXC").price == Decimal("1234.50")
    assert Course.objects.get(code="EXC").competences.count() == 2

    records[1]["session_start"] = ahead(90)  # an Excel date
    records[1]["registration_deadline"] = ahead(80)
    workbook = courses_import(content=an_xlsx(COURSE_SPEC, records), file_name="kurser.xlsx", actor=None)
    assert workbook.errors == []
    assert (workbook.unchanged, workbook.sessions_unchanged, workbook.sessions_created) == (2, 1, 1)
    assert CourseSession.objects.filter(course__code="EXC", starts_on=ahead(90)).exists()


def test_a_course_imported_again_is_changed_and_its_sessions_matched_by_first_day(course_competences):
    courses_import(content=a_file(COURSE_SPEC, course_records()), file_name="kurser.csv", actor=None)
    session = CourseSession.objects.get(course__code="EXC", starts_on=ahead(30))
    records = course_records()
    records[0]["title"] = records[1]["title"] = "Excel, videregående"
    records[0]["seats"] = "15"

    result = courses_import(content=a_file(COURSE_SPEC, records), file_name="kurser.csv", actor=None)

    assert (result.created, result.changed, result.unchanged) == (0, 1, 1)
    assert (result.sessions_created, result.sessions_changed, result.sessions_unchanged) == (0, 1, 1)
    session.refresh_from_db()
    assert session.seats == 15
    assert Course.objects.get(code="EXC").title == "Excel, videregående"
    assert CourseSession.objects.count() == 2


@pytest.mark.parametrize(
    ("bad", "line", "message"),
    [
        (
            {"session_start": ahead(-1).isoformat(), "registration_deadline": ahead(-5).isoformat()},
            3,
            "The session's first day has passed",
        ),
        (
            {"registration_deadline": ahead(70).isoformat()},
            3,
            "The registration deadline must be on or before the first day.",
        ),
        ({"seats": "mange"}, 3, "seats: “mange” is not a number of seats."),
        ({"seats": ""}, 3, "seats is empty, but it is required."),
        ({"start_time": "25:00"}, 3, "start_time: “25:00” is not a time."),
        ({"session_start": "31-02-2030"}, 3, "session_start: 31-02-2030 is not a real date."),
        ({"title": "Excel"}, 3, "The course EXC has another title on line 2."),
        (
            {"session_start": ahead(30).isoformat()},
            3,
            f"The session of EXC on {ahead(30).isoformat()} is also on line 2.",
        ),
        ({"online": "nej"}, 3, "Give the place, or mark the session as online."),
    ],
)
def test_a_bad_session_line_is_named_and_nothing_is_written(course_competences, bad, line, message):
    records = course_records()
    records[1].update(bad)
    before = stored()

    result = courses_import(content=a_file(COURSE_SPEC, records), file_name="kurser.csv", actor=None)

    assert lines_of(result) == [line]
    assert message in result.errors[0][1]
    assert stored() == before


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"competences": "K1;K9"}, "There is no competence with the code K9."),
        ({"price": "mange penge"}, "price: “mange penge” is not a price."),
        ({"price": "12,345"}, "price: “12,345” is not a price."),
        ({"provider_kind": "kommunal"}, "“kommunal” is not a kind of provider."),
        ({"title": ""}, "title is empty, but it is required."),
    ],
)
def test_a_bad_course_line_is_named_and_nothing_is_written(course_competences, bad, message):
    records = course_records()
    records[0].update(bad)
    before = stored()

    result = courses_import(content=a_file(COURSE_SPEC, records), file_name="kurser.csv", actor=None)

    assert lines_of(result) == [2]
    assert message in result.errors[0][1]
    assert stored() == before


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("1.234,50", Decimal("1234.50")),
        ("1234,5", Decimal("1234.50")),
        ("1234.50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("1 234 kr.", Decimal(1234)),
        ("12.500", Decimal(12500)),
        ("0", Decimal(0)),
        ("-5", None),
        ("1,2,3", None),
        ("1.2345", None),
        ("abc", None),
    ],
)
def test_prices_as_danes_and_spreadsheets_write_them(text, price):
    assert parse_price(text) == price


# The commands ----------------------------------------------------------------------------------


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, "--language", "en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_competences_checks_with_dry_run_then_imports(tmp_path):
    path = tmp_path / "kompetencer.csv"
    path.write_bytes(a_file(COMPETENCE_SPEC, CATALOGUE[:2], danish=True, delimiter=";"))

    out, err = run("import_competences", str(path), "--dry-run")
    assert out.strip() == (
        "2 rows. Competences that would be created: 2; changed: 0; unchanged: 0. Nothing was written (--dry-run)."
    )
    assert err == ""
    assert not Competence.objects.exists()

    out, _err = run("import_competences", str(path))
    assert out.strip() == "2 rows. Competences created: 2; changed: 0; unchanged: 0."
    assert Competence.objects.count() == 2


def test_import_competences_reports_every_bad_line_and_imports_nothing(tmp_path):
    path = tmp_path / "kompetencer.csv"
    records = [{**CATALOGUE[0], "group": "teknisk"}, CATALOGUE[1], {**CATALOGUE[1], "name": ""}]
    path.write_bytes(a_file(COMPETENCE_SPEC, records))

    with pytest.raises(CommandError, match=r"^3 errors; nothing was imported\.$"):
        run("import_competences", str(path))

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_competences", str(path), "--language", "en", stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "kompetencer.csv:2: “teknisk” is not a competence group. Write professional, personal or social "
        "(faglig, personlig or social).",
        "kompetencer.csv:4: The code SAM is also on line 3.",
        "kompetencer.csv:4: name is empty, but it is required.",
    ]
    assert not Competence.objects.exists()


def test_import_competences_with_levels_registers_them(org: Org, tmp_path):
    make_competence("K1", "Excel")
    path = tmp_path / "niveauer.csv"
    path.write_bytes(
        a_file(LEVEL_SPEC, [{"employee_number": org.employee.employee_number, "competence": "K1", "level": "2"}])
    )

    out, _err = run("import_competences", str(path), "--levels")

    assert out.strip() == "1 rows. Registrations created: 1; changed: 0; unchanged: 0."
    assert Registration.objects.get().person == org.employee
    assert LevelCount.objects.filter(unit=org.payroll, level=2, people=1).exists()


def test_import_competences_says_a_missing_file_or_a_bad_level(org: Org, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import_competences", str(tmp_path / "findes-ikke.csv"))
    make_competence("K1", "Excel")
    path = tmp_path / "niveauer.csv"
    path.write_bytes(
        a_file(LEVEL_SPEC, [{"employee_number": org.employee.employee_number, "competence": "K1", "level": "9"}])
    )

    err = StringIO()
    with pytest.raises(CommandError, match=r"^1 error; nothing was imported\.$"):
        call_command("import_competences", str(path), "--levels", "--language", "en", stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == "niveauer.csv:2: Level 9 is not on the scale of “Excel”: 1 to 6."
    assert not Registration.objects.exists()


def test_import_courses_applies_the_file(course_competences, tmp_path):
    path = tmp_path / "kurser.xlsx"
    path.write_bytes(an_xlsx(COURSE_SPEC, course_records()))

    out, _err = run("import_courses", str(path))

    assert out.strip() == (
        "3 rows. Courses created: 2; changed: 0; unchanged: 0. Sessions created: 2; changed: 0; unchanged: 0."
    )
    assert CourseSession.objects.count() == 2


def test_import_courses_in_danish_refuses_a_session_in_the_past(course_competences, tmp_path):
    records = course_records()
    records[1].update(session_start=ahead(-3).isoformat(), registration_deadline=ahead(-10).isoformat())
    path = tmp_path / "kurser.csv"
    path.write_bytes(a_file(COURSE_SPEC, records))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_courses", str(path), "--language", "da", stdout=StringIO(), stderr=err)

    assert err.getvalue().startswith("kurser.csv:3: ")
    assert not Course.objects.exists()


# The exports import again unchanged ----------------------------------------------------------------


def a_catalogue_with_everything() -> None:
    tre = three_steps()
    make_competence("IT-01", "Excel; regneark", group=CompetenceGroup.PROFESSIONAL)
    make_competence("SAM", 'Samarbejde "på tværs"', group=CompetenceGroup.SOCIAL, scale=tre)
    odd = make_competence("=SUM", "Formel", group=CompetenceGroup.PERSONAL)
    Competence.objects.filter(pk=odd.pk).update(description="-1 er ikke et tal\nanden linje", active=False)
    excel = Competence.objects.get(code="IT-01")
    course = Course.objects.create(
        code="EXC", title="Excel", provider_kind=ProviderKind.INTERNAL, price=Decimal("1234.50")
    )
    course.competences.set([excel, odd])
    CourseSession.objects.create(
        course=course,
        starts_on=ahead(10),
        ends_on=ahead(11),
        start_time=time(9),
        end_time=time(15, 30),
        place="Rådhuset",
        seats=12,
        registration_deadline=ahead(5),
    )
    # A session that has passed is exported and imported again unchanged.
    CourseSession.objects.create(
        course=course, starts_on=ahead(-30), ends_on=ahead(-30), online=True, seats=8, registration_deadline=ahead(-40)
    )
    Course.objects.create(
        code="LED", title="Lederuddannelse", provider_kind=ProviderKind.EXTERNAL, provider="@kademiet"
    )


@pytest.mark.parametrize(("format_", "name"), [("csv", "k.csv"), ("xlsx", "k.xlsx")])
def test_an_export_imports_again_unchanged(format_, name):
    a_catalogue_with_everything()
    before = stored()

    competences = competences_import(content=competences_export(format_), file_name=name, actor=None)
    courses = courses_import(content=courses_export(format_), file_name=name, actor=None)

    assert competences.errors == []
    assert (competences.rows, competences.created, competences.changed, competences.unchanged) == (3, 0, 0, 3)
    assert courses.errors == []
    assert (courses.rows, courses.created, courses.changed, courses.unchanged) == (3, 0, 0, 2)
    assert (courses.sessions_created, courses.sessions_changed, courses.sessions_unchanged) == (0, 0, 2)
    after = stored()
    assert after["audit"] == before["audit"] + 2
    assert {**after, "audit": 0} == {**before, "audit": 0}


def test_the_export_writes_the_imports_columns_and_disarms_formulas():
    a_catalogue_with_everything()

    text = competences_export("csv").decode("utf-8")
    courses = courses_export("csv").decode("utf-8")

    assert text.startswith("\ufeff")
    assert text.splitlines()[0] == "\ufeff" + ";".join(aliases[1] for aliases in COMPETENCE_SPEC.columns.values())
    assert "'=SUM;Formel;personlige;\"'-1 er ikke et tal" in text
    assert courses.splitlines()[0] == "\ufeff" + ";".join(aliases[1] for aliases in COURSE_SPEC.columns.values())
    assert "'@kademiet" in courses
    assert "1234,50" in courses
    with pytest.raises(ValueError, match="Unknown format"):
        competences_export("pdf")


def test_a_changed_export_changes_only_what_was_changed():
    a_catalogue_with_everything()
    text = (
        competences_export("csv")
        .decode("utf-8")
        .replace("Lederuddannelse", "x")
        .replace(";Excel; regneark;", ";Excel;")
    )
    text = text.replace('"Excel; regneark"', "Excel og regneark")

    result = competences_import(content=text.encode("utf-8"), file_name="k.csv", actor=None)

    assert (result.changed, result.unchanged) == (1, 2)
    assert Competence.objects.get(code="IT-01").name == "Excel og regneark"

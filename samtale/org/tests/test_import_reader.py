"""Reading HR exports: CSV in the encodings and separators HR systems and Excel write, XLSX,
headers in English or Danish, line numbers as the user sees them, and clear errors for files
that cannot be read at all."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.utils import translation

from samtale.org.importing.reader import ImportFileError, read_table
from samtale.testing import csv_bytes
from samtale.testing.import_files import COLUMN_NAMES, DANISH, ENGLISH, xlsx_file

HEADER = [ENGLISH[column] for column in COLUMN_NAMES]
DANISH_HEADER = [DANISH[column] for column in COLUMN_NAMES]
ROW = ["1001", "Søren Ærø", "soren@example.dk", "LON", "Løn", "OKO", "Lønkonsulent", "fastansat", "", "", "", ""]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def read(content: bytes, name: str = "organisation.csv"):
    return read_table(content, name)


def test_english_headers_in_any_order_are_understood():
    header = list(reversed(HEADER))
    table = read(csv_bytes([header, list(reversed(ROW))]))

    assert table.header_errors == []
    assert table.rows == [(2, dict(zip(COLUMN_NAMES, ROW, strict=True)))]


def test_danish_headers_with_any_capitalisation_are_understood():
    header = [h.capitalize() for h in DANISH_HEADER]
    table = read(csv_bytes([header, ROW]))

    assert table.header_errors == []
    assert table.headings["employment_type"] == "Ansættelsestype"
    assert table.rows[0][1]["employee_number"] == "1001"
    assert table.rows[0][1]["daily_leader_number"] == ""


def test_headers_with_underscores_spaces_or_hyphens_are_the_same_column():
    header = ["Employee Number", "NAME", "e_mail", "unit-code", "employment type"]
    table = read(csv_bytes([header, ["1", "A", "a@example.dk", "LON", "permanent"]]))

    assert table.header_errors == []
    assert table.columns == ["employee_number", "name", "email", "unit_code", "employment_type"]


def test_semicolon_separated_file_is_read():
    table = read(csv_bytes([DANISH_HEADER, ROW], delimiter=";"))

    assert table.header_errors == []
    assert table.rows[0][1]["name"] == "Søren Ærø"


def test_utf8_file_with_a_byte_order_mark_as_excel_writes_it_is_read():
    content = b"\xef\xbb\xbf" + csv_bytes([DANISH_HEADER, ROW], delimiter=";")
    table = read(content)

    assert table.header_errors == []
    assert table.columns[0] == "employee_number"
    assert table.rows[0][1]["unit_name"] == "Løn"


def test_windows_1252_file_is_read_with_danish_letters():
    content = csv_bytes([DANISH_HEADER, ROW], delimiter=";", encoding="cp1252")
    assert "æ".encode("cp1252") in content  # really not UTF-8

    table = read(content)

    assert table.header_errors == []
    assert table.rows[0][1]["name"] == "Søren Ærø"
    assert table.headings["employment_type"] == "ansættelsestype"


def test_a_multi_line_quoted_field_is_reported_on_the_line_where_its_record_starts():
    second = [*ROW]
    second[0], second[2], second[6] = "1002", "b@example.dk", "Konsulent\nog\ntillidsrepræsentant"
    third = [*ROW]
    third[0], third[2] = "1003", "c@example.dk"
    table = read(csv_bytes([HEADER, ROW, second, third]))

    assert [line for line, _values in table.rows] == [2, 3, 6]
    assert table.rows[1][1]["job_title"] == "Konsulent\nog\ntillidsrepræsentant"


def test_blank_lines_are_skipped_but_still_count_as_lines():
    content = csv_bytes([HEADER, ROW]) + b"\r\n\r\n" + csv_bytes([["1002", *ROW[1:]]])
    table = read(content)

    assert [line for line, _values in table.rows] == [2, 5]


def test_a_trailing_newline_free_file_and_lone_newlines_give_the_same_lines():
    content = ",".join(HEADER).encode() + b"\n" + ",".join(ROW).encode()
    assert [line for line, _ in read(content).rows] == [2]


def test_an_unknown_column_is_reported_on_line_1_with_its_heading():
    table = read(csv_bytes([[*HEADER, "Lønramme"], [*ROW, "32"]]))

    assert [line for line, _ in table.header_errors] == [1]
    assert "Unknown column “Lønramme”" in table.header_errors[0][1]


def test_a_missing_required_column_is_reported_with_both_spellings():
    header = [h for h in HEADER if h != "email"]
    table = read(csv_bytes([header, [v for h, v in zip(HEADER, ROW, strict=True) if h != "email"]]))

    assert table.header_errors == [(1, "The required column email / e-mail is missing.")]


def test_a_column_given_in_both_languages_is_reported_as_appearing_twice():
    table = read(csv_bytes([[*HEADER, "navn"], [*ROW, "Søren"]]))

    assert table.header_errors == [(1, "The column “navn” appears twice.")]


def test_empty_trailing_header_cells_from_a_spreadsheet_are_ignored():
    table = read(csv_bytes([[*HEADER, "", ""], [*ROW, "", ""]]))

    assert table.header_errors == []


def test_a_line_with_more_values_than_columns_is_reported_with_its_line():
    table = read(csv_bytes([HEADER, ROW, [*ROW, "extra"]]))

    assert table.header_errors == [(3, "The line has more values than the file has columns.")]


@pytest.mark.parametrize("content", [b"", b"   \r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\r\n"])
def test_an_empty_file_gives_a_clear_error(content):
    with pytest.raises(ImportFileError) as raised:
        read(content)

    assert raised.value.message == "The file is empty."


def test_a_file_larger_than_the_limit_is_refused_before_it_is_parsed(settings):
    settings.SAMTALE_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    content = b"\x00" * (2 * 1024 * 1024 + 1)  # would fail parsing if it got that far

    with pytest.raises(ImportFileError) as raised:
        read(content)

    assert raised.value.message == "The file is 2.0 MB; the limit is 2 MB."


def test_a_csv_file_with_more_rows_than_the_limit_is_refused(settings):
    settings.SAMTALE_IMPORT_MAX_ROWS = 3
    rows = [HEADER, *[[str(1000 + i), *ROW[1:]] for i in range(4)]]

    with pytest.raises(ImportFileError) as raised:
        read(csv_bytes(rows))
    assert raised.value.message == "The file has more than 3 rows, which is the limit."

    assert len(read(csv_bytes(rows[:4])).rows) == 3


def test_an_xlsx_file_with_more_rows_than_the_limit_is_refused(settings):
    settings.SAMTALE_IMPORT_MAX_ROWS = 3
    rows = [HEADER, *[[str(1000 + i), *ROW[1:]] for i in range(4)]]

    with pytest.raises(ImportFileError) as raised:
        read(xlsx_file(rows), "organisation.xlsx")
    assert raised.value.message == "The file has more than 3 rows, which is the limit."

    assert len(read(xlsx_file(rows[:4]), "organisation.xlsx").rows) == 3


def test_an_xlsx_made_in_excel_is_read_with_numbers_and_date_cells():
    from datetime import datetime

    rows = [
        DANISH_HEADER,
        [
            1001,
            "Søren Ærø",
            "soren@example.dk",
            "LON",
            "Løn",
            "OKO",
            "Lønkonsulent",
            "Fastansat",
            900,
            None,
            datetime(2019, 8, 1),
            date(2027, 1, 31),
        ],
        [1002.0, "Åse Bøgh", "aase@example.dk", 4711, "Team 4711", None, None, "vikar", "1001", "", "01.02.2020", None],
    ]
    table = read(xlsx_file(rows), "organisation.xlsx")

    assert table.header_errors == []
    (line1, first), (line2, second) = table.rows
    assert (line1, line2) == (2, 3)
    assert first["employee_number"] == "1001"
    assert first["personnel_leader_number"] == "900"
    assert first["start_date"] == date(2019, 8, 1)
    assert first["end_date"] == date(2027, 1, 31)
    assert second["employee_number"] == "1002"
    assert second["unit_code"] == "4711"
    assert second["start_date"] == "01.02.2020"
    assert second["parent_unit_code"] == ""


def test_an_xlsx_is_recognised_by_its_content_even_when_named_csv():
    table = read(xlsx_file([HEADER, ROW]), "organisation.csv")

    assert table.rows[0][1]["name"] == "Søren Ærø"


NOT_XLSX = "The file is not a valid Excel (.xlsx) file. Save it again from Excel, or as CSV."


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(bytes(range(256)) * 40, id="random bytes"),
        pytest.param(b"PK\x03\x04" + b"\x17" * 500, id="a broken zip"),
        pytest.param(_zip({"hello.txt": b"hello"}), id="a zip without a workbook"),
        pytest.param(_zip({"xl/workbook.xml": b"<not xml"}), id="a zip with a broken workbook"),
        pytest.param(
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
            id="a zip with an empty workbook",
        ),
    ],
)
def test_a_file_named_xlsx_that_is_not_a_real_xlsx_gives_a_clear_error(content):
    with pytest.raises(ImportFileError) as raised:
        read(content, "organisation.xlsx")

    assert raised.value.message == NOT_XLSX


def test_an_xlsx_whose_sheet_is_corrupt_gives_a_clear_error():
    good = xlsx_file([HEADER, ROW])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    files["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row><c t='s'><v>x"

    with pytest.raises(ImportFileError) as raised:
        read(_zip(files), "organisation.xlsx")

    assert raised.value.message == NOT_XLSX


def test_an_old_excel_file_is_refused_with_advice():
    with pytest.raises(ImportFileError) as raised:
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "organisation.xls")

    assert ".xls" in raised.value.message
    assert "Save the file as .xlsx or CSV" in raised.value.message


def test_a_binary_file_named_csv_is_refused():
    with pytest.raises(ImportFileError) as raised:
        read(b"\x00\x01\x02binary" * 10, "organisation.csv")

    assert raised.value.message == "This is not a text file. Upload a CSV or XLSX file."


def test_a_file_in_an_unknown_encoding_is_refused_with_advice():
    content = ",".join(HEADER).encode() + b"\r\n1001,S\x81ren" + b",x" * 10 + b"\r\n"

    with pytest.raises(ImportFileError) as raised:
        read(content)

    assert "Save it as UTF-8 or Windows-1252" in raised.value.message


def test_a_cell_the_export_protected_against_formulas_is_read_as_its_value():
    # The export writes '=… for a value starting with =, so a spreadsheet shows it as text.
    row = [*ROW]
    row[6] = "'=Konsulent"
    table = read(csv_bytes([HEADER, row]))

    assert table.rows[0][1]["job_title"] == "=Konsulent"


def test_a_value_starting_with_an_apostrophe_is_otherwise_kept():
    row = [*ROW]
    row[1] = "'t Hooft"
    table = read(csv_bytes([HEADER, row]))

    assert table.rows[0][1]["name"] == "'t Hooft"


def test_a_file_with_carriage_returns_alone_is_counted_before_it_is_read(settings):
    settings.SAMTALE_IMPORT_MAX_ROWS = 2
    content = csv_bytes([HEADER, ROW, ROW, ROW]).replace(b"\r\n", b"\r")
    with pytest.raises(ImportFileError) as raised:
        read(content)
    assert "more than 2 rows" in raised.value.message


def test_a_runaway_quotation_mark_is_explained_in_the_user_s_language():
    content = csv_bytes([HEADER]) + b'1001,"S\xc3\xb8ren' + b"x" * 140_000 + b"\r\n"
    with translation.override("da"), pytest.raises(ImportFileError) as raised:
        read(content)
    assert raised.value.line == 2
    assert "field limit" not in raised.value.message

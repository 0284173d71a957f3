"""Reading an HR system's export: CSV (comma, semicolon or tab; UTF-8 with or without BOM,
or Windows-1252) or XLSX, with English or Danish headers in any order.

The reader checks size and row count before it parses, and turns every problem with the
file as a whole into an ``ImportFileError`` with a message for the user. What columns a file
has is a ``Columns`` spec: the organisation's (``ORG_SPEC``) by default; other imports (the
competence catalogue, the registered levels, the courses) pass their own.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from samtale.lib.spreadsheet import FORMULA_STARTS

# Canonical column -> the header spellings accepted for it (compared after normalising).
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_number": ("employee_number", "medarbejdernummer"),
    "name": ("name", "navn"),
    "email": ("email", "e-mail"),
    "unit_code": ("unit_code", "enhedskode"),
    "unit_name": ("unit_name", "enhedsnavn"),
    "parent_unit_code": ("parent_unit_code", "overordnet enhedskode"),
    "unit_leader_number": ("unit_leader_number", "enhedsleder"),
    "job_title": ("job_title", "stilling"),
    "employment_type": ("employment_type", "ansættelsestype"),
    "personnel_leader_number": ("personnel_leader_number", "personaleleder"),
    "daily_leader_number": ("daily_leader_number", "daglig leder"),
    "start_date": ("start_date", "startdato"),
    "end_date": ("end_date", "slutdato"),
}
REQUIRED_COLUMNS = ("employee_number", "name", "email", "unit_code", "employment_type")


def normalise_header(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().lower())


@dataclass(frozen=True)
class Columns:
    """The columns a kind of file has: canonical column -> the header spellings accepted for it
    (English first, then Danish), and the columns it must have. ``limit_factor`` is how many
    times the settings' limits (bytes and rows) such a file may be: the registered levels have a
    line per person and competence."""

    columns: dict[str, tuple[str, ...]] = field(hash=False)
    required: tuple[str, ...]
    limit_factor: int = 1

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Normalised header -> canonical column."""
        return {normalise_header(alias): column for column, aliases in self.columns.items() for alias in aliases}

    def documented(self) -> list[tuple[str, str, bool]]:
        """(English heading, Danish heading, required) for the help text of an import."""
        return [(aliases[0], aliases[1], column in self.required) for column, aliases in self.columns.items()]


ORG_SPEC = Columns(COLUMNS, REQUIRED_COLUMNS)


def documented_columns(spec: Columns = ORG_SPEC) -> list[tuple[str, str, bool]]:
    """(English heading, Danish heading, required) for the help text of the import page."""
    return spec.documented()


# An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 400 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read. ``line`` is set when the problem is on one line
    (the header)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Table:
    columns: list[str]  # canonical names in file order; "" for a column that is not understood
    headings: dict[str, str] = field(default_factory=dict)  # canonical name -> heading as written
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (line number, values)
    header_errors: list[tuple[int, str]] = field(default_factory=list)


def check_size(size: int, spec: Columns = ORG_SPEC) -> None:
    """Refuse a file over the size limit; callers that know the size before reading the file
    (an upload, a path) check it first."""
    max_bytes = settings.SAMTALE_IMPORT_MAX_BYTES * spec.limit_factor
    if size > max_bytes:
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": max_bytes // 1024 // 1024}
        )


def read_table(content: bytes, file_name: str, spec: Columns = ORG_SPEC) -> Table:
    """The file's rows, by ``spec``'s canonical columns."""
    check_size(len(content), spec)
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    looks_like_zip = content[:4] == b"PK\x03\x04"
    if file_name.lower().endswith((".xlsx", ".xlsm")) or looks_like_zip:
        return _read_xlsx(content, spec)
    if file_name.lower().endswith(".xls"):
        raise ImportFileError(_("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV and try again."))
    return _read_csv(content, spec)


def _decode(content: bytes) -> str:
    if b"\x00" in content[:4096]:
        raise ImportFileError(_("This is not a text file. Upload a CSV or XLSX file."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's characters could not be read. Save it as UTF-8 or Windows-1252 and try again.")
        ) from None


def _max_rows(spec: Columns) -> int:
    return int(settings.SAMTALE_IMPORT_MAX_ROWS) * spec.limit_factor


def _check_row_count(count: int, spec: Columns) -> None:
    limit = _max_rows(spec)
    if count > limit:
        raise ImportFileError(_("The file has more than %(limit)s rows, which is the limit.") % {"limit": f"{limit:,}"})


def _read_csv(content: bytes, spec: Columns) -> Table:
    # Counting line breaks is cheap and bounds the work before anything is parsed (old Mac
    # files end their lines with a carriage return alone).
    _check_row_count(max(content.count(b"\n"), content.count(b"\r")) - 1, spec)
    text = _decode(content)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))  # a byte order mark and blank lines
    first_line = text.splitlines()[0] if text else ""
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error as error:
        raise ImportFileError(_csv_problem(error, 1), line=1) from None
    table = _table_for_header(header, spec)
    known = [(index, column) for index, column in enumerate(table.columns) if column]
    previous_end = reader.line_num
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            _add_text_row(table, start, record, known)
    except csv.Error as error:
        raise ImportFileError(_csv_problem(error, previous_end + 1), line=previous_end + 1) from None
    return table


def _csv_problem(error: csv.Error, line: int) -> str:
    """Python's CSV errors, said in the user's language."""
    if "field larger than field limit" in str(error):
        return _("Line %(line)s has a value longer than %(limit)s characters; perhaps a quotation mark is missing.") % {
            "line": line,
            "limit": f"{csv.field_size_limit():,}",
        }
    return _("Line %(line)s could not be read; perhaps a quotation mark is missing.") % {"line": line}


def _read_xlsx(content: bytes, spec: Columns) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    not_xlsx = _("The file is not a valid Excel (.xlsx) file. Save it again from Excel, or as CSV.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise ImportFileError(_("The Excel file is too large when unpacked."))
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportFileError(not_xlsx)
    except zipfile.BadZipFile:
        raise ImportFileError(not_xlsx) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    # SyntaxError: the XML parsers' errors (ElementTree's and lxml's) derive from it.
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, SyntaxError):
        raise ImportFileError(not_xlsx) from None
    try:
        sheet = workbook.worksheets[0]
        if sheet.max_row is not None:
            _check_row_count(sheet.max_row - 1, spec)
        rows = sheet.iter_rows(values_only=True)
        header_cells = next(rows, None)
        if header_cells is None:
            raise ImportFileError(_("The file is empty."))
        table = _table_for_header([_cell_text(cell) for cell in header_cells], spec)
        max_rows = _max_rows(spec)
        for line, cells in enumerate(rows, start=2):
            if line - 1 > max_rows:
                _check_row_count(line - 1, spec)
            _add_row(table, line, [_cell_value(cell) for cell in cells])
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, SyntaxError):
        raise ImportFileError(not_xlsx) from None
    finally:
        workbook.close()
    return table


def _cell_text(cell: Any) -> str:
    value = _cell_value(cell)
    return "" if value is None else str(value)


def _cell_value(cell: Any) -> Any:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # employee numbers typed as numbers in Excel
    return str(cell)


def _table_for_header(header: list[str], spec: Columns) -> Table:
    columns: list[str] = []
    headings: dict[str, str] = {}
    errors: list[tuple[int, str]] = []
    seen: set[str] = set()
    # Trailing empty header cells are common in spreadsheets; they are ignored.
    while header and not str(header[-1]).strip():
        header = header[:-1]
    for raw in header:
        name = str(raw).strip()
        column = spec.lookup.get(normalise_header(name))
        if column is None:
            errors.append(
                (
                    1,
                    _("Unknown column “%(column)s”. The columns Samtale reads are: %(known)s.")
                    % {"column": name or _("(no heading)"), "known": ", ".join(spec.columns)},
                )
            )
            columns.append("")
        elif column in seen:
            errors.append((1, _("The column “%(column)s” appears twice.") % {"column": name}))
            columns.append("")
        else:
            seen.add(column)
            columns.append(column)
            headings[column] = name
    for required in spec.required:
        if required not in seen:
            aliases = " / ".join(spec.columns[required])
            errors.append((1, _("The required column %(column)s is missing.") % {"column": aliases}))
    return Table(columns=columns, headings=headings, header_errors=errors)


def _add_row(table: Table, line: int, cells: list[Any]) -> None:
    if not any(str(cell).strip() for cell in cells if cell is not None):
        return  # blank lines are skipped
    values: dict[str, Any] = {}
    for index, column in enumerate(table.columns):
        if not column:
            continue
        cell = cells[index] if index < len(cells) else ""
        if isinstance(cell, str):
            cell = cell.strip()
            if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
                cell = cell[1:]  # protected against formulas by our export (lib.spreadsheet)
        values[column] = cell
    if len(cells) > len(table.columns) and any(str(c).strip() for c in cells[len(table.columns) :]):
        table.header_errors.append((line, _("The line has more values than the file has columns.")))
    table.rows.append((line, values))


def _add_text_row(table: Table, line: int, cells: list[str], known: list[tuple[int, str]]) -> None:
    """``_add_row`` for a CSV line, whose cells are all text: the same, in fewer steps (a file of
    registered levels has a million lines). ``known`` is the (index, column) of every column
    understood."""
    joined = "".join(cells)
    if not joined.strip():
        return  # blank lines are skipped
    count, width = len(cells), len(table.columns)
    if count >= width:
        values = {column: cells[index].strip() for index, column in known}
    else:
        values = {column: cells[index].strip() if index < count else "" for index, column in known}
    if "'" in joined:
        for column, cell in values.items():
            if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
                values[column] = cell[1:]  # protected against formulas by our export (lib.spreadsheet)
    if count > width and "".join(cells[width:]).strip():
        table.header_errors.append((line, _("The line has more values than the file has columns.")))
    table.rows.append((line, values))

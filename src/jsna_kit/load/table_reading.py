"""Reading a user's table as a spreadsheet user sees it: cells as text, with the row numbers
Excel shows (header = row 1), whatever the file's encoding or format.

Handles UTF-8 with or without a byte-order mark, Windows-1252 (what Excel's plain 'CSV' save
writes), UTF-16 ('Unicode text'), comma/semicolon/tab delimiters and XLSX workbooks (first sheet
or a named one). Every problem becomes a ``Problem``; nothing here raises on a bad file.
Also here: matching the header row to a template's columns.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from jsna_kit.errors import Problem
from jsna_kit.load.text import clean_text

#: Far more lines than any file jsna-kit reads: the analyst's templates (``templates.MAX_ROWS``) and
#: Fingertips exports of the catalogue's indicators (tens of thousands of rows) alike. Such a file
#: is refused before it is parsed, so a wrong file cannot take minutes and gigabytes to read.
MAX_LINES = 200_000
_SAVE_AS_CSV_UTF8 = "save it from Excel as 'CSV UTF-8 (Comma delimited)'"
_SAVE_FIX = "Save it from Excel as 'CSV UTF-8 (Comma delimited)'"


@dataclass
class RawTable:
    """A file's cells as stripped text. ``rows[i]`` is spreadsheet row ``row_numbers[i]``."""

    file: str
    encoding: str | None = None
    delimiter: str | None = None  # for text files: ',', ';' or a tab
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header_row: int = 1
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    infos: list[Problem] = field(default_factory=list)

    def problem(self, message: str, fix: str = "", *, row: int | None = None,
                column: str | None = None, value: object = None) -> Problem:
        return Problem(self.file, row, column, value, message, fix)


def read_table(path: str | Path, *, sheet: str | None = None) -> RawTable:
    """Read ``path`` (CSV/TSV text or XLSX) into a ``RawTable``; problems are collected on it."""
    path = Path(path)
    table = RawTable(file=path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        table.errors.append(table.problem(f"Cannot open the file ({exc.strerror or exc})",
                                          "Check the path and that the file is not open elsewhere"))
        return table
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        table.errors.append(table.problem(
            "The file is empty (0 bytes)" if not data else "The file is empty (no header, no data)",
            "Start from the template in templates/, which has the header row, and add one row per area"))
        return table
    lines = data.count(b"\n") + data.count(b"\n\x00")  # UTF-16 too
    if lines > MAX_LINES:
        table.errors.append(table.problem(
            f"The file has about {lines:,} lines: far more than any file jsna-kit reads (a caseload file for all 175 "
            "areas, by sex and age band, over several years, has a few thousand rows)",
            "Check it is the right file; if it is, keep only the rows you need (for example the latest year)"))
        return table
    if data.startswith(b"PK\x03\x04"):
        _read_xlsx(table, data, sheet)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        table.errors.append(table.problem("This is an old Excel .xls workbook, which cannot be read",
                                          "Save it as .xlsx or as 'CSV UTF-8' from Excel"))
        return table
    else:
        _read_text(table, data)
    if not table.header and not table.errors:
        table.errors.append(table.problem("The file has no header row", "Add the template's header row"))
    elif table.header and not table.rows and not table.errors:
        table.errors.append(table.problem(
            "The file has a header row but no data rows", "Add one row per area below the header",
            row=table.header_row))
    return table


# --- text files ------------------------------------------------------------------------------

def _decode(table: RawTable, data: bytes) -> str | None:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                table.errors.append(table.problem(
                    f"The file starts with a {encoding} byte-order mark but is not valid {encoding}",
                    _SAVE_FIX, row=_line_of(data, exc.start)))
                return None
            table.encoding = encoding
            if encoding == "utf-8-sig":
                table.infos.append(table.problem(
                    "Read as UTF-8 with a byte-order mark (Excel's 'CSV UTF-8'); nothing to fix"))
            else:
                table.infos.append(table.problem(
                    "Read as UTF-16 text (Excel's 'Unicode Text'); nothing to fix"))
            return text.lstrip("\ufeff")
    try:
        table.encoding = "utf-8"
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        table.encoding = None
        table.errors.append(table.problem(
            "The file is neither UTF-8 nor Windows-1252 text, so it cannot be read",
            _SAVE_FIX, row=_line_of(data, exc.start)))
        return None
    table.encoding = "cp1252"
    return text


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_text(table: RawTable, data: bytes) -> None:
    text = _decode(table, data)
    if text is None:
        return
    records = []
    try:
        table.delimiter = _delimiter(text)
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter):
            records.append(record)
    except csv.Error as exc:
        table.errors.append(table.problem(
            f"The file cannot be read as CSV ({exc})", 'Look for a stray double quote (") at or before this '
            "row, or open the file in Excel and save it again as 'CSV UTF-8'", row=len(records) + 1))
        return
    # Excel's row n is the n-th record: a quoted cell spanning lines is still one row
    _take_rows(table, [(i, [str(c) for c in r]) for i, r in enumerate(records, start=1)])
    if table.encoding == "cp1252":
        _warn_cp1252(table)


def _warn_cp1252(table: RawTable) -> None:
    # point at the first cell with a non-ASCII character: the one to eyeball after decoding
    row, column, value = None, None, None
    numbered = zip([table.header_row, *table.row_numbers], [table.header, *table.rows], strict=True)
    for number, cells in numbered:
        position = next((i for i, cell in enumerate(cells) if any(ord(ch) > 127 for ch in cell)), None)
        if position is not None:
            row, value = number, cells[position]
            column = table.header[position] if position < len(table.header) else None
            break
    table.warnings.append(table.problem(
        "The file is not UTF-8: it was read as Windows-1252 (Excel's plain 'CSV' format)",
        f"Check accented letters and symbols look right here and elsewhere; to avoid this, "
        f"{_SAVE_AS_CSV_UTF8}", row=row, column=column, value=value))


# --- workbooks -------------------------------------------------------------------------------

def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(table: RawTable, data: bytes, sheet: str | None) -> None:
    from openpyxl import load_workbook

    table.encoding = "xlsx"
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        table.errors.append(table.problem(f"The workbook cannot be opened ({type(exc).__name__}: {exc})",
                                          "Open it in Excel and save it again as .xlsx"))
        return
    if sheet is not None and sheet not in workbook.sheetnames:
        table.errors.append(table.problem(
            f"The workbook has no sheet named '{sheet}'", "Use one of: " + ", ".join(workbook.sheetnames)))
        return
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    table.sheet, table.sheets = worksheet.title, list(workbook.sheetnames)
    rows = [(number, [_cell_text(v) for v in values])
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)]
    _take_rows(table, rows)


# --- shared: header, ragged and blank rows ---------------------------------------------------

def _take_rows(table: RawTable, records: list[tuple[int, list[str]]]) -> None:
    records = [(n, [clean_text(c).strip() for c in cells]) for n, cells in records]
    non_blank = [(n, cells) for n, cells in records if any(cells)]
    if not non_blank:
        return
    header_row, header = non_blank[0]
    while header and not header[-1]:
        header.pop()
    table.header, table.header_row = header, header_row
    blank = [n for n, cells in records if n > header_row and not any(cells)]
    last_data = non_blank[-1][0]
    inner_blank = [n for n in blank if n < last_data]
    if inner_blank:
        shown = ", ".join(map(str, inner_blank[:10])) + (" ..." if len(inner_blank) > 10 else "")
        table.infos.append(table.problem(f"Ignored {len(inner_blank)} blank row(s): {shown}"))
    for number, cells in non_blank[1:]:
        extra = [c for c in cells[len(header):] if c]
        if extra:
            table.errors.append(table.problem(
                f"The row has {len(header) + len(extra)} filled cells but the header has only "
                f"{len(header)} columns; the extra values would be lost",
                "Delete the stray values, or if a number has a comma in it (1,234), put it in quotes "
                "or save from Excel so it is quoted", row=number, value=", ".join(extra)))
        table.rows.append((cells + [""] * len(header))[:len(header)])
        table.row_numbers.append(number)


def _compact(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def normalise_header(name: str) -> str:
    """'Area Code' / 'AREA-CODE' / ' area code ' -> 'area_code'."""
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


@dataclass
class HeaderMatch:
    positions: dict[str, int]  # template column -> position in the file
    errors: list[Problem]
    warnings: list[Problem]


def match_headers(table: RawTable, expected: dict[str, bool], template: str) -> HeaderMatch:
    """Map the file's headers onto ``expected`` (column -> required). A header matches when it
    equals the expected name ignoring case and spaces/hyphens vs underscores; anything else is
    reported, naming the closest expected header."""
    positions: dict[str, int] = {}
    errors, warnings = [], []
    unmatched: list[tuple[int, str]] = []
    for position, name in enumerate(table.header):
        canonical = normalise_header(name)
        if canonical in expected:
            if canonical in positions:
                errors.append(table.problem(
                    f"Column '{canonical}' appears twice (columns {positions[canonical] + 1} and "
                    f"{position + 1}); only the first is read",
                    "Delete or rename one of them", row=table.header_row, column=name, value=name))
            else:
                positions[canonical] = position
        elif name:
            unmatched.append((position, name))
        elif any(row[position] for row in table.rows):
            errors.append(table.problem(
                f"Column {position + 1} has values but no header", "Give it a header from the template "
                "or delete the column", row=table.header_row, column=f"column {position + 1}"))
    missing = [c for c in expected if c not in positions]
    for _, name in unmatched:
        closest = difflib.get_close_matches(_compact(name), [_compact(c) for c in missing], n=1, cutoff=0.6)
        if closest:
            target = next(c for c in missing if _compact(c) == closest[0])
            missing.remove(target)
            errors.append(table.problem(
                f"Header '{name}' is not a {template} template column; did you mean '{target}'?",
                f"Rename the header to '{target}'", row=table.header_row, column=name, value=name))
        else:
            warnings.append(table.problem(
                f"Column '{name}' is not in the {template} template and was ignored",
                f"Delete it, or rename it to a template column ({', '.join(expected)})",
                row=table.header_row, column=name, value=name))
    for name in missing:
        if expected[name]:
            errors.append(table.problem(
                f"Required column '{name}' is missing",
                f"Add a column headed '{name}' (see templates/{template}.csv)", row=table.header_row,
                column=name))
    return HeaderMatch(positions, errors, warnings)


def header_score(header: list[str], expected: list[str]) -> int:
    """How many ``expected`` columns the header has, allowing near-misses ('Case load')."""
    compact = [_compact(h) for h in header]
    return sum(bool(difflib.get_close_matches(_compact(e), compact, n=1, cutoff=0.8)) for e in expected)

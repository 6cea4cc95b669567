"""A filled-in template's cells, typed: numbers (thousands separators, suppression markers),
dates (ISO, or day first as Excel re-saves them), codes, vocabularies. Each problem found is
added to the table being read, with its row and column; ``load.validate`` runs the checks."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import pandas as pd

from jsna_kit.load.table_reading import RawTable
from jsna_kit.load.templates import SUPPRESSION_MARKERS, priority_key

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
#: A space (also no-break or thin) only as a thousands separator, in exactly that pattern: 2 000.
_SPACED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+(\.\d+)?$")
#: 2.000 or 1.234.567: in a semicolon-separated (European) file the dots may be thousands separators.
_DOTTED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class ParsedNumber:
    value: float  # NaN when blank, suppressed or invalid
    status: str  # ok | thousands | blank | suppressed | invalid | ambiguous | infinite


def parse_number(text: str, *, semicolons: bool = False) -> ParsedNumber:
    """A cell as a number: '1,234' and '1 234' -> 1234 (status 'thousands'); '[c]' -> suppressed;
    '' -> blank. A space anywhere else ('20 00 0') is invalid, as is a number too large to hold
    ('1e400': infinite). In a semicolon-separated file (``semicolons``), where '.' may separate
    thousands, '2.000' is ambiguous (2 or 2,000) rather than read either way."""
    cell = text.strip()
    if not cell:
        return ParsedNumber(math.nan, "blank")
    if cell.casefold() in SUPPRESSION_MARKERS:
        return ParsedNumber(math.nan, "suppressed")
    if semicolons and _DOTTED_THOUSANDS.match(cell):
        return ParsedNumber(math.nan, "ambiguous")
    if _PLAIN_NUMBER.match(cell):
        value = float(cell)
        return ParsedNumber(value, "ok") if math.isfinite(value) else ParsedNumber(math.nan, "infinite")
    if _THOUSANDS.match(cell):
        return ParsedNumber(float(cell.replace(",", "")), "thousands")
    if _SPACED_THOUSANDS.match(cell):
        return ParsedNumber(float(re.sub(r"[ \u00a0\u202f]", "", cell)), "thousands")
    return ParsedNumber(math.nan, "invalid")


#: Counts of people below this are never published (``model.disclosure``), so neither is a chapter
#: whose whole caseload is one.
SMALLEST_PUBLISHABLE = 5


def caseload_problem(value: float, national: tuple[float, str] | None = None) -> str | None:
    """Why ``value`` cannot be an area's caseload (a whole number of people, at least 5, and no more
    than the national caseload ``(total, date)`` when given), or None. The same words for a file's
    total and for ``--caseload``."""
    if not math.isfinite(value) or value != int(value):
        return f"a caseload is a whole number of people, not {value:g}"
    if value < 1:
        return f"a caseload is at least 1 person, not {value:g}"
    if value < SMALLEST_PUBLISHABLE:
        return (f"a caseload of {value:g} is fewer than {SMALLEST_PUBLISHABLE} people: every figure in a chapter "
                "would describe too few people to publish without identifying someone")
    if national is not None and value > national[0]:
        return (f"a caseload of {value:,.0f} is more than the national caseload ({national[0]:,.0f} people on "
                f"probation on {national[1]}): one area's cannot be larger")
    return None


def parse_date(text: str) -> tuple[dt.date | None, bool]:
    """(date, written day first?) for YYYY-MM-DD (the template's form) or DD/MM/YYYY (how Excel in a
    UK locale re-saves dates in a CSV); (None, False) otherwise. XLSX dates arrive as ISO text."""
    for pattern, order, day_first in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", (0, 1, 2), False),
                                      (r"(\d{1,2})/(\d{1,2})/(\d{4})", (2, 1, 0), True)):
        match = re.fullmatch(pattern, text.strip())
        if match:
            parts = [int(match.group(i + 1)) for i in order]
            try:
                return dt.date(*parts), day_first
            except ValueError:
                return None, False
    return None, False


def typed_table(table: RawTable, positions: dict[str, int], columns) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The template ``columns`` of ``table`` twice, both indexed by row: the cells as typed (text)
    and typed (codes upper case, vocabularies lower case, numbers as float with a
    ``<column>_suppressed`` flag, dates as datetime64). Absent columns are blank and unchecked;
    cell problems (not a number, blank, not a date) and what was done (suppressed, thousands
    separators) are added to ``table``."""
    index = pd.Index(table.row_numbers, name="row")
    text = pd.DataFrame({c.name: [r[positions[c.name]] if c.name in positions else "" for r in table.rows]
                         for c in columns}, index=index, dtype=object)
    data = pd.DataFrame(index=index)
    for c in columns:
        cells = text[c.name] if c.name in positions else pd.Series("", index=index, dtype=object)
        if c.kind in ("count", "number"):
            if c.name in positions:
                data[c.name], data[f"{c.name}_suppressed"] = _numbers(table, c, cells, text["note"])
            else:
                data[c.name], data[f"{c.name}_suppressed"] = math.nan, False
            continue
        if c.kind == "date":
            data[c.name] = _dates(table, cells, c.required and c.name in positions)
            continue
        if c.kind == "code":
            cells = cells.str.upper()
        elif c.kind in ("sex", "age_band"):
            # Excel's autocorrect turns 18-24 into 18–24
            cells = (cells.str.replace("[\u2013\u2014]", "-", regex=True)
                     .str.replace(r"\s+", "", regex=True).str.casefold())
        elif c.kind == "priority_area":
            cells = cells.map(lambda s: priority_key(s) or s)
        data[c.name] = cells.where(cells.ne("")).astype("str")
        if c.kind == "code":
            data["original_area_code"] = data[c.name]
    return text, data


def _numbers(table: RawTable, column, cells: pd.Series, notes: pd.Series) -> tuple[pd.Series, pd.Series]:
    values, suppressed, thousands = [], [], []
    for row, cell in cells.items():
        parsed = parse_number(cell, semicolons=table.delimiter == ";")
        blank_with_note = parsed.status == "blank" and column.required and bool(notes[row])
        values.append(parsed.value)
        suppressed.append(parsed.status == "suppressed" or blank_with_note)
        if parsed.status == "suppressed":
            table.infos.append(table.problem("Suppressed value, kept as missing (not zero)", row=row,
                                             column=column.name, value=cell))
        elif blank_with_note:
            table.infos.append(table.problem(
                "Blank value with a note, kept as suppressed (missing, not zero)",
                row=row, column=column.name, value=notes[row]))
        elif parsed.status == "blank" and column.required:
            table.errors.append(table.problem(
                f"{column.name} is blank", "Enter the figure, or [c] if it is suppressed (and say why in "
                "the note column)", row=row, column=column.name))
        elif parsed.status == "invalid":
            spaced = bool(re.fullmatch(r"[+-]?\d[\d.,]*([ \u00a0\u202f]+[\d.,]+)+", cell.strip()))
            grouped = bool(re.fullmatch(r"[+-]?\d[\d,.]*[,.]\d+", cell.strip()))  # "1,2345": separators misplaced
            problem = ("Not a number (a space may only separate thousands, as in 2 000)" if spaced else
                       "Not a number: separators may only group thousands in threes (1,234 or 1 234), and the "
                       "decimal mark is a point (a comma only in a semicolon-separated file)" if grouped else
                       "Not a number")
            table.errors.append(table.problem(
                problem, "Enter a number such as 1234, or [c] if the figure is suppressed", row=row,
                column=column.name, value=cell))
        elif parsed.status == "infinite":
            table.errors.append(table.problem(
                "Too large to be a real figure", "Enter the figure itself, e.g. 1234", row=row, column=column.name,
                value=cell))
        elif parsed.status == "ambiguous":
            whole = cell.strip().replace(".", "")
            table.errors.append(table.problem(
                f"Ambiguous in a semicolon-separated file: {cell} could be {cell.split('.')[0]} (a decimal point) "
                f"or {int(whole):,} (a thousands separator)", f"Write the number without separators, e.g. {whole}",
                row=row, column=column.name, value=cell))
        elif parsed.status == "thousands":
            thousands.append((row, cell, parsed.value))
    if thousands:
        row, cell, value = thousands[0]
        table.infos.append(table.problem(
            f"Read {len(thousands)} value(s) with thousands separators as numbers "
            f"(e.g. {cell} as {value:.0f})",
            row=row, column=column.name, value=cell))
    return (pd.Series(values, index=cells.index, dtype="float64"),
            pd.Series(suppressed, index=cells.index, dtype="bool"))


def _dates(table: RawTable, cells: pd.Series, required: bool) -> pd.Series:
    values, day_first = [], []
    for row, cell in cells.items():
        date, written_day_first = parse_date(cell)
        if not cell and required:
            table.errors.append(table.problem(
                "date is blank", "Enter the date as YYYY-MM-DD, e.g. 2025-03-31", row=row, column="date"))
        elif cell and date is None:
            table.errors.append(table.problem(
                "Not a date in the form YYYY-MM-DD", "Write the date as YYYY-MM-DD, e.g. 2025-03-31",
                row=row, column="date", value=cell))
        elif written_day_first:
            day_first.append((row, cell, date))
        values.append(date)
    if day_first:
        row, cell, date = day_first[0]
        table.infos.append(table.problem(
            f"Read {len(day_first)} date(s) written day first (e.g. {cell} as {date.isoformat()})",
            row=row, column="date", value=cell))
    return pd.to_datetime(pd.Series(values, index=cells.index, dtype=object)).astype("datetime64[ns]")

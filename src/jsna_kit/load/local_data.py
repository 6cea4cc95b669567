"""The analyst's own data: three templates (caseload, local needs, local services) and their readers.

Each template is a list of ``TemplateColumn``; ``write_templates`` writes them as CSV, XLSX and a
README so the documentation cannot drift from the code. ``typed_table`` reads a template's cells
into typed columns. The readers validate the file with ``jsna_kit.load.validate.validate_file``
and return its cleaned, tidy table, or raise one ``InputFileError`` holding every problem found.

Vocabularies:

- ``sex``: ``all``, ``male``, ``female`` (any capitalisation).
- ``age_band``: ``all``, ``18-24``, ``25-34``, ``35-49``, ``50+``: age in completed years on the
  date of the count. The probation caseload is adults, so there is no under-18 band. Finer groups
  add up into these (25-29 + 30-34 = 25-34); ``50+`` is the older group the evidence on older
  people in contact with probation uses. An en dash (``18–24``, as Excel's autocorrect types it)
  is read as a hyphen.
- ``priority_area``: one of the seven keys (``mental_health`` ...) or its title from the NPS
  strategy (``Substance misuse``), any capitalisation.
- Suppressed figures: ``*``, ``c``, ``..``, ``x``, ``[c]``, ``[x]``, or a required figure left blank
  with a note in the ``note`` column. They are kept as missing (NaN) with a ``<column>_suppressed``
  flag, never 0.
- Duplicates: one row per area x sex x age band x date (caseload; a file may hold several dates),
  area x priority area x need x period (needs), area x priority area x service x measure x period
  (services).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jsna_kit.load.table_reading import RawTable
from jsna_kit.priorities import PRIORITY_AREAS

SEXES: tuple[str, ...] = ("all", "male", "female")
AGE_BANDS: tuple[str, ...] = ("all", "18-24", "25-34", "35-49", "50+")
SUPPRESSION_MARKERS: frozenset[str] = frozenset({"*", "c", "..", "x", "[c]", "[x]"})
EXAMPLE_NOTE = "Example row: replace with your own figures"
KINDS: tuple[str, ...] = ("caseload", "needs", "services")


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template. ``kind`` says how cells are read: ``code``, ``text``, ``sex``,
    ``age_band``, ``priority_area``, ``count`` (whole number >= 0, may be suppressed), ``number``
    (may be suppressed), ``date`` (ISO YYYY-MM-DD) or ``period`` (free text such as 2024/25)."""

    name: str
    kind: str
    required: bool
    description: str


_AREA_CODE = TemplateColumn(
    "area_code", "code", True,
    "ONS code of a current county or unitary authority in England or Wales (e.g. E06000001). "
    "Old codes of merged or recoded areas are mapped to the current area with a warning.")
_AREA_NAME = TemplateColumn("area_name", "text", False,
                            "Area name, for your own reference; the code is what counts.")
_PRIORITY = TemplateColumn(
    "priority_area", "priority_area", True,
    "One of: " + ", ".join(p.key for p in PRIORITY_AREAS)
    + " (or the area's title, e.g. 'Substance misuse').")
_PERIOD = TemplateColumn("period", "period", True,
                         "Period the figure covers, as the source gives it (e.g. 2024/25, 2024, 2025-03-31).")
_SOURCE = TemplateColumn("source", "text", True,
                         "Where the figure comes from (e.g. 'MoJ data request, nDelius extract').")
_NOTE = TemplateColumn("note", "text", False,
                       "Anything a reader should know, e.g. why a figure is suppressed or partial.")

TEMPLATES: dict[str, tuple[TemplateColumn, ...]] = {
    "caseload": (
        _AREA_CODE, _AREA_NAME,
        TemplateColumn("sex", "sex", True, "all, male or female."),
        TemplateColumn("age_band", "age_band", True,
                       "all, 18-24, 25-34, 35-49 or 50+ (age in completed years on the date)."),
        TemplateColumn("caseload", "count", True,
                       "People under Probation Service supervision living in the area on the date, "
                       "each person counted once."),
        TemplateColumn("date", "date", True, "Date of the count, as YYYY-MM-DD (e.g. 2025-03-31)."),
        _SOURCE,
        TemplateColumn("court_orders", "count", False,
                       "Of the caseload, people on community orders or suspended sentence orders "
                       "with requirements."),
        TemplateColumn("licence", "count", False,
                       "Of the caseload, people on licence or post-sentence supervision (pre- or post-"
                       "release). A person can be on a court order and a licence, so the two can add "
                       "up to more than the caseload; neither can exceed it."),
        _NOTE,
    ),
    "needs": (
        _AREA_CODE, _AREA_NAME, _PRIORITY,
        TemplateColumn("need", "text", True,
                       "The need, in your words (e.g. 'Mental health need identified in OASys')."),
        TemplateColumn("numerator", "count", True, "People with the need."),
        TemplateColumn("denominator", "count", True, "People assessed (the numerator's population)."),
        _PERIOD, _SOURCE, _NOTE,
    ),
    "services": (
        _AREA_CODE, _AREA_NAME, _PRIORITY,
        TemplateColumn("service", "text", True, "The service (e.g. 'Community drug and alcohol service')."),
        TemplateColumn("measure", "text", True,
                       "What is counted, with its unit (e.g. 'Referrals from probation', "
                       "'Median wait in days')."),
        TemplateColumn("value", "number", True, "The figure (0 or more)."),
        _PERIOD, _SOURCE, _NOTE,
    ),
}

_EXAMPLES: dict[str, list[dict[str, str]]] = {
    "caseload": [
        {"area_code": "E06000001", "area_name": "Hartlepool", "sex": sex, "age_band": "all",
         "caseload": n, "date": "2025-03-31", "source": "Example: MoJ data request (nDelius)",
         "court_orders": co, "licence": lic, "note": EXAMPLE_NOTE}
        for sex, n, co, lic in (("all", "1000", "450", "600"), ("male", "880", "390", "540"),
                                ("female", "120", "60", "60"))
    ],
    "needs": [
        {"area_code": "E06000001", "area_name": "Hartlepool", "priority_area": "mental_health",
         "need": "Mental health need identified in OASys", "numerator": "300", "denominator": "800",
         "period": "2024/25", "source": "Example: OASys extract", "note": EXAMPLE_NOTE},
    ],
    "services": [
        {"area_code": "E06000001", "area_name": "Hartlepool", "priority_area": "substance_misuse",
         "service": "Community drug and alcohol service", "measure": "Referrals from probation",
         "value": "120", "period": "2024/25", "source": "Example: provider quarterly return",
         "note": EXAMPLE_NOTE},
    ],
}


def template_columns(kind: str) -> tuple[TemplateColumn, ...]:
    """The columns of template ``kind`` (caseload, needs or services)."""
    try:
        return TEMPLATES[kind]
    except KeyError:
        raise ValueError(f"unknown template {kind!r}; expected one of {', '.join(KINDS)}") from None


def priority_key(text: str) -> str | None:
    """The priority-area key for a key or title typed in any capitalisation, else None."""
    wanted = " ".join(str(text).replace("_", " ").split()).casefold()
    for p in PRIORITY_AREAS:
        if wanted in (p.key.replace("_", " "), " ".join(p.title.split()).casefold()):
            return p.key
    return None


# --- reading a template's cells --------------------------------------------------------------

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class ParsedNumber:
    value: float  # NaN when blank, suppressed or invalid
    status: str  # ok | thousands | blank | suppressed | invalid


def parse_number(text: str) -> ParsedNumber:
    """A cell as a number: '1,234' -> 1234 (status 'thousands'); '[c]' -> suppressed; '' -> blank."""
    cell = text.strip().replace("\u00a0", "").replace(" ", "")
    if not cell:
        return ParsedNumber(math.nan, "blank")
    if cell.casefold() in SUPPRESSION_MARKERS:
        return ParsedNumber(math.nan, "suppressed")
    if _PLAIN_NUMBER.match(cell):
        return ParsedNumber(float(cell), "ok")
    if _THOUSANDS.match(cell):
        return ParsedNumber(float(cell.replace(",", "")), "thousands")
    return ParsedNumber(math.nan, "invalid")


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
        parsed = parse_number(cell)
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
            table.errors.append(table.problem(
                "Not a number", "Enter a number such as 1234, or [c] if the figure is suppressed",
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


# --- writing the templates -------------------------------------------------------------------

def _readme() -> str:
    lines = ["# Templates for your own data", "",
             "Generated by `python -m jsna_kit.load.local_data templates/` "
             "(`jsna_kit.load.local_data.write_templates`); do not edit by hand.", "",
             "Fill in one row per area (and subgroup). Check a file with `jsna-kit validate FILE`: it "
             "lists every problem at once with the row and column to fix. Save from Excel as "
             "'CSV UTF-8' or keep the .xlsx (the first sheet is read).", "",
             "Suppressed figures: write `[c]` (or `*`, `c`, `..`, `x`, `[x]`), or leave the cell blank "
             "and say why in `note`. They stay missing, never zero.", "",
             "Numbers may use thousands separators (`1,234`). The example rows are marked in `note`; "
             "replace them with your own figures.", "",
             "Age bands: `all`, `18-24`, `25-34`, `35-49`, `50+` (age in completed years on the date). "
             "The caseload is adults, so there is no under-18 band; add finer groups together "
             "(25-29 + 30-34 = 25-34).", "",
             "What `jsna-kit validate` checks, besides types and allowed values:", "",
             "- one row per area x sex x age band x date (caseload), area x priority area x need x period "
             "(needs), area x priority area x service x measure x period (services);",
             "- male + female cannot exceed the `all` row, nor a sex's age bands its `all` row (falling "
             "short is a warning: people with no recorded sex or age);",
             "- `court_orders` and `licence` cannot exceed `caseload`; `numerator` cannot exceed "
             "`denominator`; no figure is negative and counts are whole numbers;",
             "- old area codes of merged or recoded areas are mapped to the current area (warning); codes "
             "of areas that were split (e.g. Northamptonshire) are refused: give one row per successor.", ""]
    for kind, columns in TEMPLATES.items():
        lines += [f"## {kind} (`{kind}.csv`, `{kind}.xlsx`)", "", "| column | required | meaning |",
                  "|---|---|---|"]
        lines += [f"| `{c.name}` | {'yes' if c.required else 'no'} | {c.description} |" for c in columns]
        lines.append("")
    return "\n".join(lines)


def _write_xlsx(path: Path, kind: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    columns = TEMPLATES[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = kind
    ws.append([c.name for c in columns])
    for example in _EXAMPLES[kind]:
        # numbers as numbers, so the template behaves like a real spreadsheet
        ws.append([float(example[c.name]) if c.kind in ("count", "number") else example[c.name]
                   for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    about = wb.create_sheet("columns")
    about.append(["column", "required", "meaning"])
    for c in columns:
        about.append([c.name, "yes" if c.required else "no", c.description])
    wb.save(path)


def write_templates(directory: str | Path) -> list[Path]:
    """Write ``<kind>.csv`` and ``<kind>.xlsx`` for each template, and ``README.md``, into
    ``directory``. CSVs are UTF-8 with a byte-order mark so Excel keeps them as 'CSV UTF-8' and
    accented names (Ynys Môn) survive a save."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, columns in TEMPLATES.items():
        csv_path = directory / f"{kind}.csv"
        with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([c.name for c in columns])
            for example in _EXAMPLES[kind]:
                writer.writerow([example[c.name] for c in columns])
        xlsx_path = directory / f"{kind}.xlsx"
        _write_xlsx(xlsx_path, kind)
        written += [csv_path, xlsx_path]
    readme = directory / "README.md"
    readme.write_text(_readme(), encoding="utf-8")
    return [*written, readme]


# --- readers ---------------------------------------------------------------------------------

def read_local_file(path: str | Path, kind: str, *, areas: pd.DataFrame | None = None,
                    code_changes: pd.DataFrame | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Validate ``path`` as template ``kind`` and return the cleaned table; raise one
    ``InputFileError`` listing every error (warnings do not stop the read)."""
    # imported here because validate builds its checks from the templates above
    from jsna_kit.errors import InputFileError
    from jsna_kit.load.validate import validate_file

    template_columns(kind)
    report = validate_file(path, kind, areas=areas, code_changes=code_changes, sheet=sheet)
    if not report.ok:
        raise InputFileError(report.problems)
    return report.data


def read_caseload(path: str | Path, **options) -> pd.DataFrame:
    """The caseload file as a tidy table: ``area_code, original_area_code, area_name, sex,
    age_band, caseload, caseload_suppressed, date, source, court_orders, court_orders_suppressed,
    licence, licence_suppressed, note, row``. Counts are float (NaN when suppressed or blank),
    ``date`` is datetime64, ``row`` the line in the file (header = 1). Options: ``areas``,
    ``code_changes``, ``sheet``."""
    return read_local_file(path, "caseload", **options)


def read_needs(path: str | Path, **options) -> pd.DataFrame:
    """The local-needs file: ``area_code, original_area_code, area_name, priority_area (key),
    need, numerator, numerator_suppressed, denominator, denominator_suppressed, period, source,
    note, row``."""
    return read_local_file(path, "needs", **options)


def read_services(path: str | Path, **options) -> pd.DataFrame:
    """The local-services file: ``area_code, original_area_code, area_name, priority_area (key),
    service, measure, value, value_suppressed, period, source, note, row``."""
    return read_local_file(path, "services", **options)


if __name__ == "__main__":  # python -m jsna_kit.load.local_data templates/
    for written_path in write_templates(sys.argv[1] if len(sys.argv) > 1 else "templates"):
        print(written_path)

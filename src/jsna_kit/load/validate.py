"""``validate_file``: check an analyst's file (caseload, needs, services) or a Fingertips export and
report every problem at once, each naming the file, the row as Excel shows it, the column, the
value and the fix.

Reading (encodings, XLSX, headers) is in ``table_reading`` and cell parsing (numbers, suppression,
dates) in ``cells.typed_table``; here are the checks: a pandera schema run lazily (allowed
values, negatives, whole numbers, numerator <= denominator), area codes against a lookup and a
table of code changes, duplicates and subgroups that must add up. The lookup tables are
parameters, so the checks are pure:

- ``areas``: ``area_code, area_name`` of current upper-tier areas;
- ``code_changes``: ``old_code, old_name, change ('merge'|'recode'|'split'), successor_codes
  (';'-separated), effective_date``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from jsna_kit.errors import InputFileError, Problem
from jsna_kit.load import row_checks as rows
from jsna_kit.load import table_reading as tr
from jsna_kit.load.area_codes import code_hint
from jsna_kit.load.cells import typed_table
from jsna_kit.load.fingertips import tidy_fingertips_export
from jsna_kit.load.templates import AGE_BANDS, SEXES, TEMPLATES, TemplateColumn
from jsna_kit.priorities import PRIORITY_AREAS, PRIORITY_KEYS

KINDS = ("caseload", "needs", "services", "fingertips", "regional_caseload")
#: The most rows an analyst's file may have: 175 areas x 18 sex and age rows x 6 dates is under 20,000.
MAX_ROWS = 50_000
DUPLICATE_KEYS = {"caseload": ("area_code", "sex", "age_band", "date"),
                  "needs": ("area_code", "priority_area", "need", "period"),
                  "services": ("area_code", "priority_area", "service", "measure", "period")}
_FINGERTIPS_HEADERS = ["Indicator ID", "Indicator Name", "Area Code", "Time period", "Value", "Value note"]
_CODE_PATTERN = r"^[EW]\d{8}$"


@dataclass
class ValidationReport:
    """What ``validate_file`` found. ``problems`` are errors (the file cannot be used as it is);
    ``warnings`` were handled but deserve a look; ``infos`` record what was done (suppressed
    cells kept as missing, encodings). ``data`` is the cleaned tidy table (bad cells as NaN)."""

    file: str
    kind: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    infos: list[Problem] = field(default_factory=list)
    data: pd.DataFrame | None = None
    area_codes_checked: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        if self.problems:
            raise InputFileError(self.problems)

    def messages(self) -> list[tuple[str, Problem]]:
        """Every finding as (level, problem), errors first."""
        return ([("error", p) for p in self.problems] + [("warning", p) for p in self.warnings]
                + [("info", p) for p in self.infos])


def detect_kind(header: list[str]) -> str | None:
    """The template whose columns the header matches best (near-misses count), or None."""
    if tr.header_score(header, _FINGERTIPS_HEADERS) >= 4:
        return "fingertips"
    if "probation_region_code" in [tr.normalise_header(h) for h in header]:
        return "regional_caseload"
    scores = {kind: tr.header_score(header, [c.name for c in cols if c.name not in ("area_code", "area_name",
                                                                                    "source", "note")])
              for kind, cols in TEMPLATES.items()}
    best = max(scores.values())
    winners = [kind for kind, score in scores.items() if score == best]
    return winners[0] if best >= 2 and len(winners) == 1 else None


def validate_file(path: str | Path, kind: str | None = None, *, areas: pd.DataFrame | None = None,
                  code_changes: pd.DataFrame | None = None, sheet: str | None = None,
                  national: tuple[float, str] | None = None, today: dt.date | None = None) -> ValidationReport:
    """Validate ``path`` as ``kind`` (caseload, needs, services or fingertips; detected from the
    headers when None) and return a ``ValidationReport``. Never raises for a bad file.
    ``national``: the national caseload ``(total, date)``, above which no area's total can be."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    raw = tr.read_table(path, sheet=sheet)
    # the report shares the table's lists: findings made while reading cells land in it
    report = ValidationReport(file=raw.file, encoding=raw.encoding, sheet=raw.sheet, problems=raw.errors,
                              warnings=raw.warnings, infos=raw.infos)
    if not raw.header:
        return report
    report.kind = kind or detect_kind(raw.header)
    if report.kind is None:
        others = [s for s in raw.sheets if s != raw.sheet]
        report.problems.append(raw.problem(
            "Cannot tell which kind of file this is from its headers", "Use the headers of a template in "
            "templates/ (caseload, needs, services), or say which it is with --kind"
            + (f"; sheet '{raw.sheet}' was read, the workbook also has: {', '.join(others)}"
               if others else ""),
            row=raw.header_row))
        return report
    if report.kind == "regional_caseload":
        return _regional(path, report, national=national, today=today, sheet=sheet)
    if report.kind == "fingertips":
        frame = pd.DataFrame(raw.rows, columns=raw.header, index=raw.row_numbers, dtype=object)
        data, problems = tidy_fingertips_export(frame, file=raw.file)
        report.problems += problems
        if data is not None:
            from jsna_kit.load.fingertips import load_catalogue
            from jsna_kit.load.fingertips_checks import unknown_indicators

            report.problems += unknown_indicators(data, raw.file, load_catalogue())
        if data is not None and not problems:
            report.data = data
            _note_fingertips(raw, data, report)
            # England (E92) and regions (E12) are comparators, not areas to look up
            comparators = data["area_code"].str.match("^E(12|92)") | data["area_code"].eq(data["parent_code"])
            children = data[~comparators]
            _area_codes(raw, children, report, areas, code_changes, fingertips=True)
        return report
    columns = TEMPLATES[report.kind]
    match = tr.match_headers(raw, {c.name: c.required for c in columns}, report.kind)
    report.problems += match.errors
    report.warnings += match.warnings
    if not raw.rows:
        return report
    if len(raw.rows) > MAX_ROWS:
        report.problems.append(raw.problem(
            f"The file has {len(raw.rows):,} rows: far more than any {report.kind} file (one for all 175 areas, by "
            "sex and age band, over several years, has a few thousand rows)",
            "Check it is the right file; if it is, keep only the rows you need (for example the latest year)"))
        return report
    present = [c for c in columns if c.name in match.positions]
    text, data = typed_table(raw, match.positions, columns)
    _run_schema(raw, text, data, present, report, check_code_format=areas is None)
    if "area_code" in match.positions:
        _area_codes(raw, data, report, areas, code_changes)
    rows.duplicates(raw, text, data, report, DUPLICATE_KEYS[report.kind])
    if report.kind == "caseload":
        rows.subgroups_add_up(raw, text, data, report)
        rows.caseload_totals(raw, text, data, report, national)
    if "date" in data.columns:
        rows.no_future_dates(raw, text, data, report, today or dt.date.today())
    _row_notes(raw, data, report)
    report.data = data.reset_index()[[*data.columns, "row"]]
    order = {name: i for i, name in enumerate(data.columns)}
    for findings in (report.problems, report.warnings, report.infos):  # whole-row findings first
        findings.sort(key=lambda p: (p.row or 0, -1 if p.column is None else order.get(p.column, len(order))))
    return report


def _regional(path, report: ValidationReport, *, national, today, sheet) -> ValidationReport:
    """A regional caseload file, checked as the build reads it (``load.regional_caseload``)."""
    from jsna_kit.load.regional_caseload import probation_regions, read_regional_caseload

    found = read_regional_caseload(path, regions=probation_regions(), national=national, today=today, sheet=sheet)
    known = {(p.row, p.column, p.message) for p in report.problems + report.warnings}
    report.problems += [p for p in found.problems if (p.row, p.column, p.message) not in known]
    report.warnings += [p for p in found.warnings if (p.row, p.column, p.message) not in known]
    report.data = found.table if found.ok else None
    return report


# --- pandera schema --------------------------------------------------------------------------

def _schema(columns: list[TemplateColumn], check_code_format: bool) -> pa.DataFrameSchema:
    checks_by_kind = {
        "code": [pa.Check.str_matches(_CODE_PATTERN, error="code_format")] if check_code_format else [],
        "sex": [pa.Check.isin(SEXES, error="sex_values")],
        "age_band": [pa.Check.isin(AGE_BANDS, error="age_values")],
        "priority_area": [pa.Check.isin(PRIORITY_KEYS, error="priority_values")],
        "count": [pa.Check.ge(0, error="negative"),
                  pa.Check(lambda s: s.isna() | (s % 1 == 0), error="whole")],
        "number": [pa.Check.ge(0, error="negative")],
    }
    # blank numbers and dates are reported while the cells are read; a blank source is a warning
    # A list of its own for each column: the denominator's extra check must not join the numerator's.
    schema_columns = {c.name: pa.Column(checks=list(checks_by_kind.get(c.kind, [])),
                                        nullable=c.kind in ("count", "number", "date") or not c.required
                                        or c.name == "source")
                      for c in columns}
    names = {c.name for c in columns}
    wide = []
    if {"numerator", "denominator"} <= names:
        wide.append(pa.Check(lambda d: ~(d["numerator"] > d["denominator"]),
                             error="numerator_gt_denominator"))
        schema_columns["denominator"].checks.append(
            pa.Check(lambda s: s.isna() | (s > 0), error="denominator_zero"))
    for part in ("court_orders", "licence"):
        if {part, "caseload"} <= names:
            wide.append(pa.Check(lambda d, part=part: ~(d[part] > d["caseload"]),
                                 error=f"part_gt_caseload:{part}"))
    return pa.DataFrameSchema(schema_columns, checks=wide)


def _run_schema(raw, text, data, columns, report, *, check_code_format: bool) -> None:
    try:
        _schema(columns, check_code_format).validate(data[[c.name for c in columns]], lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    by_name = {c.name: c for c in columns}
    seen = set()
    for case in cases.itertuples(index=False):
        check, row = str(case.check), int(case.index)
        column = check.split(":")[1] if check.startswith("part_gt") else (
            "numerator" if check == "numerator_gt_denominator" else case.column)
        if (check, column, row) in seen:
            continue
        seen.add((check, column, row))
        message, fix = _schema_message(check, by_name.get(column), data.loc[row])
        report.problems.append(raw.problem(message, fix, row=row, column=column, value=text.at[row, column]))


def _schema_message(check: str, column: TemplateColumn | None, row: pd.Series) -> tuple[str, str]:
    name = column.name if column else ""
    if check == "not_nullable":
        fixes = {"code": "Enter the area's ONS code, e.g. E06000001", "sex": "Enter all, male or female",
                 "age_band": "Enter all, 18-24, 25-34, 35-49 or 50+", "date": "Enter the date as YYYY-MM-DD",
                 "priority_area": "Enter one of: " + ", ".join(PRIORITY_KEYS)}
        return f"{name} is blank", fixes.get(column.kind, f"Enter the {name}")
    if check == "code_format":
        return ("Not an ONS area code for England or Wales",
                "Use the 9-character code of a current county or unitary authority, e.g. E06000001")
    if check == "sex_values":
        return "Sex must be all, male or female", "Use one of: all, male, female"
    if check == "age_values":
        return ("Age band must be one of: " + ", ".join(AGE_BANDS),
                "Use one of these bands; add finer groups together (25-29 + 30-34 = 25-34)")
    if check == "priority_values":
        choices = {**{p.key: p.key for p in PRIORITY_AREAS},
                   **{p.title.casefold(): p.key for p in PRIORITY_AREAS}}
        close = difflib.get_close_matches(str(row[name]).casefold(), list(choices), n=1, cutoff=0.5)
        hint = f"Did you mean '{choices[close[0]]}'? " if close else ""
        return ("Not one of the seven priority areas",
                hint + "Use a key (" + ", ".join(PRIORITY_KEYS) + ") or its title")
    if check == "negative":
        return f"{name} cannot be negative", "Enter the figure as a positive number, or [c] if suppressed"
    if check == "whole":
        return f"{name} must be a whole number of people", "Correct the figure: people are counted whole"
    if check == "numerator_gt_denominator":
        return (f"numerator ({row['numerator']:,.0f}) is larger than denominator ({row['denominator']:,.0f})",
                "Check both figures: the numerator counts people within the denominator")
    if check == "denominator_zero":
        return "denominator is 0, so no proportion can be worked out", "Enter the number of people assessed"
    part = check.split(":")[1]
    return (f"{part} ({row[part]:,.0f}) is larger than caseload ({row['caseload']:,.0f})",
            f"Check the figures: people on {part.replace('_', ' ')} are part of the caseload")


# --- area codes ------------------------------------------------------------------------------

def _plain_name(name: object) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold().replace("&", " and ")).split())


def _area_codes(raw, data: pd.DataFrame, report: ValidationReport, areas, code_changes, *,
                fingertips: bool = False) -> None:
    """Check ``data['area_code']`` against the lookup. In an analyst's file (index = row) old codes
    of merged or recoded areas are mapped in place with a warning, splits and unknown codes are
    errors. In a Fingertips export (``row`` column) codes are left as published and findings
    are warnings, once per code: a rate for an old area is not a rate for the area it merged into."""
    if areas is None:
        report.infos.append(raw.problem("Area codes were not checked: no area lookup was given"))
        return
    report.area_codes_checked = True
    names = dict(zip(areas["area_code"].str.strip().str.upper(), areas["area_name"], strict=True))
    changes = {} if code_changes is None else {
        str(r.old_code).strip().upper(): r for r in code_changes.itertuples(index=False)}
    if code_changes is None:
        report.infos.append(raw.problem("Old area codes were not mapped: no table of code changes was given"))
    parts_of = _predecessors() if code_changes is not None else {}
    by_name = {_plain_name(n): c for c, n in names.items()}
    if "area_name_welsh" in areas.columns:  # Ynys Môn is Isle of Anglesey
        welsh = areas.dropna(subset=["area_name_welsh"])
        by_name |= {_plain_name(n): c.strip().upper()
                    for c, n in zip(welsh["area_code"], welsh["area_name_welsh"], strict=True)}
    serious = report.warnings if fingertips else report.problems
    codes = data["area_code"].dropna()
    if fingertips:
        codes = codes[~codes.duplicated()]
    for index, code in codes.items():
        row = int(data.at[index, "row"]) if fingertips else index
        given = data.at[index, "area_name"] if "area_name" in data.columns else None
        given = _plain_name(given) if isinstance(given, str) and given else None

        def finding(message: str, fix: str, code=code, row=row) -> Problem:
            return raw.problem(message, fix, row=row, column="area_code", value=code)

        if code in names:
            other = by_name.get(given) if given else None
            if other is not None and other != code:
                report.warnings.append(finding(
                    f"area_name is the name of {other}, but the code is {code} ({names[code]})",
                    "Check which area the row is for; the code is what counts"))
            continue
        current, steps = code, []
        while current in changes and current not in names and len(steps) < 10:
            change = changes[current]
            successors = [s.strip().upper() for s in str(change.successor_codes).split(";") if s.strip()]
            partners = [p for p in parts_of.get(successors[0], []) if p[0] != current]
            if change.change == "merge" and current in {p[0] for p in parts_of.get(successors[0], [])} and partners:
                also = " and ".join(f"{name} ({c})" for c, name in partners)
                serious.append(finding(
                    f"{current} ({change.old_name}) is an old area code for only part of {successors[0]} "
                    f"({names.get(successors[0], 'its successor')}), which also took in {also} on "
                    f"{change.effective_date}: its figures are not the whole area's",
                    f"Give the figure for the whole area under {successors[0]}"))
                break
            steps.append(change)
            if change.change == "split" or len(successors) != 1:
                listed = " and ".join(f"{s} ({names.get(s, 'not in the lookup')})" for s in successors)
                serious.append(finding(
                    f"{current} ({change.old_name}) is an old area code: the area was split on "
                    f"{change.effective_date} into {listed}, so its figures cannot be shared out "
                    "automatically",
                    f"Give one row for each successor area ({', '.join(successors)}) with its own figures"))
                break
            current = successors[0]
        else:
            if current in names and steps:
                verb = "merged into" if any(s.change == "merge" for s in steps) else "recoded to"
                what = f"{code} ({steps[0].old_name}) is an old area code: it was {verb} {current} " \
                       f"({names[current]}) on {steps[-1].effective_date}"
                if fingertips:
                    report.warnings.append(finding(
                        f"{what}; values were kept under the old code",
                        "Use the indicator at area type 502 if it is published there"))
                else:
                    report.warnings.append(finding(f"{what}; the row is counted under {current}",
                                                   f"Use the current code {current}"))
                    data.at[index, "area_code"] = current
                continue
            hint = code_hint(code)
            if hint:
                serious.append(finding(hint, "Give the code of a current county or unitary authority in England "
                                             "or Wales"))
                continue
            guesses = ([by_name[given]] if given in by_name
                       else difflib.get_close_matches(code, list(names), 3, 0.75))
            shown = [f"{c} ({names[c]})" for c in guesses]
            listed = (", ".join(shown[:-1]) + " or " if len(shown) > 1 else "") + (shown[-1] if shown else "")
            hint = f"Did you mean {listed}? " if shown else ""
            serious.append(finding(
                "Unknown area code: not a current county or unitary authority in the area lookup",
                hint + "Use the 9-character ONS code of a current county or unitary authority"))


def _predecessors() -> dict[str, list[tuple[str, str]]]:
    """Each newer area's predecessors (code, name), from the reference data."""
    from jsna_kit.load.population import area_predecessors

    table = area_predecessors()
    return {code: list(zip(group["predecessor_code"], group["predecessor_name"], strict=True))
            for code, group in table.groupby("area_code", sort=False)}


# --- rows ------------------------------------------------------------------------------------

def _row_notes(raw, data: pd.DataFrame, report: ValidationReport) -> None:
    for row in data.index[data["note"].fillna("").str.startswith("Example row")]:
        report.warnings.append(raw.problem(
            "This is an example row from the template", "Replace it with your own figures or delete it",
            row=row, column="note", value=data.at[row, "note"]))
    for row in data.index[data["source"].isna()] if "source" in data.columns else []:
        report.warnings.append(raw.problem(
            "No source given", "Say where the figure comes from, so readers can check it",
            row=row, column="source"))


def _note_fingertips(raw, data: pd.DataFrame, report: ValidationReport) -> None:
    missing = data[data["value"].isna()]
    for note, group in missing.groupby(missing["value_note"].fillna(""), sort=False):
        report.infos.append(raw.problem(
            f"{len(group)} row(s) have no value" + (f" (value note: '{note}')" if note else "")
            + "; kept as missing, not zero", row=int(group["row"].iloc[0]), column="Value"))
    breakdowns = data[data["is_breakdown"]]
    if len(breakdowns):
        report.infos.append(raw.problem(
            f"{len(breakdowns)} inequality-breakdown row(s) (Category Type filled) are kept apart from "
            "the headline area values", row=int(breakdowns["row"].iloc[0]), column="Category Type"))

"""Read and validate the project's own reference data (``data/reference/``).

Every table is read as text (UTF-8, with or without Excel's byte-order mark), checked with a
pandera schema collecting every failure at once (``lazy=True``), and only then converted to
numbers. Failures become ``Problem`` records naming the file, the spreadsheet row (header = row 1)
and the column, raised together as one ``InputFileError``: a user never sees a pandera or pandas
traceback. Cross-file rules are checked too: every source key used anywhere must be in both
``sources.csv`` and ``sources.bib``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jsna_kit.config import reference_dir
from jsna_kit.errors import InputFileError, Problem
from jsna_kit.priorities import PRIORITY_KEYS

FILES = {
    "estimates": "national_estimates.csv", "sources": "sources.csv", "caseload": "caseload_national.csv",
    "commissioning": "commissioning.csv", "pathways": "pathways.csv",
    "recommendations": "recommendations.csv",
}
BIBLIOGRAPHY = "sources.bib"

SETTING_TYPES = ("probation_caseload", "probation_co_starters", "probation_other", "criminal_justice_mixed",
                 "prison", "general_population")
COVERAGES = ("national", "regional", "single_site", "international")
SEXES = ("all", "male", "female")
MEASURE_KINDS = ("prevalence", "count", "rate", "relative_risk", "service_indicator", "age_profile",
                 "screen_accuracy")
MEASURE_SCOPES = ("overall", "specific")
UNITS = ("percent", "per_1000", "per_100000", "count", "ratio")
INSTRUMENT_TYPES = ("clinical_interview", "screening_tool", "administrative_record", "practitioner_record",
                    "self_report", "modelled", "literature_review", "derived")
STATUSES = ("ok", "verify", "gap", "derived")
GRADES = ("A", "B", "C", "D")
NATIONS = ("England", "Wales", "England and Wales")
AUDIENCES = ("HWB", "ICB", "local authority", "probation delivery unit", "public health", "NHS England",
             "local health board", "police and crime commissioner", "HMPPS")

ESTIMATE_NUMBERS = ("value", "range_low", "range_high", "numerator", "denominator", "ci_lower", "ci_upper",
                    "ci_level")
ESTIMATE_INTEGERS = ("year_end", "brief_line")
BOOLEAN_TEXT = {"true": True, "false": False}

_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")
_ACT = re.compile(r"\b(Act|Order|Regulations)\b.*\b\d{4}\b")
_AGE_BAND = re.compile(r"^(all|\d+\+|\d+-\d+)$")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_BIB_ENTRY = re.compile(r"@\s*(\w+)\s*\{\s*([^,\s]+)\s*,")


@dataclass(frozen=True)
class ReferenceData:
    """The reference tables, validated and typed. Blank text cells are ``""``; blank numbers NaN."""

    estimates: pd.DataFrame
    sources: pd.DataFrame
    caseload: pd.DataFrame
    commissioning: pd.DataFrame
    pathways: pd.DataFrame
    recommendations: pd.DataFrame
    bibliography: Path
    directory: Path


# --- reading ---------------------------------------------------------------------------------

def _read_csv(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """All cells as stripped text, indexed by the row number a spreadsheet shows (header = 1).
    Wholly blank rows are dropped after numbering, so later rows keep their real numbers."""
    if not path.is_file():
        problems.append(Problem(str(path), None, None, None, "the reference file is missing",
                                "restore it from the project's data/reference folder"))
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            skip_blank_lines=False)
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), None, None, None, f"the file is not UTF-8 text ({exc.reason})",
                                "save it as 'CSV UTF-8'"))
        return None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problems.append(Problem(str(path), None, None, None, f"the file cannot be read as CSV ({exc})",
                                "check quotes and commas, or save it again as 'CSV UTF-8'"))
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda col: col.str.strip())
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame[(frame != "").any(axis=1)]


def bibliography_keys(path: Path) -> dict[str, int]:
    """Entry keys in a BibTeX file, each with the line it starts on."""
    text = path.read_text(encoding="utf-8-sig")
    return {m.group(2): text.count("\n", 0, m.start()) + 1 for m in _BIB_ENTRY.finditer(text)
            if m.group(1).lower() not in ("comment", "string", "preamble")}


# --- schema building -------------------------------------------------------------------------

class _Rules:
    """Checks for one file, each registered with the message and fix a user will read."""

    def __init__(self) -> None:
        self.columns: dict = {}  # name -> pandera Column
        self.frame_checks: list = []  # pandera Checks
        self.explain: dict[str, tuple[str | None, str, str]] = {}

    def column(self, name: str, *checks: tuple[Callable[[pd.Series], pd.Series], str, str],
               unique: bool = False) -> None:
        built = []
        for i, (fn, message, fix) in enumerate(checks):
            check_name = f"{name}#{i}"
            self.explain[check_name] = (name, message, fix)
            built.append(_pandera().Check(fn, name=check_name))
        self.columns[name] = _pandera().Column(str, checks=built, unique=unique, required=True)

    def rows(self, name: str, column: str, fn: Callable[[pd.DataFrame], pd.Series], message: str,
             fix: str) -> None:
        self.explain[name] = (column, message, fix)
        self.frame_checks.append(_pandera().Check(fn, name=name))

    def schema(self):
        return _pandera().DataFrameSchema(self.columns, checks=self.frame_checks, strict=False)


def _pandera():
    # Imported when a file is validated: reading the project's reference data again in a chapter
    # notebook (validate=False) then needs no pandera, which costs 0.4 s to import.
    import pandera.pandas

    return pandera.pandas


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series("", index=frame.index, dtype=str)


def _num(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(_col(frame, name).str.replace(",", ""), errors="coerce")


def _nonblank(s: pd.Series) -> pd.Series:
    return s != ""


def _one_of(values: tuple[str, ...], *, blank: bool = False):
    allowed = set(values) | ({""} if blank else set())
    message = f"must be one of: {', '.join(values)}" + (" (or blank)" if blank else "")
    return (lambda s: s.isin(allowed), message, f"use one of {', '.join(values)}")


def _number(*, integer: bool = False):
    def check(s: pd.Series) -> pd.Series:
        n = pd.to_numeric(s.str.replace(",", ""), errors="coerce")
        ok = (s == "") | n.notna()
        return ok & ((s == "") | (n % 1 == 0)) if integer else ok
    kind = "a whole number" if integer else "a number"
    return check, f"must be {kind} or blank", f"write {kind} with no text or units, or leave it blank"


def _boolean():
    return (lambda s: s.str.lower().isin(BOOLEAN_TEXT), "must be true or false", "write true or false")


REQUIRED = (_nonblank, "must not be blank", "fill it in")


def _keys_known(known: set[str], *, legislation: bool = False):
    """Each ';'-separated item is a source key in sources.csv and sources.bib (or, where allowed,
    the name of an Act such as 'Care Act 2014')."""
    def ok(item: str) -> bool:
        return item in known or (legislation and not _KEY.match(item) and bool(_ACT.search(item)))

    def check(s: pd.Series) -> pd.Series:
        items = s.str.split(";").map(lambda parts: [p.strip() for p in parts if p.strip()])
        return items.map(lambda parts: bool(parts) and all(ok(p) for p in parts))
    what = "a source key in both sources.csv and sources.bib"
    what += " or the name of an Act" if legislation else ""
    return check, f"every ';'-separated item must be {what}", \
        "fix the key's spelling, or add the source to sources.csv and sources.bib"


# --- the files -------------------------------------------------------------------------------

def _estimate_rules(keys: set[str]) -> _Rules:
    r = _Rules()
    r.column("estimate_id", REQUIRED, unique=True)
    r.column("priority_area", _one_of(PRIORITY_KEYS))
    for name in ("measure", "setting", "grade_reason", "source_keys"):
        r.column(name, REQUIRED, *([_keys_known(keys)] if name == "source_keys" else []))
    r.column("setting_type", _one_of(SETTING_TYPES))
    r.column("coverage", _one_of(COVERAGES))
    r.column("sex", _one_of(SEXES))
    r.column("age_band", (lambda s: s.str.match(_AGE_BAND), "must be 'all' or a band like 18-24 or 50+",
                          "write all, 18-24 or 50+"))
    r.column("measure_kind", _one_of(MEASURE_KINDS))
    r.column("measure_scope", _one_of(MEASURE_SCOPES))
    r.column("unit", _one_of(UNITS))
    r.column("instrument_type", _one_of(INSTRUMENT_TYPES, blank=True))
    r.column("status", _one_of(STATUSES))
    r.column("grade", _one_of(GRADES))
    r.column("value_approximate", _boolean())
    for name in ESTIMATE_NUMBERS:
        r.column(name, _number())
    for name in ESTIMATE_INTEGERS:
        r.column(name, _number(integer=True))
    for name in ("value_text", "sample_size_note", "year", "instrument", "quality_note"):
        r.column(name)

    percent = lambda d: _col(d, "unit") == "percent"  # noqa: E731
    for name in ("value", "range_low", "range_high", "ci_lower", "ci_upper"):
        r.rows(f"percent:{name}", name,
               lambda d, name=name: ~percent(d) | _num(d, name).isna() | _num(d, name).between(0, 100),
               "a percentage must be between 0 and 100", "check the figure and the unit")
    r.rows("interval", "value", lambda d: ~((_num(d, "ci_lower") > _num(d, "value"))
                                           | (_num(d, "value") > _num(d, "ci_upper"))
                                           | (_num(d, "ci_lower") > _num(d, "ci_upper"))),
           "the published interval (ci_lower to ci_upper) must contain the value",
           "check value, ci_lower and ci_upper against the source")
    r.rows("range", "range_low", lambda d: ~(_num(d, "range_low") > _num(d, "range_high")),
           "range_low is larger than range_high", "swap them or check the source")
    r.rows("counts", "numerator", lambda d: ~(_num(d, "numerator") > _num(d, "denominator")),
           "numerator is larger than denominator", "check both counts against the source")
    gap = lambda d: _col(d, "status") == "gap"  # noqa: E731
    r.rows("gap_blank", "value", lambda d: ~gap(d) | _num(d, "value").isna(),
           "a gap row (status gap) must have a blank value", "clear the value, or change the status")
    r.rows("needs_figure", "value", lambda d: gap(d) | _num(d, "value").notna() | _num(d, "range_low").notna()
           | _num(d, "range_high").notna(),
           "the row has no value and no range, but its status is not gap",
           "give the figure, or set status to gap and say in quality_note what is missing")
    return r


def _source_rules(bib: set[str]) -> _Rules:
    r = _Rules()
    r.column("source_key", REQUIRED, (lambda s: s.str.match(_KEY), "must be capitals, digits and _",
                                      "rename the key, e.g. BROOKER2012"),
             (lambda s: s.isin(bib), "has no entry in sources.bib", "add a BibTeX entry with this key"),
             unique=True)
    r.column("title", REQUIRED)
    r.column("year", (lambda s: s.str.match(r"^(\d{4})?$"), "must be a four-digit year or blank",
                      "write the year, e.g. 2019"))
    r.column("secondary", _boolean())
    r.column("verify", _boolean())
    for name in ("authors", "publisher_or_journal", "details", "doi", "url_seen", "note"):
        r.column(name)
    return r


def _date_ok(text: str, *, interval: bool) -> bool:
    parts = text.split("/") if interval and "/" in text else [text]
    return len(parts) <= 2 and all(_ISO_DATE.match(p) and _real_date(p) for p in parts)


def _real_date(text: str) -> bool:
    full = text + "-01" * (2 - text.count("-"))
    return not pd.isna(pd.to_datetime(full, format="%Y-%m-%d", errors="coerce"))


def _iso(*, interval: bool):
    return (lambda s: s.map(lambda v: _date_ok(v, interval=interval)),
            "must be an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)" + (" or an interval a/b" if interval else ""),
            "write the date as e.g. 2025-06-30")


def _caseload_rules(keys: set[str]) -> _Rules:
    r = _Rules()
    r.column("measure", REQUIRED)
    r.column("date", _iso(interval=True))
    r.column("value", _number())
    r.column("status", _one_of(STATUSES))
    r.column("source_key", _keys_known(keys))
    r.column("note")
    r.rows("gap_blank", "value", lambda d: (_col(d, "status") == "gap") == _num(d, "value").isna(),
           "value must be blank exactly when status is gap", "clear the value for a gap, or give one")
    return r


def _commissioning_rules(keys: set[str]) -> _Rules:
    r = _Rules()
    r.column("priority_area", _one_of((*PRIORITY_KEYS, "all")))
    r.column("organisation", REQUIRED)
    r.column("role", REQUIRED)
    r.column("nation", _one_of(NATIONS))
    r.column("as_of", _iso(interval=False))
    r.column("basis", _keys_known(keys, legislation=True))
    r.column("note")
    return r


def _pathway_rules(keys: set[str]) -> _Rules:
    r = _Rules()
    r.column("key", REQUIRED, (lambda s: s.str.match(_KEY), "must be capitals, digits and _",
                               "rename it, e.g. MHTR"), unique=True)
    for name in ("name", "what_it_is", "who_commissions"):
        r.column(name, REQUIRED)
    r.column("priority_areas", (lambda s: s.str.split(";").map(
        lambda ks: all(k.strip() in PRIORITY_KEYS for k in ks)),
        f"every ';'-separated item must be one of: {', '.join(PRIORITY_KEYS)}", "fix the priority area key"))
    r.column("nation", _one_of(NATIONS))
    r.column("basis", _keys_known(keys, legislation=True))
    return r


def _recommendation_rules(keys: set[str]) -> _Rules:
    r = _Rules()
    r.column("priority_area", _one_of(PRIORITY_KEYS))
    r.column("audience", _one_of(AUDIENCES))
    r.column("recommendation", REQUIRED)
    r.column("strategy_objective", REQUIRED)
    r.column("basis", _keys_known(keys, legislation=True))
    return r


# --- validation ------------------------------------------------------------------------------

def _validate(frame: pd.DataFrame, rules: _Rules, path: Path) -> list[Problem]:
    from pandera.errors import SchemaErrors

    try:
        rules.schema().validate(frame, lazy=True)
    except SchemaErrors as exc:
        return _problems(exc.failure_cases, frame, rules, path)
    return []


def _problems(failures: pd.DataFrame, frame: pd.DataFrame, rules: _Rules, path: Path) -> list[Problem]:
    found: dict[tuple, Problem] = {}
    for f in failures.itertuples(index=False):
        check, row = str(f.check), (None if pd.isna(f.index) else int(f.index))
        if check == "column_in_dataframe":
            found[(check, f.failure_case)] = Problem(
                str(path), 1, str(f.failure_case), None, "a required column is missing",
                f"add a column headed '{f.failure_case}' (see data/reference/README.md)")
            continue
        if check == "field_uniqueness":
            found[(check, row)] = Problem(str(path), row, str(f.column), f.failure_case,
                                          "the same id appears on more than one row", "make each id unique")
            continue
        column, message, fix = rules.explain.get(check, (f.column, f"failed the check {check}", ""))
        value = frame.at[row, column] if row is not None and column in frame.columns else f.failure_case
        found.setdefault((check, row), Problem(str(path), row, column, value, message, fix))
    return list(found.values())


def _typed_estimates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in ESTIMATE_NUMBERS:
        out[name] = _num(out, name).astype(float)
    for name in ESTIMATE_INTEGERS:
        out[name] = _num(out, name).round().astype("Int64")
    out["value_approximate"] = out["value_approximate"].str.lower().map(BOOLEAN_TEXT).astype(bool)
    return out


def load_reference(directory: Path | None = None, *, validate: bool = True) -> ReferenceData:
    """Read, validate and type every reference table in ``directory`` (default:
    ``jsna_kit.config.reference_dir()``). Raises ``InputFileError`` listing every problem found.

    ``validate=False`` reads and types the tables without checking them: for a chapter
    notebook, run by a build that has just loaded (and so checked) the same files."""
    directory = Path(directory) if directory is not None else reference_dir()
    problems: list[Problem] = []
    bib_path = directory / BIBLIOGRAPHY
    bib: dict[str, int] = {}
    if bib_path.is_file():
        bib = bibliography_keys(bib_path)
    else:
        problems.append(Problem(str(bib_path), None, None, None, "the bibliography is missing",
                                "restore sources.bib from the project's data/reference folder"))
    frames = {name: _read_csv(directory / file, problems) for name, file in FILES.items()}

    sources = frames["sources"]
    listed = set(sources["source_key"]) if sources is not None and "source_key" in sources else set()
    known = listed & set(bib)
    for key, line in bib.items():
        if sources is not None and key not in listed:
            problems.append(Problem(str(bib_path), line, "key", key, "the entry has no row in sources.csv",
                                    "add the source to sources.csv or delete the entry"))
    if validate:
        builders = {"estimates": _estimate_rules(known), "sources": _source_rules(set(bib)),
                    "caseload": _caseload_rules(known), "commissioning": _commissioning_rules(known),
                    "pathways": _pathway_rules(known), "recommendations": _recommendation_rules(known)}
        for name, frame in frames.items():
            if frame is not None:
                problems += _validate(frame, builders[name], directory / FILES[name])
    if problems:
        raise InputFileError(sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "")))

    def typed(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.reset_index(drop=True)

    caseload = frames["caseload"].assign(value=lambda d: _num(d, "value").astype(float))
    sources = sources.assign(**{c: sources[c].str.lower().map(BOOLEAN_TEXT).astype(bool)
                                for c in ("secondary", "verify")})
    return ReferenceData(
        estimates=typed(_typed_estimates(frames["estimates"])), sources=typed(sources),
        caseload=typed(caseload), commissioning=typed(frames["commissioning"]),
        pathways=typed(frames["pathways"]), recommendations=typed(frames["recommendations"]),
        bibliography=bib_path, directory=directory)

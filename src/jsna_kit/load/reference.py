"""Read and validate the project's own reference data (``data/reference/``).

Every table is read as text (UTF-8, with or without Excel's byte-order mark), checked with a
pandera schema collecting every failure at once (``lazy=True``), and only then converted to
numbers. Failures become ``Problem`` records naming the file, the spreadsheet row (header = row 1)
and the column, raised together as one ``InputFileError``: a user never sees a pandera or pandas
traceback. Cross-file rules are checked too: every source key used anywhere must be in both
``sources.csv`` and ``sources.json`` (its CSL JSON, ``publish.csl``). The rules themselves are
in ``load.reference_rules``.

Maintainer-only columns (``maintainer_note``: where a figure was read, what is left to check) are
validated but not loaded, so no chapter, bibliography or download can show them. So it is with
rows whose status is ``held`` (a source they rest on has no date or no authors to print): they
stay in the files and are listed in ``ReferenceData.held``, but no build sees them. Every other
row may cite only sources with a year and authors (``reference_rules.uncitable``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from jsna_kit.config import own_reference_dir, reference_dir, reference_file
from jsna_kit.errors import InputFileError, Problem
from jsna_kit.load import reference_rules as rules
from jsna_kit.load.reference_rules import BOOLEAN_TEXT, ESTIMATE_INTEGERS, ESTIMATE_NUMBERS
from jsna_kit.load.reference_rules import as_numbers as _num
from jsna_kit.load.text import clean_text

FILES = {
    "estimates": "national_estimates.csv", "sources": "sources.csv", "caseload": "caseload_national.csv",
    "commissioning": "commissioning.csv", "pathways": "pathways.csv",
    "recommendations": "recommendations.csv", "policy": "policy.csv",
}
BIBLIOGRAPHY = "sources.json"  # made from sources.csv by scripts/build_bibliography.py
#: A column's Welsh text is beside it, in a column of its name with this ending (``role_cy``).
WELSH_SUFFIX = "_cy"
#: The columns that name a row of each table, for its Welsh text (``load.localise``).
KEYS = {"estimates": ("estimate_id",), "commissioning": ("priority_area", "organisation", "nation"),
        "pathways": ("key",), "recommendations": ("recommendation_id",), "policy": ("statement_id",)}


_CSL_ID = re.compile(r'^\s*"id": "([^"]+)"', flags=re.M)


@dataclass(frozen=True)
class ReferenceData:
    """The reference tables, validated and typed. Blank text cells are ``""``; blank numbers NaN."""

    estimates: pd.DataFrame
    sources: pd.DataFrame
    caseload: pd.DataFrame
    commissioning: pd.DataFrame
    pathways: pd.DataFrame
    recommendations: pd.DataFrame
    policy: pd.DataFrame  # the national policy statements (policy.csv), each with its checked-on date
    bibliography: Path
    directory: Path
    #: Estimates and caseload rows with status ``held``: kept in the files (so nothing is dropped
    #: silently) but never published, since a source they rest on cannot be cited in full.
    held: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Each table's Welsh text (its ``<column>_cy`` columns, beside the English in the file), with
    #: the row's key and its spreadsheet row (``_row``), by table name; the tables above have none,
    #: so no English chapter, download or dictionary changes (``load.localise`` uses them).
    welsh: dict = field(default_factory=dict)


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
    frame = frame.apply(lambda col: col.map(clean_text).str.strip())
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame[(frame != "").any(axis=1)]


# --- validation: pandera failures as problems a user can act on ------------------------------

def _validate_table(frame: pd.DataFrame, table_rules: rules._Rules, path: Path) -> list[Problem]:
    from pandera.errors import SchemaErrors

    try:
        table_rules.schema().validate(frame, lazy=True)
    except SchemaErrors as exc:
        return _problems(exc.failure_cases, frame, table_rules, path)
    return []


def _problems(failures: pd.DataFrame, frame: pd.DataFrame, table_rules: rules._Rules, path: Path) -> list[Problem]:
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
        column, message, fix = table_rules.explain.get(check, (f.column, f"failed the check {check}", ""))
        value = frame.at[row, column] if row is not None and column in frame.columns else f.failure_case
        found.setdefault((check, row), Problem(str(path), row, column, value, message, fix))
    return list(found.values())


def bibliography_keys(path: Path) -> dict[str, int]:
    """Item ids in the CSL JSON bibliography, each with the line it is on."""
    text = path.read_text(encoding="utf-8-sig")
    return {m.group(1): text.count("\n", 0, m.start()) + 1 for m in _CSL_ID.finditer(text)}


def _typed_estimates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in ESTIMATE_NUMBERS:
        out[name] = _num(out, name).astype(float)
    for name in ESTIMATE_INTEGERS:
        out[name] = _num(out, name).round().astype("Int64")
    out["value_approximate"] = out["value_approximate"].str.lower().map(BOOLEAN_TEXT).astype(bool)
    return out


def load_reference(directory: Path | None = None, *, validate: bool = True) -> ReferenceData:
    """Read, validate and type every reference table in ``directory``; by default the built-in set
    overlaid, file by file, by the researcher's own folder (``config.reference_file``). Raises
    ``InputFileError`` listing every problem found, each naming the file it is in.

    ``validate=False`` reads and types the tables without checking them: for a chapter
    notebook, run by a build that has just loaded (and so checked) the same files."""
    def path_of(name: str) -> Path:
        return Path(directory) / name if directory is not None else reference_file(name)

    problems: list[Problem] = []
    if directory is None:
        problems += _unknown_own_files()
    bib_path = path_of(BIBLIOGRAPHY)
    bib: dict[str, int] = {}
    if bib_path.is_file():
        bib = bibliography_keys(bib_path)
    else:
        problems.append(Problem(str(bib_path), None, None, None, "the bibliography is missing",
                                "make it from sources.csv: python scripts/build_bibliography.py"))
    frames = {name: _read_csv(path_of(file), problems) for name, file in FILES.items()}

    sources = frames["sources"]
    listed = set(sources["source_key"]) if sources is not None and "source_key" in sources else set()
    known = listed & set(bib)
    for key, line in bib.items():
        if sources is not None and key not in listed:
            problems.append(Problem(str(bib_path), line, "key", key, "the entry has no row in sources.csv",
                                    "add the source to sources.csv or delete the entry"))
    if validate:
        bare = rules.uncitable(sources) if sources is not None and {"year", "authors"} <= set(sources) else None
        builders = {"estimates": rules.estimate_rules(known, bare), "sources": rules.source_rules(set(bib)),
                    "caseload": rules.caseload_rules(known, bare), "policy": rules.policy_rules(known, bare),
                    "commissioning": rules.commissioning_rules(known, bare),
                    "pathways": rules.pathway_rules(known, bare),
                    "recommendations": rules.recommendation_rules(known, bare)}
        for name, frame in frames.items():
            if frame is not None:
                problems += _validate_table(frame, builders[name], path_of(FILES[name]))
    if problems:
        raise InputFileError(sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "")))

    def typed(frame: pd.DataFrame) -> pd.DataFrame:
        # Maintainer-only columns stay in the files: nothing a build makes can show them; the
        # Welsh text is kept apart (``welsh``).
        drop = [c for c in frame.columns if c in rules.MAINTAINER_COLUMNS or c.endswith(WELSH_SUFFIX)]
        return frame.drop(columns=drop).reset_index(drop=True)

    def welsh(name: str, frame: pd.DataFrame) -> pd.DataFrame | None:
        # the row's key, each English column with Welsh beside it, the Welsh, the spreadsheet row
        columns = [c for c in frame.columns if c.endswith(WELSH_SUFFIX)]
        if not columns:
            return None
        english = [c.removesuffix(WELSH_SUFFIX) for c in columns if c.removesuffix(WELSH_SUFFIX) in frame.columns]
        keep = list(dict.fromkeys([*KEYS.get(name, ()), *english, *columns]))
        return frame[keep].assign(_row=frame.index).reset_index(drop=True)

    caseload = frames["caseload"].assign(value=lambda d: _num(d, "value").astype(float))
    sources = sources.assign(**{c: sources[c].str.lower().map(BOOLEAN_TEXT).astype(bool)
                                for c in ("secondary", "verify")})
    estimates = _typed_estimates(frames["estimates"])
    held = pd.concat([frames["estimates"].loc[estimates["status"] == "held", ["estimate_id", "source_keys"]]
                      .rename(columns={"estimate_id": "row", "source_keys": "sources"}).assign(file=FILES["estimates"]),
                      caseload.loc[caseload["status"] == "held", ["measure", "date", "source_key"]]
                      .assign(row=lambda d: d["measure"] + " " + d["date"])
                      .rename(columns={"source_key": "sources"})[["row", "sources"]].assign(file=FILES["caseload"])],
                     ignore_index=True)
    return ReferenceData(
        estimates=typed(estimates[estimates["status"] != "held"]), sources=typed(sources),
        caseload=typed(caseload[caseload["status"] != "held"]), commissioning=typed(frames["commissioning"]),
        pathways=typed(frames["pathways"]), recommendations=typed(frames["recommendations"]),
        policy=typed(frames["policy"]),
        bibliography=bib_path, directory=Path(directory) if directory is not None else reference_dir(),
        held=held[["file", "row", "sources"]],
        welsh={name: table for name, frame in {**frames, "estimates": frames["estimates"].loc[
            (estimates["status"] != "held").to_numpy()]}.items()
               if (table := welsh(name, frame)) is not None})


def scenario_changes() -> dict | None:
    """What a researcher's own reference folder changes from the built-in reference data: the files
    that differ (``files``) and the national estimates added or changed (``estimates``, by id, in the
    file's order), or None when the built-in data are used. A chapter built from them is a scenario,
    and says so."""
    import csv

    own = own_reference_dir()
    if own is None or not own.is_dir():
        return None
    built_in = reference_dir()
    files = sorted(p.name for p in own.iterdir() if p.is_file() and p.suffix in (".csv", ".json")
                   and (not (built_in / p.name).is_file() or p.read_bytes() != (built_in / p.name).read_bytes()))
    estimates: list[str] = []
    if "national_estimates.csv" in files:
        def rows(path: Path) -> dict[str, dict]:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                return {r["estimate_id"]: {k: (v or "").strip() for k, v in r.items() if k != "maintainer_note"}
                        for r in csv.DictReader(fh)}

        before, after = rows(built_in / "national_estimates.csv"), rows(own / "national_estimates.csv")
        estimates = [key for key, row in after.items() if before.get(key) != row]
    return {"files": files, "estimates": estimates} if files else None


def _unknown_own_files() -> list[Problem]:
    """Files in the researcher's own reference folder that are not reference files (a misspelt
    name would otherwise be ignored without a word)."""
    own = own_reference_dir()
    if own is None:
        return []
    if not own.is_dir():
        return [Problem(str(own), None, None, None, "the reference folder does not exist",
                        "give a folder made by `jsna-kit reference export DIR`, or fix the path")]
    known = {p.name for p in reference_dir().iterdir() if p.is_file()}
    return [Problem(str(p), None, None, p.name, "is not one of the reference files, so it would not be used",
                    "name it as in `jsna-kit reference export` (e.g. national_estimates.csv), or remove it")
            for p in sorted(own.iterdir()) if p.is_file() and p.suffix in (".csv", ".json") and p.name not in known]

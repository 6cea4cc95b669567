"""A regional caseload file: people on probation by probation region, the shape of the caseload by
region table MoJ publishes (Offender Management Statistics Quarterly, Table 6.8; data.justice.gov.uk
"caseload by region"). Columns ``probation_region_code, date, caseload`` (a ``probation_region_name``
column may be kept beside them); one row per region and date. Template: templates/regional_caseload.csv.

Put it in the data directory as ``caseload/caseload_by_region.csv``: every modelled caseload then
shares its region's caseload among the region's areas instead of the national total.

Checked as it is read, every problem with its row and column: an unknown region, a date that is not
a date or is in the future, a caseload that is not a whole number of people; a region twice on one
date. A latest total far from the national caseload (more than ``TOLERANCE`` apart) is an error
when it is larger, and a stated warning when smaller (some regions may be missing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputFileError, Problem
from .cells import parse_date, parse_number
from .table_reading import read_table

REGIONAL_FILE = Path("caseload") / "caseload_by_region.csv"
COLUMNS = ("probation_region_code", "date", "caseload")
TOLERANCE = 0.10
TEMPLATE_FIX = "see templates/regional_caseload.csv"


@dataclass
class RegionalCaseload:
    """The latest caseload of each region in the file, and what was found in it."""

    table: pd.DataFrame  # probation_region_code, date (ISO text), caseload: the latest row of each region
    path: Path
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_regional_caseload(path: str | Path, *, regions: pd.DataFrame, national: tuple[float, str] | None = None,
                           today: dt.date | None = None, sheet: str | None = None) -> RegionalCaseload:
    """Read and check a regional caseload file; nothing raises (see ``load_regional_caseload``).

    ``regions``: the reference table ``probation_regions.csv`` (probation_region_code,
    probation_region_name). ``national``: the latest national caseload (total, date)."""
    path = Path(path)
    today = today or dt.date.today()
    raw = read_table(path, sheet=sheet)
    found = RegionalCaseload(pd.DataFrame(columns=list(COLUMNS)), path, list(raw.errors), list(raw.warnings))
    if raw.errors:
        return found
    header = [h.strip().lower() for h in raw.header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        found.problems.append(raw.problem(f"the header has no column {', '.join(repr(m) for m in missing)}",
                                          f"the header must hold {', '.join(COLUMNS)}; {TEMPLATE_FIX}",
                                          row=raw.header_row, column=missing[0]))
        return found
    at = {c: header.index(c) for c in COLUMNS}
    names = dict(zip(regions["probation_region_code"], regions["probation_region_name"], strict=True))
    by_name = {str(n).strip().lower(): c for c, n in names.items()}
    rows = []
    for number, cells in zip(raw.row_numbers, raw.rows, strict=True):
        cells = cells + [""] * (len(header) - len(cells))
        code, when, value = (cells[at[c]].strip() for c in COLUMNS)
        if not any((code, when, value)):
            continue
        if code not in names:
            fix = (f"use the code {by_name[code.lower()]} for {code}" if code.lower() in by_name
                   else "use one of " + ", ".join(sorted(names)))
            found.problems.append(raw.problem("is not a probation region code", fix, row=number,
                                              column="probation_region_code", value=code))
        date, _ = parse_date(when)
        if date is None:
            found.problems.append(raw.problem("is not a date", "write it as YYYY-MM-DD (e.g. 2025-06-30)",
                                              row=number, column="date", value=when))
        elif date > today:
            found.problems.append(raw.problem(f"is in the future (today is {today.isoformat()})",
                                              "give the date the caseload was counted", row=number, column="date",
                                              value=when))
        parsed = parse_number(value, semicolons=raw.delimiter == ";")
        if parsed.status not in ("ok", "thousands") or parsed.value < 1 or parsed.value != int(parsed.value):
            found.problems.append(raw.problem("is not a whole number of people of 1 or more",
                                              "give the number of people on probation in the region", row=number,
                                              column="caseload", value=value))
        rows.append({"row": number, "probation_region_code": code,
                     "date": date.isoformat() if date else "", "caseload": parsed.value})
    frame = pd.DataFrame(rows, columns=["row", *COLUMNS])
    twice = frame[frame.duplicated(["probation_region_code", "date"], keep="first")]
    found.problems += [raw.problem("gives this region twice for one date", "keep one row per region and date",
                                   row=int(r.row), column="probation_region_code", value=r.probation_region_code)
                       for r in twice.itertuples()]
    if found.problems or frame.empty:
        if frame.empty and not found.problems:
            found.problems.append(raw.problem("has no rows", f"add one row per region; {TEMPLATE_FIX}"))
        return found
    latest = frame.sort_values("date").groupby("probation_region_code", as_index=False).tail(1)
    found.table = latest.sort_values("probation_region_code")[list(COLUMNS)].reset_index(drop=True)
    _check_total(found, latest, national, names)
    return found


def _check_total(found: RegionalCaseload, latest: pd.DataFrame, national, names: dict) -> None:
    if national is None:
        return
    total, national_date = national
    summed = float(latest["caseload"].sum())
    gap = summed / total - 1
    absent = sorted(set(names) - set(latest["probation_region_code"]))
    words = (f"the latest caseloads of the regions add up to {summed:,.0f}, {abs(gap):.0%} "
             f"{'more' if gap > 0 else 'less'} than the national caseload ({total:,.0f} on {national_date})")
    if gap > TOLERANCE:
        found.problems.append(Problem(str(found.path.name), None, "caseload", f"{summed:,.0f}", words,
                                      "check the figures against the published table: the regions cannot hold more "
                                      "people than the whole of England and Wales"))
    elif gap < -TOLERANCE:
        also = f"; regions with no row: {', '.join(absent)}" if absent else ""
        found.warnings.append(Problem(str(found.path.name), None, "caseload", f"{summed:,.0f}", words + also,
                                      "areas of regions with no row are modelled from the national caseload"))


def load_regional_caseload(data_dir: Path | None, *, regions: pd.DataFrame,
                           national: tuple[float, str] | None = None) -> RegionalCaseload | None:
    """The regional caseload file of the data directory, or None when there is none. A file with
    errors is one ``InputFileError`` naming each problem's row and column."""
    if data_dir is None:
        return None
    path = Path(data_dir) / REGIONAL_FILE
    if not path.is_file():
        return None
    found = read_regional_caseload(path, regions=regions, national=national)
    if found.problems:
        raise InputFileError(found.problems)
    return found


def probation_regions() -> pd.DataFrame:
    """The reference table of the 12 probation regions (``data/reference/probation_regions.csv``)."""
    from .. import config

    return pd.read_csv(config.reference_file("probation_regions.csv"), dtype=str, keep_default_na=False)

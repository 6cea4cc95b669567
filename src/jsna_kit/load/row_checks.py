"""Checks across the rows of an analyst's file, once its cells are typed (``load.validate``): no
duplicate rows, subgroups that add up to their totals, each area's total present and plausible,
no date in the future. Each finding goes into the validation report (``report.problems`` or
``report.warnings``), naming the row and column."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from jsna_kit.load.cells import caseload_problem
from jsna_kit.load.templates import AGE_BANDS, SEXES


def subgroups_add_up(raw, text: pd.DataFrame, data: pd.DataFrame, report) -> None:
    """Male + female must not exceed the 'all' row, nor the age bands of a sex its 'all' row.
    Falling short is a warning: people with no recorded sex or age, or rounded figures."""
    parts = {"sex": [("male", "all"), ("female", "all")]}
    parts.update({sex: [(sex, band) for band in AGE_BANDS[1:]] for sex in SEXES})
    rows = data.dropna(subset=["area_code", "date"])
    split = (rows["sex"] != "all") | (rows["age_band"] != "all")
    # only counts that have subgroups can fail to add up (a file of totals alone is checked at once)
    rows = rows[split.groupby([rows["area_code"], rows["date"]]).transform("any")]
    for (_, _), group in rows.groupby(["area_code", "date"], sort=False):
        cells = {(sex, band): (row, value) for row, sex, band, value in
                 zip(group.index, group["sex"], group["age_band"], group["caseload"], strict=True)}
        for key, subgroup in parts.items():
            total_key = ("all", "all") if key == "sex" else (key, "all")
            if total_key not in cells or math.isnan(cells[total_key][1]):
                continue
            present = [(p, *cells[p]) for p in subgroup if p in cells and not math.isnan(cells[p][1])]
            total_row, total = cells[total_key]
            complete = len(present) == len(subgroup)
            summed = sum(v for _, _, v in present)
            if not present or (not complete and summed <= total) or summed == total:
                continue
            label = "sex" if key == "sex" else f"age band (sex {key})"
            terms = " + ".join(f"{p[0] if key == 'sex' else p[1]} (row {r}) {v:,.0f}" for p, r, v in present)
            if summed > total:
                report.problems.append(raw.problem(
                    f"Caseload by {label} adds up to more than the 'all' row: {terms} = {summed:,.0f}, "
                    f"but all = {total:,.0f}", "Correct the figures: a subgroup cannot outnumber everyone",
                    row=total_row, column="caseload", value=text.at[total_row, "caseload"]))
            else:
                report.warnings.append(raw.problem(
                    f"Caseload by {label} adds up to less than the 'all' row: {terms} = {summed:,.0f}, "
                    f"but all = {total:,.0f} ({total - summed:,.0f} in no subgroup)",
                    "Check the figures; if some people have no recorded sex or age, say so in the note",
                    row=total_row, column="caseload", value=text.at[total_row, "caseload"]))

def caseload_totals(raw, text: pd.DataFrame, data: pd.DataFrame, report,
                     national: tuple[float, str] | None) -> None:
    """Each area's latest count has a total (sex and age band 'all'), and every total is a
    plausible caseload (``cells.caseload_problem``): the rows a build takes the caseload from."""
    rows = data.dropna(subset=["area_code"])
    flagged = {p.row for p in report.problems}  # an area whose rows are already wrong is not told twice
    for code, group in rows.groupby("area_code", sort=False):
        if flagged.intersection(group.index):
            continue
        latest = group[group["date"] == group["date"].max()] if group["date"].notna().any() else group
        total = latest[(latest["sex"] == "all") & (latest["age_band"] == "all")]
        suppressed = total["caseload_suppressed"].astype(bool).any() if not total.empty else False
        if total.empty or (total["caseload"].isna().all() and suppressed):  # other blanks are reported already
            report.problems.append(raw.problem(
                f"the caseload for {code} needs a row with sex 'all' and age_band 'all' holding the total (it is "
                "missing or suppressed)", "Add the area's total (everyone on probation there) as its own row",
                row=int(latest.index[0]), column="caseload"))
    totals = rows[(rows["sex"] == "all") & (rows["age_band"] == "all") & rows["caseload"].notna()]
    for row, value in totals["caseload"].items():
        problem = caseload_problem(float(value), national)
        if problem and value >= 0:  # a negative figure is reported by the schema already
            report.problems.append(raw.problem(problem[0].upper() + problem[1:], "Check the figure",
                                               row=int(row), column="caseload", value=text.at[row, "caseload"]))

def no_future_dates(raw, text: pd.DataFrame, data: pd.DataFrame, report, today: dt.date) -> None:
    for row, value in data["date"].dropna().items():
        if value.date() > today:
            report.problems.append(raw.problem(
                f"The date is in the future (today is {today.isoformat()})", "Give the date the figure was counted",
                row=int(row), column="date", value=text.at[row, "date"]))

def _shown(value: object) -> str:
    return value.date().isoformat() if isinstance(value, pd.Timestamp) else str(value)


def duplicates(raw, text: pd.DataFrame, data: pd.DataFrame, report, keys) -> None:
    keys = list(keys)
    key_frame = data[keys].astype(str).apply(lambda s: s.str.casefold())
    first_row: dict[tuple, int] = {}
    for row, key in zip(key_frame.index, key_frame.itertuples(index=False, name=None), strict=True):
        if any(v in ("nan", "none", "nat") for v in key):
            continue
        if key in first_row:
            report.problems.append(raw.problem(
                f"Duplicate row: same {', '.join(keys)} as row {first_row[key]}",
                f"Keep one row for each {', '.join(keys)}: delete or correct this one",
                row=row, column=None, value=" / ".join(_shown(data.at[row, k]) for k in keys)))
        else:
            first_row[key] = row

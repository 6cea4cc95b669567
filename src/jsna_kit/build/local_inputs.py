"""The analyst's own files, turned into what the model needs for one area: the caseload (by sex
and age band when the file has them) and locally identified needs compared with what national
rates predict. Reading and validating is ``load.local_data``'s job; this module chooses rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import EstimateInputError
from ..load.local_data import read_caseload, read_needs
from ..model.caseload import local_caseload
from ..model.disclosure import secondary_suppression, suppress_small_counts
from ..model.observed import compare_observed


def caseload_from_file(path: Path, area_code: str, *, areas: pd.DataFrame, changes: pd.DataFrame,
                       frame: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """The area's latest caseload from a caseload template file (``frame``: the file as
    ``read_caseload`` gives it, when already read).

    A breakdown (by sex, by age band, or both) is used for stratified estimates only when it adds
    up exactly to the area's total; otherwise the total alone is used and the chapter says why
    (people with no recorded sex or age are the usual reason)."""
    frame = read_caseload(path, areas=areas, code_changes=changes) if frame is None else frame
    rows = frame[frame["area_code"] == area_code]
    if rows.empty:
        raise EstimateInputError(f"{path.name} has no caseload rows for {area_code}; add them or build the "
                                 "area with --caseload N")
    if rows["date"].notna().any():
        rows = rows[rows["date"] == rows["date"].max()]
    total = rows[(rows["sex"] == "all") & (rows["age_band"] == "all")]
    if total.empty or total["caseload"].isna().all():
        raise EstimateInputError(f"{path.name}: the caseload for {area_code} needs a row with sex 'all' and "
                                 "age_band 'all' holding the total (it is missing or suppressed)")
    total_value = float(total["caseload"].iloc[0])
    breakdown = rows[~((rows["sex"] == "all") & (rows["age_band"] == "all"))]
    used = _consistent_breakdown(breakdown, total_value)
    note = ""
    if not breakdown.empty and used.empty:
        note = (f"The breakdown by sex or age in {path.name} does not add up to the total of "
                f"{total_value:,.0f} (some people have no recorded sex or age, or cells are suppressed), so "
                "the estimates use the total only.")
    table = local_caseload(pd.concat([total, used])[["area_code", "sex", "age_band", "caseload"]])
    date = total["date"].iloc[0]
    info = {
        "caseload_source": f"{total['source'].iloc[0] or path.name}"
                           + (f", {pd.Timestamp(date).date().isoformat()}" if pd.notna(date) else ""),
        "caseload_breakdown": publishable_breakdown(rows),
        "caseload_note": note,
        "court_orders": _first(total, "court_orders"),
        "licence": _first(total, "licence"),
    }
    return table, info


def _first(frame: pd.DataFrame, column: str) -> float | None:
    if column not in frame or frame[column].isna().all():
        return None
    return float(frame[column].dropna().iloc[0])


def _consistent_breakdown(breakdown: pd.DataFrame, total: float) -> pd.DataFrame:
    """The finest breakdown whose cells are all known and add up exactly to the total."""
    if breakdown.empty or breakdown["caseload"].isna().any():
        return breakdown.iloc[0:0]
    both = breakdown[(breakdown["sex"] != "all") & (breakdown["age_band"] != "all")]
    by_sex = breakdown[(breakdown["sex"] != "all") & (breakdown["age_band"] == "all")]
    by_age = breakdown[(breakdown["sex"] == "all") & (breakdown["age_band"] != "all")]
    for candidate in (both, by_sex, by_age):
        if not candidate.empty and abs(candidate["caseload"].sum() - total) < 1e-9:
            return candidate
    return breakdown.iloc[0:0]


def publishable_breakdown(rows: pd.DataFrame, *, threshold: int = 5) -> list[dict]:
    """The caseload table (total and breakdown) as it may be shown: counts under ``threshold``
    suppressed, and enough other cells suppressed that none can be worked out from a total."""
    breakdown = rows
    if len(breakdown) < 2:
        return []
    frame = breakdown[["sex", "age_band", "caseload"]].copy()
    frame = suppress_small_counts(frame, ["caseload"], threshold=threshold)
    groups = [g for g in ("sex", "age_band") if frame[g].nunique() > 1]
    if groups:
        frame = secondary_suppression(frame, "caseload", groups, threshold=threshold)
    frame["caseload"] = frame["caseload"].where(~frame["caseload_suppressed"].astype(bool))
    return [{"sex": r.sex, "age_band": r.age_band,
             "caseload": None if pd.isna(r.caseload) else float(r.caseload)} for r in frame.itertuples()]


def observed_needs(path: Path, area_code: str, estimates: pd.DataFrame, *, areas: pd.DataFrame,
                   changes: pd.DataFrame, caseload: float, threshold: int = 5) -> pd.DataFrame:
    """Locally identified needs for the area against the headline national rate for the same
    priority area: observed proportion with Wilson intervals and a Fingertips-style comparison.
    Counts under ``threshold`` are suppressed (shown as "fewer than N", never 0) and not compared."""
    frame = read_needs(path, areas=areas, code_changes=changes)
    rows = frame[frame["area_code"] == area_code].copy()
    if rows.empty:
        return pd.DataFrame()
    rows["observed_count"] = rows["numerator"]
    rows["caseload"] = rows["denominator"].fillna(caseload)
    small = rows["observed_count"].notna() & (rows["observed_count"] > 0) & (rows["observed_count"] < threshold)
    rows["suppressed"] = rows["numerator_suppressed"].astype(bool) | small
    rows.loc[rows["suppressed"], "observed_count"] = float("nan")
    head = estimates[estimates["role"] == "headline"].assign(p=lambda d: d["prevalence_pct"] / 100)
    compared = compare_observed(rows[["area_code", "priority_area", "observed_count", "caseload"]],
                                head[["area_code", "priority_area", "p", "role"]])
    out = rows[["priority_area", "need", "period", "source", "suppressed"]].reset_index(drop=True)
    out = pd.concat([out, compared.drop(columns=["area_code", "priority_area"]).reset_index(drop=True)], axis=1)
    out["compared_with"] = out["priority_area"].map(head.set_index("priority_area")["estimate_id"])
    return out


def context_for_areas(data_dir: Path, areas: pd.DataFrame, area_codes) -> tuple[pd.DataFrame | None, list[Path]]:
    """Benchmarked Fingertips context indicators for the given areas from the exports in the data
    directory, and the files used; (None, []) when there are no exports."""
    from ..load.context import latest_fingertips
    from ..load.fingertips import load_catalogue
    from ..model.context import local_context

    latest, files = latest_fingertips(data_dir)
    if latest is None:
        return None, []
    chosen = areas[areas["area_code"].isin(list(area_codes))]
    return local_context(latest, load_catalogue(), chosen), files

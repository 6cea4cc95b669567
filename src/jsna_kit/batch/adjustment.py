"""The locally adjusted estimates of the chosen areas: each national figure that a local
whole-population measure bears on (``local_adjustment_links.csv``) moved by how the area differs
from its nation on that measure (``model.local_adjustment``), beside the national-rate figure in
the one estimates table. Gathers the measures from the areas' context rows (the Fingertips
snapshot or download for England, Wales's own figures) and the deprivation table (WIMD 2025)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..load.local_adjustment_links import local_adjustment_links
from ..load.snapshot import WALES_INDICATOR_ID, deprivation_table
from ..model.local_adjustment import adjusted_expected, adjusted_prevalence, indicator_ratio, log_ratio_se

#: Columns the adjustment adds to the estimates table (blank where no local measure bears on a figure).
ADJUSTED_COLUMNS = ("adjusted_pct", "adjusted_lower_pct", "adjusted_upper_pct", "adjusted_expected",
                    "adjusted_expected_lower", "adjusted_expected_upper", "adjustment_link", "adjustment_indicator",
                    "adjustment_local_value", "adjustment_national_value", "adjustment_comparator",
                    "adjustment_ratio", "adjustment_beta_low", "adjustment_beta_high", "adjustment_reason")
#: The WIMD measure a link may name, and where it is: the share of small areas among Wales's most deprived 10%.
WIMD_SHARE = "wimd2025_overall_10pct"


def _measure_id(row) -> int | str:
    if row.indicator_source == "fingertips":
        return int(row.indicator_id)
    if row.indicator_source == "wales":
        return int(WALES_INDICATOR_ID[str(row.indicator_id)])
    return str(row.indicator_id)


def local_measures(codes: list[str], areas: pd.DataFrame, context: pd.DataFrame | None) -> pd.DataFrame:
    """``area_code, measure, local, national, local_lower, local_upper, comparator``: each area's
    value of every measure a link may use, and its nation's."""
    frames = []
    if context is not None and not context.empty:
        rows = context[context["area_code"].isin(codes) & context["sex"].fillna("Persons").isin(
            ["Persons", "persons", "all"])] if "sex" in context.columns else context[context["area_code"].isin(codes)]
        frames.append(pd.DataFrame({
            "area_code": rows["area_code"], "_measure": rows["indicator_id"].astype(int).astype(object),
            "local": pd.to_numeric(rows["value"], errors="coerce"),
            "national": pd.to_numeric(rows["england_value"], errors="coerce"),
            "local_lower": pd.to_numeric(rows["lower_95"], errors="coerce"),
            "local_upper": pd.to_numeric(rows["upper_95"], errors="coerce"),
            "comparator": rows.get("comparator_name", pd.Series("England", index=rows.index)).fillna("England")}))
    welsh = [c for c in codes if c.startswith("W")]
    if welsh:
        wimd = deprivation_table(areas)
        wimd = wimd[(wimd["index_name"] == "WIMD2025") & wimd["area_code"].isin(welsh)]
        frames.append(pd.DataFrame({
            "area_code": wimd["area_code"], "_measure": WIMD_SHARE,
            "local": pd.to_numeric(wimd["share_most_deprived_10pct"], errors="coerce"), "national": 10.0,
            "local_lower": np.nan, "local_upper": np.nan, "comparator": "Wales"}))
    if not frames:
        return pd.DataFrame(columns=["area_code", "_measure", "local", "national", "local_lower", "local_upper",
                                     "comparator"])
    measures = pd.concat(frames, ignore_index=True).dropna(subset=["local", "national"])
    return measures.drop_duplicates(["area_code", "_measure"], keep="first")


def with_local_adjustment(raw: pd.DataFrame, caseload: pd.DataFrame, areas: pd.DataFrame,
                          context: pd.DataFrame | None, *, adjust=adjusted_prevalence) -> pd.DataFrame:
    """``raw`` (``model.estimates.estimate_table``) with ``ADJUSTED_COLUMNS``: for each area's
    all-persons figure that a link names for its nation and a measure the area has, the locally
    adjusted prevalence, its 95% uncertainty range, and the expected number of people with it.
    ``adjust``: ``model.local_adjustment.adjusted_prevalence``, or the same kept between runs
    (it follows from the evidence and the area's measures, not from its caseload)."""
    out = raw.copy()
    for column in ADJUSTED_COLUMNS:
        out[column] = np.nan
    out[list(ADJUSTED_COLUMNS[6:8]) + ["adjustment_comparator", "adjustment_reason"]] = None
    links = local_adjustment_links()
    codes = list(dict.fromkeys(raw["area_code"]))
    measures = local_measures(codes, areas, context)
    if links.empty or measures.empty:
        return out
    links = links.assign(_measure=[_measure_id(r) for r in links.itertuples(index=False)])
    nation = raw["area_code"].str[:1].map({"E": "England", "W": "Wales"})
    candidates = raw.assign(nation=nation, _row=np.arange(len(raw)))
    candidates = candidates[(candidates["sex"] == "all") & (candidates["age_band"] == "all")
                            & candidates["prevalence_pct"].notna()]
    linked = candidates.merge(links[["link_id", "estimate_id", "nation", "_measure", "indicator_name",
                                     "ratio_transform", "beta_low", "beta_high", "reader_reason"]],
                              on=["estimate_id", "nation"], how="inner")
    linked = linked.merge(measures, on=["area_code", "_measure"], how="inner")
    if linked.empty:
        return out
    ratio = np.concatenate([
        indicator_ratio(group["local"].to_numpy(float), group["national"].to_numpy(float), transform)
        for transform, group in linked.groupby("ratio_transform", sort=False)])
    linked = pd.concat([g for _, g in linked.groupby("ratio_transform", sort=False)], ignore_index=True)
    lower, upper = linked["local_lower"].to_numpy(float), linked["local_upper"].to_numpy(float)
    interval = np.isfinite(lower) & np.isfinite(upper) & (lower > 0) & (upper > lower)
    se = np.zeros(len(linked))  # the snapshot's values have no interval: the link's range carries the doubt
    if interval.any():
        se[interval] = log_ratio_se(lower[interval], upper[interval])
    table = pd.DataFrame({
        "area_code": linked["area_code"], "estimate_id": linked["estimate_id"],
        "prevalence_pct": linked["prevalence_pct"], "prevalence_lower_pct": linked["prevalence_lower_pct"],
        "prevalence_upper_pct": linked["prevalence_upper_pct"], "ratio": ratio,
        "ratio_log_se": se,
        "beta_low": linked["beta_low"].astype(float), "beta_high": linked["beta_high"].astype(float)})
    adjusted = adjusted_expected(adjust(table), caseload)
    rows = linked["_row"].to_numpy()
    at = out.index[rows]
    out.loc[at, "adjusted_pct"] = adjusted["adjusted_pct"].to_numpy()
    out.loc[at, "adjusted_lower_pct"] = adjusted["adjusted_lower_pct"].to_numpy()
    out.loc[at, "adjusted_upper_pct"] = adjusted["adjusted_upper_pct"].to_numpy()
    out.loc[at, "adjusted_expected"] = adjusted["expected"].to_numpy()
    out.loc[at, "adjusted_expected_lower"] = adjusted["expected_lower"].to_numpy()
    out.loc[at, "adjusted_expected_upper"] = adjusted["expected_upper"].to_numpy()
    out.loc[at, "adjustment_link"] = linked["link_id"].to_numpy()
    out.loc[at, "adjustment_indicator"] = linked["indicator_name"].to_numpy()
    out.loc[at, "adjustment_local_value"] = linked["local"].astype(float).round(4).to_numpy()
    out.loc[at, "adjustment_national_value"] = linked["national"].astype(float).round(4).to_numpy()
    out.loc[at, "adjustment_comparator"] = linked["comparator"].to_numpy()
    out.loc[at, "adjustment_ratio"] = ratio
    out.loc[at, "adjustment_beta_low"] = linked["beta_low"].astype(float).to_numpy()
    out.loc[at, "adjustment_beta_high"] = linked["beta_high"].astype(float).to_numpy()
    out.loc[at, "adjustment_reason"] = linked["reader_reason"].to_numpy()
    return out

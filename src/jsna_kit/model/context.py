"""Local context indicators: each catalogue indicator's latest value for every area, benchmarked
against England and the area's region by the Fingertips rules (comparator outside the local
interval, with the indicator's polarity), at 95% and 99.8%. Pure and vectorised over areas."""

from __future__ import annotations

import pandas as pd

from .benchmark import benchmark_against

ENGLAND = "E92000001"
CONTEXT_COLUMNS = (
    "area_code", "priority_area", "indicator_id", "indicator_name", "unit", "polarity", "sex", "age",
    "time_period", "value", "lower_95", "upper_95", "lower_998", "upper_998", "value_note",
    "england_value", "region_code", "region_value", "benchmark_england_95", "benchmark_england_99_8",
    "benchmark_region_95", "benchmark_region_99_8", "relative_to_england", "relative_lower",
    "relative_upper",
)


def _headline_rows(latest: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator x area: persons where published (otherwise the only sex), and the
    age group England is published for, so local and England values measure the same thing."""
    rows = latest[latest["sex"].isin(["all", "Persons"]) | ~latest["indicator_id"].isin(
        latest.loc[latest["sex"].isin(["all", "Persons"]), "indicator_id"])]
    england = rows[rows["area_code"] == ENGLAND]
    ages = england.groupby("indicator_id")["age"].first()
    rows = rows[rows["age"].eq(rows["indicator_id"].map(ages)) | ~rows["indicator_id"].isin(ages.index)]
    return rows.drop_duplicates(["indicator_id", "area_code"], keep="last")


def local_context(latest: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Benchmarked context indicators for every area in ``areas`` (area_code, region_code).

    ``latest``: ``load.fingertips.latest_values`` output (any mix of exports: areas, regions,
    England). ``catalogue``: priority_area, indicator_id, indicator_name, polarity, unit, include.
    Areas or indicators without data simply have no row; a suppressed latest value stays NaN and
    is ``not_compared``."""
    wanted = catalogue[catalogue["include"].astype(bool) & catalogue["indicator_id"].notna()].copy()
    wanted["indicator_id"] = wanted["indicator_id"].astype(int)
    rows = _headline_rows(latest.assign(indicator_id=latest["indicator_id"].astype(int)))
    values = rows.set_index(["indicator_id", "area_code"])["value"]
    local = rows.merge(areas[["area_code", "region_code"]], on="area_code", how="inner")
    local = local.merge(wanted[["indicator_id", "priority_area", "polarity", "unit"]], on="indicator_id",
                        how="inner")
    if local.empty:
        return pd.DataFrame(columns=list(CONTEXT_COLUMNS))
    local["indicator_name"] = local["indicator_id"].map(
        wanted.drop_duplicates("indicator_id").set_index("indicator_id")["indicator_name"]).fillna(
        local["indicator_name"])
    local["england_value"] = [values.get((i, ENGLAND)) for i in local["indicator_id"]]
    local["region_value"] = [values.get((i, r)) for i, r in zip(local["indicator_id"], local["region_code"],
                                                                  strict=True)]
    for comparator, prefix in (("england_value", "benchmark_england"), ("region_value", "benchmark_region")):
        for level, suffix, lo, hi in ((0.95, "95", "lower_95", "upper_95"), (0.998, "99_8", "lower_998",
                                                                                "upper_998")):
            local = benchmark_against(local, comparator, level, lower_col=lo, upper_col=hi,
                                      polarity_col="polarity", label_col=f"{prefix}_{suffix}")
    local["relative_to_england"] = local["value"] / local["england_value"]
    local["relative_lower"] = local["lower_95"] / local["england_value"]
    local["relative_upper"] = local["upper_95"] / local["england_value"]
    for col in CONTEXT_COLUMNS:
        if col not in local.columns:
            local[col] = pd.NA
    return local[list(CONTEXT_COLUMNS)].sort_values(["area_code", "priority_area", "indicator_id"]).reset_index(
        drop=True)

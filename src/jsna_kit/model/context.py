"""Local context indicators: each catalogue indicator's latest value for every area, benchmarked
against England and the area's region by the Fingertips rules (comparator outside the local
interval, with the indicator's polarity), at 95% and 99.8%. Pure and vectorised over areas.

Two sources give the same columns: Fingertips exports in the data directory (with intervals:
better / similar / worse) and the embedded snapshot of latest values (no intervals: only
``direction_england``, higher / lower than England, never a significance judgement). Exports win
indicator by indicator (``combine_context``). Every row also carries England's spread across
upper-tier areas (lowest, quartiles, highest), for the chapter's spine chart.

Welsh areas are compared with Wales, from Wales's own published figures (the embedded
``wales_indicators.csv``, no intervals): their ``england_value`` and ``england_*`` spread are
Wales's value and its spread across the 22 Welsh areas. ``comparator_code`` and
``comparator_name`` say which nation each row is compared with (England or Wales)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .benchmark import benchmark_against
from .rounding import half_up

ENGLAND = "E92000001"
CONTEXT_COLUMNS = (
    "area_code", "priority_area", "indicator_id", "indicator_name", "unit", "polarity", "sex", "age",
    "time_period", "value", "lower_95", "upper_95", "lower_998", "upper_998", "value_note",
    "england_value", "region_code", "region_value", "benchmark_england_95", "benchmark_england_99_8",
    "benchmark_region_95", "benchmark_region_99_8", "relative_to_england", "relative_lower",
    "relative_upper", "direction_england", "england_lowest", "england_q1", "england_q3", "england_highest",
    "source", "comparator_code", "comparator_name",
)
SOURCE_DOWNLOAD = "fingertips_download"
SOURCE_SNAPSHOT = "snapshot"
SOURCE_WALES = "wales_snapshot"
WALES = "W92000004"
#: The nation each area is compared with: its own. ``england_value`` and the ``england_*`` spread
#: hold this comparator's value and its spread across its own nation's areas (``comparator_name``
#: says which nation: a Welsh row compares with Wales, never with England).
COMPARATORS = {ENGLAND: "England", WALES: "Wales"}
#: Context values are printed to one decimal place; a value without an interval is compared with
#: England's as printed, so two values that print the same are "the same", and never "higher".
PRINTED_DECIMALS = 1


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
    local = _with_spread(local, rows)
    local["source"] = SOURCE_DOWNLOAD
    local["comparator_code"], local["comparator_name"] = ENGLAND, COMPARATORS[ENGLAND]
    for col in CONTEXT_COLUMNS:
        if col not in local.columns:
            local[col] = pd.NA
    return local[list(CONTEXT_COLUMNS)].sort_values(["area_code", "priority_area", "indicator_id"]).reset_index(
        drop=True)


def direction(value, england, decimals: int = PRINTED_DECIMALS) -> np.ndarray:
    """``higher`` / ``lower`` / ``same`` than England from point values alone (no judgement of
    significance: for values without an interval), on the values as printed to ``decimals``
    places; ``not_compared`` when either is missing."""
    value = np.array([half_up(v, decimals) for v in np.atleast_1d(np.asarray(value, float))])
    england = np.broadcast_to(np.array([half_up(v, decimals) for v in np.atleast_1d(np.asarray(england, float))]),
                              value.shape)
    out = np.select([np.isnan(value) | np.isnan(england), value == england, value > england],
                    ["not_compared", "same", "higher"], "lower")
    return out.astype(object)


def _local_areas(codes: pd.Series) -> pd.Series:
    """Rows of local areas: not England, a region or a country."""
    return ~codes.astype(str).str.match(r"^(E92|E12|E13|W92|K0\d)")


def _with_spread(local: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """England's spread of each indicator across English upper-tier areas, and the direction."""
    english = values[_local_areas(values["area_code"]) & values["value"].notna()]
    names = ["england_lowest", "england_q1", "england_q3", "england_highest"]
    spread = (english.groupby("indicator_id")["value"].quantile([0, 0.25, 0.75, 1]).unstack() if len(english)
              else pd.DataFrame(columns=[0, 0.25, 0.75, 1], dtype=float))
    spread.columns = names
    local = local.drop(columns=[c for c in spread.columns if c in local.columns]).merge(
        spread, left_on="indicator_id", right_index=True, how="left")
    local["direction_england"] = direction(local["value"], local["england_value"])
    return local


def snapshot_context(snapshot: pd.DataFrame, areas: pd.DataFrame, *, nation: str = ENGLAND) -> pd.DataFrame:
    """Context rows from an embedded snapshot for every area in ``areas`` (area_code, region_code):
    values without intervals, so every benchmark is ``not_compared`` and ``direction_england`` says
    only higher / lower / the same. ``nation``: the comparator, whose row the snapshot holds:
    England (``load.snapshot.fingertips_snapshot``) or Wales (``load.snapshot.wales_indicators``,
    whose rows keep their ``note`` as ``value_note``); the spread is across that nation's areas."""
    values = snapshot.assign(indicator_id=snapshot["indicator_id"].astype(int))
    england = values[values["area_code"] == nation].set_index("indicator_id")["value"]
    local = values.merge(areas[["area_code", "region_code"]], on="area_code", how="inner")
    if local.empty:
        return pd.DataFrame(columns=list(CONTEXT_COLUMNS))
    local = local.rename(columns={"period": "time_period"})
    local["england_value"] = local["indicator_id"].map(england)
    local["sex"], local["age"] = "Persons", ""
    local["value_note"] = local["note"] if nation == WALES and "note" in local.columns else ""
    for col in ("lower_95", "upper_95", "lower_998", "upper_998", "region_value"):
        local[col] = np.nan
    for col in ("benchmark_england_95", "benchmark_england_99_8", "benchmark_region_95", "benchmark_region_99_8"):
        local[col] = "not_compared"
    local["relative_to_england"] = local["value"] / local["england_value"]
    local["relative_lower"] = local["relative_upper"] = np.nan
    local = _with_spread(local, values)
    local["source"] = SOURCE_WALES if nation == WALES else SOURCE_SNAPSHOT
    local["comparator_code"], local["comparator_name"] = nation, COMPARATORS[nation]
    return local[list(CONTEXT_COLUMNS)].sort_values(["area_code", "priority_area", "indicator_id"]).reset_index(
        drop=True)


def combine_context(download: pd.DataFrame | None, snapshot: pd.DataFrame | None) -> pd.DataFrame | None:
    """One context table: the exports' rows, and the snapshot's for the indicators x areas the
    exports do not have (the exports are newer or fuller: intervals, regions)."""
    frames = [f for f in (download, snapshot) if f is not None and not f.empty]
    if not frames:
        return None
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    have = set(zip(download["area_code"], download["indicator_id"].astype(int), strict=True))
    extra = snapshot[[(a, int(i)) not in have for a, i in zip(snapshot["area_code"], snapshot["indicator_id"],
                                                               strict=True)]]
    return pd.concat([download, extra], ignore_index=True).sort_values(
        ["area_code", "priority_area", "indicator_id"]).reset_index(drop=True)

"""The one tidy estimates table: every local estimate for every area, from one vectorised pass.

Chapters, data downloads and ``jsna-kit estimates`` all read this table, so a number shown in a
chapter is always a number in the download."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .disclosure import round_interval, round_to_base
from .headline import classify_estimates
from .intervals import prevalence_intervals
from .synthetic import synthetic_estimates

#: Columns holding each candidate caseload model's figure (``caseload_alt_<model>``).
ALTERNATIVE_PREFIX = "caseload_alt_"

#: Roles whose national figure is applied to the local caseload.
APPLIED_ROLES = ("headline", "alternative", "proxy")

REFERENCE_COLUMNS = ("priority_area", "role", "measure", "measure_scope", "time_frame", "setting", "setting_type",
                     "sex", "age_band",
                     "grade", "grade_reason", "source_keys", "year", "status", "finding_phrase",
                     "quality_note", "value_text")

ESTIMATE_COLUMNS = (
    "area_code", "area_name", "priority_area", "estimate_id", "role", "measure", "measure_scope", "time_frame",
    "setting", "setting_type",
    "sex", "age_band", "caseload", "caseload_lower", "caseload_upper", "caseload_kind", "caseload_model",
    "prevalence_pct", "prevalence_lower_pct", "prevalence_upper_pct", "prevalence_se_pct", "interval_method",
    "expected", "expected_lower", "expected_upper", "range_kind", "method", "method_note", "interval_note",
    "grade", "grade_reason", "source_keys", "year", "status", "finding_phrase", "quality_note",
)


def applied_evidence(reference_estimates: pd.DataFrame) -> pd.DataFrame:
    """The classified national evidence (every row, with its role), as shown in chapters."""
    return classify_estimates(reference_estimates)


def linked_subgroups(evidence: pd.DataFrame, applied: pd.DataFrame) -> pd.DataFrame:
    """Subgroup figures (one sex or age band) of an applied measure, relabelled with the applied
    row's ``estimate_id`` so the engine can stratify when the caseload is broken down the same way
    (and falls back to the all-persons figure, saying why, when a stratum has no figure)."""
    if "parent_estimate_id" not in evidence.columns:
        return evidence.iloc[0:0]
    subgroups = evidence[(evidence["role"] == "subgroup") & evidence["parent_estimate_id"].isin(applied["estimate_id"])]
    subgroups = subgroups[pd.to_numeric(subgroups["value"], errors="coerce").notna()].copy()
    subgroups["subgroup_estimate_id"] = subgroups["estimate_id"]
    subgroups["estimate_id"] = subgroups["parent_estimate_id"]
    subgroups["role"] = subgroups["estimate_id"].map(applied.set_index("estimate_id")["role"])
    return subgroups


def applied_rows(evidence: pd.DataFrame) -> pd.DataFrame:
    """The all-persons evidence rows applied to caseloads (``APPLIED_ROLES``)."""
    applied = evidence[evidence["role"].isin(APPLIED_ROLES)].copy()
    # A proxy is an illustration from another setting (e.g. male prisoners): its rate is applied
    # to the whole caseload and the chapter says where it comes from, so it counts as all-persons.
    is_proxy = applied["role"] == "proxy"
    applied.loc[is_proxy, ["sex", "age_band"]] = "all"
    return applied[(applied["sex"] == "all") & (applied["age_band"] == "all")]


def prevalence_table(evidence: pd.DataFrame) -> pd.DataFrame:
    """The prevalence and its interval for every applied figure and its linked subgroups: what
    ``estimate_table`` applies to each caseload. It depends on the evidence alone."""
    applied = applied_rows(evidence)
    return prevalence_intervals(pd.concat([applied, linked_subgroups(evidence, applied)]))


def estimate_table(caseload: pd.DataFrame, evidence: pd.DataFrame, areas: pd.DataFrame, *,
                   prevalence: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every applied national estimate x every area in ``caseload``.

    ``caseload``: area_code, sex, age_band, caseload, caseload_lower, caseload_upper, caseload_kind.
    ``evidence``: output of ``applied_evidence`` (reference rows with ``role``).
    ``areas``: area_code, area_name (names for the output).
    ``prevalence``: ``prevalence_table(evidence)``, when already computed."""
    applied = applied_rows(evidence)
    prevalence = prevalence_table(evidence) if prevalence is None else prevalence
    result = synthetic_estimates(caseload, prevalence)
    keep = [c for c in REFERENCE_COLUMNS if c in applied.columns and c not in result.columns]
    result = result.merge(applied[["estimate_id", *keep]], on="estimate_id", how="left")
    # p is the prevalence actually applied (stratified rows included), so expected = caseload x p.
    result["prevalence_pct"] = result["p"] * 100
    result["prevalence_lower_pct"] = result["p_lower"] * 100
    result["prevalence_upper_pct"] = result["p_upper"] * 100
    result["prevalence_se_pct"] = result["p_se"] * 100
    totals = caseload[(caseload["sex"] == "all") & (caseload["age_band"] == "all")].set_index("area_code")
    for col in ("caseload", "caseload_lower", "caseload_upper", "caseload_kind"):
        if col not in result.columns:
            result[col] = result["area_code"].map(totals[col])
    # each candidate model's caseload (``model.caseload_models``), beside the one used
    alternatives = [c for c in totals.columns if c.startswith(ALTERNATIVE_PREFIX)]
    for col in ("caseload_model", *alternatives):
        if col in totals.columns:
            result[col] = result["area_code"].map(totals[col])
    result["area_name"] = result["area_code"].map(areas.set_index("area_code")["area_name"])
    for col in ESTIMATE_COLUMNS:
        if col not in result.columns:
            result[col] = np.nan
    result["caseload_model"] = result["caseload_model"].astype("str")  # text, blank for a local caseload
    order = {"headline": 0, "alternative": 1, "proxy": 2}
    result = result.assign(_o=result["role"].map(order)).sort_values(["area_code", "priority_area", "_o",
                                                                      "estimate_id"])
    at = ESTIMATE_COLUMNS.index("caseload_model") + 1
    return result[[*ESTIMATE_COLUMNS[:at], *alternatives, *ESTIMATE_COLUMNS[at:]]].reset_index(drop=True)


#: Decimal places kept for percentages in the published table: enough for any reader, and no
#: binary-float noise (0.28 x 100 is 28.000000000000004).
PERCENT_DECIMALS = 4

PERCENT_COLUMNS = ("prevalence_pct", "prevalence_lower_pct", "prevalence_upper_pct", "prevalence_se_pct",
                   "adjusted_pct", "adjusted_lower_pct", "adjusted_upper_pct")


def for_publication(estimates: pd.DataFrame, *, base: int = 5) -> pd.DataFrame:
    """The estimates as published, by the one rule every count a reader sees follows
    (``model.disclosure.publish_count``): expected counts and caseloads rounded to ``base``, interval
    bounds outwards so the published range still contains the estimate; percentages to
    ``PERCENT_DECIMALS`` places. Estimates are not counts of real people, so they are rounded
    rather than suppressed; a local caseload below ``base`` is refused before this point."""
    out = estimates.copy()
    value, lower, upper = round_interval(out["expected"], out["expected_lower"], out["expected_upper"],
                                         base=base)
    out["expected"], out["expected_lower"], out["expected_upper"] = value, lower, upper
    if "adjusted_expected" in out.columns:  # the locally adjusted figure, by the same rule
        value, lower, upper = round_interval(out["adjusted_expected"], out["adjusted_expected_lower"],
                                             out["adjusted_expected_upper"], base=base)
        out["adjusted_expected"], out["adjusted_expected_lower"], out["adjusted_expected_upper"] = value, lower, upper
    if "adjustment_ratio" in out.columns:
        out["adjustment_ratio"] = out["adjustment_ratio"].astype(float).round(PERCENT_DECIMALS)
    value, lower, upper = round_interval(out["caseload"], out["caseload_lower"], out["caseload_upper"], base=base)
    local = out["caseload_kind"] == "local"  # a count: no band, so its bounds are the count itself
    out["caseload"] = value
    out["caseload_lower"], out["caseload_upper"] = lower.where(~local, value), upper.where(~local, value)
    for column in (c for c in out.columns if c.startswith(ALTERNATIVE_PREFIX)):
        out[column] = round_to_base(out[column].astype(float), base)
    for column in PERCENT_COLUMNS:
        if column in out.columns:
            out[column] = out[column].astype(float).round(PERCENT_DECIMALS)
    return out

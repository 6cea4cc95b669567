"""Synthetic estimates: national prevalence applied to each area's probation caseload.

``synthetic_estimates`` works on every area and every estimate at once. Inputs are tidy tables:
the caseload (``model.caseload``) and the prevalence figures with their intervals
(``model.intervals.prevalence_intervals`` plus the reference columns). Proportions are 0-1 here.

Uncertainty (all intervals 95%)
-------------------------------
What a range covers is named in ``range_kind`` (``RANGE_KINDS``): a 95% confidence interval only
when it is the national study's sampling interval applied to a local (counted) caseload.

* Local caseload (a count, taken as exact): ``[N x p_lower, N x p_upper]``.
* A national figure with no interval: no range for a local caseload; for a modelled one, the
  caseload band alone, ``[N_lower x p, N_upper x p]``.
* Modelled caseload (``model.caseload``), crude estimate: the two independent uncertainties are
  combined on the log scale by the delta method, ``var(log E) = var(log p) + var(log N)``, each
  variance taken from its interval as ``(half-width on the log scale / 1.96)^2``. The half-widths
  are taken side by side (lower side for the lower limit, upper for the upper), so a skewed
  Wilson interval stays skewed and a fixed caseload gives back exactly ``N x p_lower``; for
  intervals symmetric on the log scale this is the textbook formula. The modelled caseload band
  is an assumption, treated here as if it were a 95% interval. A lower prevalence limit of 0
  gives a lower limit of 0.
* Stratified estimate ``E = sum_s N_s p_s`` (sex and/or age band): normal approximation with
  ``var(E) = sum_s N_s^2 var(p_s)``, ``var(p_s) = ((p_upper_s - p_lower_s) / (2 x 1.96))^2``, the
  lower limit truncated at 0 - the approach of Dobson et al. (Confidence intervals for weighted
  sums of Poisson parameters. Stat Med 1991;10:457-62) for weighted sums, with normal rather than
  Poisson components. For a modelled caseload the subgroup figures share the total's error, so
  ``E^2 x var(log N_total)`` is added (delta method).
* ``p_se``, the standard error of the prevalence applied (for testing a local figure against it):
  the national figure's own (``model.intervals.prevalence_standard_errors``), or for a stratified
  estimate ``sqrt(sum_s N_s^2 se_s^2) / N``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.intervals import INTERVAL_METHODS

from ..messages import N_

#: ``model.intervals.z_for(0.95)`` (scipy's ``ndtri(0.975)``), written out so that importing this
#: module, e.g. for ``SYNTHETIC_METHOD`` in a chapter, does not import scipy (tests check the value).
Z95 = 1.959963984540054

SYNTHETIC_METHOD = N_(
    "No local service counts everyone on probation with each health need, so these figures are "
    "estimates. For each need we take the best national figure for the share of people on "
    "probation who have it and apply it to the number of people on probation in this area: if "
    "39% of people on probation nationally have a mental health condition and 2,000 people are "
    "on probation here, we expect about 780 of them to have one. Where the national figure is "
    "given separately for men and women (or for age groups) and we know how many of each are on "
    "probation here, we work out each group and add them up. The range shown with each figure "
    "reflects how precise the national study was and, where the local caseload is itself an "
    "estimate, how uncertain that is. The figures assume people on probation here are like those "
    "in the national studies; local services' own records are the check on them."
)

# Finest breakdown first: sex is preferred over age because prevalence differs most by sex.
PARTITIONS: tuple[str, ...] = ("sex x age_band", "sex", "age_band")

# Reference columns that describe one subgroup's figure rather than the estimate as a whole;
# they are not carried into the per-area output (p, p_lower, p_upper are, recomputed).
STRATUM_COLUMNS: frozenset[str] = frozenset({
    "sex", "age_band", "value", "value_text", "value_approximate", "range_low", "range_high",
    "numerator", "denominator", "sample_size_note", "ci_lower", "ci_upper", "ci_level",
    "p", "p_lower", "p_upper", "p_se", "design_effect", "interval_method", "interval_note",
})

#: What an estimate's range covers, in the order of ``range_kind``'s values:
#: * ``confidence_interval`` - the national study's sampling uncertainty alone (local caseload);
#: * ``uncertainty_range`` - that and the modelled caseload's band together: not a confidence
#:   interval, since the caseload band is an assumption;
#: * ``caseload_range`` - the modelled caseload's band alone (the national figure has no interval);
#: * ``none`` - no range (a local caseload and a national figure without an interval).
RANGE_KINDS: tuple[str, ...] = ("confidence_interval", "uncertainty_range", "caseload_range", "none")

# When subgroups mix interval methods, the stratified estimate reports the least certain one.
_METHOD_RANK = {"wilson_counts": 0, "published": 1, "wilson_weighted": 2, "none": 3}


def _with_strata(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for col in ("sex", "age_band"):
        df[col] = df[col].astype(object).fillna("all").astype(str) if col in df.columns else "all"
    by_sex, by_age = df["sex"] != "all", df["age_band"] != "all"
    df["partition"] = np.select([by_sex & by_age, by_sex, by_age], list(PARTITIONS), default="total")
    return df


def _require(df: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise EstimateInputError(f"the {what} table is missing columns: {', '.join(missing)}")


def _first(mask: pd.Series) -> int:
    return int(np.flatnonzero(mask.to_numpy())[0])


def _stratum(sex: str, age: str) -> str:
    parts = ([] if sex == "all" else [sex]) + ([] if age == "all" else [f"aged {age}"])
    return " ".join(parts) or "all persons"


def _validated_caseload(caseload: pd.DataFrame) -> pd.DataFrame:
    _require(caseload, ["area_code", "caseload", "caseload_lower", "caseload_upper", "caseload_kind"],
             "caseload")
    df = _with_strata(caseload)
    for col in ("caseload", "caseload_lower", "caseload_upper"):
        raw = df[col].astype(object)
        df[col] = pd.to_numeric(raw, errors="coerce").astype(float)
        bad = df[col].isna() | (df[col] < 0) | ((df[col] == 0) & (df["partition"] == "total"))
        if bad.any():
            i = _first(bad)
            raise EstimateInputError(
                f"area {df['area_code'].iloc[i]} ({_stratum(df['sex'].iloc[i], df['age_band'].iloc[i])}): "
                f"{col} {raw.iloc[i]!r} must be a number above 0")
    out_of_order = (df["caseload_lower"] > df["caseload"]) | (df["caseload"] > df["caseload_upper"])
    bad_kind = ~df["caseload_kind"].isin(["local", "modelled"])
    for mask, message in ((out_of_order, "caseload is not between caseload_lower and caseload_upper"),
                          (bad_kind, "caseload_kind must be 'local' or 'modelled'")):
        if mask.any():
            i = _first(mask)
            raise EstimateInputError(f"area {df['area_code'].iloc[i]}: {message}")
    dup = df.duplicated(["area_code", "sex", "age_band"], keep=False)
    if dup.any():
        i = _first(dup)
        raise EstimateInputError(f"area {df['area_code'].iloc[i]} has more than one caseload row for "
                                 f"{_stratum(df['sex'].iloc[i], df['age_band'].iloc[i])}")
    no_total = ~df["area_code"].isin(df.loc[df["partition"] == "total", "area_code"])
    if no_total.any():
        raise EstimateInputError(f"area {df['area_code'][no_total].iloc[0]} has subgroup caseloads but no "
                                 "total (a row with sex 'all' and age_band 'all')")
    return df


def _check_strata_add_up(df: pd.DataFrame) -> None:
    totals = df[df["partition"] == "total"].set_index("area_code")["caseload"]
    sums = df[df["partition"] != "total"].groupby(["area_code", "partition"])["caseload"].sum().reset_index()
    sums["total"] = sums["area_code"].map(totals)
    # Tolerance 0 people: only floating-point representation error is forgiven.
    wrong = ~np.isclose(sums["caseload"].to_numpy(float), sums["total"].to_numpy(float),
                        rtol=1e-12, atol=1e-9)
    if wrong.any():
        row = sums[wrong].iloc[0]
        raise EstimateInputError(
            f"area {row['area_code']}: the caseload broken down by {row['partition']} adds up to "
            f"{row['caseload']:,.6g}, but the area's total caseload is {row['total']:,.6g}; the subgroups "
            "must add up to the total exactly")


def _validated_prevalence(prevalence: pd.DataFrame) -> pd.DataFrame:
    _require(prevalence, ["estimate_id", "p", "p_lower", "p_upper", "interval_method"], "prevalence")
    df = _with_strata(prevalence)
    for col in ("p", "p_lower", "p_upper"):
        df[col] = pd.to_numeric(df[col].astype(object), errors="coerce").astype(float)

    def fail(mask: pd.Series, message) -> None:
        if mask.any():
            i = _first(mask)
            row = df.iloc[i]
            where = f"estimate {row['estimate_id']} ({_stratum(row['sex'], row['age_band'])})"
            raise EstimateInputError(f"{where}: {message(row)}")

    fail(df["p"].isna(), lambda r: "has no prevalence figure; leave gaps out of the synthetic estimates")
    fail((df["p"] < 0) | (df["p"] > 1),
         lambda r: f"prevalence {r['p'] * 100:g}% is outside 0-100% (p is a proportion 0-1 here)")
    fail(~df["interval_method"].isin(INTERVAL_METHODS),
         lambda r: f"interval_method {r['interval_method']!r} is not one of {', '.join(INTERVAL_METHODS)}")
    has_interval = df["interval_method"] != "none"
    fail(has_interval & (df["p_lower"].isna() | df["p_upper"].isna()),
         lambda r: f"interval_method is {r['interval_method']} but the interval is missing")
    fail(has_interval & ((df["p_lower"] > df["p"]) | (df["p_upper"] < df["p"]) | (df["p_lower"] < 0)
                         | (df["p_upper"] > 1)),
         lambda r: f"interval {r['p_lower']:g} to {r['p_upper']:g} does not contain p {r['p']:g} within 0-1")
    fail(df.duplicated(["estimate_id", "sex", "age_band"], keep=False), lambda r: "appears more than once")
    return df


def _log_sd(centre, bound) -> np.ndarray:
    """Standard deviation on the log scale implied by one side of a 95% interval."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(np.log(centre) - np.log(bound)) / Z95


def _crude(df: pd.DataFrame) -> pd.DataFrame:
    """All-persons prevalence x total caseload; ``df`` has one row per area x estimate."""
    df = df.copy()
    n, nl, nu = df["caseload"], df["caseload_lower"], df["caseload_upper"]
    p, pl, pu = df["p"], df["p_lower"], df["p_upper"]
    expected = n * p
    sd_low = np.hypot(_log_sd(p, pl), _log_sd(n, nl))
    sd_up = np.hypot(_log_sd(p, pu), _log_sd(n, nu))
    with np.errstate(invalid="ignore"):
        modelled_lower = np.where(pl == 0, 0.0, expected * np.exp(-Z95 * sd_low))
        modelled_upper = np.where(p == 0, nu * pu, expected * np.exp(Z95 * sd_up))
    local = df["caseload_kind"] == "local"
    no_interval = df["interval_method"] == "none"
    df["expected"] = expected
    # Without a national interval, a modelled caseload's band still applies: caseload band x p.
    df["expected_lower"] = np.where(no_interval, np.where(local, np.nan, nl * p),
                                    np.where(local, n * pl, modelled_lower))
    df["expected_upper"] = np.where(no_interval, np.where(local, np.nan, nu * p),
                                    np.where(local, n * pu, modelled_upper))
    df["method"] = "crude"
    df["range_kind"], df["range_note"] = _ranges(local, no_interval, (
        "no range: the national figure has no sample size or interval",
        "range covers the modelled caseload's band only (caseload_lower x p to caseload_upper x p): the "
        "national figure has no sample size or interval",
        "95% confidence interval: the national figure's interval applied to the local caseload",
        "95% uncertainty range: the national figure's interval combined with the modelled caseload band "
        "(delta method on the log scale); not a confidence interval, as the band is an assumption"))
    return df


def _ranges(local, no_interval, notes: tuple[str, str, str, str]) -> tuple[np.ndarray, np.ndarray]:
    """``range_kind`` and ``range_note`` of each row: ``notes`` in the order of ``RANGE_KINDS``'
    cases (none, caseload_range, confidence_interval, uncertainty_range)."""
    cases = [no_interval & local, no_interval, local]
    kinds = np.select(cases, ["none", "caseload_range", "confidence_interval"], "uncertainty_range")
    return kinds, np.select(cases, list(notes[:3]), notes[3])


def _stratified(cells: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    cells = cells.assign(
        part=cells["caseload"] * cells["p"],
        var=(cells["caseload"] * (cells["p_upper"] - cells["p_lower"]) / (2 * Z95)) ** 2,
        se_part=(cells["caseload"] * cells["p_se"]) ** 2,
        rank=cells["interval_method"].map(_METHOD_RANK),
        # The stratum caseloads are not written here: a local breakdown may hold counts too small to
        # publish; the chapter's caseload table shows them with small cells suppressed.
        words=[f"{_stratum(s, a)} {p:.1%}" for s, a, p in
               zip(cells["sex"], cells["age_band"], cells["p"], strict=True)],
    )
    keys = ["area_code", "estimate_id", "partition"]
    summed = cells.groupby(keys, sort=False).agg(
        expected=("part", "sum"), var=("var", lambda v: v.sum(min_count=len(v))),
        se_part=("se_part", lambda v: v.sum(min_count=len(v))), rank=("rank", "max"),
        words=("words", ", ".join)).reset_index()
    df = totals.merge(summed, on="area_code")
    n = df["caseload"]
    log_n_var = np.where(df["caseload_kind"] == "local", 0.0,
                         ((np.log(df["caseload_upper"]) - np.log(df["caseload_lower"])) / (2 * Z95)) ** 2)
    prevalence_sd = np.sqrt(df["var"])
    total_sd = np.sqrt(df["var"] + df["expected"] ** 2 * log_n_var)
    df["interval_method"] = df["rank"].map({v: k for k, v in _METHOD_RANK.items()})
    no_interval = df["interval_method"] == "none"
    df["p"] = df["expected"] / n
    df["p_lower"] = np.where(no_interval, np.nan, np.maximum(df["expected"] - Z95 * prevalence_sd, 0) / n)
    df["p_upper"] = np.where(no_interval, np.nan, np.minimum(df["expected"] + Z95 * prevalence_sd, n) / n)
    local = df["caseload_kind"] == "local"
    band_lower = df["expected"] * df["caseload_lower"] / n  # no interval: the caseload band alone
    band_upper = df["expected"] * df["caseload_upper"] / n
    df["expected_lower"] = np.where(no_interval, np.where(local, np.nan, band_lower),
                                    np.maximum(df["expected"] - Z95 * total_sd, 0))
    df["expected_upper"] = np.where(no_interval, np.where(local, np.nan, band_upper),
                                    np.minimum(df["expected"] + Z95 * total_sd, df["caseload_upper"]))
    df["p_se"] = np.sqrt(df["se_part"]) / n
    df["method"] = "stratified"
    df["method_note"] = ("stratified by " + df["partition"].map(_PARTITION_WORDS) + ": " + df["words"]
                         + ", each applied to the local caseload in that group and added up")
    df["range_kind"], df["range_note"] = _ranges(local, no_interval, (
        "no range: a subgroup's national figure has no sample size or interval",
        "range covers the modelled caseload's band only: a subgroup's national figure has no sample size "
        "or interval",
        "95% confidence interval: normal approximation summed over subgroups",
        "95% uncertainty range: normal approximation summed over subgroups, plus the modelled caseload band"))
    return df.drop(columns=["var", "se_part", "rank", "words", "partition"])


_PARTITION_WORDS = {"sex": "sex", "age_band": "age band", "sex x age_band": "sex and age band"}


def _crude_reasons(cells: pd.DataFrame, pairs: pd.DataFrame) -> pd.Series:
    """Why each area x estimate in ``pairs`` was not stratified, in words."""
    keys = ["area_code", "estimate_id", "partition"]
    cells = cells.assign(missing=cells["p"].isna(),
                         name=[_stratum(s, a) for s, a in zip(cells["sex"], cells["age_band"], strict=True)])
    groups = cells.groupby(keys, sort=False)
    summary = groups["missing"].agg(["size", "sum"]).join(
        cells[cells["missing"]].groupby(keys, sort=False)["name"].agg(", ".join)).reset_index()
    summary = summary[summary["sum"] > 0]
    phrases = []
    for partition, n, n_missing, names in zip(summary["partition"], summary["size"], summary["sum"],
                                              summary["name"], strict=True):
        if n_missing == n:
            phrases.append(f"no prevalence by {_PARTITION_WORDS[partition]} for this measure")
        elif partition == "sex":
            phrases.append(f"no {names} prevalence for this measure")
        else:
            shown = names.replace("aged ", "ages ") if partition == "age_band" else names
            phrases.append(f"no prevalence for {shown} for this measure")
    summary["phrase"] = phrases
    summary["order"] = summary["partition"].map(PARTITIONS.index)
    reasons = (summary.sort_values("order", kind="stable").groupby(["area_code", "estimate_id"])["phrase"]
               .agg("; ".join))
    wanted = pd.MultiIndex.from_frame(pairs[["area_code", "estimate_id"]])
    found = pd.Series(reasons.reindex(wanted).to_numpy(), index=pairs.index, dtype=object)
    return found.map(lambda reason: f"not stratified: {reason}" if isinstance(reason, str)
                     else "the caseload for this area is not broken down by sex or age")


def synthetic_estimates(caseload: pd.DataFrame, prevalence: pd.DataFrame) -> pd.DataFrame:
    """Expected number of people with each need, one row per area x estimate_id, all areas at once.

    ``caseload``: ``area_code, sex, age_band, caseload, caseload_lower, caseload_upper,
    caseload_kind`` (sex/age_band default to ``all``; every area needs an ``all``/``all`` total).
    ``prevalence``: ``estimate_id, sex, age_band, p, p_lower, p_upper, interval_method`` (0-1),
    plus any descriptive columns (priority_area, role, measure, grade, source_keys, ...), which are
    carried through from the estimate's all-persons row.

    An estimate is stratified (``method='stratified'``, ``E = sum N_s p_s``) when the area's
    caseload is broken down and the estimate has a prevalence for EVERY subgroup of that breakdown
    (sex x age band preferred, then sex, then age band); otherwise the all-persons prevalence is
    applied to the total (``method='crude'``) and ``method_note`` says why. Intervals: see the
    module docstring; ``interval_method`` ``none`` gives NaN limits and says so in ``interval_note``.

    Output columns: ``area_code, estimate_id, sex ('all'), age_band ('all'), <descriptive columns>,
    caseload, caseload_lower, caseload_upper, caseload_kind, p, p_lower, p_upper (the prevalence
    applied, so expected = caseload x p), interval_method, expected, expected_lower,
    expected_upper, method, method_note, interval_note``.
    """
    cl = _validated_caseload(caseload)
    _check_strata_add_up(cl)
    prev = _validated_prevalence(prevalence)

    totals = cl.loc[cl["partition"] == "total",
                    ["area_code", "caseload", "caseload_lower", "caseload_upper", "caseload_kind"]]
    strata = cl.loc[cl["partition"] != "total", ["area_code", "partition", "sex", "age_band", "caseload"]]
    if "p_se" not in prev.columns:
        prev["p_se"] = np.nan
    figures = ["estimate_id", "sex", "age_band", "p", "p_lower", "p_upper", "p_se", "interval_method"]
    ids = pd.DataFrame({"estimate_id": prev["estimate_id"].unique()})
    cells = strata.merge(ids, how="cross").merge(prev[figures], on=["estimate_id", "sex", "age_band"],
                                                 how="left")
    complete = cells.assign(has=cells["p"].notna()).groupby(
        ["area_code", "estimate_id", "partition"], sort=False)["has"].all().reset_index()
    complete = complete[complete["has"]].assign(order=lambda d: d["partition"].map(PARTITIONS.index))
    chosen = complete.sort_values("order").drop_duplicates(["area_code", "estimate_id"])
    choice = ["area_code", "estimate_id", "partition"]
    stratified = _stratified(cells.merge(chosen[choice], on=choice), totals) if len(chosen) else None

    pairs = totals[["area_code"]].merge(ids, how="cross")
    pairs = pairs.merge(chosen[["area_code", "estimate_id"]], how="left", indicator=True)
    pairs = pairs[pairs["_merge"] == "left_only"].drop(columns="_merge")
    overall = prev[prev["partition"] == "total"]
    orphan = ~pairs["estimate_id"].isin(overall["estimate_id"])
    if orphan.any():
        row = pairs[orphan].iloc[0]
        raise EstimateInputError(
            f"estimate {row['estimate_id']} has only subgroup prevalences and area {row['area_code']}'s "
            "caseload is not broken down to match them, so there is no all-persons figure to apply")
    pairs["method_note"] = _crude_reasons(cells, pairs)
    crude = _crude(pairs.merge(totals, on="area_code").merge(
        overall[figures].drop(columns=["sex", "age_band"]), on="estimate_id")) if len(pairs) else None

    result = pd.concat([stratified, crude], ignore_index=True)  # None (nothing of that kind) is skipped
    descriptive = [c for c in prev.columns if c not in STRATUM_COLUMNS | {"estimate_id", "partition"}]
    describe = (prev.assign(is_all=prev["partition"] == "total")
                .sort_values("is_all", ascending=False, kind="stable")
                .drop_duplicates("estimate_id")[["estimate_id", *descriptive]])
    notes = prev["interval_note"] if "interval_note" in prev.columns else pd.Series(np.nan, index=prev.index)
    source_notes = pd.DataFrame({"estimate_id": prev["estimate_id"], "source_note": notes})[
        prev["partition"] == "total"]
    result = (result.merge(describe, on="estimate_id", how="left")
              .merge(source_notes, on="estimate_id", how="left"))
    add_source = (result["method"] == "crude") & result["source_note"].notna()
    result["interval_note"] = result["range_note"].where(
        ~add_source, result["range_note"] + "; " + result["source_note"].astype(str))
    result["sex"], result["age_band"] = "all", "all"
    columns = ["area_code", "estimate_id", "sex", "age_band", *descriptive, "caseload", "caseload_lower",
               "caseload_upper", "caseload_kind", "p", "p_lower", "p_upper", "p_se", "interval_method", "expected",
               "expected_lower", "expected_upper", "range_kind", "method", "method_note", "interval_note"]
    return result[columns].sort_values(["area_code", "estimate_id"], ignore_index=True)

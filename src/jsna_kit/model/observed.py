"""Local observed counts against what the national figures lead us to expect.

A local service may know how many of its caseload have a need (e.g. 412 of 1,100 people with an
OASys-identified alcohol need). ``compare_observed`` puts that beside the national-based
expectation: the observed proportion with its Wilson interval (Wilson 1927) at 95% and 99.8%, the
expected proportion, and a label at each level from a two-sample test that allows for the
uncertainty of both figures.

The test (``two_sample_z``) is the two-sample z-test for a difference between independent
proportions with an unpooled standard error, ``z = (p_local - p_national) / sqrt(p_local(1 -
p_local)/n_local + se_national^2)`` (Altman DG. Practical statistics for medical research.
Chapman & Hall, 1991, section 10.7.2), so a national figure from a small study cannot make a local
difference look certain. ``se_national`` is the national figure's own (``model.intervals.
prevalence_standard_errors``: from its published interval, its n, or its n with a design effect
where it is weighted). Labels: ``higher`` or ``lower`` when the two-sided p-value is below 5% (or
0.2% for the 99.8% label), ``similar`` otherwise; ``not_tested`` when the national figure has no
sample size or interval (the chapter then only describes the difference); ``not_compared`` when a
figure is missing or suppressed. No judgement (better/worse) is made: a higher recorded need can
mean better identification as much as more need.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.benchmark import CI_COLUMNS, label_suffix
from jsna_kit.model.disclosure import BASE, THRESHOLD, round_to_base
from jsna_kit.model.intervals import proportion_interval

LEVELS: tuple[float, ...] = (0.95, 0.998)

TEST_NAME = "two-sample z-test (unpooled standard error)"
NO_TEST = "none: the national figure has no sample size or interval, so only the difference is described"


def two_sample_z(count, n, p_national, se_national) -> tuple[np.ndarray, np.ndarray]:
    """``(z, two-sided p-value)`` for local ``count`` of ``n`` against a national proportion with
    standard error ``se_national`` (see the module docstring); NaN where either side is missing."""
    from scipy.special import ndtr

    count, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    p_national, se_national = np.asarray(p_national, dtype=float), np.asarray(se_national, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_local = count / n
        se = np.sqrt(p_local * (1 - p_local) / n + se_national ** 2)
        z = np.where(se > 0, (p_local - p_national) / se, np.nan)
    return z, 2 * ndtr(-np.abs(z))


def _labels_from_test(z: np.ndarray, p_value: np.ndarray, level: float, tested: np.ndarray,
                      known: np.ndarray) -> np.ndarray:
    significant = p_value < (1 - level)
    return np.select([~known, ~tested, significant & (z > 0), significant & (z < 0)],
                     ["not_compared", "not_tested", "higher", "lower"], "similar")


def _key_column(observed: pd.DataFrame) -> str:
    for key in ("estimate_id", "priority_area"):
        if key in observed.columns:
            return key
    raise EstimateInputError("the observed table needs an 'estimate_id' or a 'priority_area' column")


def _national(expected: pd.DataFrame, key: str) -> tuple[pd.DataFrame, list[str]]:
    """One expected proportion per key (and per area when ``expected`` is per area)."""
    if key not in expected.columns or "p" not in expected.columns:
        raise EstimateInputError(f"the expected table needs the columns '{key}' and 'p' (a proportion 0-1)")
    table = expected
    if key == "priority_area" and "role" in table.columns:
        table = table[table["role"] == "headline"]
    keys = ["area_code", key] if "area_code" in table.columns else [key]
    repeated = table.duplicated(keys, keep=False)
    if repeated.any():
        row = table[repeated].iloc[0]
        raise EstimateInputError(
            f"more than one expected proportion for {' / '.join(str(row[k]) for k in keys)}; "
            "give one row each (or mark one estimate per priority area as headline)")
    p = pd.to_numeric(table["p"], errors="coerce")
    if ((p < 0) | (p > 1)).any():
        row = table[(p < 0) | (p > 1)].iloc[0]
        raise EstimateInputError(f"{row[key]}: expected proportion {row['p']!r} is outside 0-1")
    se = (pd.to_numeric(table["p_se"], errors="coerce") if "p_se" in table.columns
          else pd.Series(np.nan, index=table.index))
    return table[keys].assign(expected_p=p.to_numpy(), expected_se=se.to_numpy()), keys


def compare_observed(observed: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """Observed proportion with Wilson intervals vs the expected (national-based) proportion.

    ``observed``: ``area_code``, ``estimate_id`` or ``priority_area``, ``observed_count`` (blank
    if suppressed or unknown) and ``caseload`` (the people the count is out of).
    ``expected``: the same key, ``p``, the expected proportion 0-1, and ``p_se``, its standard error
    (blank or absent: no test) - either national rows (one per key) or ``synthetic_estimates``
    output (per area; its ``p`` already reflects the area's sex/age mix when stratified). With
    ``priority_area`` as the key, the ``headline`` row is used.

    Returns one row per observed row: ``area_code, <key>, observed_count, caseload, expected_p,
    expected_se, observed_p, expected_count, lower_95_ci, upper_95_ci, lower_99_8_ci,
    upper_99_8_ci, difference_pp, z, p_value, test, significance_95, significance_99_8``
    (``higher`` / ``similar`` / ``lower`` from the test, ``not_tested`` when the national figure
    has no standard error, ``not_compared`` when the count or the expected proportion is missing).
    """
    key = _key_column(observed)
    missing = [c for c in ("area_code", "observed_count", "caseload") if c not in observed.columns]
    if missing:
        raise EstimateInputError(f"the observed table is missing columns: {', '.join(missing)}")
    labels = [f"area {a}, {k}" for a, k in zip(observed["area_code"], observed[key], strict=True)]
    count = _column(observed, "observed_count", labels)
    caseload = _column(observed, "caseload", labels)
    for mask, message in (
        (np.isnan(caseload) | (caseload <= 0), "caseload must be a number above 0"),
        (count < 0, "observed count is negative"),
        (count > caseload, "observed count is larger than the caseload it is out of"),
    ):
        if mask.any():
            i = int(np.flatnonzero(mask)[0])
            raise EstimateInputError(
                f"{labels[i]}: {message} (observed {count[i]:g}, caseload {caseload[i]:g})")

    national, keys = _national(expected, key)
    out = observed[["area_code", key]].reset_index(drop=True).assign(observed_count=count, caseload=caseload)
    out = out.merge(national, on=keys, how="left", validate="many_to_one")
    for column, values in observed_statistics(count, caseload, out["expected_p"], out["expected_se"]).items():
        out[column] = values
    return out


def observed_statistics(count, caseload, expected_p, expected_se) -> dict[str, np.ndarray]:
    """Everything ``compare_observed`` derives from a count of ``caseload`` and the expected
    proportion (and its standard error, NaN for none): ``observed_p, expected_count``, the Wilson
    intervals, ``difference_pp, z, p_value, test`` and the labels. The disclosure control calls it
    again on the published (rounded) counts, so that no derived figure holds more than they do."""
    count, caseload = np.asarray(count, dtype=float), np.asarray(caseload, dtype=float)
    expected_p, expected_se = np.asarray(expected_p, dtype=float), np.asarray(expected_se, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: dict[str, np.ndarray] = {"observed_p": count / caseload, "expected_count": expected_p * caseload}
    for level in LEVELS:
        lower_col, upper_col = CI_COLUMNS[level]
        out[lower_col], out[upper_col] = proportion_interval(count, caseload, level)
    known = ~np.isnan(count) & ~np.isnan(expected_p)
    tested = known & ~np.isnan(expected_se)
    z, p_value = two_sample_z(count, caseload, expected_p, expected_se)
    out["difference_pp"] = 100 * (out["observed_p"] - expected_p)
    out["z"] = np.where(tested, z, np.nan)
    out["p_value"] = np.where(tested, p_value, np.nan)
    out["test"] = np.select([tested, known], [TEST_NAME, NO_TEST], "")
    for level in LEVELS:
        out[f"significance_{label_suffix(level)}"] = _labels_from_test(z, p_value, level, tested, known)
    return out


def _column(df: pd.DataFrame, column: str, labels: list) -> np.ndarray:
    raw = df[column].astype(object).reset_index(drop=True)
    numbers = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = numbers.isna() & raw.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise EstimateInputError(f"{labels[i]}: {column} {raw.iloc[i]!r} is not a number")
    return numbers.to_numpy()


def observed_needs(frame: pd.DataFrame, area_code: str, estimates: pd.DataFrame, *, caseload: float,
                   threshold: int = 5) -> pd.DataFrame:
    """The area's rows of a needs file (``frame``: the file as ``load.local_data.read_needs`` gives
    it) against the headline national rate for the same priority area (``estimates``: the area's
    estimate table): observed proportion with Wilson intervals and a Fingertips-style comparison.
    A row without a denominator is taken over ``caseload``. The comparison is made on the counts
    as given; what is published passes ``protect_observed`` (small counts, and
    counts a small number could be worked out from, hidden; the rest rounded)."""
    rows = frame[frame["area_code"] == area_code].copy()
    if rows.empty:
        return pd.DataFrame()
    rows["observed_count"] = rows["numerator"].where(~rows["numerator_suppressed"].astype(bool))
    rows["caseload"] = rows["denominator"].fillna(caseload)
    head = estimates[estimates["role"] == "headline"].assign(p=lambda d: d["prevalence_pct"] / 100)
    head["p_se"] = head["prevalence_se_pct"] / 100 if "prevalence_se_pct" in head.columns else np.nan
    compared = compare_observed(rows[["area_code", "priority_area", "observed_count", "caseload"]],
                                head[["area_code", "priority_area", "p", "p_se", "role"]])
    out = rows[["priority_area", "need", "period", "source"]].reset_index(drop=True)
    out = pd.concat([out, compared.drop(columns=["area_code", "priority_area"]).reset_index(drop=True)], axis=1)
    out["compared_with"] = out["priority_area"].map(head.set_index("priority_area")["estimate_id"])
    out["suppressed"] = rows["numerator_suppressed"].astype(bool).to_numpy()  # hidden in the file itself
    return protect_observed(out, threshold=threshold)


def protect_observed(observed: pd.DataFrame, *, threshold: int = THRESHOLD, base: int = BASE) -> pd.DataFrame:
    """Locally identified needs as published. A row is hidden (``suppressed``; its count,
    proportion, interval and test blank, not compared) when the count is from 1 to ``threshold -
    1``, when the people without the need are (298 of 300 discloses 2), or when the denominator is
    below ``threshold`` (then the denominator is hidden too). Counts left are rounded to ``base``,
    and every figure derived from them (proportion, intervals, difference, test, labels) is worked
    out again from the rounded counts (``model.observed.observed_statistics``): a proportion from
    the true counts beside the rounded ones would give the true counts back (0.066451 beside "80 of
    1,235" has one solution, 82 of 1,234)."""
    if observed.empty:
        return observed
    out = observed.copy()
    x = pd.to_numeric(out["observed_count"], errors="coerce").astype(float)
    n = pd.to_numeric(out["caseload"], errors="coerce").astype(float)
    tiny_base = n < threshold
    small = ((x > 0) & (x < threshold)) | (((n - x) > 0) & ((n - x) < threshold)) | tiny_base
    hidden = small | out.get("suppressed", pd.Series(False, index=out.index)).astype(bool) | x.isna()
    derived = [c for c in out.columns if c.endswith("_ci") or c in ("observed_p", "difference_pp", "z", "p_value")]
    for column in derived:
        out[column] = out[column].mask(hidden)
    for column in [c for c in out.columns if c.startswith("significance_")]:
        out[column] = out[column].where(~hidden, "not_compared")
    if "test" in out.columns:
        out["test"] = out["test"].where(~hidden, "")
    out["observed_count"] = round_to_base(x.mask(hidden), base)
    out["caseload"] = round_to_base(n.mask(tiny_base), base)
    if "expected_p" in out.columns:  # what the published counts say, and nothing more
        expected_se = out["expected_se"] if "expected_se" in out.columns else np.nan
        shown = observed_statistics(out["observed_count"], out["caseload"].where(~tiny_base, np.nan),
                                    out["expected_p"], expected_se)
        for column, values in shown.items():
            if column == "expected_count":  # the national rate's, not the hidden count's
                out[column] = values
                continue
            blank = "" if column == "test" else "not_compared" if column.startswith("significance_") else np.nan
            out[column] = pd.Series(values, index=out.index).where(~hidden, blank)
    if "expected_count" in out.columns:
        out["expected_count"] = round_to_base(out["expected_count"].astype(float).mask(tiny_base), base)
    out["suppressed"] = hidden.to_numpy()
    for column in ("observed_p", "expected_p", "expected_se", *[c for c in out.columns if c.endswith("_ci")]):
        if column in out.columns:
            out[column] = out[column].astype(float).round(6)
    for column in ("difference_pp", "z"):
        if column in out.columns:
            out[column] = out[column].astype(float).round(4)
    if "p_value" in out.columns:
        out["p_value"] = out["p_value"].astype(float).round(4)
    return out

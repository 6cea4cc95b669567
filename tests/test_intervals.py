"""Intervals checked against formulas written out here, not against the code under test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.intervals import prevalence_intervals, proportion_interval, rate_interval, z_for


def wilson_textbook(x: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson (1927) as in Newcombe & Altman (2000):
    (p + z²/2n ± z√(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    p = x / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n)


# --- proportion_interval -----------------------------------------------------------------------

def test_wilson_for_weighted_example_matches_textbook_formula():
    lower, upper = proportion_interval([67.47], [173])
    ref_lower, ref_upper = wilson_textbook(67.47, 173)
    assert lower[0] == pytest.approx(ref_lower, rel=1e-12)
    assert upper[0] == pytest.approx(ref_upper, rel=1e-12)
    # and the rounded figures a reader can check in a table: 32.0% to 46.4%
    assert round(lower[0] * 100, 1) == 32.0
    assert round(upper[0] * 100, 1) == 46.4


@pytest.mark.parametrize("confidence", [0.95, 0.998])
@pytest.mark.parametrize("x,n", [(1, 10), (40, 100), (999, 1000), (123_456, 10_000_000)])
def test_wilson_matches_textbook_at_both_levels(x, n, confidence):
    lower, upper = proportion_interval(np.array([x]), np.array([n]), confidence)
    ref = wilson_textbook(x, n, confidence)
    assert (lower[0], upper[0]) == pytest.approx(ref, rel=1e-10)


def test_zero_events_and_all_events():
    z = stats.norm.ppf(0.975)
    lower, upper = proportion_interval([0, 50], [50, 50])
    # closed forms: 0 of n -> (0, z²/(n+z²)); n of n -> (n/(n+z²), 1)
    assert lower[0] == 0.0
    assert upper[0] == pytest.approx(z * z / (50 + z * z))
    assert lower[1] == pytest.approx(50 / (50 + z * z))
    assert upper[1] == 1.0


def test_wider_at_998_than_95():
    l95, u95 = proportion_interval([30], [100], 0.95)
    l998, u998 = proportion_interval([30], [100], 0.998)
    assert l998[0] < l95[0] < 0.30 < u95[0] < u998[0]


def test_missing_values_give_nan_not_an_error():
    lower, upper = proportion_interval(pd.Series([np.nan, 5.0]), pd.Series([10.0, np.nan]))
    assert np.isnan(lower).all() and np.isnan(upper).all()


@pytest.mark.parametrize("x,n,words", [
    (11, 10, "larger than the denominator"),
    (-1, 10, "negative"),
    (1, 0, "more than 0"),
    ("lots", 10, "not a number"),
])
def test_bad_proportion_inputs_name_the_row(x, n, words):
    with pytest.raises(EstimateInputError, match=words) as info:
        areas = ["E06000001", "E06000002"]
        proportion_interval(pd.Series([5, x], index=areas), pd.Series([10, n], index=areas))
    assert "E06000002" in str(info.value)


def test_unsupported_confidence_level_is_refused():
    with pytest.raises(EstimateInputError, match="confidence"):
        proportion_interval([1], [10], confidence=0.5)


# --- rate_interval ------------------------------------------------------------------------------

def exact_poisson(count: float, confidence: float = 0.95) -> tuple[float, float]:
    alpha = 1 - confidence
    lower = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
    return lower, stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2


def byar(count: float, confidence: float = 0.95) -> tuple[float, float]:
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    o = count + 1
    return lower, o * (1 - 1 / (9 * o) + z / (3 * math.sqrt(o))) ** 3


@pytest.mark.parametrize("count", [1, 5, 9])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_exact_poisson_below_ten_events(count, confidence):
    lower, upper = rate_interval([count], [1000], confidence, multiplier=1000)
    ref_lower, ref_upper = exact_poisson(count, confidence)
    assert lower[0] == pytest.approx(ref_lower, rel=1e-10)  # per 1000 of 1000 = the count itself
    assert upper[0] == pytest.approx(ref_upper, rel=1e-10)


def test_zero_events_gives_zero_lower_and_exact_upper():
    lower, upper = rate_interval([0], [100_000])
    assert lower[0] == 0.0
    assert upper[0] == pytest.approx(-math.log(0.025))  # 0 events: upper limit = -ln(alpha/2) = 3.689


@pytest.mark.parametrize("count", [10, 57, 1_000, 10_000_000])
def test_byar_from_ten_events(count):
    lower, upper = rate_interval([count], [2 * count], multiplier=100_000)
    ref_lower, ref_upper = byar(count)
    assert lower[0] == pytest.approx(ref_lower / (2 * count) * 100_000, rel=1e-10)
    assert upper[0] == pytest.approx(ref_upper / (2 * count) * 100_000, rel=1e-10)
    # Byar is an approximation to the exact interval: close to it from 10 events up
    exact_lower, exact_upper = exact_poisson(count)
    assert ref_lower == pytest.approx(exact_lower, rel=0.01)
    assert ref_upper == pytest.approx(exact_upper, rel=0.01)


def test_rate_bad_inputs():
    with pytest.raises(EstimateInputError, match="negative"):
        rate_interval([-1], [100])
    with pytest.raises(EstimateInputError, match="denominator"):
        rate_interval([1], [0])
    with pytest.raises(EstimateInputError, match="multiplier"):
        rate_interval([1], [10], multiplier=-5)


def test_z_for_levels():
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_for(0.998) == pytest.approx(3.090232, abs=1e-6)


# --- prevalence_intervals ------------------------------------------------------------------------

def reference(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    blank = ("value", "numerator", "denominator", "ci_lower", "ci_upper", "ci_level")
    base = {c: [np.nan] * n for c in blank}
    base.update(columns)
    base.setdefault("estimate_id", [f"MH{i:02d}" for i in range(1, n + 1)])
    return pd.DataFrame(base)


def test_weighted_percentage_with_n_uses_wilson_on_p_times_n():
    out = prevalence_intervals(reference(value=[39.0], denominator=[173]))
    row = out.iloc[0]
    assert row["interval_method"] == "wilson_weighted"
    assert row["p"] == pytest.approx(0.39)
    # a simple sample of 173 / 2: the design effect the comparison test assumes too (issue 25)
    assert (row["p_lower"], row["p_upper"]) == pytest.approx(wilson_textbook(0.39 * 86.5, 86.5), rel=1e-12)
    assert "approximate" in row["interval_note"] and "design effect" in row["interval_note"]


def test_counts_use_wilson_on_the_counts_and_keep_the_published_value():
    # 41/103 = 39.8%, published rounded as 40%
    out = prevalence_intervals(reference(value=[40.0], numerator=[41], denominator=[103]))
    row = out.iloc[0]
    assert row["interval_method"] == "wilson_counts"
    assert row["p"] == pytest.approx(0.40)  # the published figure, not 41/103
    assert (row["p_lower"], row["p_upper"]) == pytest.approx(wilson_textbook(41, 103), rel=1e-12)


def test_numerator_that_does_not_match_the_value_is_treated_as_weighted():
    out = prevalence_intervals(reference(value=[30.0], numerator=[31], denominator=[100]))
    row = out.iloc[0]
    assert row["interval_method"] == "wilson_weighted"
    assert (row["p_lower"], row["p_upper"]) == pytest.approx(wilson_textbook(15, 50), rel=1e-12)  # 100 / 2
    assert "does not match" in row["interval_note"]


def test_zero_and_all_events_from_counts():
    out = prevalence_intervals(reference(value=[0.0, 100.0], numerator=[0, 50], denominator=[50, 50]))
    assert out["p_lower"].iloc[0] == 0.0
    assert out["p_upper"].iloc[1] == 1.0
    assert out["p_upper"].iloc[0] == pytest.approx(wilson_textbook(0, 50)[1])


def test_published_interval_only():
    out = prevalence_intervals(reference(value=[20.0], ci_lower=[15.0], ci_upper=[26.0], ci_level=[95]))
    row = out.iloc[0]
    assert row["interval_method"] == "published"
    assert (row["p_lower"], row["p_upper"]) == (0.15, 0.26)


def test_published_interval_beats_wilson_when_both_exist():
    out = prevalence_intervals(reference(value=[40.0], numerator=[40], denominator=[100],
                                         ci_lower=[30.0], ci_upper=[51.0], ci_level=["95%"]))
    row = out.iloc[0]
    assert row["interval_method"] == "published"
    assert (row["p_lower"], row["p_upper"]) == (0.30, 0.51)


def test_published_99_percent_interval_rescaled_on_logit_scale():
    out = prevalence_intervals(reference(value=[50.0, 20.0], ci_lower=[40.0, 12.0], ci_upper=[60.0, 30.0],
                                         ci_level=[99, 0.99]))

    def logit(v):
        return math.log(v / (1 - v))

    def expit(v):
        return 1 / (1 + math.exp(-v))

    ratio = stats.norm.ppf(0.975) / stats.norm.ppf(0.995)
    for i, (p, lo, hi) in enumerate([(0.5, 0.4, 0.6), (0.2, 0.12, 0.3)]):
        row = out.iloc[i]
        assert row["interval_method"] == "published"
        assert row["p_lower"] == pytest.approx(expit(logit(p) - (logit(p) - logit(lo)) * ratio), rel=1e-12)
        assert row["p_upper"] == pytest.approx(expit(logit(p) + (logit(hi) - logit(p)) * ratio), rel=1e-12)
        assert lo < row["p_lower"] < p < row["p_upper"] < hi
        assert "rescaled to 95%" in row["interval_note"]


def test_published_interval_with_no_level_is_taken_as_95_and_says_so():
    out = prevalence_intervals(reference(value=[20.0], ci_lower=[15.0], ci_upper=[26.0]))
    assert (out["p_lower"].iloc[0], out["p_upper"].iloc[0]) == (0.15, 0.26)
    assert "taken to be 95%" in out["interval_note"].iloc[0]


def test_no_n_and_no_interval_gives_no_interval():
    out = prevalence_intervals(reference(value=[29.0]))
    row = out.iloc[0]
    assert row["interval_method"] == "none"
    assert row["p"] == pytest.approx(0.29)
    assert np.isnan(row["p_lower"]) and np.isnan(row["p_upper"])


def test_gap_without_value_gives_no_interval():
    out = prevalence_intervals(reference(value=[np.nan], denominator=[100]))
    assert out["interval_method"].iloc[0] == "none"
    assert np.isnan(out["p"].iloc[0])


def test_output_at_998_is_wider():
    ref = reference(value=[39.0], denominator=[173])
    at95 = prevalence_intervals(ref).iloc[0]
    at998 = prevalence_intervals(ref, confidence=0.998).iloc[0]
    ref998 = wilson_textbook(67.47 / 2, 173 / 2, 0.998)
    assert (at998["p_lower"], at998["p_upper"]) == pytest.approx(ref998, rel=1e-12)
    assert at998["p_lower"] < at95["p_lower"]


def test_reference_columns_are_kept():
    ref = reference(value=[39.0], denominator=[173]).assign(priority_area="mental_health")
    out = prevalence_intervals(ref)
    assert out["priority_area"].iloc[0] == "mental_health"
    assert len(out) == 1


@pytest.mark.parametrize("columns,words", [
    ({"value": [120.0]}, "outside 0-100%"),
    ({"value": [40.0], "numerator": [60], "denominator": [50]}, "larger than the denominator"),
    ({"value": [40.0], "ci_lower": [45.0], "ci_upper": [50.0]}, "does not contain"),
    ({"value": ["forty"]}, "not a number"),
    ({"value": [40.0], "ci_lower": [30.0], "ci_upper": [50.0], "ci_level": ["ninety"]}, "ci_level"),
    ({"value": [40.0], "unit": ["per_1000"]}, "not a percentage"),
])
def test_bad_reference_rows_name_the_estimate(columns, words):
    ref = reference(estimate_id=["SM07"], **columns)
    with pytest.raises(EstimateInputError, match=words) as info:
        prevalence_intervals(ref)
    assert "SM07" in str(info.value)

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.observed import compare_observed


def wilson_textbook(x: float, n: float, confidence: float) -> tuple[float, float]:
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    p = x / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n)


def z_test_textbook(x: float, n: float, p0: float, se0: float) -> tuple[float, float]:
    """Two-sample z-test for independent proportions with an unpooled standard error, written out."""
    p = x / n
    z = (p - p0) / math.sqrt(p * (1 - p) / n + se0 ** 2)
    return z, 2 * (1 - stats.norm.cdf(abs(z)))


# MH01: 40% from a study of 150 (binomial standard error); SM01: 20% from 400.
NATIONAL = pd.DataFrame({"estimate_id": ["MH01", "SM01"], "p": [0.40, 0.20],
                         "p_se": [math.sqrt(0.4 * 0.6 / 150), math.sqrt(0.2 * 0.8 / 400)]})


def observed(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area_code", "estimate_id", "observed_count", "caseload"])


def test_observed_proportion_with_wilson_intervals_at_both_levels():
    out = compare_observed(observed([("E06000001", "MH01", 500, 1000)]), NATIONAL).iloc[0]
    assert out["observed_p"] == 0.5
    at95, at998 = wilson_textbook(500, 1000, 0.95), wilson_textbook(500, 1000, 0.998)
    assert (out["lower_95_ci"], out["upper_95_ci"]) == pytest.approx(at95, rel=1e-12)
    assert (out["lower_99_8_ci"], out["upper_99_8_ci"]) == pytest.approx(at998, rel=1e-12)
    assert out["expected_p"] == 0.40 and out["expected_count"] == pytest.approx(400)
    z, p = z_test_textbook(500, 1000, 0.40, math.sqrt(0.4 * 0.6 / 150))
    assert (out["z"], out["p_value"]) == pytest.approx((z, p), rel=1e-9)
    # z = 2.36: below 5% (higher) but not below 0.2% (similar at 99.8%)
    assert 0.002 < p < 0.05
    assert out["significance_95"] == "higher" and out["significance_99_8"] == "similar"
    assert out["difference_pp"] == pytest.approx(10)
    assert "z-test" in out["test"]


def test_the_national_figures_uncertainty_counts():
    """250 of 800 locally against 39% of 173 nationally (67.5 of 173) is not significantly lower at
    5%, although the local interval alone (28.1% to 34.6%) excludes 39%: the national study is small."""
    national = pd.DataFrame({"estimate_id": ["MH05"], "p": [67.5 / 173],
                             "p_se": [math.sqrt((67.5 / 173) * (1 - 67.5 / 173) / 173)]})
    out = compare_observed(observed([("A", "MH05", 250, 800)]), national).iloc[0]
    z, p = z_test_textbook(250, 800, 67.5 / 173, national["p_se"].iloc[0])
    assert (out["z"], out["p_value"]) == pytest.approx((z, p), rel=1e-9)
    assert z == pytest.approx(-1.9157, abs=1e-4) and p == pytest.approx(0.0554, abs=1e-4)
    assert out["upper_95_ci"] < 67.5 / 173  # the old rule (comparator outside the local CI) said lower
    assert out["significance_95"] == "similar"


def test_similar_lower_not_tested_and_not_compared():
    no_n = pd.concat([NATIONAL, pd.DataFrame({"estimate_id": ["PH01"], "p": [0.5], "p_se": [np.nan]})])
    out = compare_observed(observed([
        ("A", "MH01", 41, 100),        # similar
        ("B", "SM01", 10, 200),        # 5% vs 20%: lower at both levels
        ("C", "MH01", np.nan, 100),    # suppressed count
        ("D", "XX99", 5, 100),         # no national figure
        ("E", "PH01", 10, 100),        # national figure without a sample size: described, not tested
    ]), no_n)
    assert out["significance_95"].tolist() == ["similar", "lower", "not_compared", "not_compared", "not_tested"]
    assert out["significance_99_8"].tolist() == ["similar", "lower", "not_compared", "not_compared", "not_tested"]
    for i, (x, n, p0, se0) in enumerate([(41, 100, 0.4, NATIONAL["p_se"][0]), (10, 200, 0.2, NATIONAL["p_se"][1])]):
        assert out["p_value"].iloc[i] == pytest.approx(z_test_textbook(x, n, p0, se0)[1], rel=1e-9)
    assert out["difference_pp"].iloc[4] == pytest.approx(-40) and np.isnan(out["p_value"].iloc[4])


def test_zero_and_all_observed():
    out = compare_observed(observed([("A", "MH01", 0, 30), ("B", "MH01", 30, 30)]), NATIONAL)
    assert out["lower_95_ci"].iloc[0] == 0.0 and out["upper_95_ci"].iloc[1] == 1.0
    assert out["significance_95"].tolist() == ["lower", "higher"]


def test_expected_per_area_from_synthetic_output():
    expected = pd.DataFrame({"area_code": ["A", "B"], "estimate_id": ["MH01", "MH01"], "p": [0.30, 0.60],
                             "p_se": [0.02, 0.02]})
    out = compare_observed(observed([("A", "MH01", 45, 100), ("B", "MH01", 45, 100)]), expected)
    assert out["expected_p"].tolist() == [0.30, 0.60]
    assert out["significance_95"].tolist() == ["higher", "lower"]


def test_priority_area_key_uses_the_headline_estimate():
    expected = pd.DataFrame({"priority_area": ["mental_health", "mental_health"],
                             "role": ["headline", "alternative"], "p": [0.39, 0.70], "p_se": [0.03, 0.03]})
    obs = pd.DataFrame({"area_code": ["A"], "priority_area": ["mental_health"], "observed_count": [40],
                        "caseload": [100]})
    out = compare_observed(obs, expected).iloc[0]
    assert out["expected_p"] == 0.39 and out["significance_95"] == "similar"


@pytest.mark.parametrize("count,caseload,words", [
    (120, 100, "larger than the caseload"),
    (-1, 100, "negative"),
    (5, 0, "caseload must be"),
    ("five", 100, "not a number"),
])
def test_bad_observed_rows_name_the_area(count, caseload, words):
    obs = observed([("E06000001", "MH01", 5, 100), ("E08000012", "MH01", count, caseload)])
    with pytest.raises(EstimateInputError, match=words) as info:
        compare_observed(obs, NATIONAL)
    assert "E08000012" in str(info.value)

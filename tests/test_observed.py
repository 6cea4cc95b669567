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


NATIONAL = pd.DataFrame({"estimate_id": ["MH01", "SM01"], "p": [0.40, 0.20]})


def observed(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area_code", "estimate_id", "observed_count", "caseload"])


def test_observed_proportion_with_wilson_intervals_at_both_levels():
    out = compare_observed(observed([("E06000001", "MH01", 50, 100)]), NATIONAL).iloc[0]
    assert out["observed_p"] == 0.5
    at95, at998 = wilson_textbook(50, 100, 0.95), wilson_textbook(50, 100, 0.998)
    assert (out["lower_95_ci"], out["upper_95_ci"]) == pytest.approx(at95, rel=1e-12)
    assert (out["lower_99_8_ci"], out["upper_99_8_ci"]) == pytest.approx(at998, rel=1e-12)
    assert out["expected_p"] == 0.40 and out["expected_count"] == pytest.approx(40)
    # 95%: 0.404 to 0.596 excludes 0.40 -> higher; 99.8%: 0.350 to 0.650 includes it -> similar
    assert wilson_textbook(50, 100, 0.95)[0] > 0.40 > wilson_textbook(50, 100, 0.998)[0]
    assert out["significance_95"] == "higher"
    assert out["significance_99_8"] == "similar"


def test_similar_lower_and_not_compared():
    out = compare_observed(observed([
        ("A", "MH01", 41, 100),        # similar
        ("B", "SM01", 10, 200),        # 5% vs 20%: lower at both levels
        ("C", "MH01", np.nan, 100),    # suppressed count
        ("D", "XX99", 5, 100),         # no national figure
    ]), NATIONAL)
    assert out["significance_95"].tolist() == ["similar", "lower", "not_compared", "not_compared"]
    assert out["significance_99_8"].tolist() == ["similar", "lower", "not_compared", "not_compared"]


def test_zero_and_all_observed():
    out = compare_observed(observed([("A", "MH01", 0, 30), ("B", "MH01", 30, 30)]), NATIONAL)
    assert out["lower_95_ci"].iloc[0] == 0.0 and out["upper_95_ci"].iloc[1] == 1.0
    assert out["significance_95"].tolist() == ["lower", "higher"]


def test_expected_per_area_from_synthetic_output():
    expected = pd.DataFrame({"area_code": ["A", "B"], "estimate_id": ["MH01", "MH01"], "p": [0.30, 0.60]})
    out = compare_observed(observed([("A", "MH01", 45, 100), ("B", "MH01", 45, 100)]), expected)
    assert out["expected_p"].tolist() == [0.30, 0.60]
    assert out["significance_95"].tolist() == ["higher", "lower"]


def test_priority_area_key_uses_the_headline_estimate():
    expected = pd.DataFrame({"priority_area": ["mental_health", "mental_health"],
                             "role": ["headline", "alternative"], "p": [0.39, 0.70]})
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

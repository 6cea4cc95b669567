"""What a reader is told about the numbers: each range named for what it covers, ranges across
studies that compare like with like, one rounding rule, and no count of fewer than 5 people
(nor one worked out by subtraction) in anything published. Each method is checked against a
computation written out here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jsna_kit.model.disclosure import protect_area, publish_count
from jsna_kit.model.intervals import ASSUMED_DESIGN_EFFECT, prevalence_intervals
from jsna_kit.model.observed import protect_observed
from jsna_kit.model.synthetic import Z95, synthetic_estimates
from jsna_kit.present.numbers import estimate_range
from jsna_kit.present.ranges import comparable, range_across_studies
from jsna_kit.present.sentences import headline_sentence, proxy_sentence


def caseload(kind: str, n: float = 2000.0, lower: float | None = None, upper: float | None = None) -> pd.DataFrame:
    lower = n if lower is None else lower
    upper = n if upper is None else upper
    return pd.DataFrame({"area_code": ["A"], "caseload": [n], "caseload_lower": [lower],
                         "caseload_upper": [upper], "caseload_kind": [kind]})


def prevalence(p: float, low: float | None, high: float | None, method: str) -> pd.DataFrame:
    return pd.DataFrame({"estimate_id": ["X1"], "p": [p], "p_lower": [low], "p_upper": [high],
                         "interval_method": [method]})


# --- what each range covers ------------------------------------------------------------------

def test_a_national_figure_without_interval_keeps_the_modelled_caseload_band():
    """28% of a modelled 2,000 (band 1,333 to 3,000) with no national interval: 560, range 373.3 to
    840 from the caseload alone, labelled as such (it used to lose its range entirely)."""
    row = synthetic_estimates(caseload("modelled", 2000, 2000 / 1.5, 3000),
                              prevalence(0.28, None, None, "none")).iloc[0]
    assert row["expected"] == pytest.approx(560)
    assert (row["expected_lower"], row["expected_upper"]) == pytest.approx((2000 / 1.5 * 0.28, 3000 * 0.28))
    assert row["range_kind"] == "caseload_range"
    assert "caseload" in row["interval_note"] and "only" in row["interval_note"]
    assert estimate_range(row.to_dict()) == "range from the modelled caseload alone 373 to 840"


def test_stratified_without_interval_keeps_the_caseload_band():
    cl = pd.concat([caseload("modelled", 2000, 1000, 4000),
                    pd.DataFrame({"area_code": ["A", "A"], "sex": ["male", "female"], "caseload": [1800.0, 200.0],
                                  "caseload_lower": [1800.0, 200.0], "caseload_upper": [1800.0, 200.0],
                                  "caseload_kind": ["modelled"] * 2})])
    prev = pd.DataFrame({"estimate_id": ["X1"] * 3, "sex": ["all", "male", "female"], "p": [0.5, 0.4, 0.6],
                         "p_lower": [None] * 3, "p_upper": [None] * 3, "interval_method": ["none"] * 3})
    row = synthetic_estimates(cl, prev).iloc[0]
    expected = 1800 * 0.4 + 200 * 0.6
    assert row["method"] == "stratified" and row["range_kind"] == "caseload_range"
    assert (row["expected_lower"], row["expected_upper"]) == pytest.approx((expected / 2, expected * 2))


@pytest.mark.parametrize("kind,method,expected_kind,label", [
    ("local", "wilson_counts", "confidence_interval", "95% CI"),
    ("modelled", "wilson_counts", "uncertainty_range", "95% uncertainty range"),
    ("modelled", "none", "caseload_range", "range from the modelled caseload alone"),
    ("local", "none", "none", ""),
])
def test_each_range_is_named_for_what_it_covers(kind, method, expected_kind, label):
    has = method != "none"
    row = synthetic_estimates(caseload(kind, 2000, 1500 if kind == "modelled" else None,
                                       3000 if kind == "modelled" else None),
                              prevalence(0.3, 0.25 if has else None, 0.35 if has else None, method)).iloc[0]
    assert row["range_kind"] == expected_kind
    words = estimate_range(row.to_dict())
    assert words.startswith(label) if label else words == ""
    if expected_kind == "uncertainty_range":
        assert "95% CI" not in words and "not a confidence interval" in row["interval_note"]


def _row(**values) -> dict:
    base = {"expected": 780.0, "expected_lower": 690.0, "expected_upper": 870.0, "range_kind": "confidence_interval",
            "interval_method": "wilson_counts", "status": "ok", "grade": "B", "grade_reason": "one study",
            "source_keys": "S1", "finding_phrase": "have a need", "measure": "Need", "prevalence_pct": 39.0,
            "setting": "Male prisoners in Lancashire", "setting_type": "prison"}
    return {**base, **values}


def test_the_sentence_says_what_the_range_leaves_out():
    weighted = headline_sentence(_row(interval_method="wilson_weighted"), area_name="X", caseload=2000,
                                 caseload_kind="local")
    assert "95% CI 690 to 870" in weighted and "design effect" in weighted
    band = headline_sentence(_row(range_kind="caseload_range", interval_method="none"), area_name="X",
                             caseload=2000, caseload_kind="modelled")
    assert "range from the modelled caseload alone 690 to 870" in band and "only the uncertainty" in band
    modelled = headline_sentence(_row(range_kind="uncertainty_range"), area_name="X", caseload=2000,
                                 caseload_kind="modelled")
    assert "95% uncertainty range 690 to 870" in modelled and "95% CI" not in modelled
    proxy = proxy_sentence(_row(role="proxy"), area_name="X")
    assert "main doubt" in proxy and "applies to people on probation" in proxy


# --- the national figure's standard error, for tests --------------------------------------------

def test_standard_errors_from_counts_interval_and_design_effect():
    table = pd.DataFrame({
        "estimate_id": ["C", "P", "W", "D", "N"],
        "value": [32.4, 72.3, 39.0, 39.0, 50.0],
        "numerator": [56, None, None, None, None],
        "denominator": [173, 16435, 173, 173, None],
        "ci_lower": [None, 54.8, None, None, None], "ci_upper": [None, 86.0, None, None, None],
        "ci_level": [None, 95, None, None, None],
        "design_effect": [None, None, None, 1.5, None],
    })
    out = prevalence_intervals(table).set_index("estimate_id")
    assert out.loc["C", "p_se"] == pytest.approx(math.sqrt(0.324 * 0.676 / 173))
    assert out.loc["P", "p_se"] == pytest.approx((0.86 - 0.548) / (2 * Z95))
    assert out.loc["W", "p_se"] == pytest.approx(math.sqrt(ASSUMED_DESIGN_EFFECT * 0.39 * 0.61 / 173))
    assert out.loc["D", "p_se"] == pytest.approx(math.sqrt(1.5 * 0.39 * 0.61 / 173))
    assert np.isnan(out.loc["N", "p_se"])


def test_a_stratified_standard_error_sums_the_strata():
    cl = pd.concat([caseload("local", 1000),
                    pd.DataFrame({"area_code": ["A", "A"], "sex": ["male", "female"], "caseload": [800.0, 200.0],
                                  "caseload_lower": [800.0, 200.0], "caseload_upper": [800.0, 200.0],
                                  "caseload_kind": ["local"] * 2})])
    prev = pd.DataFrame({"estimate_id": ["X1"] * 3, "sex": ["all", "male", "female"], "p": [0.4, 0.38, 0.5],
                         "p_lower": [0.3, 0.3, 0.4], "p_upper": [0.5, 0.46, 0.6], "p_se": [0.05, 0.04, 0.05],
                         "interval_method": ["wilson_counts"] * 3})
    row = synthetic_estimates(cl, prev).iloc[0]
    assert row["p_se"] == pytest.approx(math.sqrt((800 * 0.04) ** 2 + (200 * 0.05) ** 2) / 1000)


# --- like-for-like ranges ------------------------------------------------------------------------

def _plotted(estimate_id, expected, scope, frame, source, role="alternative", measure=None):
    return {"estimate_id": estimate_id, "expected": expected, "measure_scope": scope, "time_frame": frame,
            "source_keys": source, "source_label": source.title(), "grade": "C", "role": role,
            "measure": measure or f"measure {estimate_id}"}


def test_a_range_only_sets_the_same_measure_side_by_side_and_counts_studies():
    rows = [_plotted("H", 100, "overall", "lifetime", "PLUCK", role="headline"),
            _plotted("S", 15, "specific", "past_month", "PLUCK", measure="Self-harm in the month before")]
    text = range_across_studies(rows, area_name="X")
    assert "ranges from" not in text and "Only one national study" in text
    assert "Another measure" in text and "self-harm in the month before" in text and "about 15" in text
    assert "1 other measure" not in text and "not comparable" not in text
    assert "measures something different from the headline" in text

    rows = [_plotted("H", 115, "overall", "current", "BROOKER;PLUCK", role="headline"),
            _plotted("A", 85, "overall", "current", "OMCCS"),
            _plotted("B", 90, "overall", "current", "OMCCS"),  # a second row of the same study
            _plotted("L", 145, "specific", "lifetime", "HMIP")]
    text = range_across_studies(rows, area_name="X")
    assert "Across two national studies" in text and "from about 85" in text and "to about 115" in text
    assert "145" in text.split("other measure")[1]
    assert comparable(rows[1], rows[0]) and not comparable(rows[3], rows[0])


# --- nothing disclosive ---------------------------------------------------------------------------

def test_publish_count_suppresses_and_rounds():
    assert [publish_count(v) for v in (0, 1, 4, 5, 7, 8, 1234, None)] == [0, None, None, 5, 5, 10, 1235, None]


def test_observed_rows_hidden_when_a_count_or_its_complement_is_small():
    out = protect_observed(pd.DataFrame({
        "observed_count": [298.0, 3.0, 2.0, 0.0, 250.0, 12.0],
        "caseload": [300.0, 120.0, 4.0, 50.0, 800.0, 12.0],
        "observed_p": [298 / 300, 3 / 120, 0.5, 0.0, 250 / 800, 1.0],
        "expected_count": [117.0, 72.0, 1.56, 25.0, 312.0, 4.7],
        "lower_95_ci": [0.97, 0.01, 0.1, 0.0, 0.28, 0.75], "upper_95_ci": [1.0, 0.07, 0.9, 0.07, 0.35, 1.0],
        "z": [1.0] * 6, "p_value": [0.3] * 6, "difference_pp": [1.0] * 6,
        "significance_95": ["higher"] * 6, "test": ["z"] * 6, "suppressed": [False] * 6,
    }))
    assert out["suppressed"].tolist() == [True, True, True, False, False, False]
    assert out["observed_count"].isna().tolist() == [True, True, True, False, False, False]
    assert out["observed_p"].isna().tolist() == [True, True, True, False, False, False]
    assert (out["significance_95"][:3] == "not_compared").all()
    assert np.isnan(out.loc[2, "caseload"]), "a denominator below 5 is itself hidden"
    assert out.loc[0, "caseload"] == 300 and out.loc[4, "observed_count"] == 250
    assert out.loc[5, "observed_count"] == 10 and out.loc[5, "expected_count"] == 5  # rounded by the one rule


@pytest.mark.parametrize("orders,licence,shown", [
    (297, 4, False),     # 4 on licence
    (297, 150, False),   # 301 - 297 = 4 not on court orders
    (150, 160, True),
])
def test_court_orders_and_licence_hidden_together(orders, licence, shown):
    area = protect_area({"caseload": 301.0, "caseload_lower": 301.0, "caseload_upper": 301.0,
                         "caseload_kind": "local", "court_orders": float(orders), "licence": float(licence),
                         "caseload_breakdown": [{"sex": "male", "age_band": "all", "caseload": 298.0}]})
    assert area["caseload"] == 300
    assert (area["court_orders"] is not None) == shown and (area["licence"] is not None) == shown
    assert area["court_orders_licence_suppressed"] == (not shown)
    if shown:
        assert (area["court_orders"], area["licence"]) == (150, 160)
    assert area["caseload_breakdown"][0]["caseload"] == 300


def test_a_modelled_caseload_band_is_rounded_outwards():
    area = protect_area({"caseload": 2004.6, "caseload_lower": 1336.4, "caseload_upper": 3006.9,
                         "caseload_kind": "modelled"})
    assert (area["caseload"], area["caseload_lower"], area["caseload_upper"]) == (2005, 1335, 3010)


# --- units and flags in the evidence tables -------------------------------------------------------

@pytest.mark.parametrize("row,words", [
    ({"unit": "per_1000", "value": 2.0, "value_text": "0.20 (=2.0 per 1,000)", "setting_type": "probation_caseload",
      "status": "derived"}, "2.0 per 1,000 people on probation a year"),
    ({"unit": "per_100000", "value": 11.4, "setting_type": "general_population", "status": "ok"},
     "11.4 per 100,000 people a year"),
    ({"unit": "ratio", "value": 6.0, "status": "ok"}, "6 times as high"),
    ({"unit": "percent", "value": 60.0, "value_text": "c.60", "status": "ok"}, "about 60%"),
    ({"unit": "percent", "value": 50.0, "value_text": "50", "status": "verify"},
     "50% (as reported; not used in the estimates)"),
    ({"unit": "percent", "value": 5.7, "value_text": "5.7", "status": "ok", "ci_lower": 4.9, "ci_upper": 6.6,
      "ci_level": 95.0}, "5.7% (95% CI 4.9 to 6.6)"),  # never "95.0% CI"
])
def test_evidence_values_carry_their_unit_and_flag(row, words):
    from jsna_kit.present.evidence import value_words

    assert value_words(row) == words


def test_names_p_values_and_tiny_estimates_print_as_a_reader_expects():
    from jsna_kit.present.local import _p
    from jsna_kit.present.markdown import possessive
    from jsna_kit.present.numbers import about

    assert possessive("Tower Hamlets") == "Tower Hamlets'" and possessive("Sheffield") == "Sheffield's"
    assert _p(0.0001) == "p < 0.001" and _p(0.0421) == "p = 0.042"
    assert about(0.3) == "fewer than one" and about(4.6) == "about 5" and about(1234.4) == "about 1,234"

"""Synthetic estimates checked by hand arithmetic, closed-form Wilson and Monte Carlo simulation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.intervals import prevalence_intervals
from jsna_kit.model.synthetic import SYNTHETIC_METHOD, synthetic_estimates

Z = stats.norm.ppf(0.975)


def wilson_textbook(x: float, n: float) -> tuple[float, float]:
    p = x / n
    centre = p + Z * Z / (2 * n)
    spread = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (centre - spread) / (1 + Z * Z / n), (centre + spread) / (1 + Z * Z / n)


def caseload(rows: list[tuple], kind: str = "local", band: float = 1.0) -> pd.DataFrame:
    """rows: (area_code, sex, age_band, caseload); modelled rows get [N/band, N*band]."""
    df = pd.DataFrame(rows, columns=["area_code", "sex", "age_band", "caseload"])
    return df.assign(caseload_lower=df["caseload"] / band, caseload_upper=df["caseload"] * band,
                     caseload_kind=kind)


def prevalence(rows: list[tuple]) -> pd.DataFrame:
    """rows: (estimate_id, sex, age_band, p, p_lower, p_upper, interval_method)."""
    columns = ["estimate_id", "sex", "age_band", "p", "p_lower", "p_upper", "interval_method"]
    df = pd.DataFrame(rows, columns=columns)
    return df.assign(priority_area="mental_health", role="headline")


def one(df: pd.DataFrame, area: str, estimate: str) -> pd.Series:
    rows = df[(df["area_code"] == area) & (df["estimate_id"] == estimate)]
    assert len(rows) == 1
    return rows.iloc[0]


WEIGHTED_39 = prevalence_intervals(pd.DataFrame({
    "estimate_id": ["MH01"], "priority_area": ["mental_health"], "role": ["headline"],
    "sex": ["all"], "age_band": ["all"], "value": [39.0], "denominator": [173]}))


# --- crude, local caseload ------------------------------------------------------------------------

def test_worked_example_2000_people_at_39_percent_of_173():
    out = synthetic_estimates(caseload([("E06000001", "all", "all", 2000)]), WEIGHTED_39)
    row = one(out, "E06000001", "MH01")
    assert row["expected"] == pytest.approx(780)
    lower, upper = wilson_textbook(0.39 * 86.5, 86.5)  # a simple sample of 173 / 2 (design effect 2)
    assert row["expected_lower"] == pytest.approx(2000 * lower, rel=1e-12)
    assert row["expected_upper"] == pytest.approx(2000 * upper, rel=1e-12)
    assert round(row["expected_lower"]) == 588 and round(row["expected_upper"]) == 991
    assert row["method"] == "crude"
    assert row["interval_method"] == "wilson_weighted"
    assert "approximate" in row["interval_note"]


@pytest.mark.parametrize("n", [1, 10_000_000])
def test_caseload_of_one_and_of_ten_million(n):
    out = synthetic_estimates(caseload([("A", "all", "all", n)]), WEIGHTED_39)
    row = one(out, "A", "MH01")
    lower, upper = wilson_textbook(67.47 / 2, 173 / 2)  # a simple sample of n / design effect 2
    assert row["expected"] == pytest.approx(0.39 * n)
    assert (row["expected_lower"], row["expected_upper"]) == pytest.approx((n * lower, n * upper), rel=1e-12)


def test_every_area_and_estimate_in_one_call():
    areas = caseload([("A", "all", "all", 100), ("B", "all", "all", 2500), ("C", "all", "all", 40)])
    prev = prevalence([("MH01", "all", "all", 0.39, 0.32, 0.46, "published"),
                       ("SM01", "all", "all", 0.20, 0.15, 0.25, "published")])
    out = synthetic_estimates(areas, prev)
    assert len(out) == 6
    assert one(out, "B", "SM01")["expected"] == pytest.approx(500)
    assert one(out, "C", "MH01")["expected_upper"] == pytest.approx(40 * 0.46)
    assert np.allclose(out["expected"], out["caseload"] * out["p"])  # contract: expected = caseload x p
    assert (out["priority_area"] == "mental_health").all() and (out["role"] == "headline").all()


def test_no_interval_gives_expected_but_no_range():
    prev = prevalence([("MH02", "all", "all", 0.29, np.nan, np.nan, "none")])
    row = one(synthetic_estimates(caseload([("A", "all", "all", 1000)]), prev), "A", "MH02")
    assert row["expected"] == pytest.approx(290)
    assert np.isnan(row["expected_lower"]) and np.isnan(row["expected_upper"])
    assert "no range" in row["interval_note"]


# --- crude, modelled caseload: delta method on the log scale ----------------------------------------

def test_modelled_caseload_delta_method_closed_form_and_monte_carlo():
    # p interval symmetric on the log scale (0.3 / 1.2 to 0.3 x 1.2); caseload band [N/1.5, N x 1.5]
    prev = prevalence([("MH01", "all", "all", 0.3, 0.3 / 1.2, 0.3 * 1.2, "published")])
    out = synthetic_estimates(caseload([("A", "all", "all", 1000)], kind="modelled", band=1.5), prev)
    row = one(out, "A", "MH01")
    sd = math.sqrt((math.log(1.2) / Z) ** 2 + (math.log(1.5) / Z) ** 2)
    assert row["expected"] == pytest.approx(300)
    assert row["expected_lower"] == pytest.approx(300 * math.exp(-Z * sd), rel=1e-12)
    assert row["expected_upper"] == pytest.approx(300 * math.exp(Z * sd), rel=1e-12)

    rng = np.random.default_rng(20250601)
    draws = 400_000
    p = np.exp(rng.normal(math.log(0.3), math.log(1.2) / Z, draws))
    n = np.exp(rng.normal(math.log(1000), math.log(1.5) / Z, draws))
    mc_lower, mc_upper = np.quantile(n * p, [0.025, 0.975])
    assert row["expected_lower"] == pytest.approx(mc_lower, rel=0.01)
    assert row["expected_upper"] == pytest.approx(mc_upper, rel=0.01)


def test_modelled_caseload_with_skewed_wilson_interval_against_monte_carlo():
    out = synthetic_estimates(caseload([("A", "all", "all", 2000)], kind="modelled", band=1.5), WEIGHTED_39)
    row = one(out, "A", "MH01")
    rng = np.random.default_rng(7)
    draws = 400_000
    p = rng.beta(33.735 + 0.5, 86.5 - 33.735 + 0.5, draws)  # Jeffreys posterior, 67.47 of 173 over deff 2
    n = np.exp(rng.normal(math.log(2000), math.log(1.5) / Z, draws))
    mc_lower, mc_upper = np.quantile(n * p, [0.025, 0.975])
    assert row["expected_lower"] == pytest.approx(mc_lower, rel=0.02)
    assert row["expected_upper"] == pytest.approx(mc_upper, rel=0.02)
    # and the band is wider than the prevalence interval alone
    assert row["expected_lower"] < 2000 * wilson_textbook(33.735, 86.5)[0]


def test_modelled_caseload_with_zero_lower_prevalence_limit():
    prev = prevalence([("X1", "all", "all", 0.01, 0.0, 0.05, "published")])
    cl = caseload([("A", "all", "all", 500)], kind="modelled", band=1.5)
    row = one(synthetic_estimates(cl, prev), "A", "X1")
    assert row["expected_lower"] == 0.0
    assert row["expected_upper"] > 500 * 0.05


# --- stratified -------------------------------------------------------------------------------------

SEX_CASELOAD = [("E06000001", "all", "all", 2000), ("E06000001", "male", "all", 1800),
                ("E06000001", "female", "all", 200)]


def test_stratified_by_sex_checked_cell_by_cell():
    prev = prevalence([("MH01", "all", "all", 0.39, 0.32, 0.46, "published"),
                       ("MH01", "male", "all", 0.38, 0.33, 0.43, "published"),
                       ("MH01", "female", "all", 0.55, 0.45, 0.65, "published")])
    row = one(synthetic_estimates(caseload(SEX_CASELOAD), prev), "E06000001", "MH01")
    # men:   1800 x 38% = 684, sd = 1800 x (0.43 - 0.33) / 3.92 = 45.92
    # women:  200 x 55% = 110, sd =  200 x (0.65 - 0.45) / 3.92 = 10.20
    sd = math.sqrt((1800 * 0.10 / (2 * Z)) ** 2 + (200 * 0.20 / (2 * Z)) ** 2)  # 47.04
    assert row["method"] == "stratified"
    assert row["expected"] == pytest.approx(794)
    assert row["expected_lower"] == pytest.approx(794 - Z * sd)
    assert row["expected_upper"] == pytest.approx(794 + Z * sd)
    assert row["p"] == pytest.approx(794 / 2000)  # the prevalence applied to this area's mix
    assert "female 55.0%" in row["method_note"] and "male 38.0%" in row["method_note"]
    # The stratum caseloads stay out of the note: a local breakdown may hold counts too small to publish.
    assert "200" not in row["method_note"] and "1,800" not in row["method_note"]


def test_sex_by_age_preferred_when_every_cell_has_a_prevalence():
    cl = caseload([("A", "all", "all", 1000),
                   ("A", "male", "all", 850), ("A", "female", "all", 150),
                   ("A", "male", "18-24", 200), ("A", "male", "25+", 650),
                   ("A", "female", "18-24", 50), ("A", "female", "25+", 100)])
    prev = prevalence([("MH01", "all", "all", 0.40, 0.35, 0.45, "published"),
                       ("MH01", "male", "all", 0.38, 0.33, 0.43, "published"),
                       ("MH01", "female", "all", 0.55, 0.45, 0.65, "published"),
                       ("MH01", "male", "18-24", 0.30, 0.20, 0.40, "published"),
                       ("MH01", "male", "25+", 0.40, 0.34, 0.46, "published"),
                       ("MH01", "female", "18-24", 0.60, 0.40, 0.80, "published"),
                       ("MH01", "female", "25+", 0.50, 0.38, 0.62, "published")])
    row = one(synthetic_estimates(cl, prev), "A", "MH01")
    # 200 x .30 + 650 x .40 + 50 x .60 + 100 x .50 = 60 + 260 + 30 + 50 = 400
    assert row["expected"] == pytest.approx(400)
    var = sum((n * width / (2 * Z)) ** 2 for n, width in [(200, 0.20), (650, 0.12), (50, 0.40), (100, 0.24)])
    assert row["expected_upper"] == pytest.approx(400 + Z * math.sqrt(var))
    assert row["method_note"].startswith("stratified by sex and age band")


def test_falls_back_to_sex_when_an_age_cell_is_missing():
    cl = caseload([("A", "all", "all", 1000), ("A", "male", "all", 850), ("A", "female", "all", 150),
                   ("A", "male", "18-24", 200), ("A", "male", "25+", 650),
                   ("A", "female", "18-24", 50), ("A", "female", "25+", 100)])
    prev = prevalence([("MH01", "all", "all", 0.40, 0.35, 0.45, "published"),
                       ("MH01", "male", "all", 0.38, 0.33, 0.43, "published"),
                       ("MH01", "female", "all", 0.55, 0.45, 0.65, "published"),
                       ("MH01", "male", "18-24", 0.30, 0.20, 0.40, "published")])
    row = one(synthetic_estimates(cl, prev), "A", "MH01")
    assert row["method"] == "stratified"
    assert row["expected"] == pytest.approx(850 * 0.38 + 150 * 0.55)
    assert row["method_note"].startswith("stratified by sex:")


def test_crude_when_a_subgroup_prevalence_is_missing_and_says_why():
    prev = prevalence([("MH01", "all", "all", 0.39, 0.32, 0.46, "published"),
                       ("MH01", "male", "all", 0.38, 0.33, 0.43, "published")])
    row = one(synthetic_estimates(caseload(SEX_CASELOAD), prev), "E06000001", "MH01")
    assert row["method"] == "crude"
    assert row["expected"] == pytest.approx(780)
    assert row["expected_lower"] == pytest.approx(2000 * 0.32)
    assert row["method_note"] == "not stratified: no female prevalence for this measure"


def test_crude_notes_for_measures_without_subgroups_and_areas_without_breakdown():
    cl = caseload(SEX_CASELOAD + [("E06000002", "all", "all", 300)])
    prev = prevalence([("SM01", "all", "all", 0.20, 0.15, 0.25, "published")])
    out = synthetic_estimates(cl, prev)
    note = one(out, "E06000001", "SM01")["method_note"]
    assert note == "not stratified: no prevalence by sex for this measure"
    assert "not broken down" in one(out, "E06000002", "SM01")["method_note"]


def test_stratified_with_modelled_caseload_adds_the_caseload_band():
    cl = caseload(SEX_CASELOAD, kind="modelled", band=1.5)
    prev = prevalence([("MH01", "all", "all", 0.39, 0.32, 0.46, "published"),
                       ("MH01", "male", "all", 0.38, 0.33, 0.43, "published"),
                       ("MH01", "female", "all", 0.55, 0.45, 0.65, "published")])
    row = one(synthetic_estimates(cl, prev), "E06000001", "MH01")
    prevalence_var = (1800 * 0.10 / (2 * Z)) ** 2 + (200 * 0.20 / (2 * Z)) ** 2
    caseload_var = 794 ** 2 * (math.log(1.5) / Z) ** 2  # E^2 var(log N), var(log N) from [N/1.5, N x 1.5]
    assert row["expected_lower"] == pytest.approx(794 - Z * math.sqrt(prevalence_var + caseload_var))
    assert row["expected_upper"] == pytest.approx(794 + Z * math.sqrt(prevalence_var + caseload_var))


def test_stratified_lower_limit_truncated_at_zero():
    cl = caseload([("A", "all", "all", 20), ("A", "male", "all", 18), ("A", "female", "all", 2)])
    prev = prevalence([("OPD1", "all", "all", 0.02, 0.0, 0.3, "published"),
                       ("OPD1", "male", "all", 0.02, 0.0, 0.3, "published"),
                       ("OPD1", "female", "all", 0.05, 0.0, 0.6, "published")])
    row = one(synthetic_estimates(cl, prev), "A", "OPD1")
    assert row["expected"] == pytest.approx(18 * 0.02 + 2 * 0.05)
    assert row["expected_lower"] == 0.0


def test_stratified_with_a_subgroup_without_interval_has_no_range():
    prev = prevalence([("MH01", "all", "all", 0.39, 0.32, 0.46, "published"),
                       ("MH01", "male", "all", 0.38, 0.33, 0.43, "published"),
                       ("MH01", "female", "all", 0.46, np.nan, np.nan, "none")])
    row = one(synthetic_estimates(caseload(SEX_CASELOAD), prev), "E06000001", "MH01")
    assert row["expected"] == pytest.approx(1800 * 0.38 + 200 * 0.46)
    assert np.isnan(row["expected_lower"]) and np.isnan(row["expected_upper"])
    assert row["interval_method"] == "none"


# --- bad inputs --------------------------------------------------------------------------------------

def test_subgroups_that_do_not_add_up_name_area_total_and_sum():
    cl = caseload([("E06000001", "all", "all", 2000), ("E06000001", "male", "all", 1800),
                   ("E06000001", "female", "all", 150)])
    prev = prevalence([("MH01", "all", "all", 0.39, 0.32, 0.46, "published")])
    with pytest.raises(EstimateInputError) as info:
        synthetic_estimates(cl, prev)
    message = str(info.value)
    assert "E06000001" in message and "1,950" in message and "2,000" in message


def test_one_person_out_is_not_tolerated():
    cl = caseload([("A", "all", "all", 2000), ("A", "male", "all", 1800), ("A", "female", "all", 199)])
    with pytest.raises(EstimateInputError, match="add up"):
        synthetic_estimates(cl, prevalence([("MH01", "all", "all", 0.39, 0.32, 0.46, "published")]))


def test_prevalence_over_100_percent_names_the_estimate():
    prev = prevalence([("MH01", "all", "all", 0.39, 0.32, 0.46, "published"),
                       ("SM09", "all", "all", 1.2, 1.1, 1.3, "published")])
    with pytest.raises(EstimateInputError, match="120% is outside 0-100%") as info:
        synthetic_estimates(caseload([("A", "all", "all", 100)]), prev)
    assert "SM09" in str(info.value)


@pytest.mark.parametrize("bad", [0, -40, "many", np.nan])
def test_bad_caseload_names_the_area(bad):
    cl = caseload([("E06000001", "all", "all", 100)]).astype(object)
    cl.loc[0, "caseload"] = bad
    with pytest.raises(EstimateInputError, match="E06000001"):
        synthetic_estimates(cl, prevalence([("MH01", "all", "all", 0.39, 0.32, 0.46, "published")]))


def test_estimate_with_only_subgroups_cannot_be_applied_to_an_unbroken_caseload():
    prev = prevalence([("WM01", "female", "all", 0.6, 0.5, 0.7, "published")])
    with pytest.raises(EstimateInputError, match="WM01"):
        synthetic_estimates(caseload([("A", "all", "all", 100)]), prev)


def test_method_text_is_one_plain_paragraph():
    assert "\n\n" not in SYNTHETIC_METHOD
    assert "780" in SYNTHETIC_METHOD and "2,000" in SYNTHETIC_METHOD
    for jargon in ("delta", "variance", "log", "Wilson", "stratif"):
        assert jargon not in SYNTHETIC_METHOD


# --- range across sources ------------------------------------------------------------------------------

def test_the_written_out_z_is_scipys():
    from jsna_kit.model.intervals import z_for
    from jsna_kit.model.synthetic import Z95

    assert Z95 == z_for(0.95)

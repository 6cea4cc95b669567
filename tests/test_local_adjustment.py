"""Locally adjusted prevalence (model.local_adjustment) checked against closed forms, numerical
integration and a seeded Monte Carlo; the links table (load.local_adjustment_links) and its checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from scipy.special import expit, logit

from jsna_kit.errors import EstimateInputError, InputFileError
from jsna_kit.load import local_adjustment_links as links_module
from jsna_kit.load.local_adjustment_links import local_adjustment_links
from jsna_kit.model import local_adjustment as la
from jsna_kit.model.local_adjustment import (
    adjusted_expected,
    adjusted_prevalence,
    indicator_ratio,
    link_quantile,
    log_ratio_se,
)
from jsna_kit.model.synthetic import synthetic_estimates

Z = stats.norm.ppf(0.975)


def table(p=39.0, lower=30.0, upper=48.0, ratio=2.0, se=0.0, beta=(0.0, 1.0), areas=("E06000001",)) -> pd.DataFrame:
    n = len(areas)
    return pd.DataFrame({"area_code": list(areas), "estimate_id": ["MH05"] * n, "prevalence_pct": p,
                         "prevalence_lower_pct": lower, "prevalence_upper_pct": upper, "ratio": ratio,
                         "ratio_log_se": se, "beta_low": beta[0], "beta_high": beta[1]})


def one(frame: pd.DataFrame) -> pd.Series:
    assert len(frame) == 1
    return frame.iloc[0]


def logit_symmetric(p: float, sd: float) -> tuple[float, float]:
    """A 95% interval symmetric on the logit scale, in percent."""
    return 100 * expit(logit(p / 100) - Z * sd), 100 * expit(logit(p / 100) + Z * sd)


# --- closed forms ---------------------------------------------------------------------------------

def test_a_ratio_of_one_gives_back_the_national_figure_and_its_interval():
    row = one(adjusted_prevalence(table(ratio=1.0)))
    assert row["adjusted_pct"] == pytest.approx(39.0, abs=1e-12)
    assert row["adjusted_lower_pct"] == pytest.approx(30.0, abs=1e-9)
    assert row["adjusted_upper_pct"] == pytest.approx(48.0, abs=1e-9)


def test_no_link_gives_back_the_national_figure_whatever_the_ratio():
    for ratio in (0.2, 1.7, 25.0):
        row = one(adjusted_prevalence(table(ratio=ratio, beta=(0.0, 0.0))))
        assert (row["adjusted_pct"], row["adjusted_lower_pct"], row["adjusted_upper_pct"]) == pytest.approx(
            (39.0, 30.0, 48.0), abs=1e-9)


def test_full_proportionality_for_a_small_share_multiplies_it_by_the_ratio():
    row = one(adjusted_prevalence(table(p=0.1, lower=None, upper=None, ratio=2.0, beta=(1.0, 1.0))))
    assert row["adjusted_pct"] == pytest.approx(0.2, rel=2e-3)  # p x R, to first order
    odds = 0.001 / 0.999 * 2.0
    assert row["adjusted_pct"] == pytest.approx(100 * odds / (1 + odds), rel=1e-12)  # exactly: odds x R


def test_the_point_estimate_is_the_national_odds_times_the_ratio_to_the_central_link():
    out = adjusted_prevalence(table(p=[39.0, 12.0, 60.0], lower=None, upper=None, ratio=[2.0, 0.4, 3.5],
                                    beta=(0.2, 1.2), areas=("A", "B", "C")))
    shift = logit(out["adjusted_pct"] / 100) - logit(out["prevalence_pct"] / 100)
    assert shift.to_numpy() == pytest.approx(0.7 * np.log([2.0, 0.4, 3.5]), abs=1e-12)
    assert (out["beta_central"] == 0.7).all()


def test_shares_never_reach_100_percent_even_for_a_ratio_of_50():
    row = one(adjusted_prevalence(table(p=60.0, lower=50.0, upper=70.0, ratio=50.0, beta=(0.0, 1.5))))
    assert row["adjusted_pct"] < 100 and row["adjusted_upper_pct"] < 100
    assert row["adjusted_pct"] == pytest.approx(100 * expit(logit(0.6) + 0.75 * math.log(50)), rel=1e-12)
    low = one(adjusted_prevalence(table(p=60.0, lower=50.0, upper=70.0, ratio=1 / 50, beta=(0.0, 1.5))))
    assert 0 < low["adjusted_lower_pct"] < low["adjusted_pct"]


def test_with_the_link_the_only_uncertainty_the_range_is_the_uniforms_own_95_percent():
    row = one(adjusted_prevalence(table(lower=None, upper=None, ratio=2.0)))
    ln_r = math.log(2.0)
    assert row["adjusted_lower_pct"] == pytest.approx(100 * expit(logit(0.39) + 0.025 * ln_r), abs=1e-9)
    assert row["adjusted_upper_pct"] == pytest.approx(100 * expit(logit(0.39) + 0.975 * ln_r), abs=1e-9)
    # A normal of the same variance would put the upper limit beyond full proportionality:
    normal_upper = 100 * expit(logit(0.39) + 0.5 * ln_r + Z * ln_r / math.sqrt(12))
    full = 100 * expit(logit(0.39) + ln_r)
    assert row["adjusted_upper_pct"] < full < normal_upper


def test_the_envelope_runs_from_no_link_at_the_national_lower_limit_to_full_at_the_upper():
    row = one(adjusted_prevalence(table(ratio=2.0), interval="envelope"))
    assert row["adjusted_lower_pct"] == pytest.approx(30.0, abs=1e-9)
    assert row["adjusted_upper_pct"] == pytest.approx(100 * expit(logit(0.48) + math.log(2.0)), abs=1e-9)
    below = one(adjusted_prevalence(table(ratio=0.5), interval="envelope"))
    assert below["adjusted_lower_pct"] == pytest.approx(100 * expit(logit(0.30) + math.log(0.5)), abs=1e-9)
    assert below["adjusted_upper_pct"] == pytest.approx(48.0, abs=1e-9)
    convolution = one(adjusted_prevalence(table(ratio=2.0)))
    assert row["adjusted_lower_pct"] < convolution["adjusted_lower_pct"]
    assert row["adjusted_upper_pct"] > convolution["adjusted_upper_pct"]


def test_a_national_lower_limit_of_zero_stays_zero():
    row = one(adjusted_prevalence(table(p=2.0, lower=0.0, upper=6.0, ratio=3.0)))
    assert row["adjusted_lower_pct"] == 0.0
    assert row["adjusted_pct"] < row["adjusted_upper_pct"] < 100


# --- the quantile function against independent numerical integration ------------------------------

@pytest.mark.parametrize(("ln_r", "b_lo", "b_hi", "sd", "se"), [
    (0.7, 0.0, 1.0, 0.2, 0.0), (-1.2, 0.3, 1.5, 0.05, 0.0), (0.7, 0.0, 1.0, 0.2, 0.25), (1.1, 0.0, 1.0, 0.0, 0.3)])
def test_link_quantile_has_the_probability_it_claims(ln_r, b_lo, b_hi, sd, se):
    for q in (0.025, 0.5, 0.975):
        x = float(link_quantile(q, ln_r, b_lo, b_hi, sd, se))

        def below(beta, x=x):  # P(adjustment <= x | beta), integrated over beta by scipy's adaptive quadrature
            spread = math.sqrt(sd ** 2 + (beta * se) ** 2)
            return stats.norm.cdf((x - beta * ln_r) / spread) if spread > 0 else float(beta * ln_r <= x)

        mass, _ = integrate.quad(below, b_lo, b_hi, limit=200, epsabs=1e-11)
        assert mass / (b_hi - b_lo) == pytest.approx(q, abs=1e-7)


def test_link_quantile_reduces_to_the_uniform_and_to_the_normal():
    assert float(link_quantile(0.975, 1.0, 0, 1, 0)) == pytest.approx(0.975, abs=1e-12)
    assert float(link_quantile(0.025, 2.0, 0.5, 0.5, 0.3)) == pytest.approx(1.0 - Z * 0.3, abs=1e-12)


# --- Monte Carlo ----------------------------------------------------------------------------------

MC_DRAWS = 400_000
#: Agreement asked of the closed form with the simulation: 0.01 on the logit scale (a quarter of a
#: percentage point near 50%), about three times the simulation's own standard error at 400,000 draws.
MC_TOLERANCE_LOGIT = 0.01


@pytest.mark.parametrize(("p", "sd", "ratio", "beta", "se"), [
    (39.0, 0.20, 2.0, (0.0, 1.0), 0.0),    # mental illness, a deprived area
    (39.0, 0.20, 2.0, (0.0, 1.0), 0.20),   # ... with the local measure's own error
    (12.0, 0.05, 0.4, (0.0, 1.0), 0.10),   # a small share, an area below the national rate
    (48.0, 0.00, 3.0, (0.0, 1.0), 0.0),    # no national interval: the link alone
    (60.0, 0.30, 0.7, (0.2, 1.5), 0.30),   # a narrowed, more-than-proportional range
])
def test_the_range_agrees_with_a_seeded_monte_carlo(p, sd, ratio, beta, se):
    lower, upper = logit_symmetric(p, sd) if sd else (None, None)
    row = one(adjusted_prevalence(table(p=p, lower=lower, upper=upper, ratio=ratio, se=se, beta=beta)))
    rng = np.random.default_rng(20240628)
    draws = (logit(p / 100) + sd * rng.standard_normal(MC_DRAWS)
             + rng.uniform(*beta, MC_DRAWS) * (math.log(ratio) + se * rng.standard_normal(MC_DRAWS)))
    q_lower, q_median, q_upper = np.quantile(draws, [0.025, 0.5, 0.975])
    assert logit(row["adjusted_lower_pct"] / 100) == pytest.approx(q_lower, abs=MC_TOLERANCE_LOGIT)
    assert logit(row["adjusted_upper_pct"] / 100) == pytest.approx(q_upper, abs=MC_TOLERANCE_LOGIT)
    if se == 0:  # symmetric: the point estimate is the median
        assert logit(row["adjusted_pct"] / 100) == pytest.approx(q_median, abs=MC_TOLERANCE_LOGIT)


# --- shape ----------------------------------------------------------------------------------------

def test_the_estimate_rises_with_the_ratio_and_with_the_national_figure():
    ratios = [0.25, 0.5, 0.9, 1.0, 1.1, 2.0, 4.0, 50.0]
    out = adjusted_prevalence(table(ratio=ratios, areas=[f"A{i}" for i in range(len(ratios))]))
    for column in ("adjusted_pct", "adjusted_lower_pct", "adjusted_upper_pct"):
        assert np.all(np.diff(out[column].to_numpy()) > 0), column
    national = [10.0, 20.0, 39.0, 60.0]
    by_p = adjusted_prevalence(table(p=national, lower=None, upper=None, areas=[f"A{i}" for i in range(4)]))
    assert np.all(np.diff(by_p["adjusted_pct"].to_numpy()) > 0)


def test_the_range_always_contains_the_estimate():
    rng = np.random.default_rng(7)
    n = 300
    p = rng.uniform(1, 95, n)
    sd = rng.uniform(0, 0.5, n)
    lower, upper = logit_symmetric(p, sd)
    frame = table(p=p, lower=lower, upper=upper, ratio=np.exp(rng.normal(0, 1.2, n)), se=rng.uniform(0, 0.4, n),
                  areas=[f"A{i}" for i in range(n)])
    frame["beta_low"] = rng.uniform(0, 0.7, n)
    frame["beta_high"] = frame["beta_low"] + rng.uniform(0, 0.8, n)
    for interval in ("convolution", "envelope"):
        out = adjusted_prevalence(frame, interval=interval)
        assert (out["adjusted_lower_pct"] <= out["adjusted_pct"] + 1e-9).all()
        assert (out["adjusted_pct"] <= out["adjusted_upper_pct"] + 1e-9).all()
        assert ((out["adjusted_lower_pct"] > 0) & (out["adjusted_upper_pct"] < 100)).all()


def test_the_range_widens_as_the_links_range_widens():
    widths = []
    for beta in ((0.5, 0.5), (0.4, 0.6), (0.25, 0.75), (0.0, 1.0)):
        row = one(adjusted_prevalence(table(ratio=2.5, beta=beta)))
        widths.append(row["adjusted_upper_pct"] - row["adjusted_lower_pct"])
        assert row["adjusted_pct"] == pytest.approx(100 * expit(logit(0.39) + 0.5 * math.log(2.5)))
    assert np.all(np.diff(widths) > 0)
    with_error = one(adjusted_prevalence(table(ratio=2.5, se=0.3)))
    assert with_error["adjusted_upper_pct"] - with_error["adjusted_lower_pct"] > widths[-1]


def test_many_areas_at_once_give_the_same_as_one_at_a_time():
    areas = ["E06000001", "E06000002", "E08000019", "W06000015"]
    frame = table(p=[39.0, 12.0, 48.0, 5.2], lower=[30.0, 9.0, None, 3.0], upper=[48.0, 15.5, None, 8.0],
                  ratio=[1.8, 0.6, 3.1, 1.0], se=[0.0, 0.2, 0.1, 0.0], areas=areas)
    frame["link_id"] = ["LA01", "LA06", "LA03", "LA11"]
    together = adjusted_prevalence(frame)
    assert list(together["area_code"]) == areas and list(together["link_id"]) == ["LA01", "LA06", "LA03", "LA11"]
    assert list(together.columns[:15]) == list(la._OUTPUT)
    for i in range(len(areas)):
        alone = one(adjusted_prevalence(frame.iloc[[i]]))
        for column in ("adjusted_pct", "adjusted_lower_pct", "adjusted_upper_pct"):
            assert together[column].iloc[i] == pytest.approx(alone[column], abs=1e-9)


def test_beta_defaults_to_no_link_through_full_proportionality():
    frame = table(ratio=2.0).drop(columns=["beta_low", "beta_high", "ratio_log_se"])
    row = one(adjusted_prevalence(frame))
    assert (row["beta_low"], row["beta_high"], row["ratio_log_se"]) == (0.0, 1.0, 0.0)


# --- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "words"), [
    ({"ratio": 0.0}, "ratio 0 must be above 0"),
    ({"ratio": -1.5}, "ratio -1.5 must be above 0"),
    ({"ratio": np.nan}, "ratio is missing"),
    ({"ratio": "high"}, "ratio 'high' is not a number"),
    ({"prevalence_pct": 120.0, "prevalence_upper_pct": 130.0}, "prevalence 120% must be above 0% and below 100%"),
    ({"prevalence_pct": -3.0}, "prevalence -3% must be above 0%"),
    ({"prevalence_pct": 0.0, "prevalence_lower_pct": 0.0}, "prevalence 0% must be above 0%"),
    ({"prevalence_pct": np.nan}, "prevalence_pct is missing"),
    ({"prevalence_lower_pct": 41.0}, "must contain the prevalence 39%"),
    ({"prevalence_upper_pct": np.nan}, "give both prevalence_lower_pct and prevalence_upper_pct"),
    ({"beta_high": 2.0}, "must lie within 0 to 1.5"),
    ({"beta_low": 0.8, "beta_high": 0.2}, "beta_low 0.8 is above beta_high 0.2"),
    ({"ratio_log_se": -0.1}, "ratio_log_se -0.1 must be a number of 0 or more"),
])
def test_bad_input_names_the_area_and_estimate_and_says_what_is_wrong(change, words):
    frame = table(areas=("E06000001", "E08000019"))
    for column, value in change.items():
        frame[column] = frame[column].astype(object)
        frame.loc[1, column] = value
    with pytest.raises(EstimateInputError) as caught:
        adjusted_prevalence(frame)
    assert str(caught.value).startswith("area E08000019, estimate MH05: ")
    assert words in str(caught.value)


def test_bad_options_and_missing_columns_are_refused():
    with pytest.raises(EstimateInputError, match="missing columns: ratio"):
        adjusted_prevalence(table().drop(columns="ratio"))
    with pytest.raises(EstimateInputError, match="interval 'normal' is not one of convolution, envelope"):
        adjusted_prevalence(table(), interval="normal")
    with pytest.raises(EstimateInputError, match="confidence 95 must be a proportion"):
        adjusted_prevalence(table(), confidence=95)


# --- forming the ratio ----------------------------------------------------------------------------

def test_indicator_ratio_for_rates_and_for_shares_of_small_areas():
    assert indicator_ratio([11.6, 2.9], 5.8) == pytest.approx([2.0, 0.5])
    # (share + 10) / (national share + 10): none of the most deprived small areas gives 0.5, twice the national 1.5
    assert indicator_ratio([0.0, 20.0, 100.0], 10.0, "deprivation_share") == pytest.approx([0.5, 1.5, 5.5])
    with pytest.raises(EstimateInputError, match="row 1: local value 0 must be above 0.*deprivation_share"):
        indicator_ratio([3.0, 0.0], 5.8)
    with pytest.raises(EstimateInputError, match="local share 120% is outside 0-100%"):
        indicator_ratio(120.0, 10.0, "deprivation_share")
    with pytest.raises(EstimateInputError, match="ratio transform 'log' is not one of"):
        indicator_ratio(1.0, 1.0, "log")


def test_log_ratio_se_from_the_local_measures_interval():
    assert float(log_ratio_se(8.0, 12.5)) == pytest.approx(math.log(12.5 / 8.0) / (2 * Z), rel=1e-9)
    with pytest.raises(EstimateInputError, match="must be above 0 and in order"):
        log_ratio_se(5.0, 4.0)


# --- expected counts, as model.synthetic combines them --------------------------------------------

def caseload(kind: str) -> pd.DataFrame:
    band = 1.0 if kind == "local" else 1.25
    n = np.array([2000.0, 800.0])
    return pd.DataFrame({"area_code": ["A", "B"], "sex": "all", "age_band": "all", "caseload": n,
                         "caseload_lower": n / band, "caseload_upper": n * band, "caseload_kind": kind})


def test_a_local_caseload_times_the_adjusted_prevalence_and_its_range():
    adjusted = adjusted_prevalence(table(ratio=[2.0, 0.5], areas=("A", "B")))
    out = adjusted_expected(adjusted, caseload("local"))
    assert out["expected"].to_numpy() == pytest.approx(out["caseload"] * out["adjusted_pct"] / 100)
    assert out["expected_lower"].to_numpy() == pytest.approx(out["caseload"] * out["adjusted_lower_pct"] / 100)
    assert out["expected_upper"].to_numpy() == pytest.approx(out["caseload"] * out["adjusted_upper_pct"] / 100)
    assert (out["range_kind"] == "uncertainty_range").all()


def test_a_modelled_caseload_band_is_combined_exactly_as_the_synthetic_estimates_combine_it():
    adjusted = adjusted_prevalence(table(ratio=[2.0, 0.5], areas=("A", "B")))
    out = adjusted_expected(adjusted, caseload("modelled"))
    for i in range(2):
        prevalence = pd.DataFrame({"estimate_id": ["MH05"], "p": [adjusted["adjusted_pct"].iloc[i] / 100],
                                   "p_lower": [adjusted["adjusted_lower_pct"].iloc[i] / 100],
                                   "p_upper": [adjusted["adjusted_upper_pct"].iloc[i] / 100],
                                   "interval_method": ["published"]})
        reference = one(synthetic_estimates(caseload("modelled").iloc[[i]], prevalence))
        for column in ("expected", "expected_lower", "expected_upper"):
            assert out[column].iloc[i] == pytest.approx(reference[column], rel=1e-12)
    with pytest.raises(EstimateInputError, match="area C has no total caseload row"):
        adjusted_expected(adjusted_prevalence(table(areas=("C",))), caseload("local"))


# --- the links table ------------------------------------------------------------------------------

def test_the_links_table_loads_and_every_link_names_a_real_estimate_of_its_priority_area():
    from jsna_kit.load.reference import load_reference

    links = local_adjustment_links()
    estimates = load_reference().estimates.set_index("estimate_id")
    assert len(links) >= 10 and links["link_id"].is_unique
    assert links["estimate_id"].isin(estimates.index).all()
    assert (links["priority_area"] == links["estimate_id"].map(estimates["priority_area"])).all()
    # the pairs are all there, for England
    england = links[links["nation"] == "England"].set_index("estimate_id")["indicator_id"]
    assert (england["SM05"], england["SM03"], england["PH01"], england["SP17"], england["MH05"]) == (
        "92432", "92906", "92443", "41001", "94240")
    assert ((links["beta_low"] >= 0) & (links["beta_low"] <= links["beta_high"]) & (links["beta_high"] <= 1.5)).all()
    assert (links["reader_reason"].str.len() > 20).all()


def test_the_load_and_model_rooms_agree_on_the_links_rules():
    assert links_module.RATIO_TRANSFORMS == la.RATIO_TRANSFORMS
    assert links_module.BETA_LIMITS == la.BETA_LIMITS


def test_every_link_adjusts_the_real_snapshot_into_a_share_below_100_percent():
    from jsna_kit.load.snapshot import ENGLAND, fingertips_snapshot

    snapshot = fingertips_snapshot()
    links = local_adjustment_links()
    link = links[(links["estimate_id"] == "SM05") & (links["nation"] == "England")].iloc[0]
    values = snapshot[snapshot["indicator_id"] == int(link["indicator_id"])].dropna(subset=["value"])
    national = values.loc[values["area_code"] == ENGLAND, "value"].iloc[0]
    local = values[(values["area_code"] != ENGLAND) & (values["value"] > 0)]
    frame = pd.DataFrame({"area_code": local["area_code"], "estimate_id": "SM05", "prevalence_pct": 48.0,
                          "ratio": indicator_ratio(local["value"], national), "beta_low": link["beta_low"],
                          "beta_high": link["beta_high"]})
    out = adjusted_prevalence(frame)
    assert len(out) > 100
    assert ((out["adjusted_lower_pct"] > 0) & (out["adjusted_upper_pct"] < 100)).all()
    highest = out.loc[out["ratio"].idxmax()]
    assert highest["adjusted_pct"] == out["adjusted_pct"].max() > 48.0


LINK_HEADER = ",".join(links_module.COLUMNS)
GOOD_LINK = ("LA01,SM05,substance_misuse,England,fingertips,92432,Deaths from drug misuse,ratio,0,1,"
             "No evidence narrows it,KRAUS2003,deaths from drug misuse here are a guide to drug problems locally")


def bad_links(tmp_path, *rows: str):
    path = tmp_path / "local_adjustment_links.csv"
    path.write_text("\n".join([LINK_HEADER, GOOD_LINK, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        local_adjustment_links(path=path)
    return {(p.row, p.column): p for p in caught.value.problems}, str(caught.value)


def test_a_bad_links_table_names_each_problems_row_and_column(tmp_path):
    problems, text = bad_links(
        tmp_path,
        "LA02,SM03,substance_misuse,England,fingertips,92906,Alcohol admissions,ratio,0,2.0,basis,PRYCE2017,a reason",
        "LA03,PH01,physical_health,England,fingertips,92443,Adults who smoke,ratio,0.9,0.3,basis,RAO_MOLINA2015,why",
        "LA04,XX99,substance_misuse,England,fingertips,92432,Drug deaths,ratio,0,1,basis,KRAUS2003,a reason",
        "LA05,SP17,suicide_prevention,England,fingertips,41001,Suicide rate,square,0,1,basis,RAO_MOLINA2015,",
        "LA06,MH05,mental_health,England,wimd,wimd2025_overall_10pct,WIMD,deprivation_share,0,1,basis,NOSUCHKEY,reason",
    )
    assert set(problems) == {(3, "beta_high"), (4, "beta_high"), (5, "estimate_id"), (6, "ratio_transform"),
                             (6, "reader_reason"), (7, "nation"), (7, "precedent_source")}
    assert "row 3, column 'beta_high': is outside 0 to 1.5" in text and "(value: '2.0')" in text
    assert "row 4, column 'beta_high': is below beta_low" in text
    assert "row 5, column 'estimate_id': is not an estimate of national_estimates.csv (value: 'XX99')" in text
    assert "row 6, column 'ratio_transform': is not one of ratio, deprivation_share" in text
    assert "row 6, column 'reader_reason': is blank" in text
    assert all(p.file.endswith("local_adjustment_links.csv") and p.fix for p in problems.values())


def test_a_second_link_for_one_estimate_and_nation_or_an_unknown_indicator_is_refused(tmp_path):
    problems, _ = bad_links(
        tmp_path,
        GOOD_LINK.replace("LA01", "LA02"),
        "LA03,SM03,substance_misuse,England,fingertips,99999,Unknown,ratio,0,1,basis,PRYCE2017,a reason",
        "LA04,SM02,social_care,Wales,wales,W-alcohol-admissions,Admissions,deprivation_share,0,1,b,PRYCE2017,r",
    )
    assert set(problems) == {(3, "estimate_id"), (4, "indicator_id"), (5, "priority_area"), (5, "ratio_transform")}


def test_a_researchers_own_links_table_replaces_the_built_in_one(tmp_path, monkeypatch):
    (tmp_path / "local_adjustment_links.csv").write_text(LINK_HEADER + "\n" + GOOD_LINK + "\n", encoding="utf-8")
    monkeypatch.setenv("JSNA_KIT_REFERENCE_DIR", str(tmp_path))
    assert list(local_adjustment_links()["link_id"]) == ["LA01"]

"""Expected deaths among people on probation (model.deaths), against independent computations."""

from __future__ import annotations

import numpy as np
import pytest

from jsna_kit.errors import EstimateInputError
from jsna_kit.model.deaths import approximate_rate_interval, expected_deaths, years_in_period


def test_point_estimate_by_hand():
    # 2,000 people x 10 per 100,000 x 6 = 1.2 suicides a year
    out = expected_deaths(2000, 10.0, 6.0)
    assert out["expected"].iloc[0] == pytest.approx(1.2)
    assert out["expected_lower"].iloc[0] == out["expected_upper"].iloc[0] == pytest.approx(1.2)


def test_interval_against_monte_carlo():
    """Caseload band 1,600 to 3,600 (x/÷ 1.5 around 2,400) and a rate of 15 (13 to 17.3), each taken
    as a log-normal 95% interval: simulated products give the same 95% range as the closed form."""
    rng = np.random.default_rng(20261202)
    n, z = 400_000, 1.959963984540054
    caseload = np.exp(rng.normal(np.log(2400), np.log(1.5) / z, n))
    rate = np.exp(rng.normal(np.log(15.0), (np.log(17.3) - np.log(13.0)) / (2 * z), n))
    simulated = caseload * rate / 100_000 * 6.0
    out = expected_deaths(2400, 15.0, 6.0, caseload_lower=1600, caseload_upper=3600, rate_lower=13.0,
                          rate_upper=17.3).iloc[0]
    assert out["expected"] == pytest.approx(2400 * 15.0 / 100_000 * 6.0)
    assert out["expected_lower"] == pytest.approx(np.percentile(simulated, 2.5), rel=0.01)
    assert out["expected_upper"] == pytest.approx(np.percentile(simulated, 97.5), rel=0.01)


def test_relative_risk_interval_widens_the_range():
    narrow = expected_deaths(1000, 10.0, 6.0, caseload_lower=800, caseload_upper=1250).iloc[0]
    wide = expected_deaths(1000, 10.0, 6.0, caseload_lower=800, caseload_upper=1250, rr_lower=5.0,
                           rr_upper=7.2).iloc[0]
    assert wide["expected_lower"] < narrow["expected_lower"] and wide["expected_upper"] > narrow["expected_upper"]


def test_vectorised_over_areas():
    out = expected_deaths([1000, 2000], [10.0, 5.0], 16.0)
    assert out["expected"].tolist() == pytest.approx([1.6, 1.6])


def test_bad_inputs_are_named():
    with pytest.raises(EstimateInputError, match="caseload"):
        expected_deaths(-5, 10.0, 6.0)
    with pytest.raises(EstimateInputError, match="does not contain its value"):
        expected_deaths(1000, 10.0, 6.0, rate_lower=11.0, rate_upper=12.0)


def test_approximate_rate_interval_is_exact_poisson_of_the_implied_count():
    from scipy.stats import gamma

    # 15 per 100,000 among 470,000 over 3 years implies 211.5 deaths
    lower, upper = approximate_rate_interval([15.0], [470_000], [3])
    deaths = 15.0 * 470_000 * 3 / 100_000
    assert lower[0] == pytest.approx(15.0 * gamma.ppf(0.025, deaths) / deaths)
    assert upper[0] == pytest.approx(15.0 * gamma.ppf(0.975, deaths + 1) / deaths)
    # and for a small area's handful of deaths (0.6 implied), where the limits are most skewed
    lower, upper = approximate_rate_interval([2.0], [10_000], [3])
    assert lower[0] == pytest.approx(2.0 * gamma.ppf(0.025, 0.6) / 0.6, rel=1e-9)
    assert upper[0] == pytest.approx(2.0 * gamma.ppf(0.975, 1.6) / 0.6, rel=1e-9)


@pytest.mark.parametrize(("period", "years"), [("2022 - 24", 3), ("2022\u201324", 3), ("2023/24", 1), ("2024", 1),
                                              ("2019 - 2021", 3)])
def test_years_in_period(period, years):
    assert years_in_period(period) == years


def test_per_1000_on_probation_depends_only_on_the_rate():
    import pandas as pd

    from jsna_kit.model.deaths import area_death_measures

    rates = pd.DataFrame({"area_code": ["E92000001", "E92000001", "E06000001", "E06000001"],
                          "indicator_id": [41001, 92432, 41001, 92432], "value": [10.0, 5.0, 15.0, 8.0]})
    out = area_death_measures(rates, ["E06000001", "W06000015"], {"suicide": 6.0, "drug": 16.0}).set_index("area_code")
    # 15 per 100,000 x 6 = 90 per 100,000 = 0.9 per 1,000; Wales takes England's 10 x 6 / 100 = 0.6
    assert out.loc["E06000001", "suicide_per_1000"] == pytest.approx(0.9)
    assert out.loc["E06000001", "drug_per_1000"] == pytest.approx(1.28)
    assert out.loc["W06000015", "suicide_per_1000"] == pytest.approx(0.6)
    assert out["rate_area"].to_dict() == {"E06000001": "local", "W06000015": "england"}


@pytest.mark.parametrize(("expected", "per_1000", "caseload", "words"), [
    (1.2, 1.04, 1155, "about 1.2 suicides a year"),
    (0.1, 0.51, 200, "fewer than one suicide a year (about one every 10 years)"),   # 0.102 a year
    (0.5, 1.0, 500, "fewer than one suicide a year (about one every 2 years)"),
    (0.7, 1.0, 700, "fewer than one suicide a year (about 7 in 10 years)"),  # not "one every 2 years"
    (0.0, 0.01, 200, "fewer than one suicide a year (less than one a century)"),   # 0.002 a year
    (12.4, 3.52, 3520, "about 12 suicides a year"),
])
def test_expected_deaths_in_words(expected, per_1000, caseload, words):
    from jsna_kit.present.deaths import deaths_words

    row = {"cause": "suicide", "cause_words": "suicides", "expected": expected, "expected_per_1000": per_1000,
           "caseload": caseload}
    assert deaths_words(row) == words


def test_expected_death_ranges_are_rounded_outwards():
    """Rutland's drug deaths, 0.153 (0.102 to 0.230), read 0.2 (0.1 to 0.3), not 0.2 (0.1 to 0.2);
    a lower limit of 0.045 reads 0.04, not 0.0 (issue 25)."""
    from jsna_kit.batch.local_figures import round_outward
    from jsna_kit.present.deaths import _deaths

    assert round_outward(0.102, down=True) == 0.1 and round_outward(0.230, down=False) == 0.3
    assert round_outward(0.2, down=False) == 0.2 and round_outward(2.0, down=True) == 2.0  # exact stays
    assert round_outward(0.045, down=True) == 0.04 and _deaths(0.04) == "0.04"
    assert round_outward(12.31, down=False) == 12.4 and round_outward(None, down=True) is None
    assert _deaths(0.0) == "0.0" and _deaths(1.25) == "1.2"

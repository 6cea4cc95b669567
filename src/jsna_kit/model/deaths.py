"""Expected deaths among people on probation, by indirect standardisation: the area's
general-population death rate times the national relative risk for people under probation
supervision, times the caseload (taken as person-years).

    expected per year = caseload x (rate per 100,000 / 100,000) x relative risk

The interval treats the three factors as independent and log-normal, each with its own 95%
interval (the modelled caseload's band is treated as a 95% interval, as in ``model.synthetic``; a
local caseload, and a relative risk published without an interval, are taken as exact):

    se(log E) = sqrt(sum of ((log upper - log lower) / (2 z))^2)
    E x exp(-z se) to E x exp(+z se)

the delta method on the log scale (Kirkwood and Sterne, Essential Medical Statistics, 2003,
ch. 16 and 33). A rate published without an interval gets one from its implied count:
``approximate_rate_interval`` (exact Poisson limits of count = rate x population x years / 100,000;
Garwood 1936), which is approximate for a directly standardised rate (Dobson et al. 1991 is the
method when the age-specific counts are known).

Assumptions, which the chapter states: a caseload counted on one day is used as a year of
exposure (people come and go, so more people pass through probation in a year than are on it on
one day); the national relative risk applies in every area; and the general-population rate of
the years the rate describes still holds.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError

PER = 100_000
DEATH_COLUMNS = ("expected", "expected_lower", "expected_upper")


def _z(level: float) -> float:
    from scipy.special import ndtri

    if not 0 < level < 1:
        raise EstimateInputError(f"confidence level {level!r} must be between 0 and 1")
    return float(ndtri(0.5 + level / 2))


def _array(values, what: str, n: int | None = None, *, allow_nan: bool = False) -> np.ndarray:
    raw = np.atleast_1d(np.asarray(values, dtype=object))
    numbers = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=float)
    bad = (np.isnan(numbers) & ~allow_nan) | (numbers < 0) | np.isinf(numbers)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise EstimateInputError(f"row {i}: {what} {raw[i]!r} must be a number of 0 or more")
    if n is not None and len(numbers) not in (1, n):
        raise EstimateInputError(f"{what} has {len(numbers)} values; expected 1 or {n}")
    return numbers if n is None or len(numbers) == n else np.repeat(numbers, n)


def _log_se(value, lower, upper, z: float, what: str) -> np.ndarray:
    """Standard error on the log scale from a 95% (level) interval; 0 where there is none."""
    lo, hi = np.asarray(lower, float), np.asarray(upper, float)
    has = ~(np.isnan(lo) | np.isnan(hi))
    if (has & ((lo > value) | (hi < value))).any():
        i = int(np.flatnonzero(has & ((lo > value) | (hi < value)))[0])
        raise EstimateInputError(f"row {i}: the {what}'s interval {lo[i]:g} to {hi[i]:g} does not contain "
                                 f"its value {value[i]:g}")
    if (has & (lo <= 0) & (value > 0)).any():
        i = int(np.flatnonzero(has & (lo <= 0) & (value > 0))[0])
        raise EstimateInputError(f"row {i}: the {what}'s interval must be above 0 for a log-scale interval")
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(has & (lo > 0), (np.log(hi) - np.log(lo)) / (2 * z), 0.0)
    return se


def expected_deaths(caseload, rate_per_100000, relative_risk, *, caseload_lower=None, caseload_upper=None,
                    rate_lower=None, rate_upper=None, rr_lower=None, rr_upper=None,
                    level: float = 0.95) -> pd.DataFrame:
    """Expected deaths a year among ``caseload`` people, with an interval (columns ``expected``,
    ``expected_lower``, ``expected_upper``; one row per element). Missing limits mean the factor
    is taken as exact. Vectorised: scalars broadcast against arrays."""
    z = _z(level)
    sizes = [len(np.atleast_1d(v)) for v in (caseload, rate_per_100000, relative_risk)]
    n = max(sizes)
    n_ = _array(caseload, "caseload", n)
    r_ = _array(rate_per_100000, "rate per 100,000", n)
    rr = _array(relative_risk, "relative risk", n)

    def limits(lower, upper, what):
        if lower is None or upper is None:
            return np.full(n, np.nan), np.full(n, np.nan)
        return _array(lower, what, n, allow_nan=True), _array(upper, what, n, allow_nan=True)

    se2 = np.zeros(n)
    for value, (lo, hi), what in ((n_, limits(caseload_lower, caseload_upper, "caseload"), "caseload"),
                                  (r_, limits(rate_lower, rate_upper, "rate"), "rate"),
                                  (rr, limits(rr_lower, rr_upper, "relative risk"), "relative risk")):
        se2 += _log_se(value, lo, hi, z, what) ** 2
    expected = n_ * r_ / PER * rr
    spread = np.exp(z * np.sqrt(se2))
    return pd.DataFrame({"expected": expected, "expected_lower": expected / spread,
                         "expected_upper": expected * spread})


def years_in_period(period: object) -> int:
    """How many years a Fingertips period covers: ``2022 - 24`` 3, ``2023/24`` 1, ``2024`` 1."""
    text = str(period).replace("\u2013", "-")
    match = re.match(r"^\s*(\d{4})\s*-\s*(\d{2,4})\s*$", text)
    if not match:
        return 1
    start, end = int(match.group(1)), match.group(2)
    end_year = int(end) if len(end) == 4 else int(str(start)[:2] + end)
    return max(1, end_year - start + 1)


def approximate_rate_interval(rate_per_100000, population, years, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """An approximate interval for a rate published without one: the implied number of deaths
    ``D = rate x population x years / 100,000`` and its exact Poisson limits (Garwood 1936),
    ``rate x chi2(a/2, 2D) / 2D`` to ``rate x chi2(1 - a/2, 2D + 2) / 2D``. ``population`` is
    the population the rate is per (here adults: an undercount of the all-age denominator, which
    widens the interval a little)."""
    # chi2.ppf(q, k) is chdtri(k, 1 - q): scipy.special, without importing scipy.stats (0.6 s,
    # most of a rebuild of one area when the other estimates are kept)
    from scipy.special import chdtri

    rate = _array(rate_per_100000, "rate per 100,000")
    n = len(rate)
    pop = _array(population, "population", n)
    span = _array(years, "years", n)
    deaths = rate * pop * span / PER
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(deaths > 0, rate * chdtri(2 * deaths, 1 - alpha / 2) / (2 * deaths), 0.0)
        upper = np.where(deaths > 0, rate * chdtri(2 * deaths + 2, alpha / 2) / (2 * deaths), np.nan)
    return lower, upper


def area_death_measures(rates: pd.DataFrame, area_codes, relative_risks: dict[str, float], *,
                        indicators: dict[str, int] | None = None, england: str = "E92000001") -> pd.DataFrame:
    """Expected deaths a year per 1,000 people on probation in each area: ``rate x relative risk / 100``
    (per 100,000 to per 1,000). It does not depend on the caseload, so it differs between areas only
    through their general-population rates: what an overview can map. ``rates``: ``area_code,
    indicator_id, value`` (the Fingertips snapshot); an area without its own rate takes England's
    (``rate_area`` says which). Columns: ``area_code, rate_area`` and per cause ``<cause>_rate``,
    ``<cause>_per_1000`` (causes ``suicide`` and ``drug``)."""
    indicators = indicators or {"suicide": 41001, "drug": 92432}
    codes = list(area_codes)
    out = pd.DataFrame({"area_code": codes})
    local_all = pd.Series(True, index=out.index)
    for cause, indicator in indicators.items():
        values = rates[rates["indicator_id"].astype(int) == indicator].set_index("area_code")["value"]
        national = values.get(england, np.nan)
        own = out["area_code"].map(values)
        local_all &= own.notna()
        rate = own.fillna(national)
        out[f"{cause}_rate"] = rate
        risk = relative_risks.get(cause, np.nan)
        out[f"{cause}_per_1000"] = rate * risk / 100
    out.insert(1, "rate_area", np.where(local_all, "local", "england"))
    return out

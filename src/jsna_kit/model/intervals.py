"""Confidence intervals for proportions and rates, and the interval each national prevalence
estimate carries into the synthetic estimates.

The arithmetic is PHStatsMethods' (DHSC's Python port of the Fingertips methods); this module
adds vectorised entry points, validation that names the offending row, and the rules for
choosing an interval for a published prevalence figure.

Methods
-------
* Proportions: Wilson score interval. Wilson EB. Probable inference, the law of succession, and
  statistical inference. J Am Stat Assoc 1927;22:209-12; as set out in Newcombe RG, Altman DG.
  Proportions and their differences. In: Altman DG et al. (eds) Statistics with confidence,
  2nd edn. BMJ Books, 2000:46-8.
* Counts and rates: Byar's approximation to the Poisson interval for 10 or more events (Breslow
  NE, Day NE. Statistical methods in cancer research, vol II. IARC, 1987), and the exact Poisson
  interval from the chi-squared distribution below 10 events (Armitage P, Berry G. Statistical
  methods in medical research, 4th edn. Blackwell, 2002).
* Published intervals at a level other than the one wanted are rescaled on the logit scale
  (normal approximation), side by side so an asymmetric interval stays asymmetric.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError


def _phs():
    # Imported when first needed: PHStatsMethods pulls in scipy.stats (about a second), which a
    # chapter only reading this module's method descriptions should not pay for.
    import PHStatsMethods

    return PHStatsMethods

SUPPORTED_CONFIDENCE: tuple[float, ...] = (0.95, 0.998)

INTERVAL_METHODS: tuple[str, ...] = ("published", "wilson_counts", "wilson_weighted", "none")

#: The design effect assumed for a weighted or approximate national figure (``wilson_weighted``)
#: whose source publishes none: the national variance is doubled, both in its printed interval
#: (Wilson on a simple sample of n / 2) and in the test against a local figure. A cautious
#: allowance, so that neither the range nor a difference looks surer than the figure's unknown
#: precision allows; a published ``design_effect`` in the reference data replaces it.
ASSUMED_DESIGN_EFFECT = 2.0

# A published percentage is usually rounded to a whole number, so x/n can differ from it by up to
# half a percentage point without anything being wrong.
COUNT_CONSISTENCY_PP = 0.5


class Interval(NamedTuple):
    lower: np.ndarray
    upper: np.ndarray


def z_for(confidence: float) -> float:
    """Two-sided standard normal quantile for ``confidence`` (1.96 for 0.95, 3.09 for 0.998)."""
    check_confidence(confidence)
    from scipy.special import ndtri

    return float(ndtri(0.5 + confidence / 2))


def check_confidence(confidence: float) -> None:
    # The same range PHStatsMethods accepts; Fingertips uses 0.95 and 0.998.
    if not isinstance(confidence, float) or not 0.9 <= confidence < 1:
        raise EstimateInputError(
            f"confidence level {confidence!r} is not supported; use a proportion between 0.9 and 1, "
            "usually 0.95 or 0.998")


def _labels(values) -> list:
    if isinstance(values, pd.Series):
        return list(values.index)
    return list(range(len(np.atleast_1d(np.asarray(values, dtype=object)))))


def _as_float(values, what: str) -> np.ndarray:
    """Array of floats; NaN stays NaN (missing), anything else non-numeric is an error."""
    raw = pd.Series(values.to_numpy() if isinstance(values, pd.Series) else np.atleast_1d(values),
                    dtype=object)
    numbers = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = numbers.isna() & raw.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        label = _labels(values)[i]
        raise EstimateInputError(f"row {label}: {what} {raw.iloc[i]!r} is not a number")
    return numbers.to_numpy()


def _first_bad(mask: np.ndarray, labels: list) -> object:
    return labels[int(np.flatnonzero(mask)[0])]


def proportion_interval(numerator, denominator, confidence: float = 0.95) -> Interval:
    """Wilson score interval (Wilson 1927) for ``numerator`` out of ``denominator``, as proportions 0-1.

    Arrays, lists or Series of equal length (or scalars); returns ``Interval(lower, upper)`` of
    numpy arrays. The numerator need not be a whole number: ``x = p * n`` for a weighted survey
    percentage is allowed (see ``prevalence_intervals``). A missing numerator or denominator gives
    NaN bounds. Computed by ``PHStatsMethods.wilson_lower`` / ``wilson_upper``.
    """
    check_confidence(confidence)
    labels = _labels(numerator)
    x = _as_float(numerator, "numerator")
    n = _as_float(denominator, "denominator")
    if x.shape != n.shape:
        raise EstimateInputError(
            f"numerator ({x.size} values) and denominator ({n.size} values) differ in length")
    with np.errstate(invalid="ignore"):
        checks = [
            (x < 0, "numerator is negative"),
            (n <= 0, "denominator must be more than 0"),
            (x > n, "numerator is larger than the denominator (a proportion cannot exceed 100%)"),
        ]
    for mask, message in checks:
        if mask.any():
            i = int(np.flatnonzero(mask)[0])
            raise EstimateInputError(f"row {labels[i]}: {message} (numerator {x[i]:g}, denominator {n[i]:g})")
    phs = _phs()
    lower = np.vectorize(phs.wilson_lower, otypes=[float])(x, n, confidence)
    upper = np.vectorize(phs.wilson_upper, otypes=[float])(x, n, confidence)
    return Interval(np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0))


def _poisson_lower(count: float, confidence: float) -> float:
    if np.isnan(count):
        return np.nan
    # PHStatsMethods' exact lower limit for 0 events is chi2 on 0 df (NaN); the limit is 0.
    return 0.0 if count == 0 else _phs().byars_lower(count, confidence)


def _poisson_upper(count: float, confidence: float) -> float:
    if np.isnan(count):
        return np.nan
    # byars_upper refuses 0 events; the exact upper limit for 0 events is well defined.
    phs = _phs()
    return phs.exact_upper(0, confidence) if count == 0 else phs.byars_upper(count, confidence)


def rate_interval(count, denominator, confidence: float = 0.95, multiplier: float = 100_000) -> Interval:
    """Interval for a rate ``count / denominator * multiplier`` (e.g. per 100,000).

    Byar's method (Breslow & Day 1987) for 10 or more events; the exact Poisson interval
    (chi-squared limits) below 10 events, as Fingertips does. Zero events give a lower limit of
    0 and the exact upper limit. Computed by ``PHStatsMethods.byars_lower`` / ``byars_upper`` /
    ``exact_upper`` (not ``PHStatsMethods.byars``, whose small-count branch is passed
    ``1 - confidence``). Returns ``Interval(lower, upper)`` in the units of the rate.
    """
    check_confidence(confidence)
    if not np.isscalar(multiplier) or not multiplier > 0:
        raise EstimateInputError(
            f"multiplier {multiplier!r} must be a positive number such as 1000 or 100000")
    labels = _labels(count)
    c = _as_float(count, "count")
    d = _as_float(denominator, "denominator")
    if c.shape != d.shape:
        raise EstimateInputError(
            f"count ({c.size} values) and denominator ({d.size} values) differ in length")
    with np.errstate(invalid="ignore"):
        if (c < 0).any():
            raise EstimateInputError(f"row {_first_bad(c < 0, labels)}: count is negative")
        if (d <= 0).any():
            raise EstimateInputError(f"row {_first_bad(d <= 0, labels)}: denominator must be more than 0")
    lower = np.vectorize(_poisson_lower, otypes=[float])(c, confidence)
    upper = np.vectorize(_poisson_upper, otypes=[float])(c, confidence)
    return Interval(lower / d * multiplier, upper / d * multiplier)


# ---------------------------------------------------------------------------------------------
# Intervals for published prevalence figures


def _blank_to_none(raw: pd.Series) -> pd.Series:
    text = raw.astype(object).where(raw.notna(), None)
    return text.map(lambda v: (v.strip() or None) if isinstance(v, str) else v)


def _column(estimates: pd.DataFrame, column: str, ids: pd.Series) -> pd.Series:
    """A numeric column of the reference table; blank -> NaN, text -> error naming the estimate."""
    if column not in estimates.columns:
        return pd.Series(np.nan, index=estimates.index, name=column)
    raw = estimates[column]
    text = _blank_to_none(raw)
    numbers = pd.to_numeric(text, errors="coerce").astype(float).rename(column)
    bad = numbers.isna() & text.notna()
    if bad.any():
        where = bad.to_numpy().nonzero()[0][0]
        raise EstimateInputError(
            f"estimate {ids.iloc[where]}: {column} {raw.iloc[where]!r} is not a number; "
            f"leave it blank if the source does not give one")
    return numbers


def _levels(estimates: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """ci_level as a proportion: 95, '95%', 0.95 -> 0.95; blank -> NaN."""
    if "ci_level" not in estimates.columns:
        return pd.Series(np.nan, index=estimates.index)
    text = _blank_to_none(estimates["ci_level"])
    text = text.map(lambda v: (v.rstrip("%").strip() or None) if isinstance(v, str) else v)
    level = pd.to_numeric(text, errors="coerce").astype(float)
    level = level.where(level <= 1, level / 100)
    bad = (text.notna() & level.isna()) | ~(level.isna() | ((level >= 0.5) & (level < 1)))
    if bad.any():
        where = bad.to_numpy().nonzero()[0][0]
        raise EstimateInputError(
            f"estimate {ids.iloc[where]}: ci_level {estimates['ci_level'].iloc[where]!r} is not a "
            "confidence level; write it as 95 or 99.8")
    return level


def _fail_where(mask: pd.Series, ids: pd.Series, message: str, *values: pd.Series) -> None:
    if mask.any():
        where = mask.to_numpy().nonzero()[0][0]
        shown = ", ".join(f"{v.name} {v.iloc[where]:g}" for v in values)
        raise EstimateInputError(f"estimate {ids.iloc[where]}: {message} ({shown})")


def _rescale_logit(p: np.ndarray, bound: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    """Move ``bound`` so its distance from ``p`` on the logit scale is multiplied by ``ratio``."""
    from scipy.special import expit, logit

    with np.errstate(divide="ignore", invalid="ignore"):
        moved = expit(logit(p) + (logit(bound) - logit(p)) * ratio)
        finite = np.isfinite(moved) & np.isfinite(logit(p)) & np.isfinite(logit(bound))
    # A bound at 0% or 100% (or p itself there) has no finite logit: keep the published bound.
    return np.where(finite & (ratio != 1), moved, bound)


def prevalence_intervals(estimates: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Proportion and interval for each published prevalence figure in the reference table.

    ``estimates`` has the reference columns ``value`` (percent, 0-100) and, where known,
    ``numerator``, ``denominator``, ``ci_lower``, ``ci_upper``, ``ci_level`` (and ``estimate_id``
    for messages). Returns a copy with added columns ``p``, ``p_lower``, ``p_upper`` (proportions
    0-1, at ``confidence``), ``interval_method``, ``interval_note`` (plain English) and ``p_se``, the
    standard error of ``p`` used to test a local figure against it (``prevalence_standard_errors``).

    ``p`` is always the published value / 100, so caseload x the percentage shown in the chapter
    reproduces the expected count by hand. ``interval_method``, in order of precedence:

    * ``published`` - the source's own interval. It wins over Wilson whenever both bounds are
      given, because the authors' interval reflects the study design (weighting, clustering,
      exact methods) that cannot be rebuilt from n. If its level is not ``confidence`` it is
      rescaled on the logit scale (normal approximation) and the note says so; a blank level is
      taken to be 95% and the note says that too.
    * ``wilson_counts`` - numerator and denominator given and consistent with the value (within
      half a percentage point, i.e. rounding): Wilson interval on x of n (Wilson 1927).
    * ``wilson_weighted`` - n known but no usable numerator (a weighted survey percentage, or a
      numerator that does not match the value): Wilson on x = p x n_eff, a simple sample of
      n_eff = n / design effect (``design_effect``, else ``ASSUMED_DESIGN_EFFECT``), the same
      allowance as its standard error (``prevalence_standard_errors``). Approximate.
    * ``none`` - no n and no interval, or no value at all: bounds are NaN. An interval is never
      invented.
    """
    check_confidence(confidence)
    if "value" not in estimates.columns:
        raise EstimateInputError("the estimates table has no 'value' column (the published percentage)")
    ids = (estimates["estimate_id"].astype(str) if "estimate_id" in estimates.columns
           else pd.Series([f"in row {i}" for i in estimates.index], index=estimates.index))
    value = _column(estimates, "value", ids)
    x = _column(estimates, "numerator", ids)
    n = _column(estimates, "denominator", ids)
    lo = _column(estimates, "ci_lower", ids)
    hi = _column(estimates, "ci_upper", ids)
    level = _levels(estimates, ids)

    if "unit" in estimates.columns:
        unit = estimates["unit"].astype(object)
        _fail_where(value.notna() & unit.notna() & (unit.astype(str).str.strip() != "percent"), ids,
                    "is not a percentage (unit is not 'percent'); only prevalence figures get a proportion "
                    "interval", value)
    _fail_where((value < 0) | (value > 100), ids, "prevalence is outside 0-100%", value)
    _fail_where(x < 0, ids, "numerator is negative", x)
    _fail_where(n <= 0, ids, "denominator must be more than 0", n)
    _fail_where(x > n, ids, "numerator is larger than the denominator", x, n)
    _fail_where((lo < 0) | (hi > 100) | (lo > hi), ids, "published interval is not within 0-100% in order",
                lo, hi)
    _fail_where(value.notna() & ((lo > value) | (hi < value)), ids,
                "published interval does not contain the published value", value, lo, hi)

    has_value = value.notna()
    has_ci = has_value & lo.notna() & hi.notna()
    counts_agree = (100 * x / n - value).abs() <= COUNT_CONSISTENCY_PP + 1e-9
    use_counts = has_value & ~has_ci & x.notna() & n.notna() & counts_agree
    use_weighted = has_value & ~has_ci & ~use_counts & n.notna()
    method = np.select([has_ci, use_counts, use_weighted], ["published", "wilson_counts", "wilson_weighted"],
                       default="none")

    p = value / 100
    deff = _column(estimates, "design_effect", ids)
    _fail_where(deff < 1, ids, "design effect must be 1 or more", deff)
    # A weighted or approximate figure's interval uses the same design effect as its standard error
    # (``prevalence_standard_errors``): a simple sample of n / design effect. One allowance, stated.
    effective = n.where(use_counts, n / deff.fillna(ASSUMED_DESIGN_EFFECT))
    numerator = x.where(use_counts, p * effective).where(use_counts | use_weighted)
    w_lower, w_upper = proportion_interval(numerator, effective.where(use_counts | use_weighted), confidence)

    stated = level.fillna(0.95)
    from scipy.special import ndtri

    ratio = z_for(confidence) / pd.Series(ndtri(0.5 + stated / 2), index=estimates.index)
    published_lower = _rescale_logit(p.to_numpy(), (lo / 100).to_numpy(), ratio.to_numpy())
    published_upper = _rescale_logit(p.to_numpy(), (hi / 100).to_numpy(), ratio.to_numpy())

    out = estimates.copy()
    out["p"] = p
    out["p_lower"] = np.select([has_ci, use_counts | use_weighted], [published_lower, w_lower], np.nan)
    out["p_upper"] = np.select([has_ci, use_counts | use_weighted], [published_upper, w_upper], np.nan)
    out["interval_method"] = method
    out["interval_note"] = _notes(method, value, x, n, numerator, lo, hi, level, confidence,
                                  deff.fillna(ASSUMED_DESIGN_EFFECT))
    to_95 = (z_for(0.95) / pd.Series(ndtri(0.5 + stated / 2), index=estimates.index)).to_numpy()
    published_se = pd.Series(_rescale_logit(p.to_numpy(), (hi / 100).to_numpy(), to_95)
                             - _rescale_logit(p.to_numpy(), (lo / 100).to_numpy(), to_95),
                             index=estimates.index) / (2 * z_for(0.95))
    out["p_se"] = prevalence_standard_errors(method, p, n, published_se, deff)
    return out


def prevalence_standard_errors(method, p: pd.Series, n: pd.Series, published_se: pd.Series,
                               design_effect: pd.Series) -> np.ndarray:
    """The standard error of each national proportion, for a two-sample test against a local one.

    * ``published``: the published interval's width over 2 x 1.96 (at 95%), so the study's own
      design (weighting, clustering, pooling) is carried;
    * ``wilson_counts``: the binomial ``sqrt(p(1-p)/n)``;
    * ``wilson_weighted``: the same times the square root of the design effect (the reference
      data's ``design_effect``, else ``ASSUMED_DESIGN_EFFECT``);
    * ``none``: NaN - no test is possible, only a description of the difference."""
    method = np.asarray(method)
    binomial = np.sqrt(p * (1 - p) / n).to_numpy()
    deff = design_effect.fillna(ASSUMED_DESIGN_EFFECT).to_numpy()
    return np.select([method == "published", method == "wilson_counts", method == "wilson_weighted"],
                     [published_se.to_numpy(), binomial, binomial * np.sqrt(deff)], np.nan)


def _pct(v: float) -> str:
    return f"{v:g}%"


def _notes(method, value, x, n, numerator, lo, hi, level, confidence, deff) -> list[str]:
    want = f"{confidence * 100:g}%"
    notes = []
    for i, m in enumerate(method):
        if m == "published":
            stated = level.iloc[i]
            if np.isnan(stated):
                note = (f"published interval {_pct(lo.iloc[i])} to {_pct(hi.iloc[i])}; the source does not "
                        f"state its level, taken to be 95%")
                if not np.isclose(confidence, 0.95):
                    note += f", rescaled to {want} on the logit scale"
            elif np.isclose(stated, confidence):
                note = f"published {want} interval"
            else:
                note = (f"published {stated * 100:g}% interval ({_pct(lo.iloc[i])} to {_pct(hi.iloc[i])}) "
                        f"rescaled to {want} on the logit scale (normal approximation)")
        elif m == "wilson_counts":
            note = f"Wilson {want} interval from {x.iloc[i]:g} of {n.iloc[i]:g}"
        elif m == "wilson_weighted":
            note = (f"approximate: Wilson {want} interval treating {_pct(value.iloc[i])} of {n.iloc[i]:g} as a "
                    f"simple sample of {n.iloc[i] / deff.iloc[i]:g} (n over a design effect of {deff.iloc[i]:g}, "
                    f"the one the comparison test uses), {numerator.iloc[i]:.2f} people with the need")
            if not np.isnan(x.iloc[i]):
                note += (f"; the published numerator {x.iloc[i]:g} of {n.iloc[i]:g} does not match the "
                         f"published {_pct(value.iloc[i])}")
        elif np.isnan(value.iloc[i]):
            note = "no interval: the source gives no single figure (a gap, or a range only)"
        else:
            note = "no interval: the source gives neither a sample size nor a confidence interval"
        notes.append(note)
    return notes

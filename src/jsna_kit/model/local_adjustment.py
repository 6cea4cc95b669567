"""Locally adjusted prevalence for people on probation: the national figure moved by how the area's
whole population differs from its nation's on a matching local measure.

Method
------
For a need with a matching local measure of the whole population (drug misuse deaths for drug
problems, alcohol-specific admissions for alcohol problems, adult smoking for smoking, ...), with
``R = local / national`` that measure's ratio (``indicator_ratio``) and ``beta`` the strength of the
link, on the log-odds scale::

    logit(p_area) = logit(p_national) + beta x ln(R)

so the odds of the need among people on probation here are the national odds times ``R ** beta``.
``beta = 0`` is no link (today's synthetic estimate: every area gets the national share); ``beta = 1``
is full proportionality (for a small share, ``p_area ~ p x R``). Working on the odds scale keeps every
share strictly between 0% and 100% whatever ``R`` is, without clipping.

This is a synthetic estimate with a local adjustment. ``beta = 1`` with the log scale in place of the
logit is the ratio-synthetic estimator of small area estimation, ``beta = 0`` the plain synthetic
estimator, and ``0 < beta < 1`` weights the two geometrically, as a composite estimator weights a
synthetic and a local figure (Rao JNK, Molina I. Small Area Estimation, 2nd edn. Wiley, 2015,
sections 3.2-3.3). Scaling a national figure by a local indicator's ratio is how the multiplier and
multivariate indicator methods estimate problem drug use where it cannot be counted (Kraus L et al.
Estimating prevalence of problem drug use at national level in countries of the European Union and
Norway. Addiction 2003;98:471-85). Local modelled prevalence published for
England carries its model's uncertainty into its ranges in the same way, by simulation over the
model's inputs (Pryce R et al. Estimates of alcohol dependence in England based on APMS 2014.
University of Sheffield for Public Health England, 2017, section 2.4).

Uncertainty (the 95% range)
---------------------------
Three independent parts, all on the logit scale:

* the national figure: ``logit(p)`` normal, its standard deviation read side by side from its 95%
  interval (``(logit p - logit p_lower) / 1.96`` for the lower limit, ``(logit p_upper - logit p) /
  1.96`` for the upper), as ``model.synthetic`` reads intervals on the log scale; no interval, no
  part;
* the link: ``beta`` uniform on ``[beta_low, beta_high]`` (default ``[0, 1]``: from no link to full
  proportionality, unless evidence narrows it), so ``beta x ln R`` is uniform on
  ``[beta_low ln R, beta_high ln R]``;
* optionally the local measure's own error: ``ln R`` normal with standard error ``ratio_log_se``
  (``log_ratio_se``). It is multiplied by ``beta``, so the stronger the link, the more it counts:
  given ``beta`` the adjustment is normal with mean ``beta ln R`` and variance ``s^2 + beta^2 se^2``.
  (Adding its average variance ``(beta_mid^2 + (beta_high - beta_low)^2 / 12) se^2`` to a symmetric
  normal part instead would miss the skew this gives, and misplace the limits by up to 1.4 percentage
  points in the tests' Monte Carlo.)

``interval='convolution'`` (the default) gives the exact 2.5% and 97.5% points of the sum. A
uniform is not normal: a normal of the same variance puts its 95% limits ``1.96 / sqrt(12) = 0.57``
widths from the centre, beyond the uniform's own ends (0.5), so beyond full proportionality when
the link is the only uncertainty; the uniform's own are at 0.475. Without the local measure's
error the distribution function of the sum is closed form (uniform on ``[a, b]``, width ``w``, plus
normal with s.d. ``s``)::

    F(x) = s / w x [G((x - a) / s) - G((x - b) / s)],   G(t) = t Phi(t) + phi(t)

with it, the average over ``beta`` of normal distribution functions, taken by Gauss-Legendre
quadrature (``link_quantile``); the quantiles are found by bisection. ``interval='envelope'`` is the
conservative alternative, for sensitivity analysis: from the national lower limit with the link
that pulls furthest down to the upper limit with the link that pulls furthest up (the union of the
national interval shifted by ``beta_low ln R`` and by ``beta_high ln R``); it covers more than 95%.

The point estimate is the centre, ``beta_central = (beta_low + beta_high) / 2``: the median of the
link's distribution, and so of the whole when the national interval is symmetric on the logit scale.
Proportions are 0-1 inside the arithmetic; the table in and out is in percent (``*_pct``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError
from jsna_kit.messages import N_
from jsna_kit.model.synthetic import Z95

#: The strengths of link a reference table may state: 0 (no link) to 1.5 (more than proportional,
#: for a measure known to vary less between areas than the need it stands for).
BETA_LIMITS: tuple[float, float] = (0.0, 1.5)
#: The default range of the link: from no link to full proportionality.
DEFAULT_BETA: tuple[float, float] = (0.0, 1.0)
#: How a local measure becomes the ratio R (``indicator_ratio``).
RATIO_TRANSFORMS: tuple[str, ...] = ("ratio", "deprivation_share")
#: Added to both shares of a share-of-small-areas measure before dividing (percentage points). A share
#: can be 0 (no small area among the most deprived 10%), and ``ln 0`` has no value; adding the national
#: share itself (10 points for a "most deprived 10%" measure, by construction) gives an area with none
#: R = 0.5 and one with twice the national share R = 1.5, and keeps R within 0.5 to 5.5.
DEPRIVATION_SHARE_OFFSET_PCT = 10.0
INTERVALS: tuple[str, ...] = ("convolution", "envelope")
METHOD = "local_adjustment_logit"

LOCAL_ADJUSTMENT_METHOD = N_(
    "Where a local measure of the whole population matches a need, the national share of people on "
    "probation with that need is moved up or down by how this area differs from the national average "
    "on that measure: for example, an area with twice the national rate of drug misuse deaths is likely "
    "to have more people on probation with drug problems. How closely the two go together is not known, "
    "so the estimate takes the middle of the range from no link at all to the need rising in step with "
    "the local measure, and the range shown allows for that whole span as well as for how precise the "
    "national study was. The method assumes that people on probation differ from everyone else in the same way in "
    "every area; local services' own records are the check on it."
)

_COLUMNS = ("area_code", "estimate_id", "prevalence_pct", "ratio")
_OUTPUT = ("area_code", "estimate_id", "prevalence_pct", "prevalence_lower_pct", "prevalence_upper_pct",
           "ratio", "ratio_log_se", "beta_low", "beta_high", "beta_central", "adjusted_pct",
           "adjusted_lower_pct", "adjusted_upper_pct", "method", "interval_method")


def _logit(p):
    with np.errstate(divide="ignore"):
        return np.log(p) - np.log1p(-p)


def _expit(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))  # stable for large |x|


def _numbers(values, what: str) -> np.ndarray:
    raw = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)))
    numbers = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(numbers) | np.isinf(numbers)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise EstimateInputError(f"row {i}: {what} {raw.iloc[i]!r} is not a number")
    return numbers


def indicator_ratio(local, national, transform: str = "ratio", *,
                    offset_pct: float = DEPRIVATION_SHARE_OFFSET_PCT) -> np.ndarray:
    """The ratio R of an area's whole-population measure to its nation's, for ``adjusted_prevalence``.

    ``transform='ratio'`` (a rate, a share of people, a score): ``R = local / national``, both above
    0. ``transform='deprivation_share'`` (a share of small areas, in percent, among the nation's most
    deprived): ``R = (local + c) / (national + c)`` with ``c = offset_pct`` (``DEPRIVATION_SHARE_OFFSET_PCT``),
    since a share may be 0. Vectorised; e.g. ``indicator_ratio([11.6, 2.9], 5.8)`` is ``[2.0, 0.5]``.
    """
    if transform not in RATIO_TRANSFORMS:
        raise EstimateInputError(f"ratio transform {transform!r} is not one of {', '.join(RATIO_TRANSFORMS)}")
    shape = np.broadcast_shapes(np.shape(local), np.shape(national))
    here, nation = np.broadcast_arrays(_numbers(local, "local value"), _numbers(national, "national value"))
    if transform == "ratio":
        for values, what in ((here, "local value"), (nation, "national value")):
            if (values <= 0).any():
                i = int(np.flatnonzero(values <= 0)[0])
                raise EstimateInputError(
                    f"row {i}: {what} {values[i]:g} must be above 0 to form a ratio; for a share of small areas "
                    "that can be 0, use the 'deprivation_share' transform")
        return (here / nation).reshape(shape)
    for values, what in ((here, "local share"), (nation, "national share")):
        if ((values < 0) | (values > 100)).any():
            i = int(np.flatnonzero((values < 0) | (values > 100))[0])
            raise EstimateInputError(f"row {i}: {what} {values[i]:g}% is outside 0-100%")
    if not offset_pct > 0:
        raise EstimateInputError(f"offset {offset_pct!r} must be above 0 percentage points")
    return ((here + offset_pct) / (nation + offset_pct)).reshape(shape)


def log_ratio_se(local_lower, local_upper) -> np.ndarray:
    """Standard error of ``ln R`` from the local measure's 95% interval: ``(ln upper - ln lower) /
    (2 x 1.96)`` (the national figure's own error is negligible beside an area's). For a rate with no
    interval, ``model.deaths.approximate_rate_interval`` gives one from its implied count. E.g.
    ``log_ratio_se(8.0, 12.5)`` is 0.114."""
    shape = np.broadcast_shapes(np.shape(local_lower), np.shape(local_upper))
    lower, upper = np.broadcast_arrays(_numbers(local_lower, "lower limit"), _numbers(local_upper, "upper limit"))
    bad = (lower <= 0) | (upper < lower)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise EstimateInputError(f"row {i}: interval {lower[i]:g} to {upper[i]:g} must be above 0 and in order")
    return ((np.log(upper) - np.log(lower)) / (2 * Z95)).reshape(shape)


#: Panels of the quadrature over the link's range (0 = beta_low, 1 = beta_high), finer towards beta_low:
#: with no national interval and beta_low 0, the spread vanishes there and the integrand turns steep.
_PANEL_EDGES = (0.0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.05, 0.15, 0.3, 0.5, 0.75, 1.0)


def _link_nodes() -> tuple[np.ndarray, np.ndarray]:
    """Composite 16-point Gauss-Legendre nodes on [0, 1] over ``_PANEL_EDGES``, weights summing to 1."""
    t, w = np.polynomial.legendre.leggauss(16)
    edges = np.asarray(_PANEL_EDGES)
    lo, width = edges[:-1, None], np.diff(edges)[:, None]
    return (lo + width * (t + 1) / 2).ravel(), (width * w / 2).ravel()


def link_quantile(q: float, ln_ratio, beta_low, beta_high, sd, ratio_log_se=0.0) -> np.ndarray:
    """The ``q`` quantile of ``beta x (ln R + e) + n``, the adjustment on the logit scale, where ``beta``
    is uniform on ``[beta_low, beta_high]``, ``e`` normal with s.d. ``ratio_log_se`` (the local
    measure's error) and ``n`` normal with s.d. ``sd`` (the national figure's); arrays broadcast.

    Without ``ratio_log_se`` the distribution function is closed form (module docstring); with it,
    the normal's spread grows with ``beta`` (s.d. ``sqrt(sd^2 + beta^2 se^2)``), so the function is the
    average over ``beta`` of normal ones, taken by 64-point Gauss-Legendre quadrature. The quantile is
    found by bisection to 1e-12 of the spread. E.g. ``link_quantile(0.975, 1.0, 0, 1, 0)`` is 0.975 (a
    uniform on 0 to 1)."""
    from scipy.special import ndtr, ndtri

    shape = np.broadcast_shapes(*(np.shape(v) for v in (ln_ratio, beta_low, beta_high, sd, ratio_log_se)))
    ln_r, b_lo, b_hi, s, se = (np.atleast_1d(np.asarray(v, dtype=float)).ravel() for v in
                               np.broadcast_arrays(ln_ratio, beta_low, beta_high, sd, ratio_log_se))
    a, b = np.minimum(b_lo * ln_r, b_hi * ln_r), np.maximum(b_lo * ln_r, b_hi * ln_r)
    w = b - a
    mixed = se > 0
    flat = ~mixed & (s <= 1e-12 * np.maximum(w, 1.0))  # a uniform alone
    narrow = ~mixed & ~flat & (w <= 1e-7 * s)  # a normal alone (the closed form would cancel badly)
    safe_s, safe_w = np.where(s > 0, s, 1.0), np.where(w > 0, w, 1.0)
    nodes, weights = _link_nodes()
    # beta at each node, for the rows with a local error (rows x nodes)
    betas = b_lo[mixed][:, None] + (b_hi - b_lo)[mixed][:, None] * nodes
    spread = np.sqrt(s[mixed][:, None] ** 2 + (betas * se[mixed][:, None]) ** 2)
    means = betas * ln_r[mixed][:, None]

    def g(t):
        return t * ndtr(t) + np.exp(-0.5 * t * t) / np.sqrt(2 * np.pi)

    def cdf(x):
        value = safe_s / safe_w * (g((x - a) / safe_s) - g((x - b) / safe_s))
        if mixed.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                z = np.where(spread > 0, (x[mixed][:, None] - means) / spread,
                             np.sign(x[mixed][:, None] - means) * np.inf)
            value[mixed] = (ndtr(z) * weights).sum(axis=1)
        return value

    reach = 10 * np.sqrt(s ** 2 + np.maximum(b_lo ** 2, b_hi ** 2) * se ** 2)
    lo, hi = a - reach, b + reach
    for _ in range(80):  # halves an interval of w + 20 s.d. each time: 80 steps reach 1e-24 of it
        mid = 0.5 * (lo + hi)
        below = cdf(mid) < q
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return np.select([flat, narrow], [a + q * w, 0.5 * (a + b) + s * ndtri(q)], 0.5 * (lo + hi)).reshape(shape)


def _column(table: pd.DataFrame, name: str, default: float | None = None) -> pd.Series:
    if name not in table.columns:
        return pd.Series(np.nan if default is None else default, index=table.index, dtype=float)
    text = table[name].astype(object)
    values = pd.to_numeric(text, errors="coerce").astype(float)
    bad = values.isna() & text.notna() & (text.astype(str).str.strip() != "")
    _fail(table, bad, lambda i: f"{name} {text.iloc[i]!r} is not a number")
    return values if default is None else values.fillna(default)


def _fail(table: pd.DataFrame, mask: pd.Series, message) -> None:
    """Raise for the first row of ``mask``: its area and estimate, then ``message(row position)``."""
    if mask.any():
        i = int(np.flatnonzero(mask.to_numpy())[0])
        row = table.iloc[i]
        raise EstimateInputError(f"area {row['area_code']}, estimate {row['estimate_id']}: {message(i)}")


def _validated(table: pd.DataFrame) -> dict[str, pd.Series]:
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise EstimateInputError(f"the local adjustment table is missing columns: {', '.join(missing)}")
    v = {name: _column(table, name) for name in ("prevalence_pct", "prevalence_lower_pct",
                                                 "prevalence_upper_pct", "ratio")}
    v["ratio_log_se"] = _column(table, "ratio_log_se", 0.0)
    v["beta_low"] = _column(table, "beta_low", DEFAULT_BETA[0])
    v["beta_high"] = _column(table, "beta_high", DEFAULT_BETA[1])
    p, lo, hi, r = v["prevalence_pct"], v["prevalence_lower_pct"], v["prevalence_upper_pct"], v["ratio"]
    se, b_lo, b_hi = v["ratio_log_se"], v["beta_low"], v["beta_high"]
    checks = [
        (p.isna(), lambda i: "prevalence_pct is missing; leave gaps out of the local adjustment"),
        ((p <= 0) | (p >= 100), lambda i: f"prevalence {p.iloc[i]:g}% must be above 0% and below 100% to be "
         "adjusted on the odds scale (percent, 0-100)"),
        (lo.isna() != hi.isna(), lambda i: "give both prevalence_lower_pct and prevalence_upper_pct, or neither"),
        ((lo > p) | (hi < p) | (lo < 0) | (hi > 100), lambda i: f"the national interval {lo.iloc[i]:g}% to "
         f"{hi.iloc[i]:g}% must contain the prevalence {p.iloc[i]:g}% and lie within 0-100%"),
        (r.isna() | np.isinf(r), lambda i: "ratio is missing; an area without its local measure keeps the "
         "national figure, so leave it out of the local adjustment"),
        (r <= 0, lambda i: f"ratio {r.iloc[i]:g} must be above 0 (local / national); a share that can be 0 "
         "needs indicator_ratio's 'deprivation_share' transform"),
        ((se < 0) | np.isinf(se), lambda i: f"ratio_log_se {se.iloc[i]:g} must be a number of 0 or more"),
        ((b_lo < BETA_LIMITS[0]) | (b_hi > BETA_LIMITS[1]) | np.isinf(b_lo) | np.isinf(b_hi),
         lambda i: f"the link's strength {b_lo.iloc[i]:g} to {b_hi.iloc[i]:g} must lie within "
         f"{BETA_LIMITS[0]:g} to {BETA_LIMITS[1]:g}"),
        (b_lo > b_hi, lambda i: f"beta_low {b_lo.iloc[i]:g} is above beta_high {b_hi.iloc[i]:g}"),
    ]
    for mask, message in checks:
        _fail(table, mask, message)
    return v


def adjusted_prevalence(table: pd.DataFrame, *, interval: str = "convolution",
                        confidence: float = 0.95) -> pd.DataFrame:
    """The locally adjusted prevalence and its range, one row per row of ``table`` (area x estimate).

    ``table``: ``area_code, estimate_id, prevalence_pct`` (the national figure, percent) and ``ratio``
    (R, ``indicator_ratio``); optional ``prevalence_lower_pct, prevalence_upper_pct`` (its 95%
    interval; blank for none), ``ratio_log_se`` (``log_ratio_se``; blank or absent 0), ``beta_low,
    beta_high`` (absent ``DEFAULT_BETA``). Other columns (``link_id``, ``nation``, ...) are carried
    through. ``interval``: ``convolution`` or ``envelope`` (module docstring); ``confidence`` of the
    range (the national interval is read as 95% whatever this is).

    Returns ``table``'s columns with ``beta_central, adjusted_pct, adjusted_lower_pct,
    adjusted_upper_pct, method, interval_method`` added, the columns in ``_OUTPUT`` first. The range is
    an uncertainty range, not a confidence interval: the link's strength is an assumption.
    """
    if interval not in INTERVALS:
        raise EstimateInputError(f"interval {interval!r} is not one of {', '.join(INTERVALS)}")
    if not (isinstance(confidence, float) and 0.5 <= confidence < 1):
        raise EstimateInputError(f"confidence {confidence!r} must be a proportion, e.g. 0.95")
    v = _validated(table)
    p = v["prevalence_pct"].to_numpy() / 100
    p_lo = v["prevalence_lower_pct"].to_numpy() / 100
    p_hi = v["prevalence_upper_pct"].to_numpy() / 100
    ln_r, se = np.log(v["ratio"].to_numpy()), v["ratio_log_se"].to_numpy()
    b_lo, b_hi = v["beta_low"].to_numpy(), v["beta_high"].to_numpy()
    b_mid = (b_lo + b_hi) / 2

    centre = _logit(p)
    has_interval = ~np.isnan(p_lo)
    with np.errstate(invalid="ignore"):
        sd_lower = np.where(has_interval, (centre - _logit(p_lo)) / Z95, 0.0)  # inf where p_lower is 0
        sd_upper = np.where(has_interval, (_logit(p_hi) - centre) / Z95, 0.0)
    shift_a, shift_b = b_lo * ln_r, b_hi * ln_r
    tail = (1 - confidence) / 2
    finite_lo, finite_hi = np.isfinite(sd_lower), np.isfinite(sd_upper)
    sd_lower, sd_upper = np.where(finite_lo, sd_lower, 0.0), np.where(finite_hi, sd_upper, 0.0)
    if interval == "convolution":
        lower = centre + link_quantile(tail, ln_r, b_lo, b_hi, sd_lower, se)
        upper = centre + link_quantile(1 - tail, ln_r, b_lo, b_hi, sd_upper, se)
    else:  # the envelope: each side's national limit with the link that pulls furthest that way
        from scipy.special import ndtri

        z = float(ndtri(1 - tail))
        far_var = np.maximum(b_lo ** 2, b_hi ** 2) * se ** 2
        lower = centre + np.minimum(shift_a, shift_b) - z * np.sqrt(sd_lower ** 2 + far_var)
        upper = centre + np.maximum(shift_a, shift_b) + z * np.sqrt(sd_upper ** 2 + far_var)
    # A national limit of 0% (or 100%) has no logit: the adjusted limit is then 0% (100%) too.
    lower = np.where(finite_lo, _expit(lower), 0.0)
    upper = np.where(finite_hi, _expit(upper), 1.0)

    out = table.copy()
    for name in ("prevalence_pct", "prevalence_lower_pct", "prevalence_upper_pct", "ratio", "ratio_log_se",
                 "beta_low", "beta_high"):
        out[name] = v[name].to_numpy()
    out["beta_central"] = b_mid
    out["adjusted_pct"] = _expit(centre + b_mid * ln_r) * 100
    out["adjusted_lower_pct"] = lower * 100
    out["adjusted_upper_pct"] = upper * 100
    out["method"] = METHOD
    out["interval_method"] = interval
    return out[list(_OUTPUT) + [c for c in out.columns if c not in _OUTPUT]]


def adjusted_expected(adjusted: pd.DataFrame, caseload: pd.DataFrame) -> pd.DataFrame:
    """Expected number of people with each need: the adjusted prevalence applied to each area's total
    caseload, with the range combined with a modelled caseload's band exactly as ``model.synthetic``
    combines a national interval with it (it calls the same code: side by side on the log scale, delta
    method; a local caseload is taken as exact, giving ``[N x lower, N x upper]``).

    ``adjusted``: ``adjusted_prevalence``'s output; ``caseload``: ``area_code, caseload, caseload_lower,
    caseload_upper, caseload_kind`` (and ``sex``, ``age_band``: only the ``all``/``all`` total is used;
    a breakdown by sex or age is stratified by ``model.synthetic``, for the national figures). Returns
    ``adjusted`` with ``caseload, caseload_lower, caseload_upper, caseload_kind, expected,
    expected_lower, expected_upper, range_kind`` (always ``uncertainty_range``: the link is an
    assumption) added; areas without a caseload row are an error.
    """
    from jsna_kit.model.synthetic import _crude, _validated_caseload

    cl = _validated_caseload(caseload)
    totals = cl.loc[cl["partition"] == "total",
                    ["area_code", "caseload", "caseload_lower", "caseload_upper", "caseload_kind"]]
    unknown = ~adjusted["area_code"].isin(totals["area_code"])
    if unknown.any():
        raise EstimateInputError(f"area {adjusted['area_code'][unknown].iloc[0]} has no total caseload row")
    drop = [c for c in ("caseload", "caseload_lower", "caseload_upper", "caseload_kind") if c in adjusted.columns]
    merged = adjusted.drop(columns=drop).merge(totals, on="area_code", how="left")
    figures = pd.DataFrame({"caseload": merged["caseload"], "caseload_lower": merged["caseload_lower"],
                            "caseload_upper": merged["caseload_upper"], "caseload_kind": merged["caseload_kind"],
                            "p": merged["adjusted_pct"] / 100, "p_lower": merged["adjusted_lower_pct"] / 100,
                            "p_upper": merged["adjusted_upper_pct"] / 100, "interval_method": "published"})
    combined = _crude(figures)
    for name in ("expected", "expected_lower", "expected_upper"):
        merged[name] = combined[name].to_numpy()
    merged["range_kind"] = "uncertainty_range"
    return merged

"""Statistical disclosure control for published local counts.

Rules (the usual NHS England / ONS practice for small counts of people):

* Primary suppression (``suppress_small_counts``): counts from 1 to ``threshold - 1`` (1-4 by
  default) are not shown. Zero is shown by default - the common NHS/ONS convention, since a
  published 0 of a condition rarely identifies anyone - but ``suppress_zero=True`` hides zeros
  too, for tables where "nobody in this group" would itself disclose something.
* Secondary suppression (``secondary_suppression``): where a hidden cell could be worked out from
  a total and the other cells of its line (male + female = all; age bands sum to all), the next
  smallest cell of that line is hidden as well, repeating until no line has exactly one hidden
  cell. This is the standard "at least two hidden cells in every line" rule; it is not a full
  linear-programming audit of every possible combination of equations.
* Suppressed cells become NaN - never 0 - and are flagged in ``<col>_suppressed`` (bool) and
  ``<col>_suppression`` (``""``, ``"primary"`` or ``"secondary"``), so a table can footnote them.
* Rounding (``round_to_base``): to the nearest multiple of 5 by default, halves away from zero.
  An interval published beside a rounded figure is rounded outwards (``round_interval``): lower
  limit down, upper limit up, so the published range always contains both the true range and the
  published figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError


def _flags(col: str) -> tuple[str, str]:
    return f"{col}_suppressed", f"{col}_suppression"


def suppress_small_counts(
    df: pd.DataFrame,
    count_cols: str | Sequence[str],
    threshold: int = 5,
    *,
    suppress_zero: bool = False,
    dependent_cols: Sequence[str] = (),
) -> pd.DataFrame:
    """Hide counts from 1 to ``threshold - 1`` (and 0 if ``suppress_zero``).

    Returns a copy with each count column's hidden cells set to NaN and the flag columns
    ``<col>_suppressed`` / ``<col>_suppression`` added. ``dependent_cols`` (e.g. a percentage or
    its interval worked out from the count) are blanked wherever a count in that row is hidden.
    A count that was already blank stays blank and is not flagged (it was missing, not hidden).
    """
    cols = [count_cols] if isinstance(count_cols, str) else list(count_cols)
    if not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise EstimateInputError(f"threshold {threshold!r} must be a whole number of 1 or more")
    for col in [*cols, *dependent_cols]:
        if col not in df.columns:
            raise EstimateInputError(f"the table has no '{col}' column to suppress")
    out = df.copy()
    any_hidden = pd.Series(False, index=df.index)
    for col in cols:
        counts = _counts(df, col)
        small = ((counts > 0) | ((counts == 0) & suppress_zero)) & (counts < threshold)
        flag, reason = _flags(col)
        out[col] = counts.mask(small)
        out[flag] = small.to_numpy()
        out[reason] = np.where(small, "primary", "")
        any_hidden |= small
    for col in dependent_cols:
        out[col] = out[col].mask(any_hidden)
    return out


def _counts(df: pd.DataFrame, col: str) -> pd.Series:
    raw = df[col].astype(object)
    counts = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = (counts.isna() & raw.notna()) | (counts < 0)
    if bad.any():
        label = bad.idxmax()
        raise EstimateInputError(f"row {label}: {col} {raw[label]!r} is not a count (a number of 0 or more)")
    return counts


def secondary_suppression(
    df: pd.DataFrame,
    count_col: str,
    group_cols: Sequence[str],
    total_label: str = "all",
    *,
    by: Sequence[str] | None = None,
    threshold: int = 5,
    dependent_cols: Sequence[str] = (),
) -> pd.DataFrame:
    """Hide further cells so that no hidden count can be recovered from its totals.

    ``group_cols`` are the breakdown dimensions (e.g. ``["sex", "age_band"]``) whose
    ``total_label`` rows are the totals of the other rows in the same line. ``by`` are the columns
    that identify one table (e.g. area_code and measure); by default every non-numeric column
    other than ``group_cols`` and the flag columns. If ``df`` has not been through
    ``suppress_small_counts`` (no ``<count_col>_suppressed`` column), primary suppression with
    ``threshold`` is applied first.

    A line is a set of rows that differ only in one dimension and include its total. While any
    line has exactly one hidden cell, one more cell of that line is hidden, chosen in this order:
    not the total; a cell whose hiding also protects a line in another dimension; not a zero; the
    smallest count. One line per table is fixed at a time, so a choice made in one dimension can
    inform the next (a cell hidden for the sex lines can complete an age-band line).
    """
    flag, reason = _flags(count_col)
    dims = list(group_cols)
    for col in [count_col, *dims]:
        if col not in df.columns:
            raise EstimateInputError(f"the table has no '{col}' column")
    out = df if flag in df.columns else suppress_small_counts(df, count_col, threshold)
    out = out.reset_index(drop=True).copy()
    if by is None:
        skip = {count_col, flag, reason, *dims, *dependent_cols}
        by = [c for c in out.columns if c not in skip and not pd.api.types.is_numeric_dtype(out[c])
              and not pd.api.types.is_bool_dtype(out[c]) and not c.endswith(("_suppressed", "_suppression"))]
    by = list(by)
    table = _group_ids(out, by)
    lines = {d: _group_ids(out, by + [c for c in dims if c != d]) for d in dims}
    is_total = {d: out[d].astype(str) == total_label for d in dims}
    has_total = {d: is_total[d].groupby(lines[d]).transform("any") for d in dims}
    size = {d: lines[d].map(lines[d].value_counts()) for d in dims}
    values = out[count_col]
    suppressed = out[flag].astype(bool)

    while True:
        hidden = suppressed | values.isna()
        n_hidden = {d: hidden.groupby(lines[d]).transform("sum") for d in dims}
        n_suppressed = {d: suppressed.groupby(lines[d]).transform("sum") for d in dims}
        # Exactly one hidden cell, and it was hidden on purpose (a merely missing cell needs no cover).
        exposed = {d: has_total[d] & (size[d] >= 2) & (n_hidden[d] == 1) & (n_suppressed[d] == 1)
                   for d in dims}
        d = next((d for d in dims if exposed[d].any()), None)
        if d is None:
            break
        first_line = lines[d][exposed[d]].groupby(table[exposed[d]]).min()
        candidates = exposed[d] & (lines[d] == table.map(first_line)) & ~hidden
        helps = sum(((has_total[e] & (n_hidden[e] == 1)).astype(int) for e in dims if e != d),
                    start=pd.Series(0, index=out.index))
        ranking = pd.DataFrame({
            "table": table, "is_total": is_total[d], "helps_other_line": -helps, "is_zero": values == 0,
            "value": values, "position": np.arange(len(out)),
        })[candidates]
        chosen = ranking.sort_values(list(ranking.columns)).drop_duplicates("table").index
        if chosen.empty:  # cannot happen: an exposed line always has a visible cell
            break
        suppressed.loc[chosen] = True
        out.loc[chosen, reason] = "secondary"

    out[flag] = suppressed.to_numpy()
    out[count_col] = values.mask(suppressed)
    for col in dependent_cols:
        out[col] = out[col].mask(suppressed)
    return out


def _group_ids(df: pd.DataFrame, keys: list[str]) -> pd.Series:
    if not keys:
        return pd.Series(0, index=df.index)
    return df.groupby(keys, dropna=False, sort=False).ngroup()


def round_to_base(values, base: float = 5):
    """Round to the nearest multiple of ``base`` (halves away from zero); NaN stays NaN.

    A Series comes back as a Series with the same index, anything else as a numpy array (or a
    float for a scalar).
    """
    if not base > 0:
        raise EstimateInputError(f"rounding base {base!r} must be above 0")
    x = np.asarray(values, dtype=float)
    # A tiny nudge so that 12.5 computed as 12.4999999999 still rounds up.
    rounded = np.sign(x) * np.floor(np.abs(x) / base + 0.5 + 1e-9) * base
    if isinstance(values, pd.Series):
        return pd.Series(rounded, index=values.index, name=values.name)
    return float(rounded) if np.ndim(values) == 0 else rounded


def round_interval(value, lower, upper, base: float = 5) -> tuple:
    """Round a figure to the nearest ``base`` and its interval outwards (lower down, upper up).

    Returns ``(value, lower, upper)`` rounded. Rounding outwards keeps the published interval
    containing both the unrounded interval and the rounded figure; rounding each limit to the
    nearest can shrink it, e.g. 781 (777.6 to 782.4) would become 780 (780 to 780).
    """
    if not base > 0:
        raise EstimateInputError(f"rounding base {base!r} must be above 0")
    lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    with np.errstate(invalid="ignore"):
        if np.any(lo > hi):
            raise EstimateInputError("an interval's lower limit is above its upper limit")
    # The 1e-9 stops floating-point noise (624.99999999) from pushing a limit a whole base outwards.
    rounded_lo = np.floor(lo / base + 1e-9) * base
    rounded_hi = np.ceil(hi / base - 1e-9) * base
    if isinstance(lower, pd.Series):
        rounded_lo = pd.Series(rounded_lo, index=lower.index, name=lower.name)
        rounded_hi = pd.Series(rounded_hi, index=upper.index, name=upper.name)
    elif np.ndim(lower) == 0:
        rounded_lo, rounded_hi = float(rounded_lo), float(rounded_hi)
    return round_to_base(value, base), rounded_lo, rounded_hi


# ---------------------------------------------------------------------------------------------
# What a chapter publishes. Every count a reader sees passes one of these: the area's description
# (chapter.json), the locally identified needs (observed.csv, ``model.observed.protect_observed``,
# which uses ``round_to_base``), and the estimates (``model.estimates.for_publication``, which
# rounds by ``round_interval``).

THRESHOLD = 5
BASE = 5


def publish_count(value, *, threshold: int = THRESHOLD, base: int = BASE) -> float | None:
    """A count of people as published: None when missing or from 1 to ``threshold - 1``,
    otherwise rounded to the nearest ``base`` (0 stays 0)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    value = float(value)
    if 0 < value < threshold:
        return None
    return float(round_to_base(value, base))


def _small(value, threshold: int) -> bool:
    return value is not None and not np.isnan(value) and 0 < value < threshold


def protect_area(area: dict, *, threshold: int = THRESHOLD, base: int = BASE) -> dict:
    """The area's description as published: caseload rounded (a modelled band outwards), the
    court order and licence counts hidden when either, or what is left of the caseload beside it,
    is from 1 to ``threshold - 1`` (people can be on both, but a total less a part still
    bounds a small group), the caseload breakdown's visible cells rounded."""
    out = dict(area)
    if out.get("caseload_kind") == "modelled":
        value, lower, upper = round_interval(out["caseload"], out["caseload_lower"], out["caseload_upper"], base)
        out.update(caseload=value, caseload_lower=lower, caseload_upper=upper)
    elif out.get("caseload") is not None:
        value = float(round_to_base(float(out["caseload"]), base))
        out.update(caseload=value, caseload_lower=value, caseload_upper=value)
    total = area.get("caseload")
    parts = {p: (None if area.get(p) is None else float(area[p])) for p in ("court_orders", "licence")}
    exposed = any(_small(v, threshold) or (v is not None and total is not None
                                           and _small(float(total) - v, threshold))
                  for v in parts.values())
    for part, value in parts.items():
        out[part] = None if exposed else publish_count(value, threshold=threshold, base=base)
    out["court_orders_licence_suppressed"] = bool(exposed)
    out["caseload_breakdown"] = [
        {**cell, "caseload": publish_count(cell.get("caseload"), threshold=threshold, base=base)}
        for cell in area.get("caseload_breakdown") or []]
    return out


#: Words in a service measure that say its value is not a count of people (a wait, a share, a rate).
NOT_A_COUNT = ("day", "week", "month", "%", "percent", "per cent", "rate", "median", "mean", "average", "per ",
               "ratio", "score", "£", "cost", "spend", "hours")


def protect_services(services: pd.DataFrame) -> pd.DataFrame:
    """The analyst's local services figures as published: a value that counts people (a measure
    whose words say nothing else: "Referrals from probation", "People in treatment") by the one rule
    for counts (``publish_count``: fewer than 5 not shown, the rest rounded to 5); a wait, share or
    rate (``NOT_A_COUNT``) as given. Adds ``is_count`` and ``shown`` (the value as published, blank
    where hidden) and drops the unrounded ``value``."""
    out = services.copy()
    measure = out["measure"].fillna("").astype(str).str.lower()
    out["is_count"] = ~measure.map(lambda m: any(word in m for word in NOT_A_COUNT))
    values = pd.to_numeric(out["value"], errors="coerce")
    hidden = out.get("value_suppressed", pd.Series(False, index=out.index)).fillna(False).astype(bool)
    out["shown"] = [None if h else (publish_count(v) if c else (None if pd.isna(v) else float(v)))
                    for v, c, h in zip(values, out["is_count"], hidden, strict=True)]
    return out.drop(columns=["value"])

"""Fingertips-style benchmarking: is a local value significantly different from a comparator?

The rule is the one Fingertips uses to compare a value that has a confidence interval with a
benchmark (England or region), at 95% and 99.8%: the local value is ``similar`` when the comparator
(England, region, or the national figure) lies inside the local interval, limits included;
``higher`` when the whole interval is above it; ``lower`` when it is below. With a polarity the
direction becomes a judgement: ``better`` / ``worse``. Without an interval or a comparator the
result is ``not_compared`` - no comparison is ever made from a point value alone.

Polarity is accepted in any of the forms Fingertips uses (``PolarityId`` in the API metadata,
polarity text in the metadata CSV, which can carry trailing spaces):

====  =========================  ================
 Id   Fingertips text            here
====  =========================  ================
  0   RAG - Low is good          ``low_is_good``
  1   RAG - High is good         ``high_is_good``
 99   BOB - Blue orange blue     ``no_judgement``
 -1   Not applicable             ``no_judgement``
====  =========================  ================

A blank polarity means no judgement (the direction of "good" is unknown); unrecognised text is an
error, so a typo cannot silently turn a RAG indicator into a neutral one.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from jsna_kit.errors import EstimateInputError

POLARITIES: tuple[str, ...] = ("low_is_good", "high_is_good", "no_judgement")

#: Interval columns for each level, named as PHStatsMethods names them.
CI_COLUMNS: dict[float, tuple[str, str]] = {
    0.95: ("lower_95_ci", "upper_95_ci"),
    0.998: ("lower_99_8_ci", "upper_99_8_ci"),
}

_POLARITY_IDS = {0: "low_is_good", 1: "high_is_good", 99: "no_judgement", -1: "no_judgement"}
_POLARITY_TEXT = {
    "low_is_good": "low_is_good", "low is good": "low_is_good", "rag - low is good": "low_is_good",
    "high_is_good": "high_is_good", "high is good": "high_is_good", "rag - high is good": "high_is_good",
    "no_judgement": "no_judgement", "no judgement": "no_judgement", "no judgment": "no_judgement",
    "bob - blue orange blue": "no_judgement", "not applicable": "no_judgement",
}
_JUDGEMENT = {
    "low_is_good": {"lower": "better", "higher": "worse"},
    "high_is_good": {"higher": "better", "lower": "worse"},
}


def label_suffix(level: float) -> str:
    """``95`` for 0.95, ``99_8`` for 0.998 - the suffix of the label column."""
    return f"{level * 100:g}".replace(".", "_")


def normalise_polarity(polarity) -> np.ndarray:
    """Each polarity as ``low_is_good`` / ``high_is_good`` / ``no_judgement``."""
    values = polarity.to_numpy() if isinstance(polarity, pd.Series) else np.atleast_1d(polarity)
    labels = list(polarity.index) if isinstance(polarity, pd.Series) else list(range(len(values)))
    out = []
    for label, value in zip(labels, values, strict=True):
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            out.append("no_judgement")
            continue
        text = re.sub(r"\s+", " ", str(value)).strip().lower()
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is not None and number.is_integer() and int(number) in _POLARITY_IDS:
            out.append(_POLARITY_IDS[int(number)])
        elif text in _POLARITY_TEXT:
            out.append(_POLARITY_TEXT[text])
        elif text == "":
            out.append("no_judgement")
        else:
            raise EstimateInputError(
                f"row {label}: polarity {value!r} is not recognised; use low_is_good, high_is_good or "
                "no_judgement (or Fingertips PolarityId 0, 1, 99, -1)")
    return np.array(out, dtype=object)


def _numbers(values, name: str, labels: list) -> np.ndarray:
    raw = pd.Series(values.to_numpy() if isinstance(values, pd.Series) else np.atleast_1d(values),
                    dtype=object)
    numbers = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = numbers.isna() & raw.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise EstimateInputError(f"{labels[i]}: {name} {raw.iloc[i]!r} is not a number")
    return numbers.to_numpy()


def significance(lower, upper, comparator, *, labels: list | None = None) -> np.ndarray:
    """``higher`` / ``similar`` / ``lower`` / ``not_compared`` for each interval vs its comparator."""
    n = len(np.atleast_1d(lower))
    labels = labels or [f"row {i}" for i in range(n)]
    lo = _numbers(lower, "lower limit", labels)
    hi = _numbers(upper, "upper limit", labels)
    ref = np.broadcast_to(_numbers(comparator, "comparator", labels), (n,))
    out_of_order = lo > hi
    if out_of_order.any():
        i = int(np.flatnonzero(out_of_order)[0])
        raise EstimateInputError(f"{labels[i]}: lower limit {lo[i]:g} is above the upper limit {hi[i]:g}")
    missing = np.isnan(lo) | np.isnan(hi) | np.isnan(ref)
    with np.errstate(invalid="ignore"):
        result = np.select([missing, lo > ref, hi < ref], ["not_compared", "higher", "lower"], "similar")
    return result.astype(object)


def benchmark_label(lower, upper, comparator, polarity, *, labels: list | None = None) -> np.ndarray:
    """Fingertips label: ``better``/``similar``/``worse`` for RAG polarities, ``higher``/``similar``/
    ``lower`` for no judgement, ``not_compared`` when the interval or comparator is missing."""
    direction = significance(lower, upper, comparator, labels=labels)
    polarity = np.broadcast_to(normalise_polarity(polarity), direction.shape)
    judged = [_JUDGEMENT.get(p, {}).get(d, d) for p, d in zip(polarity, direction, strict=True)]
    return np.array(judged, dtype=object)


def benchmark_against(
    df: pd.DataFrame,
    comparator_col: str,
    level: float = 0.95,
    *,
    lower_col: str | None = None,
    upper_col: str | None = None,
    polarity_col: str | None = "polarity",
    label_col: str | None = None,
) -> pd.DataFrame:
    """Benchmark every row of a tidy table against the value in ``comparator_col``.

    The interval columns default to PHStatsMethods' names for ``level`` (``lower_95_ci`` /
    ``upper_95_ci``, ``lower_99_8_ci`` / ``upper_99_8_ci``). ``polarity_col`` may hold any
    Fingertips polarity form; ``None`` (or a missing column) means no judgement. Returns a copy of
    ``df`` with ``label_col`` added (default ``benchmark_95`` / ``benchmark_99_8``).
    """
    if lower_col is None or upper_col is None:
        if level not in CI_COLUMNS:
            raise EstimateInputError(
                f"no default interval columns for level {level!r}; pass lower_col and upper_col")
        lower_col, upper_col = CI_COLUMNS[level]
    for col in (comparator_col, lower_col, upper_col):
        if col not in df.columns:
            raise EstimateInputError(f"the table has no '{col}' column to benchmark with")
    labels = [
        f"row {i}" + (f" (area {a})" if a is not None else "")
        for i, a in zip(df.index, df["area_code"] if "area_code" in df.columns else [None] * len(df),
                        strict=True)
    ]
    polarity = (df[polarity_col] if polarity_col and polarity_col in df.columns
                else pd.Series("no_judgement", index=df.index))
    out = df.copy()
    out[label_col or f"benchmark_{label_suffix(level)}"] = benchmark_label(
        df[lower_col], df[upper_col], df[comparator_col], polarity, labels=labels)
    return out

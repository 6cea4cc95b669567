"""Checks of a Fingertips export's figures, once read (``fingertips.tidy_fingertips_export``): no
figure an indicator jsna-kit reads can have (infinite, negative, an interval upside down), and no
indicator the catalogue does not know, which would otherwise be left out without a word."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna_kit.errors import Problem

_NUMERIC = ["value", "lower_95", "upper_95", "lower_998", "upper_998", "count", "denominator"]
#: The export's own headers, for messages.
_LABELS = {"value": "Value", "lower_95": "Lower CI 95.0 limit", "upper_95": "Upper CI 95.0 limit",
           "lower_998": "Lower CI 99.8 limit", "upper_998": "Upper CI 99.8 limit", "count": "Count",
           "denominator": "Denominator"}


def out_of_range(df: pd.DataFrame, file: str) -> list[Problem]:
    """Figures no indicator jsna-kit reads can have: infinite, below 0 (rates, percentages, scores),
    or an interval whose lower end is above its upper end."""
    problems = []
    for column in _NUMERIC:
        values = df[column]
        for row in values.index[values.notna() & ~np.isfinite(values.fillna(0))]:
            problems.append(Problem(file, int(row), _LABELS[column], float(values[row]), "Not a finite number",
                                    "Download the data again from Fingertips"))
        for row in values.index[values < 0]:
            problems.append(Problem(
                file, int(row), _LABELS[column], float(values[row]),
                "A negative figure: the indicators jsna-kit reads are rates, percentages, counts and scores, none "
                "below 0", "Check the row against Fingertips and download the data again"))
    for low, high in (("lower_95", "upper_95"), ("lower_998", "upper_998")):
        for row in df.index[df[low] > df[high]]:
            problems.append(Problem(
                file, int(row), _LABELS[low], float(df.at[row, low]),
                f"The interval's lower end is above its upper end ({df.at[row, low]:g} > {df.at[row, high]:g})",
                "Check the row against Fingertips and download the data again"))
    return problems


def unknown_indicators(data: pd.DataFrame, file: str, catalogue: pd.DataFrame) -> list[Problem]:
    """Rows of a tidy export whose indicator is not one of the catalogue's (``fingertips.load_catalogue``),
    once per indicator."""
    known = set(catalogue["indicator_id"].dropna().astype(int))
    unknown = data[data["indicator_id"].notna() & ~data["indicator_id"].isin(known)].drop_duplicates("indicator_id")
    return [Problem(file, int(r.row), "Indicator ID", int(r.indicator_id),
                    f"Indicator {int(r.indicator_id)} ({r.indicator_name}) is not one of jsna-kit's context "
                    "indicators, so it would not be used", "Download the indicators with `jsna-kit data fingertips`, "
                    "or add it to fingertips_indicators.csv in your own reference folder (--reference)")
            for r in unknown.itertuples()]

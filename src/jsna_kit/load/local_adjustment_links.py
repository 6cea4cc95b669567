"""The links between national estimates and local measures of the whole population
(``data/reference/local_adjustment_links.csv``), read and checked for ``model.local_adjustment``.

One row per link: which national estimate (``estimate_id``) is moved by which local measure
(``indicator_source``, ``indicator_id``) in which nation, how the ratio R is formed
(``ratio_transform``), the range of the link's strength (``beta_low`` to ``beta_high``) and why
(``beta_basis``), the precedent (``precedent_source``, a source key) and one plain-English clause for
the reader (``reader_reason``). ``maintainer_note`` is read but, as in every reference table, not
returned.

The file is found by ``config.reference_file``, so a researcher's own reference folder can replace
it. Every problem is collected and raised together as one ``InputFileError`` naming the file, the
spreadsheet row (header = row 1) and the column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import InputFileError, Problem
from .csv_tables import read_csv_table

LINKS_FILE = "local_adjustment_links.csv"
ESTIMATES_FILE = "national_estimates.csv"
FINGERTIPS_FILE = "fingertips_snapshot.csv"
WALES_FILE = "wales_indicators.csv"
SOURCE_FILES = ("sources.csv",)
COLUMNS = ("link_id", "estimate_id", "priority_area", "nation", "indicator_source", "indicator_id",
           "indicator_name", "ratio_transform", "beta_low", "beta_high", "beta_basis", "precedent_source",
           "reader_reason")
NATIONS = ("England", "Wales", "England and Wales")
#: Which nation's areas each source covers ('England and Wales' is kept for a measure published for both
#: on one scale; no source has one yet).
SOURCE_NATIONS = {"fingertips": ("England",), "wimd": ("Wales",), "wales": ("Wales",)}
#: WIMD 2025, overall: the share of an area's small areas among Wales's most deprived 10%
#: (``deprivation.csv``, index ``WIMD2025``, ``share_most_deprived_10pct``).
WIMD_INDICATORS = ("wimd2025_overall_10pct",)
#: Wales's own local measures are the ``indicator_key`` values of ``wales_indicators.csv`` (the domain
#: shares of WIMD 2025 among them); these are the keys expected when that table cannot be read.
WALES_INDICATORS = ("W-suicide", "W-drug-deaths", "W-smoking", "W-alcohol-admissions", "W-wimd-income-10pct",
                    "W-wimd-employment-10pct", "W-wimd-health-10pct")
#: Kept equal to ``model.local_adjustment.RATIO_TRANSFORMS`` and ``BETA_LIMITS`` (a test checks): the
#: load room does not import the model room.
RATIO_TRANSFORMS = ("ratio", "deprivation_share")
BETA_LIMITS = (0.0, 1.5)
FIX = "correct the cell (docs/local_adjustment.md describes each column)"


def _read(path: Path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    return read_csv_table(path, columns, what=f"the {what}",
                          fix="restore it from the repository, or add it to your reference folder (UTF-8 CSV)")


def _source_keys() -> set[str]:
    keys: set[str] = set()
    for name in SOURCE_FILES:
        path = config.reference_file(name)
        if path.is_file():
            keys |= set(_read(path, ("source_key",), "sources table")["source_key"])
    return keys


def _wales_keys() -> set[str]:
    path = config.reference_file(WALES_FILE)
    if not path.is_file():
        return set(WALES_INDICATORS)
    return set(_read(path, ("indicator_key",), "table of Welsh indicators")["indicator_key"])


def _is_share_of_small_areas(source: str, indicator: str) -> bool:
    return source == "wimd" or (source == "wales" and "-wimd-" in indicator)


def local_adjustment_links(*, path: Path | None = None) -> pd.DataFrame:
    """The links table, checked: one row per link, ``COLUMNS`` as text except ``beta_low`` and
    ``beta_high`` (floats). Raises one ``InputFileError`` listing every problem: an unknown or
    mismatched estimate, nation, source, indicator or transform, a link's strength outside
    ``BETA_LIMITS`` or in the wrong order, a blank reason or basis, an unknown source key, a repeated
    link id or a second link for the same estimate and nation."""
    path = Path(path) if path is not None else config.reference_file(LINKS_FILE)
    frame = _read(path, COLUMNS, "local adjustment links table")
    estimates = _read(config.reference_file(ESTIMATES_FILE), ("estimate_id", "priority_area"),
                      "national estimates table").set_index("estimate_id")["priority_area"]
    fingertips = set(_read(config.reference_file(FINGERTIPS_FILE), ("indicator_id",), "Fingertips snapshot")
                     ["indicator_id"])
    problems: list[Problem] = []

    def flag(mask, column: str, message: str, fix: str = FIX) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            problems.append(Problem(str(path), int(i) + 2, column, frame[column].iloc[i], message, fix))

    for column in ("link_id", "estimate_id", "indicator_id", "indicator_name", "beta_basis", "reader_reason",
                   "precedent_source"):
        flag(frame[column] == "", column, "is blank", "fill it in: every link needs it")
    flag((frame["link_id"] != "") & frame["link_id"].duplicated(keep="first"), "link_id",
         "repeats a link id already used", "give each link its own id")
    known = frame["estimate_id"].isin(estimates.index)
    flag((frame["estimate_id"] != "") & ~known, "estimate_id", "is not an estimate of national_estimates.csv",
         "use an estimate_id of data/reference/national_estimates.csv")
    flag(known & (frame["priority_area"] != frame["estimate_id"].map(estimates)), "priority_area",
         "is not the priority area of this estimate in national_estimates.csv", "copy it from that table")
    flag(~frame["nation"].isin(NATIONS), "nation", f"is not one of {', '.join(NATIONS)}")
    has_source = frame["indicator_source"].isin(list(SOURCE_NATIONS))
    flag(~has_source, "indicator_source", f"is not one of {', '.join(SOURCE_NATIONS)}")
    wrong_nation = [bool(s in SOURCE_NATIONS and n in NATIONS and n not in SOURCE_NATIONS[s])
                    for s, n in zip(frame["indicator_source"], frame["nation"], strict=True)]
    flag(wrong_nation, "nation", "is not covered by this indicator_source (fingertips: England; wimd and "
         "wales: Wales)", "give the nation the measure covers, or a measure of this nation")
    indicators = {"fingertips": fingertips, "wimd": set(WIMD_INDICATORS), "wales": _wales_keys()}
    unknown_indicator = [bool(s in indicators and i != "" and i not in indicators[s])
                         for s, i in zip(frame["indicator_source"], frame["indicator_id"], strict=True)]
    flag(unknown_indicator, "indicator_id", "is not an indicator of its source (fingertips: an indicator_id of "
         f"{FINGERTIPS_FILE}; wimd: {', '.join(WIMD_INDICATORS)}; wales: an indicator_key of {WALES_FILE})")
    transform = frame["ratio_transform"]
    flag(~transform.isin(RATIO_TRANSFORMS), "ratio_transform", f"is not one of {', '.join(RATIO_TRANSFORMS)}")
    is_share = pd.Series([_is_share_of_small_areas(s, i) for s, i in
                          zip(frame["indicator_source"], frame["indicator_id"], strict=True)], index=frame.index)
    flag(transform.isin(RATIO_TRANSFORMS) & has_source & (is_share != (transform == "deprivation_share")),
         "ratio_transform", "does not suit the measure: a share of small areas (WIMD) takes 'deprivation_share', "
         "a rate or a share of people 'ratio'")
    betas = {}
    for column in ("beta_low", "beta_high"):
        number = pd.to_numeric(frame[column], errors="coerce")
        flag(number.isna(), column, "is not a number", f"give a number from {BETA_LIMITS[0]:g} to {BETA_LIMITS[1]:g}")
        flag((number < BETA_LIMITS[0]) | (number > BETA_LIMITS[1]), column,
             f"is outside {BETA_LIMITS[0]:g} to {BETA_LIMITS[1]:g} (0: no link; 1: full proportionality)",
             f"give a number from {BETA_LIMITS[0]:g} to {BETA_LIMITS[1]:g}")
        betas[column] = number.astype(float)
    flag(betas["beta_low"] > betas["beta_high"], "beta_high", "is below beta_low",
         "swap them: beta_low is the weaker end of the range")
    sources = _source_keys()
    flag((frame["precedent_source"] != "") & ~frame["precedent_source"].isin(sources), "precedent_source",
         f"is not a source key of {' or '.join(SOURCE_FILES)}", "add the source, or use a key that exists")
    flag(known & frame["nation"].isin(NATIONS) & frame.duplicated(["estimate_id", "nation"], keep="first"),
         "estimate_id", "has a second link for the same nation; one local measure moves each estimate",
         "keep one of the two links")
    if problems:
        raise InputFileError(sorted(problems, key=lambda p: (p.row or 0, COLUMNS.index(p.column))))
    return frame[list(COLUMNS)].assign(**betas)

"""The embedded snapshot of official local figures in ``data/reference/`` (made from the publishers'
files by ``scripts/derive_reference_tables.py``; each file described in ``data/reference/README.md``):
adults by area, sex and age band (ONS mid-2023), deprivation (English IoD 2019 and 2025, Welsh IMD
2019, each on its own scale), the latest Fingertips values for English upper-tier areas, and
Wales's own published local figures for the 22 Welsh areas (``wales_indicators``).

They make every chapter local on a fresh machine. Each is checked as it is read: a malformed
table, or one out of step with the area list, is one ``InputFileError`` naming the file, row and
column of every problem.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import InputFileError, Problem
from .csv_tables import read_csv_table

POPULATION_SNAPSHOT = "population_adults_mid2023.csv"
DEPRIVATION_SNAPSHOT = "deprivation.csv"
FINGERTIPS_SNAPSHOT = "fingertips_snapshot.csv"
AREA_LAND = "area_land.csv"
POPULATION_VINTAGE = "ONS mid-2023 population estimates"
ADULT_AGE_BANDS = ("18-24", "25-34", "35-49", "50-64", "65+")
SEXES = ("female", "male")
DEPRIVATION_INDICES = {"IoD2019": "England", "IoD2025": "England", "WIMD2019": "Wales", "WIMD2025": "Wales"}
FINGERTIPS_SNAPSHOT_NOTE = "latest values, without intervals; refresh with the Fingertips download"
WALES_SNAPSHOT = "wales_indicators.csv"
ENGLAND = "E92000001"
WALES = "W92000004"
#: Wales's own local indicators (``wales_indicators.csv``): id -> (key, unit, the largest plausible
#: value). Their ids are in jsna-kit's reserved range 9000001-9000999, above every Fingertips
#: indicator id (six digits at most), so they share the context table's integer ``indicator_id``
#: with Fingertips' without a clash; the key is the name to use in code and prose.
WALES_INDICATORS = {
    9000001: ("W-suicide", "per_100000", 100.0),
    9000002: ("W-drug-deaths", "per_100000", 100.0),
    9000003: ("W-smoking", "percent", 100.0),
    9000004: ("W-alcohol-admissions", "per_100000", 5000.0),
    9000005: ("W-hazardous-drinking", "percent", 100.0),
    9000006: ("W-inactive", "percent", 100.0),
    9000007: ("W-obese", "percent", 100.0),
    9000008: ("W-wimd-income-10pct", "percent", 100.0),
    9000009: ("W-wimd-employment-10pct", "percent", 100.0),
    9000010: ("W-wimd-health-10pct", "percent", 100.0),
}
WALES_INDICATOR_ID = {key: indicator for indicator, (key, _, _) in WALES_INDICATORS.items()}
POLARITIES = ("low_is_good", "high_is_good", "no_judgement")
SNAPSHOT_PRIORITIES = ("mental_health", "substance_misuse", "suicide_prevention", "social_care",
                       "physical_health", "learning_disability_autism", "opd_pathway", "context")
MAX_PROBLEMS = 20
FIX = "make the table again with scripts/derive_reference_tables.py, or restore it from the repository"


def _read(name: str, columns: tuple[str, ...], path: Path | None = None) -> tuple[Path, pd.DataFrame]:
    path = Path(path) if path is not None else config.reference_file(name)
    return path, read_csv_table(path, columns, what="the embedded snapshot table", fix=FIX, encoding="utf-8",
                                strip=False)


class _Checks:
    """Problems found in one table, each with its spreadsheet row (header = row 1)."""

    def __init__(self, path: Path, frame: pd.DataFrame):
        self.path, self.frame, self.problems = path, frame, []

    def flag(self, mask, column: str, message: str, fix: str = FIX) -> None:
        for i in np.flatnonzero(np.asarray(mask))[:MAX_PROBLEMS]:
            value = self.frame[column].iloc[i] if column in self.frame.columns else None
            self.problems.append(Problem(str(self.path), int(i) + 2, column, value, message, fix))

    def one_of(self, column: str, allowed) -> None:
        self.flag(~self.frame[column].isin(list(allowed)), column, f"is not one of {', '.join(allowed)}")

    def numbers(self, column: str, *, blank_ok: bool = False, low: float = 0, high: float | None = None,
                whole: bool = False) -> pd.Series:
        text = self.frame[column].str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        blank = text == ""
        if not blank_ok:
            self.flag(blank, column, "is blank; a number is needed")
        bad = numbers.isna() & ~blank
        self.flag(bad, column, "is not a number")
        ok = numbers.notna()
        out = (numbers < low) | ((numbers > high) if high is not None else False)
        self.flag(ok & out, column, f"is outside {low:g} to {high:g}" if high is not None else f"is below {low:g}")
        if whole:
            self.flag(ok & (numbers % 1 != 0), column, "is not a whole number")
        return numbers.astype(float)

    def codes(self, column: str, known: set[str] | None, *, extra: tuple[str, ...] = ()) -> None:
        pattern = re.compile(r"^[EW]\d{8}$")
        self.flag(~self.frame[column].map(lambda c: bool(pattern.match(c))), column, "is not an ONS area code")
        if known is not None:
            unknown = ~self.frame[column].isin(set(known) | set(extra)) & self.frame[column].map(
                lambda c: bool(pattern.match(c)))
            self.flag(unknown, column, "is not an area of the area list (the snapshot is out of step with it)")

    def unique(self, keys: list[str]) -> None:
        self.flag(self.frame.duplicated(keys, keep="first").to_numpy(), keys[-1],
                  f"repeats a row already given for these {', '.join(keys)}")

    def covers(self, column: str, wanted, what: str) -> None:
        missing = sorted(set(wanted) - set(self.frame[column]))
        if missing:
            self.problems.append(Problem(str(self.path), None, column, ", ".join(missing[:5]),
                                         f"has no rows for {len(missing)} {what}", FIX))

    def raise_any(self) -> None:
        if self.problems:
            raise InputFileError(self.problems)


def _known(areas: pd.DataFrame | None) -> set[str] | None:
    return None if areas is None else set(areas["area_code"])


def adult_population_table(areas: pd.DataFrame | None = None, *, path: Path | None = None) -> pd.DataFrame:
    """Adults (18+) by area x sex x age band, ONS mid-2023: ``area_code, sex, age_band, population``.
    Every area of ``areas`` must have all ten cells."""
    path, frame = _read(POPULATION_SNAPSHOT, ("area_code", "sex", "age_band", "population"), path)
    checks = _Checks(path, frame)
    checks.codes("area_code", _known(areas))
    checks.one_of("sex", SEXES)
    checks.one_of("age_band", ADULT_AGE_BANDS)
    population = checks.numbers("population", whole=True)
    checks.unique(["area_code", "sex", "age_band"])
    if areas is not None:
        checks.covers("area_code", areas["area_code"], "areas of the area list")
    counts = frame.groupby("area_code")["age_band"].transform("size")
    checks.flag(counts != len(SEXES) * len(ADULT_AGE_BANDS), "age_band",
                f"belongs to an area without all {len(SEXES) * len(ADULT_AGE_BANDS)} sex and age band rows")
    checks.raise_any()
    return frame.assign(population=population)


def adults_by_area(table: pd.DataFrame) -> pd.DataFrame:
    """``area_code, adult_population`` (18+, both sexes) from ``adult_population_table``."""
    totals = table.groupby("area_code", sort=True)["population"].sum()
    return pd.DataFrame({"area_code": totals.index, "adult_population": totals.to_numpy(dtype=float)})


def area_land_table(areas: pd.DataFrame | None = None, *, path: Path | None = None) -> pd.DataFrame:
    """Each area's land area: ``area_code, area_name, land_sq_km`` (ONS December 2023 boundaries,
    clipped to the coastline). Every area of ``areas`` must have one, above 0."""
    path, frame = _read(AREA_LAND, ("area_code", "area_name", "land_sq_km"), path)
    checks = _Checks(path, frame)
    checks.codes("area_code", _known(areas))
    land = checks.numbers("land_sq_km")
    checks.flag(land.eq(0).to_numpy(), "land_sq_km", "is 0; every area has some land")
    checks.unique(["area_code"])
    if areas is not None:
        checks.covers("area_code", areas["area_code"], "areas of the area list")
    checks.raise_any()
    return frame.assign(land_sq_km=land)


def deprivation_table(areas: pd.DataFrame | None = None, *, path: Path | None = None) -> pd.DataFrame:
    """One row per area and deprivation index (``IoD2019``, ``IoD2025``: England; ``WIMD2019``, ``WIMD2025``: Wales),
    each on its own scale. Shares are percentages of the area's small areas among its own nation's
    most deprived 10% (20%); ranks count 1 as the most deprived of ``areas_ranked``."""
    columns = ("area_code", "index_name", "nation", "period", "average_score", "rank_of_average_score",
               "areas_ranked", "share_most_deprived_10pct", "share_most_deprived_20pct", "mean_small_area_rank",
               "small_areas", "note")
    path, frame = _read(DEPRIVATION_SNAPSHOT, columns, path)
    checks = _Checks(path, frame)
    checks.codes("area_code", _known(areas))
    checks.one_of("index_name", tuple(DEPRIVATION_INDICES))
    wrong_nation = frame["nation"] != frame["index_name"].map(DEPRIVATION_INDICES).fillna(frame["nation"])
    checks.flag(wrong_nation, "nation", "is not the nation of this index (IoD: England; WIMD: Wales)")
    other_nation = frame["area_code"].str[:1] != frame["nation"].map({"England": "E", "Wales": "W"}).fillna("?")
    checks.flag(other_nation, "area_code", "is an area of the other nation: each index covers its own nation only")
    numbers = {c: checks.numbers(c, blank_ok=True, high=100 if c.startswith("share") else None)
               for c in ("average_score", "share_most_deprived_10pct", "share_most_deprived_20pct",
                         "mean_small_area_rank")}
    for c in ("rank_of_average_score", "areas_ranked", "small_areas"):
        numbers[c] = checks.numbers(c, blank_ok=True, low=1, whole=True)
    above = numbers["rank_of_average_score"] > numbers["areas_ranked"]
    checks.flag(above.fillna(False), "rank_of_average_score", "is larger than areas_ranked")
    checks.unique(["area_code", "index_name"])
    if areas is not None:
        checks.covers("area_code", areas["area_code"], "areas of the area list (every area needs one index)")
    checks.raise_any()
    return frame.assign(**numbers)


def fingertips_snapshot(areas: pd.DataFrame | None = None, *, path: Path | None = None) -> pd.DataFrame:
    """The latest Fingertips value of each snapshot indicator for English upper-tier areas and
    England (no intervals): ``area_code, indicator_id, indicator_name, priority_area, polarity,
    unit, period, value``."""
    columns = ("area_code", "indicator_id", "indicator_name", "priority_area", "polarity", "unit", "period", "value")
    path, frame = _read(FINGERTIPS_SNAPSHOT, columns, path)
    checks = _Checks(path, frame)
    checks.codes("area_code", _known(areas), extra=(ENGLAND,))
    checks.flag(frame["area_code"].str.startswith("W"), "area_code",
                "is a Welsh area: Fingertips covers England only")
    indicator = checks.numbers("indicator_id", low=1, whole=True)
    checks.one_of("priority_area", SNAPSHOT_PRIORITIES)
    checks.one_of("polarity", POLARITIES)
    checks.flag(frame["indicator_name"].str.strip() == "", "indicator_name", "is blank")
    checks.flag(frame["period"].str.strip() == "", "period", "is blank")
    value = checks.numbers("value", blank_ok=True)
    checks.unique(["area_code", "indicator_id"])
    england = set(frame.loc[frame["area_code"] == ENGLAND, "indicator_id"])
    checks.flag(~frame["indicator_id"].isin(england), "indicator_id", "has no England value to compare with")
    checks.raise_any()
    return frame.assign(indicator_id=indicator.astype(int), value=value)


def wales_indicators(areas: pd.DataFrame | None = None, *, path: Path | None = None) -> pd.DataFrame:
    """Wales's own published local figures for the 22 Welsh areas and Wales (``WALES``), in the
    shape of ``fingertips_snapshot`` plus ``indicator_key``, ``source`` and ``note``: ONS suicide
    and drug-poisoning death rates, National Survey for Wales lifestyles, Public Health Wales
    alcohol admissions and WIMD 2025 domain shares (``WALES_INDICATORS``; no intervals). Every
    Welsh area of ``areas`` must have rows, every indicator a Wales value, and every value must lie
    between 0 and its indicator's largest plausible value."""
    columns = ("area_code", "indicator_id", "indicator_key", "indicator_name", "priority_area", "polarity", "unit",
               "period", "value", "source", "note")
    path, frame = _read(WALES_SNAPSHOT, columns, path)
    checks = _Checks(path, frame)
    checks.codes("area_code", _known(areas), extra=(WALES,))
    checks.flag(frame["area_code"].str.startswith("E"), "area_code",
                "is an English area: this table holds Wales's own figures (English areas use fingertips_snapshot.csv)")
    indicator = checks.numbers("indicator_id", low=1, whole=True)
    known = indicator.isin(list(WALES_INDICATORS))
    checks.flag(indicator.notna() & ~known, "indicator_id",
                f"is not one of jsna-kit's Welsh indicators ({min(WALES_INDICATORS)} to {max(WALES_INDICATORS)})")
    spec = indicator.map(lambda i: WALES_INDICATORS.get(int(i)) if i == i else None)
    key, unit, high = (spec.map(lambda s, k=k: s[k] if s else None) for k in range(3))
    checks.flag(known & (frame["indicator_key"] != key), "indicator_key", "is not the key of this indicator_id")
    checks.flag(known & (frame["unit"] != unit), "unit", "is not the unit of this indicator")
    checks.one_of("priority_area", SNAPSHOT_PRIORITIES)
    checks.one_of("polarity", POLARITIES)
    for column in ("indicator_name", "period", "source"):
        checks.flag(frame[column].str.strip() == "", column, "is blank")
    value = checks.numbers("value", blank_ok=True)
    above = (value > high.astype(float)).fillna(False)
    for limit in sorted(set(high[above])):
        checks.flag(above & high.eq(limit), "value", f"is above {limit:g}, the largest plausible value of this "
                    "indicator")
    checks.unique(["area_code", "indicator_id"])
    national = set(frame.loc[frame["area_code"] == WALES, "indicator_id"])
    checks.flag(~frame["indicator_id"].isin(national), "indicator_id", "has no Wales value to compare with")
    if areas is not None:
        checks.covers("area_code", areas.loc[areas["area_code"].str.startswith("W"), "area_code"],
                      "Welsh areas of the area list")
    checks.raise_any()
    return frame.assign(indicator_id=indicator.astype(int), value=value)

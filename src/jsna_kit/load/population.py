"""Adult (18+) population of each current upper-tier area, from the ONS mid-2019 estimates by
five-year age band (published by UKHSA with the coronavirus dashboard: areaCode, age, population).

The file uses 2019 geography, so areas created since (Buckinghamshire 2020, North and West
Northamptonshire 2021, Cumberland, Westmorland and Furness, North Yorkshire and Somerset 2023) are
rebuilt by adding up their former districts, listed in ``data/reference/area_predecessors.csv``.
Areas the file cannot give are returned with no figure and basis ``missing from source file`` --
reported, never dropped; ``missing_areas()`` lists them.

Approximation: the file has no single years of age, so ages 18 and 19 are taken as 2/5 of the
15-19 band, assuming people are spread evenly across those five years of age.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from jsna_kit import config
from jsna_kit.errors import InputFileError, MissingDataError, Problem

POPULATION_FILE = "population/mid2019_population_by_age.csv"
VINTAGE = "mid-2019"
AGE_BANDS = ("0_4", "5_9", "10_14", "15_19", "20_24", "25_29", "30_34", "35_39", "40_44", "45_49",
             "50_54", "55_59", "60_64", "65_69", "70_74", "75_79", "80_84", "85_89", "90+")
ADULT_BANDS = AGE_BANDS[AGE_BANDS.index("20_24"):]
SHARE_OF_15_19_AGED_18_19 = 2 / 5
MISSING = "missing from source file"

# The UKHSA file follows the coronavirus dashboard's geography, which counts the City of London with
# Hackney and the Isles of Scilly with Cornwall: there are no rows for the two small areas, and the
# London boroughs present add up exactly to the London region row. Their people are therefore inside
# the partner's figure; we say so rather than guess a split.
COUNTED_WITH = {"E09000001": "E09000012", "E06000053": "E06000052"}


def read_population_file(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The raw file as a wide table: one row per area code, one column per age band (persons)."""
    path = config.data_dir(data_dir) / POPULATION_FILE
    if not path.is_file():
        raise MissingDataError(
            f"{POPULATION_FILE} is not in the data directory {path.parents[1]}: the modelled caseload is "
            "unavailable (give --caseload), or run `jsna-kit data fetch --only population`.")
    try:
        raw = pd.read_csv(path, dtype={"areaCode": str, "age": str})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError.single(path, f"cannot be read as CSV ({exc})",
                                    fix="replace it with a fresh copy (jsna-kit data fetch --force)") from exc
    missing = [c for c in ("areaCode", "age", "population") if c not in raw.columns]
    if missing:
        raise InputFileError.single(path, f"is missing the column(s) {', '.join(missing)}",
                                    fix="expected the UKHSA layout: areaCode, age, population")
    numbers = pd.to_numeric(raw["population"], errors="coerce")
    bad_numbers = raw.index[numbers.isna() | (numbers < 0)][:10]
    problems = [Problem(str(path), i + 2, "population", raw.at[i, "population"],
                        "is not a count of 0 or more") for i in bad_numbers]
    problems += [Problem(str(path), i + 2, "age", raw.at[i, "age"], f"is not one of {', '.join(AGE_BANDS)}")
                 for i in raw.index[~raw["age"].isin(AGE_BANDS)][:10]]
    problems += [Problem(str(path), i + 2, "areaCode", raw.at[i, "areaCode"], "has this age band twice")
                 for i in raw.index[raw.duplicated(["areaCode", "age"])][:10]]
    if problems:
        raise InputFileError(problems)
    wide = raw.assign(population=numbers).pivot(index="areaCode", columns="age", values="population")
    wide = wide.reindex(columns=list(AGE_BANDS))
    incomplete = wide.index[wide.isna().any(axis=1)]
    if len(incomplete):
        raise InputFileError.single(path, f"has not got all 19 age bands for {', '.join(incomplete[:5])}",
                                    column="age", fix="use the complete file (jsna-kit data fetch --force)")
    return wide[list(AGE_BANDS)]


def area_predecessors(reference_dir: Path | None = None) -> pd.DataFrame:
    """Authored table of the areas each newer area was formed from (data/reference/area_predecessors.csv)."""
    path = Path(reference_dir) / "area_predecessors.csv" if reference_dir else config.reference_file(
        "area_predecessors.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    needed = ("area_code", "predecessor_code", "predecessor_name", "basis")
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise InputFileError.single(path, f"is missing the column(s) {', '.join(missing)}")
    return df


def _leaves(code: str, present: set[str], predecessors: pd.DataFrame,
            depth: int = 0) -> list[tuple[str, str]] | None:
    """(code, name) of rows in the file that add up to ``code``; None if the file cannot give it."""
    parts = predecessors[predecessors["area_code"] == code]
    if parts.empty or depth > 3:
        return None
    leaves = []
    for part in parts.itertuples():
        if part.predecessor_code in present:
            leaves.append((part.predecessor_code, part.predecessor_name))
            continue
        deeper = _leaves(part.predecessor_code, present, predecessors, depth + 1)
        if deeper is None:
            return None
        leaves.extend(deeper)
    return leaves


def adult_population(data_dir: str | Path | None = None, areas: pd.DataFrame | None = None, *,
                     reference_dir: Path | None = None) -> pd.DataFrame:
    """Adult (18+) and all-age population of every area in ``areas`` (default ``load_areas()``).

    Columns: ``area_code, area_name, adult_population, population_all_ages, basis, note, vintage``.
    ``adult_population = 2/5 x (15-19 band) + (20-24 band) + ... + (90+ band)`` -- an approximation
    (even spread over ages 15 to 19); it is not rounded. ``basis`` is ``direct``,
    ``rebuilt from former districts: A (code) + B (code) ...`` or ``missing from source file``
    (figures NaN). ``note`` flags rows whose figure includes a neighbour the file does not separate.
    """
    if areas is None:
        from jsna_kit.load.areas import load_areas
        areas = load_areas(data_dir)
    wide = read_population_file(data_dir)
    predecessors = area_predecessors(reference_dir)
    adult = SHARE_OF_15_19_AGED_18_19 * wide["15_19"] + wide[list(ADULT_BANDS)].sum(axis=1)
    everyone = wide.sum(axis=1)
    present = set(wide.index)
    names = areas.set_index("area_code")["area_name"].to_dict() if "area_name" in areas else {}
    includes = {partner: small for small, partner in COUNTED_WITH.items()}

    rows = []
    for code in areas["area_code"]:
        note = ""
        small = includes.get(code)
        if small and small not in present:
            note = f"includes {names.get(small, small)} ({small}), which the source file counts with it"
        if code in present:
            rows.append((code, adult[code], everyone[code], "direct", note))
            continue
        leaves = _leaves(code, present, predecessors)
        if leaves is None:
            if code in COUNTED_WITH:
                partner = COUNTED_WITH[code]
                note = f"counted with {names.get(partner, partner)} ({partner}) in the source file"
            rows.append((code, np.nan, np.nan, MISSING, note))
            continue
        codes = [c for c, _ in leaves]
        kind = "districts" if all(c.startswith("E07") for c in codes) else "areas"
        basis = f"rebuilt from former {kind}: " + " + ".join(f"{n} ({c})" for c, n in leaves)
        rows.append((code, adult[codes].sum(), everyone[codes].sum(), basis, note))

    out = pd.DataFrame(rows, columns=["area_code", "adult_population", "population_all_ages", "basis",
                                      "note"])
    out.insert(1, "area_name", out["area_code"].map(names).fillna(""))
    out["vintage"] = VINTAGE
    out.attrs["missing_areas"] = out.loc[out["basis"] == MISSING, "area_code"].tolist()
    return out


def missing_areas(population: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``adult_population()`` the source file could not give (area_code, area_name, note)."""
    rows = population.loc[population["basis"] == MISSING, ["area_code", "area_name", "note"]]
    return rows.reset_index(drop=True)

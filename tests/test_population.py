"""Adult population: the 18+ approximation, rebuilding the 2020-2023 unitaries from their former
districts, and reporting (never dropping) areas the mid-2019 file does not have.

Expected figures are worked out here from the raw file rows with the csv module, independently of
the loader's pandas code; no population figure is written into the repository.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jsna_kit.errors import InputFileError, MissingDataError
from jsna_kit.load.areas import load_areas
from jsna_kit.load.population import (
    AGE_BANDS,
    MISSING,
    adult_population,
    missing_areas,
    read_population_file,
)

FILE = Path("population") / "mid2019_population_by_age.csv"


def raw_rows(data_dir: Path) -> dict[str, dict[str, int]]:
    """{area code: {age band: persons}} straight from the CSV."""
    rows: dict[str, dict[str, int]] = {}
    with (data_dir / FILE).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.setdefault(row["areaCode"], {})[row["age"]] = int(row["population"])
    return rows


def adults_by_hand(bands: dict[str, int]) -> float:
    """Ages 18-19 as 2/5 of the 15-19 band, plus every band from 20-24 up."""
    twenty_plus = ["20_24", "25_29", "30_34", "35_39", "40_44", "45_49", "50_54", "55_59", "60_64",
                   "65_69", "70_74", "75_79", "80_84", "85_89", "90+"]
    return bands["15_19"] * 2 / 5 + sum(bands[b] for b in twenty_plus)


@pytest.fixture(scope="module")
def raw(shared_data_dir: Path) -> dict[str, dict[str, int]]:
    return raw_rows(shared_data_dir)


@pytest.fixture(scope="module")
def population(shared_data_dir: Path) -> pd.DataFrame:
    return adult_population(shared_data_dir).set_index("area_code")


# --- the real mid-2019 file ------------------------------------------------------------------------

def test_cumberland_is_allerdale_plus_carlisle_plus_copeland(raw, population):
    allerdale, carlisle, copeland = raw["E07000026"], raw["E07000028"], raw["E07000029"]
    assert "E06000063" not in raw  # the 2019 file predates Cumberland
    twenty_plus = [b for b in allerdale if b not in ("0_4", "5_9", "10_14", "15_19")]
    assert len(twenty_plus) == 15
    adults_20_plus = (sum(allerdale[b] for b in twenty_plus) + sum(carlisle[b] for b in twenty_plus)
                      + sum(copeland[b] for b in twenty_plus))
    aged_15_19 = allerdale["15_19"] + carlisle["15_19"] + copeland["15_19"]
    expected = adults_20_plus + 0.4 * aged_15_19
    row = population.loc["E06000063"]
    assert row["adult_population"] == pytest.approx(expected, abs=1e-6)
    assert row["population_all_ages"] == sum(sum(d.values()) for d in (allerdale, carlisle, copeland))
    assert row["basis"] == ("rebuilt from former districts: Allerdale (E07000026) + Carlisle (E07000028) "
                            "+ Copeland (E07000029)")
    assert row["vintage"] == "mid-2019"


def test_north_yorkshire_somerset_and_buckinghamshire_match_their_old_county_rows(raw, population):
    # The file also has the old county rows; each new unitary covers exactly its county, so the
    # districts the loader adds up must give the county's own figure.
    for new, county in {"E06000065": "E10000023", "E06000066": "E10000027", "E06000060": "E10000002"}.items():
        assert population.at[new, "adult_population"] == pytest.approx(adults_by_hand(raw[county]), abs=1e-6)
        assert population.at[new, "population_all_ages"] == sum(raw[county].values())
        assert population.at[new, "basis"].startswith("rebuilt from former districts: ")


def test_north_and_west_northamptonshire_add_up_to_the_old_county(raw, population):
    both = population.loc[["E06000061", "E06000062"], "adult_population"].sum()
    assert both == pytest.approx(adults_by_hand(raw["E10000021"]), abs=1e-6)
    assert population.at["E06000062", "basis"].count("(E07") == 3
    assert population.at["E06000061", "basis"].count("(E07") == 4


def test_westmorland_and_furness_by_hand(raw, population):
    districts = [raw[c] for c in ("E07000027", "E07000030", "E07000031")]
    expected = sum(adults_by_hand(d) for d in districts)
    assert population.at["E06000064", "adult_population"] == pytest.approx(expected, abs=1e-6)


def test_areas_in_the_file_are_read_directly(raw, population):
    sheffield = raw["E08000019"]
    assert population.at["E08000019", "adult_population"] == pytest.approx(adults_by_hand(sheffield))
    assert population.at["E08000019", "basis"] == "direct"
    assert population.at["W06000015", "basis"] == "direct"


def test_city_of_london_and_isles_of_scilly_are_reported_not_dropped(population, shared_data_dir):
    assert len(population) == 175
    for code in ("E09000001", "E06000053"):
        assert population.at[code, "basis"] == MISSING
        assert np.isnan(population.at[code, "adult_population"])
    missing = missing_areas(population.reset_index())
    assert set(missing["area_code"]) == {"E09000001", "E06000053"}
    assert "Hackney (E09000012)" in missing.set_index("area_code").at["E09000001", "note"]
    assert "City of London (E09000001)" in population.at["E09000012", "note"]
    assert "Isles of Scilly (E06000053)" in population.at["E06000052", "note"]
    assert population.attrs["missing_areas"] == ["E06000053", "E09000001"]


def test_london_boroughs_in_the_file_add_up_to_london_so_the_city_is_inside_hackney(raw):
    boroughs = sum(sum(bands.values()) for code, bands in raw.items() if code.startswith("E09"))
    assert "E09000001" not in raw
    assert boroughs == sum(raw["E12000007"].values())


def test_all_ages_adds_up_to_england_plus_wales(raw, population):
    expected = sum(raw["E92000001"].values()) + sum(raw["W92000004"].values())
    assert population["population_all_ages"].sum() == expected  # no area counted twice, none lost


# --- synthetic files (run everywhere) ----------------------------------------------------------------

def write_population(data_dir: Path, counts: dict[str, int]) -> None:
    """Every age band of every area gets the same invented count."""
    path = data_dir / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["areaCode", "age", "population"])
        for code, n in counts.items():
            out.writerows([code, band, n] for band in AGE_BANDS)


def somerset_areas() -> pd.DataFrame:
    return pd.DataFrame({"area_code": ["E06000066", "E08000019", "E09000001"],
                         "area_name": ["Somerset", "Sheffield", "City of London"]})


def test_rebuild_follows_older_districts_when_the_file_is_older_still(tmp_path):
    # Before 2019 Somerset West and Taunton was Taunton Deane + West Somerset.
    write_population(tmp_path, {"E07000187": 10, "E07000188": 10, "E07000189": 10, "E07000190": 10,
                                "E07000191": 10, "E08000019": 100})
    result = adult_population(tmp_path, somerset_areas()).set_index("area_code")
    # Each district: 0.4 x 10 (15-19) + 15 bands x 10 (20+) = 154 adults, 190 people; five districts.
    assert result.at["E06000066", "adult_population"] == pytest.approx(5 * 154)
    assert result.at["E06000066", "population_all_ages"] == 5 * 190
    assert "Taunton Deane (E07000190) + West Somerset (E07000191)" in result.at["E06000066", "basis"]
    assert result.at["E08000019", "adult_population"] == pytest.approx(1540)
    assert result.at["E09000001", "basis"] == MISSING


def test_a_partly_missing_predecessor_set_is_missing_not_a_partial_sum(tmp_path):
    write_population(tmp_path, {"E07000187": 10, "E07000188": 10, "E08000019": 100})
    result = adult_population(tmp_path, somerset_areas()).set_index("area_code")
    assert result.at["E06000066", "basis"] == MISSING
    assert math.isnan(result.at["E06000066", "adult_population"])


def test_no_population_file_says_what_is_unavailable(tmp_path):
    with pytest.raises(MissingDataError) as info:
        adult_population(tmp_path, somerset_areas())
    message = str(info.value)
    assert "population/mid2019_population_by_age.csv" in message and "--caseload" in message
    assert "jsna-kit data fetch" in message


def test_bad_rows_are_reported_with_line_numbers(tmp_path):
    write_population(tmp_path, {"E08000019": 100})
    path = tmp_path / FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = "E08000019,10_14,-5"
    lines[5] = "E08000019,20-24,7"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_population_file(tmp_path)
    message = str(info.value)
    assert "row 4, column 'population'" in message and "row 6, column 'age'" in message


def test_an_area_with_a_band_missing_is_refused(tmp_path):
    write_population(tmp_path, {"E08000019": 100})
    path = tmp_path / FILE
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if ",90+," not in line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="all 19 age bands for E08000019"):
        read_population_file(tmp_path)


def test_default_areas_are_the_full_list(tmp_path):
    write_population(tmp_path, {"E08000019": 100})
    result = adult_population(tmp_path)
    assert len(result) == len(load_areas(tmp_path)) == 175
    assert (result["basis"] == MISSING).sum() == 174

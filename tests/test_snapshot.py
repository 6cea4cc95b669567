"""The embedded snapshot of official local figures (data/reference/): made by the script from
../shared/data, small, checked as it is read, and what the modelled caseload is built from."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from jsna_kit.errors import InputFileError
from jsna_kit.load.areas import load_areas
from jsna_kit.load.snapshot import (
    adult_population_table,
    adults_by_area,
    deprivation_table,
    fingertips_snapshot,
)

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
SNAPSHOT = ("population_adults_mid2023.csv", "deprivation.csv", "fingertips_snapshot.csv", "lower_tier_districts.csv")

# Adults (18+) summed by hand from the ONS mid-2023 workbook's "MYE2 - Persons" sheet (single years
# 18 to 89 and 90+), a different sheet from the Males and Females ones the script adds up.
ADULTS_BY_HAND = {"E06000052": 472_638, "E08000019": 458_967, "W06000015": 307_789}
ENGLAND_AND_WALES_ADULTS = 48_236_113
NATIONAL_CASELOAD = 244_209  # 30 June 2025, caseload_national.csv


def _script():
    path = Path(__file__).resolve().parents[1] / "scripts" / "derive_reference_tables.py"
    spec = importlib.util.spec_from_file_location("derive_reference_tables", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def areas():
    return load_areas(None)


def test_the_script_reproduces_the_committed_tables(shared_data_dir):
    for name, text in _script().derive(shared_data_dir).items():
        assert (REFERENCE / name).read_text(encoding="utf-8") == text, f"{name} differs: run the script again"


def test_snapshot_is_small():
    """The tables derived from official files (every table the two derive scripts write) stay under
    1 MB in all: the project's own reference data (the evidence, its Welsh, the READMEs) are not
    copies of official data and are not counted."""
    path = Path(__file__).resolve().parents[1] / "scripts" / "derive_local_system.py"
    spec = importlib.util.spec_from_file_location("derive_local_system", path)
    system = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(system)
    derived = {*_script().TABLES, *system.TABLES}
    assert {"local_system.csv", "fingertips_snapshot.csv", "welsh_area_names.csv"} <= derived
    total = sum((REFERENCE / name).stat().st_size for name in derived)
    assert total < 1_000_000, f"the derived tables in data/reference/ hold {total:,} bytes; they must stay under 1 MB"


def test_adults_for_all_175_areas_add_up_to_england_and_wales(areas):
    adults = adults_by_area(adult_population_table(areas)).set_index("area_code")["adult_population"]
    assert len(adults) == 175 and set(adults.index) == set(areas["area_code"])
    assert adults.sum() == ENGLAND_AND_WALES_ADULTS
    for code, hand in ADULTS_BY_HAND.items():
        assert adults[code] == hand


def test_modelled_caseload_of_three_areas_by_hand(areas):
    from jsna_kit.batch.inputs import area_caseloads
    from jsna_kit.load.areas import code_changes
    from jsna_kit.load.reference import load_reference

    found = area_caseloads(list(ADULTS_BY_HAND), areas=areas, changes=code_changes(), data_dir=None,
                           national=load_reference().caseload)
    caseload = found.table.set_index("area_code")["caseload_alt_population"]  # adults alone: one of the models
    for code, hand in ADULTS_BY_HAND.items():
        assert caseload[code] == pytest.approx(NATIONAL_CASELOAD * hand / ENGLAND_AND_WALES_ADULTS)
    assert "mid-2023" in found.info["E06000052"]["caseload_basis"]
    assert found.info["E06000052"]["caseload_pool"] == "national"


def test_each_deprivation_index_covers_its_own_nation_only(areas):
    table = deprivation_table(areas)
    assert set(table.loc[table["index_name"] == "WIMD2019", "area_code"].str[0]) == {"W"}
    assert set(table.loc[table["index_name"].str.startswith("IoD"), "area_code"].str[0]) == {"E"}
    assert set(table["area_code"]) == set(areas["area_code"])  # every area has its nation's index
    blackpool = table[(table["area_code"] == "E06000009") & (table["index_name"] == "IoD2019")].iloc[0]
    assert blackpool["rank_of_average_score"] == 1 and blackpool["areas_ranked"] == 151


def test_fingertips_snapshot_has_england_and_no_wales(areas):
    table = fingertips_snapshot(areas)
    assert not table["area_code"].str.startswith("W").any()
    england = table[table["area_code"] == "E92000001"].set_index("indicator_id")["value"]
    assert england[41001] == pytest.approx(10.95) and england[92432] == pytest.approx(5.80)
    assert table["area_code"].nunique() == 154  # 153 English upper-tier areas and England


def _broken(tmp_path: Path, name: str, edit) -> Path:
    frame = pd.read_csv(REFERENCE / name, dtype=str, keep_default_na=False)
    frame = edit(frame)
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_a_malformed_population_table_names_file_row_and_column(tmp_path, areas):
    def edit(frame):
        frame.loc[3, "population"] = "lots"
        frame.loc[5, "sex"] = "persons"
        return frame

    path = _broken(tmp_path, "population_adults_mid2023.csv", edit)
    with pytest.raises(InputFileError) as info:
        adult_population_table(areas, path=path)
    text = str(info.value)
    assert f"{path}, row 5, column 'population': is not a number (value: 'lots')" in text
    assert "row 7, column 'sex': is not one of female, male (value: 'persons')" in text


def test_a_population_table_out_of_step_with_the_area_list(tmp_path, areas):
    path = _broken(tmp_path, "population_adults_mid2023.csv",
                   lambda f: f[f["area_code"] != "E06000052"].replace({"E06000001": "E06000999"}))
    with pytest.raises(InputFileError) as info:
        adult_population_table(areas, path=path)
    text = str(info.value)
    assert "row 2, column 'area_code': is not an area of the area list" in text
    assert "has no rows for 2 areas of the area list" in text and "E06000052" in text


def test_a_fingertips_snapshot_with_a_welsh_row_or_a_bad_value(tmp_path, areas):
    def edit(frame):
        frame.loc[20, "area_code"] = "W06000015"
        frame.loc[21, "value"] = "n/a"
        frame.loc[22, "polarity"] = "up"
        return frame

    path = _broken(tmp_path, "fingertips_snapshot.csv", edit)
    with pytest.raises(InputFileError) as info:
        fingertips_snapshot(areas, path=path)
    text = str(info.value)
    assert "row 22, column 'area_code': is a Welsh area" in text
    assert "row 23, column 'value': is not a number (value: 'n/a')" in text
    assert "row 24, column 'polarity'" in text


def test_a_deprivation_row_for_the_wrong_nation(tmp_path, areas):
    path = _broken(tmp_path, "deprivation.csv", lambda f: f.assign(
        area_code=f["area_code"].where(f.index != 0, "W06000015")))
    with pytest.raises(InputFileError, match="row 2, column 'area_code': is an area of the other nation"):
        deprivation_table(areas, path=path)


def test_a_missing_column_is_named(tmp_path, areas):
    path = _broken(tmp_path, "deprivation.csv", lambda f: f.drop(columns=["period"]))
    with pytest.raises(InputFileError, match="column 'period': is missing the column"):
        deprivation_table(areas, path=path)

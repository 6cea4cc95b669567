"""A regional caseload file: read and checked (load.regional_caseload), shared among each region's
areas (model.caseload_shares), validated (jsna-kit validate), and used by a build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from jsna_kit.errors import InputFileError
from jsna_kit.load.areas import load_areas
from jsna_kit.load.regional_caseload import load_regional_caseload, probation_regions, read_regional_caseload
from jsna_kit.load.snapshot import adult_population_table, adults_by_area
from jsna_kit.model.caseload_shares import regional_modelled_caseload

NATIONAL = (244_209.0, "2025-06-30")
TODAY = dt.date(2026, 12, 2)
GOOD = {"N54": 12000, "N51": 25000, "N50": 18000, "N55": 24000, "N53": 18000, "N52": 24000, "N56": 20000,
        "N07": 38000, "N57": 18000, "N59": 14000, "N58": 17000, "N03": 16209}


def _file(tmp_path: Path, rows: dict | list, name: str = "regional.csv") -> Path:
    lines = ["probation_region_code,date,caseload"]
    lines += ([f"{code},2025-06-30,{n}" for code, n in rows.items()] if isinstance(rows, dict) else rows)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_file_gives_the_latest_row_of_each_region(tmp_path):
    path = _file(tmp_path, [*[f"{c},2025-06-30,{n}" for c, n in GOOD.items()], "N54,2024-06-30,9999"])
    found = read_regional_caseload(path, regions=probation_regions(), national=NATIONAL, today=TODAY)
    assert found.ok, found.problems
    assert found.table.set_index("probation_region_code")["caseload"]["N54"] == 12000
    assert found.table["caseload"].sum() == sum(GOOD.values())


def test_unknown_region_future_date_and_bad_count_name_row_and_column(tmp_path):
    path = _file(tmp_path, ["N54,2025-06-30,12000", "North West,2025-06-30,25000", "N50,2027-01-01,100",
                            "N55,2025-06-30,2.5"])
    found = read_regional_caseload(path, regions=probation_regions(), national=NATIONAL, today=TODAY)
    text = [str(p) for p in found.problems]
    assert ("regional.csv, row 3, column 'probation_region_code': is not a probation region code (value: "
            "'North West'). Fix: use the code N51 for North West") in text
    assert any("row 4, column 'date': is in the future" in t for t in text)
    assert any("row 5, column 'caseload': is not a whole number" in t for t in text)


def test_a_total_far_above_the_national_caseload_is_an_error_and_far_below_a_warning(tmp_path):
    high = read_regional_caseload(_file(tmp_path, {**GOOD, "N07": 100_000}, "high.csv"), regions=probation_regions(),
                                  national=NATIONAL, today=TODAY)
    assert any("more than the national caseload" in p.message for p in high.problems)
    low = read_regional_caseload(_file(tmp_path, {"N54": 12000, "N07": 38000}, "low.csv"),
                                 regions=probation_regions(), national=NATIONAL, today=TODAY)
    assert low.ok and any("less than the national caseload" in p.message and "N03" in p.message
                          for p in low.warnings)


def test_load_raises_one_error_for_a_bad_file_in_the_data_directory(tmp_path):
    (tmp_path / "caseload").mkdir()
    (tmp_path / "caseload" / "caseload_by_region.csv").write_text("probation_region_code,date,caseload\nX,2025,1\n")
    with pytest.raises(InputFileError, match="caseload_by_region.csv, row 2"):
        load_regional_caseload(tmp_path, regions=probation_regions(), national=NATIONAL)
    assert load_regional_caseload(tmp_path / "nothing", regions=probation_regions()) is None


def test_regional_model_sums_to_each_regions_total():
    areas = load_areas(None)
    adults = adults_by_area(adult_population_table(areas)).merge(
        areas[["area_code", "probation_region_code"]], on="area_code")
    regional = pd.DataFrame({"probation_region_code": list(GOOD), "caseload": list(GOOD.values()),
                             "date": "2025-06-30"})
    out = regional_modelled_caseload(adults, regional).merge(adults, on="area_code")
    sums = out.groupby("probation_region_code")["caseload"].sum()
    for code, total in GOOD.items():
        assert sums[code] == pytest.approx(total)
    cardiff = out.set_index("area_code").loc["W06000015"]
    wales_adults = adults.loc[adults["probation_region_code"] == "N03", "adult_population"].sum()
    assert cardiff["caseload"] == pytest.approx(16209 * 307_789 / wales_adults)
    assert "probation region caseload 16,209" in cardiff["caseload_basis"]


def test_validate_detects_and_checks_a_regional_file(tmp_path):
    from jsna_kit.load.validate import validate_file

    report = validate_file(_file(tmp_path, ["N99,2025-06-30,100"]), national=NATIONAL, today=TODAY)
    assert report.kind == "regional_caseload"
    assert any(p.row == 2 and p.column == "probation_region_code" for p in report.problems)
    good = validate_file(_file(tmp_path, GOOD, "good.csv"), national=NATIONAL, today=TODAY)
    assert good.ok and len(good.data) == 12


def test_a_build_shares_the_regional_caseload(tmp_path):
    from jsna_kit.batch.inputs import area_caseloads
    from jsna_kit.load.areas import code_changes
    from jsna_kit.load.reference import load_reference

    (tmp_path / "caseload").mkdir()
    _file(tmp_path / "caseload", GOOD, "caseload_by_region.csv")
    areas = load_areas(None)
    found = area_caseloads(["W06000015", "E06000052"], areas=areas, changes=code_changes(), data_dir=tmp_path,
                           national=load_reference().caseload)
    assert found.info["W06000015"]["caseload_model"] == "regional"
    assert found.pools["W06000015"] == ("N03", 16209.0)
    assert found.table.loc[found.table["area_code"] == "W06000015", "caseload"].iloc[0] == pytest.approx(
        found.table.loc[found.table["area_code"] == "W06000015", "caseload_alt_regional"].iloc[0])
    assert any(i.name == "caseload/caseload_by_region.csv" for i in found.inputs["W06000015"])


def test_a_regional_file_short_of_the_national_total_is_said_in_the_chapter(tmp_path):
    from jsna_kit.batch.inputs import area_caseloads
    from jsna_kit.load.areas import code_changes
    from jsna_kit.load.reference import load_reference

    (tmp_path / "caseload").mkdir()
    _file(tmp_path / "caseload", {"N03": 16209}, "caseload_by_region.csv")
    found = area_caseloads(["W06000015", "E06000052"], areas=load_areas(None), changes=code_changes(),
                           data_dir=tmp_path, national=load_reference().caseload)
    assert found.info["W06000015"]["caseload_model"] == "regional"
    assert found.info["E06000052"]["caseload_pool"] == "national"  # its region is not in the file
    assert found.info["E06000052"]["caseload_model"] == "deprivation"
    assert "well under the national caseload" in found.info["E06000052"]["caseload_note"]
    assert found.regional_warnings and "less than the national caseload" in found.regional_warnings[0]

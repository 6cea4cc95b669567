"""Areas: the 175 upper-tier areas, their regions and probation regions, and resolving user input.

Tests marked with ``shared_data_dir`` read the real official files; the rest use the project's
authored tables only (the fresh-machine fallback), so they run everywhere.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from jsna_kit import config
from jsna_kit.errors import InputFileError, UnknownAreaError
from jsna_kit.load.areas import code_changes, load_areas, resolve_area

GREATER_MANCHESTER = {"E08000001", "E08000002", "E08000003", "E08000004", "E08000005", "E08000006",
                      "E08000007", "E08000008", "E08000009", "E08000010"}
KENT_SURREY_SUSSEX = {"E10000016", "E06000035", "E10000030", "E10000011", "E10000032", "E06000043"}
SOUTH_CENTRAL = {"E10000014", "E06000045", "E06000044", "E06000046", "E06000036", "E06000037", "E06000038",
                 "E06000039", "E06000040", "E06000041", "E06000060", "E06000042", "E10000025"}


@pytest.fixture(scope="module")
def real_areas(shared_data_dir: Path) -> pd.DataFrame:
    return load_areas(shared_data_dir)


@pytest.fixture(scope="module")
def fallback_areas(tmp_path_factory) -> pd.DataFrame:
    return load_areas(tmp_path_factory.mktemp("empty-data-dir"))


# --- loading ---------------------------------------------------------------------------------------

def test_real_files_give_175_areas_with_regions_and_probation_regions(real_areas):
    assert len(real_areas) == 175
    assert real_areas["area_code"].str[:3].value_counts().to_dict() == {
        "E06": 63, "E08": 36, "E09": 33, "W06": 22, "E10": 21}
    assert (real_areas["country"] == "Wales").sum() == 22
    for column in ("region_code", "region_name", "probation_region_code", "probation_region_name"):
        assert (real_areas[column].str.len() > 0).all(), column
    assert real_areas.loc[real_areas["country"] == "Wales", "region_code"].eq("W92000004").all()
    assert real_areas.loc[real_areas["country"] == "Wales", "probation_region_code"].eq("N03").all()
    assert real_areas["probation_region_code"].nunique() == 12
    assert real_areas.attrs["lookup_source"] == "mysociety_lookup+ctyua_2023"
    assert real_areas["lookup_source"].eq("mysociety_lookup+ctyua_2023").all()


def test_north_west_and_south_east_are_split_into_two_probation_regions_each(real_areas):
    by_region = real_areas.groupby("probation_region_code")["area_code"].apply(set)
    assert by_region["N50"] == GREATER_MANCHESTER
    assert by_region["N57"] == KENT_SURREY_SUSSEX
    assert by_region["N59"] == SOUTH_CENTRAL
    north_west = set(real_areas.loc[real_areas["region_code"] == "E12000002", "area_code"])
    assert by_region["N51"] == north_west - GREATER_MANCHESTER
    assert len(by_region["N51"]) == 14


def test_welsh_names_come_from_the_ctyua_file(real_areas):
    welsh = real_areas.set_index("area_code")["area_name_welsh"]
    assert welsh["W06000015"] == "Caerdydd"
    assert welsh["W06000001"] == "Ynys Môn"
    assert (real_areas.loc[real_areas["country"] == "England", "area_name_welsh"] == "").all()


def test_authored_probation_table_matches_the_ons_ctyua_file(shared_data_dir, repo_root):
    ons = pyogrio.read_dataframe(shared_data_dir / "boundaries" / "ctyua_2023_uk_bsc.geojson",
                                 read_geometry=False, columns=["CTYUA23CD", "CTYUA23NM"])
    ons = ons[ons["CTYUA23CD"].str[0].isin(["E", "W"])]
    with (repo_root / "data" / "reference" / "probation_region_areas.csv").open(encoding="utf-8") as fh:
        authored = {row["area_code"]: row["area_name"] for row in csv.DictReader(fh)}
    assert set(authored) == set(ons["CTYUA23CD"])
    wrong = {c: (authored[c], n) for c, n in zip(ons["CTYUA23CD"], ons["CTYUA23NM"], strict=True)
             if authored[c] != n}
    assert wrong == {}


def test_regions_agree_with_the_ohid_fingertips_hierarchy(real_areas, shared_data_dir):
    hierarchy = pd.read_csv(shared_data_dir / "lookups" / "fingertips_area_hierarchy.csv", dtype=str,
                            keep_default_na=False, encoding="utf-8-sig")
    parent = {child: row.AreaCode for row in hierarchy[hierarchy["AreaTypeCode"] == "regions"].itertuples()
              for child in row.Children.split("|") if child}
    english = real_areas[real_areas["country"] == "England"]
    assert all(code in parent for code in english["area_code"])
    ours = dict(zip(english["area_code"], english["region_code"], strict=True))
    assert {c: parent[c] for c in english["area_code"]} == ours


def test_regions_the_mysociety_lookup_gets_wrong_are_corrected_and_reported(real_areas):
    derbyshire = real_areas.set_index("area_code").loc["E10000007"]
    assert derbyshire["region_name"] == "East Midlands"
    notes = " ".join(real_areas.attrs["notes"])
    assert "E10000007 Derbyshire" in notes and "E10000019 Lincolnshire" in notes


def test_empty_data_directory_falls_back_to_the_authored_table(fallback_areas, repo_root):
    assert len(fallback_areas) == 175
    assert fallback_areas.attrs["lookup_source"] == "reference_table"
    authored = pd.read_csv(repo_root / "data" / "reference" / "probation_region_areas.csv", dtype=str)
    merged = fallback_areas.merge(authored, on="area_code", suffixes=("", "_authored"))
    assert (merged["area_name"] == merged["area_name_authored"]).all()
    assert (merged["probation_region_code"] == merged["probation_region_code_authored"]).all()
    assert fallback_areas.set_index("area_code").at["E08000019", "region_name"] == "Yorkshire and The Humber"


def test_lookup_listing_an_area_the_project_does_not_know_is_refused(tmp_path, repo_root):
    authored = pd.read_csv(repo_root / "data" / "reference" / "probation_region_areas.csv", dtype=str)
    lookup = pd.DataFrame({"gss-code": [*authored["area_code"], "E06000099"],
                           "official-name": [*authored["area_name"], "New Unitary Council"],
                           "nice-name": [*authored["area_name"], "New Unitary"],
                           "current-authority": "True", "region": "", "alt-names": ""})
    (tmp_path / "lookups").mkdir()
    lookup.to_csv(tmp_path / "lookups" / "uk_local_authorities_current.csv", index=False)
    with pytest.raises(InputFileError) as info:
        load_areas(tmp_path)
    message = str(info.value)
    assert "uk_local_authorities_current.csv" in message and "E06000099" in message
    assert "probation_region_areas.csv" in message


def test_a_bad_probation_region_code_is_reported_with_its_row(tmp_path):
    ref = tmp_path / "reference"
    shutil.copytree(config.reference_dir(), ref, ignore=shutil.ignore_patterns("*.md"))
    path = ref / "probation_region_areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",N54,", ",N99,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_areas(tmp_path / "no-data", reference_dir=ref)
    assert "row 4" in str(info.value) and "N99" in str(info.value)


# --- code changes ----------------------------------------------------------------------------------

def test_code_changes_cover_the_reorganisations_met_in_old_files():
    changes = code_changes().set_index("old_code")
    expected = {
        "E10000006": ("split", "E06000063;E06000064"), "E10000023": ("merge", "E06000065"),
        "E10000027": ("merge", "E06000066"), "E10000021": ("split", "E06000061;E06000062"),
        "E10000002": ("merge", "E06000060"), "E06000028": ("merge", "E06000058"),
        "E06000029": ("merge", "E06000058"), "E08000020": ("recode", "E08000037"),
        "E06000048": ("recode", "E06000057"),
    }
    for code, (change, successors) in expected.items():
        assert (changes.at[code, "change"], changes.at[code, "successor_codes"]) == (change, successors)
    assert set(changes.at["E10000009", "successor_codes"].split(";")) == {"E06000058", "E06000059"}


def test_a_split_with_one_successor_is_rejected(tmp_path):
    bad = tmp_path / "area_code_changes.csv"
    bad.write_text("old_code,old_name,change,successor_codes,effective_date,basis\n"
                   "E10000006,Cumbria,split,E06000063,2023-04-01,wrong\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="row 2"):
        code_changes(tmp_path)


# --- resolving -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "code"), [
    (" e06000063 ", "E06000063"),
    ("SHEFFIELD", "E08000019"),
    ("St Helens", "E08000013"),
    ("Kingston upon Hull City Council", "E06000010"),
    ("City of Bristol", "E06000023"),
    ("Herefordshire Council", "E06000019"),
    ("Durham", "E06000047"),
    ("Newcastle", "E08000021"),
    ("city of london", "E09000001"),
    ("Southend on Sea", "E06000033"),
    ("Hove", "E06000043"),
    ("Christchurch", "E06000058"),
])
def test_resolve_by_code_and_name_without_data_files(fallback_areas, query, code):
    assert resolve_area(query, fallback_areas)["area_code"] == code


@pytest.mark.parametrize(("query", "code"), [
    ("Caerdydd", "W06000015"), ("ynys mon", "W06000001"), ("YNYS MÔN", "W06000001"),
    ("Bro Morgannwg", "W06000014"), ("Rhondda Cynon Taff", "W06000016"), ("Hull", "E06000010"),
])
def test_resolve_welsh_and_alternative_names(real_areas, query, code):
    assert resolve_area(query, real_areas)["area_code"] == code


def test_merges_and_recodes_lead_to_the_current_area(fallback_areas):
    north_yorkshire = resolve_area("E10000023", fallback_areas)
    assert north_yorkshire["area_code"] == "E06000065"
    how = north_yorkshire["resolved_from"]
    assert "E10000023" in how and "2023-04-01" in how
    assert resolve_area("Poole", fallback_areas)["area_code"] == "E06000058"
    assert resolve_area("E08000020", fallback_areas)["area_code"] == "E08000037"
    assert resolve_area("E06000048", fallback_areas)["area_code"] == "E06000057"
    assert resolve_area("Sheffield", fallback_areas)["resolved_from"] == ""


@pytest.mark.parametrize("query", ["E10000006", "Cumbria"])
def test_a_split_names_its_successors(fallback_areas, query):
    with pytest.raises(UnknownAreaError) as info:
        resolve_area(query, fallback_areas)
    message = str(info.value)
    assert "E06000063 Cumberland" in message and "E06000064 Westmorland and Furness" in message
    assert "\n" not in message


def test_northamptonshire_and_dorset_county_are_splits(fallback_areas):
    with pytest.raises(UnknownAreaError, match="E06000061 North Northamptonshire and E06000062 West"):
        resolve_area("Northamptonshire", fallback_areas)
    with pytest.raises(UnknownAreaError, match="E06000058 Bournemouth, Christchurch and Poole"):
        resolve_area("E10000009", fallback_areas)
    assert resolve_area("Dorset", fallback_areas)["area_code"] == "E06000059"  # today's Dorset wins


def test_a_typo_gets_suggestions_on_one_line(fallback_areas):
    with pytest.raises(UnknownAreaError) as info:
        resolve_area("Manchestr", fallback_areas)
    message = str(info.value)
    assert "Manchester (E08000003)" in message and "jsna-kit areas" in message and "\n" not in message


def test_nonsense_gets_no_suggestions(fallback_areas):
    with pytest.raises(UnknownAreaError, match="No current upper-tier area matches 'qwxz'. List all"):
        resolve_area("qwxz", fallback_areas)


def test_regions_ambiguous_names_and_district_codes_are_explained(fallback_areas):
    with pytest.raises(UnknownAreaError, match="is a region"):
        resolve_area("London", fallback_areas)
    with pytest.raises(UnknownAreaError, match="is a region"):
        resolve_area("Kent, Surrey and Sussex", fallback_areas)
    with pytest.raises(UnknownAreaError, match="E06000010.*E09000021"):
        resolve_area("Kingston", fallback_areas)
    with pytest.raises(UnknownAreaError, match="is a lower-tier district code"):
        resolve_area("E07000026", fallback_areas)
    with pytest.raises(UnknownAreaError, match="'Sussex' matches 2 areas"):
        resolve_area("Sussex", fallback_areas)


def test_a_minimal_areas_table_is_enough(fallback_areas):
    minimal = fallback_areas[["area_code", "area_name"]]
    assert resolve_area("sheffield", minimal).to_dict() == {
        "area_code": "E08000019", "area_name": "Sheffield", "resolved_from": ""}


def test_a_corrupt_boundary_file_is_an_input_error_not_a_traceback(tmp_path):
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "boundaries" / "ctyua_2023_uk_bsc.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputFileError, match="ctyua_2023_uk_bsc.geojson.*cannot be read"):
        load_areas(tmp_path)


def test_unchecked_area_list_is_the_checked_one(shared_data_dir):
    """Chapter notebooks read the list unchecked (their build has just checked it)."""
    pd.testing.assert_frame_equal(load_areas(shared_data_dir, validate=False), load_areas(shared_data_dir))


def test_welsh_areas_have_their_welsh_names_without_the_boundary_file(tmp_path):
    """The Welsh chapters' titles: the 22 official Welsh names, from the reference data where the
    data directory has no boundary file, as the boundary file itself gives them where it has."""
    from jsna_kit.load.areas import load_areas

    areas = load_areas(tmp_path)
    welsh = dict(zip(areas["area_code"], areas["area_name_welsh"], strict=True))
    assert welsh["W06000015"] == "Caerdydd" and welsh["W06000001"] == "Ynys Môn" and welsh["E06000001"] == ""
    assert sum(1 for code, name in welsh.items() if code.startswith("W") and name) == 22


def test_the_embedded_welsh_names_are_the_boundary_file_s(shared_data_dir):
    from jsna_kit.load.areas import load_areas

    embedded, official = load_areas(None), load_areas(shared_data_dir)
    assert embedded["area_name_welsh"].tolist() == official["area_name_welsh"].tolist()

"""The local system table (data/reference/local_system.csv): made by the script from the official
lookups in ../shared/data, in step with them except where the April 2026 ICB mergers say otherwise,
checked as it is read, and right for the hard cases a board member would notice."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from jsna_kit.errors import InputFileError, UnknownAreaError
from jsna_kit.load.areas import load_areas
from jsna_kit.load.local_system import REQUIRED_ROLES, bodies_for, load_local_system

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
TABLE = REFERENCE / "local_system.csv"
SCRIPT = ROOT / "scripts" / "derive_local_system.py"

CORNWALL, SHEFFIELD, CARDIFF = "E06000052", "E08000019", "W06000015"
CUMBERLAND, WESTMORLAND, NORTH_YORKSHIRE, SOMERSET = "E06000063", "E06000064", "E06000065", "E06000066"
ESSEX, SUFFOLK, HAMPSHIRE, SURREY, HERTS = "E10000012", "E10000029", "E10000014", "E10000030", "E10000015"
BUCKS, OXON = "E06000060", "E10000025"
SPLIT_IN_2024 = {ESSEX, SUFFOLK, HAMPSHIRE, SURREY, HERTS, BUCKS, OXON, NORTH_YORKSHIRE, CUMBERLAND, WESTMORLAND}


def _script():
    spec = importlib.util.spec_from_file_location("derive_local_system", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def areas():
    return load_areas(None)


@pytest.fixture(scope="module")
def table(areas):
    return load_local_system(areas=areas)


def _bodies(table, area, role):
    rows = table[(table["area_code"] == area) & (table["role"] == role)]
    return dict(zip(rows["body_name"], rows["share_pct"], strict=True))


def _names(table, area, role):
    return sorted(table.loc[(table["area_code"] == area) & (table["role"] == role), "body_name"])


def _codes(table, area, role):
    return sorted(table.loc[(table["area_code"] == area) & (table["role"] == role), "body_code"])


# (a) with ../shared: the script makes the committed table, and the table agrees with the sources

def test_the_script_reproduces_the_committed_table(shared_data_dir):
    for name, text in _script().derive(shared_data_dir).items():
        assert (REFERENCE / name).read_text(encoding="utf-8") == text, f"{name} differs: run the script again"
    done = subprocess.run([sys.executable, str(SCRIPT), "--data-dir", str(shared_data_dir), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "local_system.csv: the same" in done.stdout


def _mergers():
    rules = pd.read_csv(REFERENCE / "icb_mergers_2026.csv", dtype=str, keep_default_na=False)
    rules = rules[rules["confirmed"] == "true"]
    whole = {r.old_icb_code: r.new_icb_name for r in rules.itertuples() if not r.area_codes}
    parts = {(r.old_icb_code, a): r.new_icb_name for r in rules.itertuples() if r.area_codes
             for a in r.area_codes.split(";")}
    return whole, parts


def test_each_area_agrees_with_the_source_files(shared_data_dir, table):
    system = shared_data_dir / "lookups" / "system"
    icb = pd.read_csv(system / "CTYUA23_ICB24_NHSER_lsoa_shares.csv", dtype=str)
    police = pd.read_csv(system / "CTYUA23_PFA24_CSP24_governance.csv", dtype=str).set_index("UTLA23CD")
    probation = pd.read_csv(system / "CTYUA23_probation_region_PDU_transcribed.csv", dtype=str).set_index("UTLA23CD")
    whole, parts = _mergers()
    assert len(police) == len(probation) == 175 == table["area_code"].nunique()
    for area in sorted(police.index):
        assert _codes(table, area, "police_force_area") == [police.at[area, "PFA24CD"]], area
        assert _codes(table, area, "probation_region") == [probation.at[area, "probation_region_code"]], area
        assert _codes(table, area, "probation_delivery_unit") == sorted(
            c.strip() for c in probation.at[area, "pdu_codes"].split(";")), area
    for area, rows in icb.groupby("UTLA23CD"):
        expected = {}
        for r in rows.itertuples():
            name = parts.get((r.ICB24CD, area)) or whole.get(r.ICB24CD) or r.ICB24NM
            expected[name] = expected.get(name, 0) + 100 * float(r.lsoa21_share_of_utla)
        got = _bodies(table, area, "integrated_care_board")
        assert set(got) == set(expected), area
        for name, share in expected.items():
            assert got[name] == pytest.approx(share, abs=0.02), (area, name)


# The 2026 merger rule overrides the 2024 lookup here, and only here

def test_the_2026_mergers_make_these_councils_whole(table):
    assert _bodies(table, ESSEX, "integrated_care_board") == {"Essex ICB": 100}
    assert _bodies(table, SUFFOLK, "integrated_care_board") == {"Norfolk and Suffolk ICB": 100}
    assert _bodies(table, HAMPSHIRE, "integrated_care_board") == {
        "NHS Hampshire and Isle of Wight Integrated Care Board": 100}
    assert _bodies(table, SURREY, "integrated_care_board") == {"Surrey and Sussex ICB": 100}
    assert _bodies(table, HERTS, "integrated_care_board") == {"Central East ICB": 100}
    for east_berkshire in ("E06000036", "E06000039", "E06000040"):  # Frimley abolished
        assert _bodies(table, east_berkshire, "integrated_care_board") == {"Thames Valley ICB": 100}
    for north_london in ("E09000003", "E09000005", "E09000007", "E09000033"):  # Barnet, Brent, Camden, Westminster
        assert _bodies(table, north_london, "integrated_care_board") == {"North West and North Central London ICB": 100}
    merged = table[(table["role"] == "integrated_care_board") & (table["basis"] == "merger_2026")]
    assert set(merged["as_at"]) == {"2026-04-01"} and (merged["body_code"] == "").all()
    assert not table["body_name"].str.contains("Frimley").any()


def test_councils_the_announcements_do_not_make_whole_keep_their_2024_split(table):
    assert _bodies(table, BUCKS, "integrated_care_board") == {"Thames Valley ICB": 98.8, "Central East ICB": 1.2}
    assert _bodies(table, OXON, "integrated_care_board") == {
        "Thames Valley ICB": 98.84,
        "NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board": 0.93,
        "NHS Northamptonshire Integrated Care Board": 0.23}
    unchanged = table[(table["area_code"] == CORNWALL) & (table["role"] == "integrated_care_board")].iloc[0]
    assert (unchanged["body_code"], unchanged["as_at"], unchanged["basis"]) == ("E54000036", "2024-04-01",
                                                                              "official_lookup")


# (b) without ../shared: the embedded table covers every area, and the named cases hold

def test_every_area_has_every_role_its_nation_needs(table, areas):
    assert set(table["area_code"]) == set(areas["area_code"]) and len(areas) == 175
    for area in areas.itertuples():
        nation = "Wales" if area.area_code.startswith("W") else "England"
        roles = set(table.loc[table["area_code"] == area.area_code, "role"])
        assert set(REQUIRED_ROLES[nation]) <= roles, area.area_code
    assert (table["body_name"] != "").all()


def test_cornwall_sheffield_and_cardiff(table):
    assert _names(table, CORNWALL, "integrated_care_board") == [
        "NHS Cornwall and the Isles of Scilly Integrated Care Board"]  # ONS's spelling; no 2026 merger
    assert _names(table, CORNWALL, "policing_body") == ["Devon and Cornwall Police and Crime Commissioner"]
    assert _names(table, SHEFFIELD, "integrated_care_board") == ["NHS South Yorkshire Integrated Care Board"]
    assert _names(table, SHEFFIELD, "policing_body") == ["Mayor of South Yorkshire (police and crime commissioner "
                                                         "functions)"]
    assert _names(table, CARDIFF, "local_health_board") == ["Cardiff and Vale University Health Board"]
    assert _names(table, CARDIFF, "regional_partnership_board") == ["Cardiff and Vale Regional Partnership Board"]
    lhb = table[(table["area_code"] == CARDIFF) & (table["role"] == "local_health_board")].iloc[0]
    assert lhb["body_name_cy"] == "Bwrdd Iechyd Prifysgol Caerdydd a'r Fro"
    phw = table[(table["area_code"] == CARDIFF) & (table["role"] == "public_health_agency")].iloc[0]
    assert (phw["body_name"], phw["body_name_cy"]) == ("Public Health Wales", "Iechyd Cyhoeddus Cymru")
    for area in (CORNWALL, SHEFFIELD, CARDIFF):
        assert len(_codes(table, area, "probation_delivery_unit")) >= 1


def test_bodies_for_gives_each_role_largest_share_first(table):
    bodies = bodies_for(table, BUCKS)
    assert list(bodies)[:2] == ["integrated_care_board", "nhs_england_region"]
    assert [b["body_name"] for b in bodies["integrated_care_board"]] == ["Thames Valley ICB", "Central East ICB"]
    assert [b["share_pct"] for b in bodies["community_safety_partnership"]] == [None] * 4
    assert bodies_for(table, CARDIFF)["local_health_board"][0]["body_code"] == "W11000029"
    with pytest.raises(UnknownAreaError):
        bodies_for(table, "E07000001")


# (c) bad input: one InputFileError naming file, row and column

def _copy(tmp_path, change) -> Path:
    frame = pd.read_csv(TABLE, dtype=str, keep_default_na=False)
    frame = change(frame)
    path = tmp_path / "local_system.csv"
    frame.to_csv(path, index=False)
    (tmp_path / "local_system_sources.csv").write_bytes((REFERENCE / "local_system_sources.csv").read_bytes())
    return path


def _row_of(area, role):
    frame = pd.read_csv(TABLE, dtype=str, keep_default_na=False)
    return int(frame.index[(frame["area_code"] == area) & (frame["role"] == role)][0]) + 2


def test_a_blank_body_name_is_an_owner_with_no_name(tmp_path, areas):
    row = _row_of(SHEFFIELD, "integrated_care_board")
    path = _copy(tmp_path, lambda f: f.assign(body_name=f["body_name"].where(f.index != row - 2, "")))
    with pytest.raises(InputFileError) as caught:
        load_local_system(path, areas=areas)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(path), row, "body_name")
    assert "owner with no name" in str(caught.value)


def test_an_area_without_its_police_force_is_named(tmp_path, areas):
    path = _copy(tmp_path, lambda f: f[~((f["area_code"] == CORNWALL) & (f["role"] == "police_force_area"))])
    with pytest.raises(InputFileError) as caught:
        load_local_system(path, areas=areas)
    problem = caught.value.problems[0]
    assert problem.file == str(path) and problem.column == "role" and problem.value == "police_force_area"
    assert "E06000052 Cornwall has no police_force_area" in str(caught.value)


def test_shares_that_do_not_add_up_to_100(tmp_path, areas):
    row = _row_of(BUCKS, "integrated_care_board")
    path = _copy(tmp_path, lambda f: f.assign(share_pct=f["share_pct"].where(f.index != row - 2, "90")))
    with pytest.raises(InputFileError) as caught:
        load_local_system(path, areas=areas)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(path), row, "share_pct")
    assert "add up to 91.2, not 100" in str(caught.value)


def test_an_unknown_role_a_second_police_force_and_an_unknown_source(tmp_path, areas):
    def change(frame):
        frame = frame.copy()
        frame.loc[0, "role"] = "health_board"
        frame.loc[1, "source"] = "NOT_A_SOURCE"
        extra = frame[(frame["area_code"] == CARDIFF) & (frame["role"] == "police_force_area")].assign(
            body_code="W15000004", body_name="Dyfed-Powys")
        return pd.concat([frame, extra], ignore_index=True)

    with pytest.raises(InputFileError) as caught:
        load_local_system(_copy(tmp_path, change), areas=areas)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert (2, "role") in where and (3, "source") in where
    assert any(p.column == "role" and "can have only one" in p.message for p in caught.value.problems)


# (d) the hard cases

def test_the_2023_councils(table):
    assert _bodies(table, CUMBERLAND, "integrated_care_board") == {
        "NHS North East and North Cumbria Integrated Care Board": 96.61,
        "NHS Lancashire and South Cumbria Integrated Care Board": 3.39}
    assert _bodies(table, WESTMORLAND, "integrated_care_board") == {
        "NHS Lancashire and South Cumbria Integrated Care Board": 74.65,
        "NHS North East and North Cumbria Integrated Care Board": 25.35}
    assert _bodies(table, NORTH_YORKSHIRE, "integrated_care_board") == {
        "NHS Humber and North Yorkshire Integrated Care Board": 91.29,
        "NHS West Yorkshire Integrated Care Board": 7.92,
        "NHS Lancashire and South Cumbria Integrated Care Board": 0.79}
    assert _names(table, SOMERSET, "integrated_care_board") == ["NHS Somerset Integrated Care Board"]
    assert _codes(table, CUMBERLAND, "probation_delivery_unit") == _codes(table, WESTMORLAND,
                                                                          "probation_delivery_unit") == ["N51CUMB"]
    assert _names(table, CUMBERLAND, "policing_body") == ["Cumbria Police, Fire and Crime Commissioner"]
    assert _codes(table, SOMERSET, "police_force_area") == ["E23000036"]
    assert len(_codes(table, CUMBERLAND, "community_safety_partnership")) == 3  # old district CSPs


def test_which_councils_are_split_across_icbs(table):
    icb = table[table["role"] == "integrated_care_board"]
    split_now = set(icb.loc[icb.duplicated("area_code", keep=False), "area_code"])
    assert split_now == {BUCKS, OXON, NORTH_YORKSHIRE, CUMBERLAND, WESTMORLAND}
    assert split_now < SPLIT_IN_2024  # the mergers mend Essex, Suffolk, Hampshire, Surrey and Hertfordshire
    regions = table[table["role"] == "nhs_england_region"]
    assert set(regions.loc[regions.duplicated("area_code", keep=False), "area_code"]) == {
        BUCKS, OXON, NORTH_YORKSHIRE, CUMBERLAND, WESTMORLAND}


def test_mayors_with_police_and_crime_commissioner_functions(table):
    body = table[table["role"] == "policing_body"].set_index("area_code")["body_name"]
    london = [c for c in body.index if c.startswith("E09") and c != "E09000001"]
    assert len(london) == 32 and set(body[london]) == {"Mayor's Office for Policing and Crime"}
    assert body["E09000001"] == "Court of Common Council of the City of London Corporation"
    assert body["E08000003"] == "Mayor of Greater Manchester (police and crime commissioner functions)"
    assert body["E08000035"] == "Mayor of West Yorkshire (police and crime commissioner functions)"
    assert body[SHEFFIELD] == "Mayor of South Yorkshire (police and crime commissioner functions)"
    mayor_yny = "Mayor of York and North Yorkshire (police and crime commissioner functions)"
    assert body[NORTH_YORKSHIRE] == body["E06000014"] == mayor_yny
    assert body["E06000047"] == "Durham Police and Crime Commissioner"
    assert body["W06000023"] == "Dyfed-Powys Police and Crime Commissioner"
    mayors = body[body.str.endswith("(police and crime commissioner functions)")]
    assert len(mayors) == 10 + 5 + 4 + 2  # Greater Manchester, West Yorkshire, South Yorkshire, York and N Yorks


def test_councils_with_several_pdus_and_pdus_with_several_councils(table):
    pdus = table[table["role"] == "probation_delivery_unit"]
    per_area = pdus.groupby("area_code").size()
    assert set(per_area[per_area > 1].index) == {"E08000003", "E08000012", "E08000025", ESSEX, "E10000016",
                                                 HAMPSHIRE, "E10000017", "E10000028"}
    assert per_area["E10000017"] == 4  # Lancashire
    assert pdus.loc[pdus["area_code"].isin(per_area[per_area > 1].index), "share_pct"].isna().all()
    per_pdu = pdus.groupby("body_code")["area_code"].apply(set)
    assert per_pdu["N56BEDS"] == {"E06000055", "E06000056", "E06000032"}  # Bedford, Central Bedfordshire, Luton
    assert per_pdu["N51LNW"] == {"E06000009", "E10000017"}  # Blackpool and part of Lancashire
    assert len(per_pdu["WPTNWS"]) == 6  # North Wales
    inferred = pdus[pdus["basis"] == "inferred"]
    assert set(zip(inferred["area_code"], inferred["body_code"], strict=True)) == {
        ("E06000034", "N56ESXS"), ("E06000035", "N57KECL"), ("E10000028", "N52STF")}

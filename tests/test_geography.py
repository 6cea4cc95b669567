"""Boundaries: normalised columns, CRS, England-and-Wales filter, and a Wales shape built from its
22 unitary authorities."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from jsna_kit.errors import InputFileError, MissingDataError
from jsna_kit.load.areas import load_areas
from jsna_kit.load.geography import load_boundaries, region_shapes


@pytest.mark.parametrize(("level", "count"), [("ctyua", 175), ("lad", 318), ("region", 9)])
def test_real_boundaries_have_normalised_columns_in_wgs84(shared_data_dir, level, count):
    shapes = load_boundaries(level, shared_data_dir)
    assert list(shapes.columns) == ["area_code", "area_name", "geometry"]
    assert len(shapes) == count
    assert shapes.crs.to_epsg() == 4326
    assert shapes["area_code"].is_unique and shapes.geometry.notna().all()


def test_ctyua_shapes_are_the_175_areas(shared_data_dir):
    shapes = load_boundaries("ctyua", shared_data_dir)
    areas = load_areas(shared_data_dir)
    assert dict(zip(shapes["area_code"], shapes["area_name"], strict=True)) == dict(
        zip(areas["area_code"], areas["area_name"], strict=True))
    assert len(load_boundaries("ctyua", shared_data_dir, england_and_wales_only=False)) == 218


def test_region_shapes_add_wales_as_the_union_of_its_unitaries(shared_data_dir):
    regions = region_shapes(shared_data_dir)
    assert len(regions) == 10
    assert regions["area_code"].tolist()[-1] == "W92000004"
    wales = regions.set_index("area_code").geometry["W92000004"]
    welsh = load_boundaries("ctyua", shared_data_dir)
    welsh = welsh[welsh["area_code"].str.startswith("W06")]
    # Areas compared in British National Grid metres: the union loses only shared edges.
    wales_m2 = gpd.GeoSeries([wales], crs=4326).to_crs(27700).area.iloc[0]
    parts_m2 = welsh.to_crs(27700).area.sum()
    assert wales_m2 == pytest.approx(parts_m2, rel=1e-3)
    cardiff = welsh.set_index("area_code").geometry["W06000015"].representative_point()
    assert wales.contains(cardiff)
    england = regions[regions["area_code"].str.startswith("E12")].to_crs(27700)
    overlap = england.intersection(gpd.GeoSeries([wales], crs=4326).to_crs(27700).iloc[0]).area.sum()
    assert overlap < 0.01 * wales_m2  # different generalisations touch along the border only


def test_missing_file_names_it_and_suggests_fetch(tmp_path):
    with pytest.raises(MissingDataError) as info:
        load_boundaries("region", tmp_path)
    message = str(info.value)
    assert "boundaries/regions_2023_en_buc.geojson" in message and "jsna-kit data fetch" in message
    assert "maps are skipped" in message


def test_a_file_in_british_national_grid_is_returned_in_wgs84(tmp_path):
    shapes = gpd.GeoDataFrame(
        {"LAD24CD": ["E07000026", "S12000033"], "LAD24NM": ["Allerdale", "Aberdeen City"]},
        geometry=[box(300000, 530000, 310000, 540000), box(390000, 800000, 400000, 810000)], crs=27700)
    (tmp_path / "boundaries").mkdir()
    shapes.to_file(tmp_path / "boundaries" / "lad_2024_uk_bsc.geojson", driver="GeoJSON")
    out = load_boundaries("lad", tmp_path)
    assert out.crs.to_epsg() == 4326
    assert out["area_code"].tolist() == ["E07000026"]  # Scotland dropped
    lon, lat = out.geometry.iloc[0].centroid.coords[0]
    assert -4 < lon < -3 and 54 < lat < 55.2  # west Cumbria


def test_an_unreadable_file_is_an_input_error(tmp_path: Path):
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "boundaries" / "ctyua_2023_uk_bsc.geojson").write_text('{"type": "FeatureCollec',
                                                                         encoding="utf-8")
    with pytest.raises(InputFileError, match="ctyua_2023_uk_bsc.geojson"):
        load_boundaries("ctyua", tmp_path)


def test_a_file_without_the_expected_fields_is_an_input_error(tmp_path: Path):
    (tmp_path / "boundaries").mkdir()
    gpd.GeoDataFrame({"code": ["E12000001"]}, geometry=[box(0, 50, 1, 51)], crs=4326).to_file(
        tmp_path / "boundaries" / "regions_2023_en_buc.geojson", driver="GeoJSON")
    with pytest.raises(InputFileError, match="RGN23CD"):
        load_boundaries("region", tmp_path)

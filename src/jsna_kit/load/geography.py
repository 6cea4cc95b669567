"""ONS boundary files, read into GeoDataFrames with the same three columns whatever the level:
``area_code, area_name, geometry`` (EPSG:4326, as published).

Only what is spatial lives here; area attributes (regions, probation regions) come from
``load.areas`` and can be merged on ``area_code``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from jsna_kit import config
from jsna_kit.errors import InputFileError, MissingDataError

Level = Literal["ctyua", "lad", "region"]

BOUNDARY_FILES: dict[str, tuple[str, str, str]] = {
    # level: (file in the data directory, code field, name field)
    "ctyua": ("boundaries/ctyua_2023_uk_bsc.geojson", "CTYUA23CD", "CTYUA23NM"),
    "lad": ("boundaries/lad_2024_uk_bsc.geojson", "LAD24CD", "LAD24NM"),
    "region": ("boundaries/regions_2023_en_buc.geojson", "RGN23CD", "RGN23NM"),
}
WALES_CODE, WALES_NAME = "W92000004", "Wales"


def load_boundaries(level: Level, data_dir: str | Path | None = None, *,
                    england_and_wales_only: bool = True) -> gpd.GeoDataFrame:
    """Boundaries at ``level`` ('ctyua' upper tier, 'lad' districts, 'region' English regions).

    Columns ``area_code, area_name, geometry``; CRS EPSG:4326. Scottish and Northern Irish features
    are dropped unless ``england_and_wales_only=False``. A missing file raises ``MissingDataError``
    naming it; maps are the only thing that needs these files.
    """
    if level not in BOUNDARY_FILES:
        raise ValueError(f"level must be one of {', '.join(BOUNDARY_FILES)}, not {level!r}")
    relative, code_field, name_field = BOUNDARY_FILES[level]
    root = config.data_dir(data_dir)
    path = root / relative
    if not path.is_file():
        raise MissingDataError(
            f"{relative} is not in the data directory {root}: maps are skipped. "
            f"Run `jsna-kit data fetch --only {relative.split('/')[0]}` or copy the file there by hand.")
    try:
        raw = gpd.read_file(path, columns=[code_field, name_field])
    except Exception as exc:  # pyogrio raises several types for unreadable or truncated files
        raise InputFileError.single(path, f"cannot be read as GeoJSON ({exc})",
                                    fix="replace it with a fresh copy (jsna-kit data fetch --force)") from exc
    missing = [f for f in (code_field, name_field) if f not in raw.columns]
    if missing:
        raise InputFileError.single(
            path, f"has no field(s) {', '.join(missing)}",
            fix=f"expected the ONS {level} file described in data/reference/README_geography.md")
    if raw.crs is None:
        raise InputFileError.single(
            path, "declares no coordinate reference system",
            fix="use the GeoJSON download from the ONS Open Geography Portal (EPSG:4326)")
    out = gpd.GeoDataFrame(
        {"area_code": raw[code_field].astype(str), "area_name": raw[name_field].astype(str)},
        geometry=raw.geometry, crs=raw.crs)
    if out.crs.to_epsg() != 4326:
        out = out.to_crs(4326)
    if england_and_wales_only:
        out = out[out["area_code"].str[0].isin(["E", "W"])]
    return out.sort_values("area_code", ignore_index=True)


def region_shapes(data_dir: str | Path | None = None) -> gpd.GeoDataFrame:
    """The nine English regions plus Wales (``W92000004``), one row each.

    The ONS regions file covers England only, so Wales is built as the union (dissolve) of the 22
    Welsh unitary authorities in the CTYUA file. The Welsh outline is therefore the 200 m (BSC)
    generalisation and the English ones 500 m (BUC); at map scale the difference does not show.
    """
    regions = load_boundaries("region", data_dir)
    welsh = load_boundaries("ctyua", data_dir)
    welsh = welsh[welsh["area_code"].str.startswith("W06")]
    if welsh.empty:
        raise InputFileError.single(config.data_dir(data_dir) / BOUNDARY_FILES["ctyua"][0],
                                    "has no Welsh (W06) areas, so the Wales shape cannot be built")
    wales = gpd.GeoDataFrame({"area_code": [WALES_CODE], "area_name": [WALES_NAME]},
                             geometry=[welsh.geometry.union_all()], crs=welsh.crs)
    return gpd.GeoDataFrame(pd.concat([regions, wales], ignore_index=True), crs=regions.crs)

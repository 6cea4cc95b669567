"""The 22 Welsh areas' official Welsh names (issue 27), for the Welsh chapters' titles and place
names: ``welsh_area_names.csv`` in the reference data, made from the ONS boundary file by
scripts/derive_reference_tables.py, so they are there on a machine without the boundary file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config


def welsh_names_table(reference_dir: Path | None = None) -> pd.DataFrame:
    """The Welsh areas' Welsh names (``welsh_area_names.csv``, made from the ONS boundary file by
    scripts/derive_reference_tables.py), as ``area_code, ons_name_welsh``."""
    path = Path(reference_dir) / "welsh_area_names.csv" if reference_dir else config.reference_file(
        "welsh_area_names.csv")
    if not path.is_file():  # a researcher's older reference folder: the chapters' Welsh titles are missing
        return pd.DataFrame({"area_code": pd.Series(dtype=str), "ons_name_welsh": pd.Series(dtype=str)})
    return _read(str(path.resolve()), path.stat().st_mtime_ns).copy()


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int) -> pd.DataFrame:
    """The file read once while it is unchanged (every Welsh chapter of a build asks for it)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return df.rename(columns={"area_name_welsh": "ons_name_welsh"})[["area_code", "ons_name_welsh"]]


def welsh_names(reference_dir: Path | None = None) -> dict[str, str]:
    """Each Welsh area's official Welsh name, by code (the reference data's ``welsh_area_names.csv``)."""
    names = welsh_names_table(reference_dir)
    return dict(zip(names["area_code"], names["ons_name_welsh"], strict=True))


def welsh_area_names(areas: pd.DataFrame) -> dict[str, str]:
    """Each Welsh area's official Welsh name by code (``load_areas``' ``area_name_welsh``); empty
    for a table without that column."""
    if "area_name_welsh" not in areas.columns:
        return {}
    return {code: str(name) for code, name in zip(areas["area_code"], areas["area_name_welsh"], strict=True)
            if isinstance(name, str) and name}

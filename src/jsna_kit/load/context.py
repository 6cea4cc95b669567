"""Fingertips exports in the data directory (``fingertips/*.csv``): files analysts download from
the Fingertips site, or that ``jsna-kit data fingertips`` fetched through the API."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .fingertips import latest_values, read_fingertips_csv

FOLDER = "fingertips"


def fingertips_exports(data_dir: Path) -> list[Path]:
    folder = Path(data_dir) / FOLDER
    return sorted(p for p in folder.glob("*.csv") if not p.name.endswith(".partial.csv")) if folder.is_dir() else []


def latest_fingertips(data_dir: Path) -> tuple[pd.DataFrame | None, list[Path]]:
    """Latest value per indicator x area x sex x age across every export, or None when there are
    no exports. Rows repeated across exports (England, regions) are kept once."""
    files = fingertips_exports(data_dir)
    if not files:
        return None, []
    from ..errors import InputFileError
    from .fingertips import load_catalogue
    from .fingertips_checks import unknown_indicators

    frames = [read_fingertips_csv(p) for p in files]
    catalogue = load_catalogue()
    unknown = [p for path, frame in zip(files, frames, strict=True)
               for p in unknown_indicators(frame, path.name, catalogue)]
    if unknown:
        raise InputFileError(unknown)
    combined = pd.concat(frames, ignore_index=True)
    keys = ["indicator_id", "area_code", "sex", "age", "category_type", "category", "time_period"]
    combined = combined.drop_duplicates(keys, keep="last")
    return latest_values(combined), files


def fetch_fingertips(data_dir: Path, *, base_url: str | None = None,
                     catalogue: pd.DataFrame | None = None) -> tuple[list[Path], pd.DataFrame]:
    """Download the catalogue's indicators through the Fingertips API into ``fingertips/``:
    upper-tier areas (type 502) and regions (type 6), both with England. First checks the
    catalogue against the API's metadata (renamed, retired, not published for upper-tier areas)
    and downloads only the indicators still valid. Returns the files written and the check."""
    from .fingertips import DEFAULT_BASE_URL, REGION, UPPER_TIER_LA, FingertipsClient, load_catalogue

    catalogue = load_catalogue() if catalogue is None else catalogue
    folder = Path(data_dir) / FOLDER
    client = FingertipsClient(base_url or DEFAULT_BASE_URL, cache_dir=folder / ".cache")
    check = client.check_catalogue(catalogue)
    ids = sorted(int(i) for i in check.loc[check["status"].isin(["ok", "renamed"]), "indicator_id"])
    written = []
    for name, area_type in (("api_upper_tier_areas.csv", UPPER_TIER_LA), ("api_regions.csv", REGION)):
        frame = client.data(ids, area_type)
        path = folder / name
        partial = path.with_name(path.stem + ".partial.csv")
        folder.mkdir(parents=True, exist_ok=True)
        frame.to_csv(partial, index=False, encoding="utf-8")
        partial.replace(path)
        written.append(path)
    return written, check

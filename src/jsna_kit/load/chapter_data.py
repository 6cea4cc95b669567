"""Read the data bundle the build wrote for one area's chapter (``<assets>/data/``), plus the
reference tables every chapter shares. The notebook calls this once; everything after it is
presentation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputFileError

BUNDLE_FILES = ("chapter.json", "estimates.csv", "evidence.csv")


@dataclass(frozen=True)
class ChapterData:
    area: dict
    estimates: pd.DataFrame
    evidence: pd.DataFrame
    commissioning: pd.DataFrame
    pathways: pd.DataFrame
    recommendations: pd.DataFrame
    sources: pd.DataFrame
    caseload_national: pd.DataFrame
    assets: Path
    observed: pd.DataFrame | None = None

    @property
    def area_name(self) -> str:
        return self.area["area_name"]

    @property
    def country(self) -> str:
        return self.area.get("country") or ("Wales" if self.area["area_code"].startswith("W") else "England")


def read_chapter_data(assets: str | Path, *, area_code: str, area_name: str) -> ChapterData:
    from .reference import load_reference

    assets = Path(assets)
    data_dir = assets / "data"
    for name in BUNDLE_FILES:
        if not (data_dir / name).is_file():
            raise InputFileError.single(data_dir / name, "the chapter's data file is missing",
                                        fix="build the chapter with `jsna-kit build`, which writes it")
    area = json.loads((data_dir / "chapter.json").read_text(encoding="utf-8"))
    if area.get("area_code") != area_code:
        raise InputFileError.single(data_dir / "chapter.json",
                                    f"data bundle is for {area.get('area_code')}, not {area_code}",
                                    column="area_code", value=area.get("area_code"),
                                    fix="rebuild the chapter so its parameters and data match")
    area["area_name"] = area_name
    reference = load_reference()
    return ChapterData(
        area=area,
        estimates=pd.read_csv(data_dir / "estimates.csv", encoding="utf-8-sig",
                              dtype={"area_code": str, "estimate_id": str}),
        evidence=pd.read_csv(data_dir / "evidence.csv", encoding="utf-8-sig", dtype={"estimate_id": str}),
        commissioning=reference.commissioning,
        pathways=reference.pathways,
        recommendations=reference.recommendations,
        sources=reference.sources,
        caseload_national=reference.caseload,
        assets=assets,
        observed=(pd.read_csv(data_dir / "observed.csv", encoding="utf-8-sig")
                  if (data_dir / "observed.csv").is_file() else None),
    )

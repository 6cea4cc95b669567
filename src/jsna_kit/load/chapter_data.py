"""Read the data bundle the build wrote for one area's chapter (``<assets>/data/``), plus the
reference tables every chapter shares. The notebook calls this once; everything after it is
presentation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
    policy: pd.DataFrame | None = None  # the national policy statements (reference policy.csv)
    observed: pd.DataFrame | None = None
    context: pd.DataFrame | None = None  # benchmarked Fingertips indicators, when exports exist
    neighbours: pd.DataFrame | None = None  # the area, its statistical neighbours and its nation, compared
    services: pd.DataFrame | None = None  # the analyst's local services figures, as published
    region_areas: object | None = None  # GeoDataFrame of the region's areas, when boundaries exist
    map_note: str = ""
    language: str = "en"  # the chapter's language: "en", or "cy" (its reference text in Welsh)
    other_chapter: str = ""  # the page of this chapter in the other language, where one is built
    _records: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def rows(self, table: str, priority_area: str | None = None) -> list[dict]:
        """One of the tables above as a list of rows (dicts), all of them or one priority
        area's, in the table's order. Presenting a chapter goes row by row; pandas row access
        costs about a millisecond a row, so each table is converted once per chapter. The rows
        are shared: read them, do not change them."""
        if table not in self._records:
            frame = getattr(self, table)
            # As to_dict("records") gives them, in half the time for Arrow-backed text columns.
            columns = [] if frame is None else list(frame.columns)
            records = [] if frame is None else [dict(zip(columns, values, strict=True)) for values in
                                                zip(*(frame[c].tolist() for c in columns), strict=True)]
            grouped: dict = {}
            for record in records:
                grouped.setdefault(record.get("priority_area"), []).append(record)
            self._records[table] = (records, grouped)
        records, grouped = self._records[table]
        return records if priority_area is None else grouped.get(priority_area, [])

    def source(self, key: str) -> dict | None:
        """The bibliography row (``sources``) for a source key."""
        if "sources_by_key" not in self._records:
            self._records["sources_by_key"] = {r["source_key"]: r for r in reversed(self.rows("sources"))}
        return self._records["sources_by_key"].get(key)

    @property
    def area_name(self) -> str:
        return self.area["area_name"]

    @property
    def country(self) -> str:
        return self.area.get("country") or ("Wales" if self.area["area_code"].startswith("W") else "England")


def region_boundaries(data_dir: str | Path | None, area_code: str,
                      region_codes: list[str] | None = None) -> tuple[object | None, str]:
    """The upper-tier areas of the area's region (England) or of Wales, for the location map, or
    None and a one-line reason when the boundary files are not in the data directory.
    ``region_codes``: the region's area codes, as the build put them in the bundle; without them
    they are looked up in the area list."""
    from ..errors import MissingDataError
    from .geography import load_boundaries

    try:
        if region_codes is None:
            from .areas import areas_by_region, load_areas

            areas = load_areas(data_dir, validate=False)  # checked by the build that made the bundle
            region = areas.loc[areas["area_code"] == area_code, "region_code"]
            region_codes = [] if region.empty else areas_by_region(areas)[region.iloc[0]]
        boundaries = load_boundaries("ctyua", data_dir)
    except MissingDataError:
        # the reader is told there is no map; how to add one is in the README and the build's notes
        return None, ""
    if area_code not in region_codes:
        return None, "No map: the area is not in the boundary file."
    return boundaries[boundaries["area_code"].isin(region_codes)].reset_index(drop=True), ""


def _optional(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path, encoding="utf-8-sig") if path.is_file() else None


def read_chapter_data(assets: str | Path, *, area_code: str, area_name: str, caseload: float | None = None,
                      data_dir: str | Path | None = None, language: str = "en",
                      other_chapter: str = "") -> ChapterData:
    """Read the bundle; ``caseload`` (when given) must match the bundle's, so a notebook run with
    stale parameters fails instead of describing another build's numbers. ``language``: the
    chapter's; in Welsh ("cy") the reference text is the Welsh beside the English in each file
    (``load.localise``), and a row the chapter may print without it fails here. ``other_chapter``:
    the page of the same chapter in the other language (a Welsh area's, when both are built)."""
    from .localise import area_in_language, generated_in_language, in_language
    from .reference import load_reference

    assets = Path(assets)
    bundle_dir = assets / "data"
    for name in BUNDLE_FILES:
        if not (bundle_dir / name).is_file():
            raise InputFileError.single(bundle_dir / name, "the chapter's data file is missing",
                                        fix="build the chapter with `jsna-kit build`, which writes it")
    area = json.loads((bundle_dir / "chapter.json").read_text(encoding="utf-8"))
    if area.get("area_code") != area_code:
        raise InputFileError.single(bundle_dir / "chapter.json",
                                    f"data bundle is for {area.get('area_code')}, not {area_code}",
                                    column="area_code", value=area.get("area_code"),
                                    fix="rebuild the chapter so its parameters and data match")
    area["area_name"] = area_name
    if caseload is not None and abs(float(area["caseload"]) - float(caseload)) > 1e-6:
        raise InputFileError.single(bundle_dir / "chapter.json",
                                    f"data bundle has a caseload of {area['caseload']:g}, not {caseload:g}",
                                    column="caseload", value=area["caseload"],
                                    fix="rebuild the chapter so its parameters and data match")
    region_areas, map_note = (region_boundaries(data_dir, area_code, area.get("region_area_codes"))
                              if data_dir else (None, ""))
    reference = load_reference(validate=False)  # checked by the build that made the bundle
    estimates = pd.read_csv(bundle_dir / "estimates.csv", encoding="utf-8-sig", dtype={"area_code": str,
                                                                                    "estimate_id": str})
    evidence = pd.read_csv(bundle_dir / "evidence.csv", encoding="utf-8-sig", dtype={"estimate_id": str})
    changed = set((area.get("scenario") or {}).get("estimates") or [])
    if changed:  # a researcher's own figure is theirs: never credited to the study it replaced
        estimates, evidence = (_own_evidence(frame, changed) for frame in (estimates, evidence))

    def said(frame: pd.DataFrame | None, table: str) -> pd.DataFrame | None:
        frame = in_language(frame, table, language, reference.welsh, directory=reference.directory)
        return generated_in_language(frame, table, language)

    return ChapterData(
        area=area_in_language(area, language),
        estimates=said(estimates, "estimates"),
        evidence=said(evidence, "estimates"),
        commissioning=said(reference.commissioning, "commissioning"),
        pathways=said(reference.pathways, "pathways"),
        # the area's own order (its findings scored by the rule table), where the build made one
        recommendations=said(_optional(bundle_dir / "recommendations.csv")
                             if (bundle_dir / "recommendations.csv").is_file() else reference.recommendations,
                             "recommendations"),
        sources=reference.sources,
        caseload_national=reference.caseload,
        assets=assets,
        policy=said(reference.policy, "policy"),
        observed=(pd.read_csv(bundle_dir / "observed.csv", encoding="utf-8-sig")
                  if (bundle_dir / "observed.csv").is_file() else None),
        context=generated_in_language(_optional(bundle_dir / "context.csv"), "context", language),
        neighbours=generated_in_language(_optional(bundle_dir / "neighbours.csv"), "neighbours", language),
        services=_optional(bundle_dir / "services.csv"),
        region_areas=region_areas,
        map_note=map_note,
        language=language,
        other_chapter=other_chapter,
    )


#: What a chapter built from a researcher's own evidence says of a figure they added or changed.
OWN_EVIDENCE = "the researcher's own evidence"


def _own_evidence(frame: pd.DataFrame, changed: set[str]) -> pd.DataFrame:
    """``frame`` with the rows of the researcher's added or changed estimates credited to them: no
    source key (so no study is cited for their figure), the setting said to be their evidence."""
    if "estimate_id" not in frame.columns:
        return frame
    out = frame.copy()
    rows = out["estimate_id"].isin(changed)
    if "source_keys" in out.columns:
        out["source_keys"] = out["source_keys"].astype(object).where(~rows, "")
    if "setting" in out.columns:
        out["setting"] = out["setting"].astype(object).where(
            ~rows, OWN_EVIDENCE + ", in place of: " + out["setting"].astype(str))
    return out

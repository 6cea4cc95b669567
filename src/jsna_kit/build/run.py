"""What ``jsna-kit build`` does for one area: resolve the area, choose its caseload (local or
modelled), compute its estimates, then build and render the chapter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..config import TEMPLATE_NAME, notebooks_dir, reference_dir
from ..config import data_dir as resolve_data_dir
from ..errors import EstimateInputError, MissingDataError
from ..load.areas import areas_by_region, code_changes, load_areas, resolve_area
from ..load.reference import load_reference
from ..model.caseload import local_caseload, modelled_caseload
from ..model.estimates import applied_evidence, estimate_table, for_publication
from .chapter import AreaRequest, ChapterBuild, build_chapter, default_out_dir
from .local_inputs import caseload_from_file, context_for_areas, observed_needs

NATIONAL_TOTAL_MEASURE = "total"
LOOKUP_WORDS = {
    "mysociety_lookup+ctyua_2023": "mySociety local authority lookup and ONS counties and unitary authorities "
                                   "(December 2023)",
    "mysociety_lookup": "mySociety local authority lookup",
    "ctyua_2023": "ONS counties and unitary authorities (December 2023)",
    "reference_table": "jsna-kit's own table of the 175 areas (no lookup file in the data directory)",
}


def latest_national_caseload(caseload_national: pd.DataFrame) -> pd.Series:
    rows = caseload_national[(caseload_national["measure"] == NATIONAL_TOTAL_MEASURE)
                             & caseload_national["value"].notna()]
    return rows.sort_values("date").iloc[-1]


def area_caseload(area_code: str, *, caseload: float | None, caseload_source: str | None,
                  data_dir: Path, national: pd.DataFrame) -> tuple[pd.DataFrame, dict, list[Path]]:
    """The caseload table for one area, its description for the chapter, and the data files used."""
    if caseload is not None:
        table = local_caseload(pd.DataFrame({"area_code": [area_code], "caseload": [caseload]}))
        return table, {"caseload_source": caseload_source or "figure given by the analyst"}, []
    from ..load.population import adult_population

    try:
        adults = adult_population(data_dir)
    except MissingDataError as exc:
        raise MissingDataError(
            f"no caseload was given for {area_code} and the population file needed to model one is "
            f"missing ({exc}). Give the local caseload with --caseload N, or run `jsna-kit data fetch`."
        ) from None
    total = latest_national_caseload(national)
    known = adults.dropna(subset=["adult_population"])
    if area_code not in set(known["area_code"]):
        raise EstimateInputError(
            f"{area_code} has no adult population in the population file, so its caseload cannot be "
            "modelled; give the local caseload with --caseload N.")
    table = modelled_caseload(known[["area_code", "adult_population"]], float(total["value"]))
    table = table[table["area_code"] == area_code]
    row = table.iloc[0]
    info = {"caseload_basis": row.get("caseload_basis", ""), "caseload_national_date": str(total["date"])}
    population_file = data_dir / "population" / "mid2019_population_by_age.csv"
    return table, info, [population_file]


def build_area(query: str, *, area_name: str | None = None, caseload: float | None = None,
               caseload_source: str | None = None, caseload_file: Path | None = None,
               needs_file: Path | None = None, out_dir: Path | None = None,
               data_dir: str | Path | None = None, render: bool = True,
               today: dt.date | None = None, template: Path | None = None) -> ChapterBuild:
    """Build one area's chapter. The caseload comes from ``caseload`` (a total), else from
    ``caseload_file`` (the caseload template, possibly by sex and age band), else it is modelled.
    ``template`` replaces notebooks/chapter.ipynb."""
    template = Path(template) if template else notebooks_dir() / TEMPLATE_NAME
    data_path = resolve_data_dir(data_dir)
    areas = load_areas(data_path)
    changes = code_changes()
    row = resolve_area(query, areas, changes)
    area_code = str(row["area_code"])
    name = area_name or str(row["area_name"])
    reference = load_reference()
    if caseload is None and caseload_file is not None:
        caseload_table, caseload_info = caseload_from_file(Path(caseload_file), area_code, areas=areas,
                                                           changes=changes)
        data_inputs = [Path(caseload_file)]
    else:
        caseload_table, caseload_info, data_inputs = area_caseload(
            area_code, caseload=caseload, caseload_source=caseload_source,
            data_dir=data_path, national=reference.caseload)
    evidence = applied_evidence(reference.estimates)
    names = pd.DataFrame({"area_code": [area_code], "area_name": [name]})
    raw_estimates = estimate_table(caseload_table, evidence, names)
    estimates = for_publication(raw_estimates)
    observed = None
    if needs_file is not None:
        total_caseload = float(raw_estimates["caseload"].iloc[0])
        observed = observed_needs(Path(needs_file), area_code, raw_estimates, areas=areas, changes=changes,
                                  caseload=total_caseload)
        data_inputs.append(Path(needs_file))
    context, context_files = context_for_areas(data_path, areas, [area_code])
    data_inputs += context_files
    total = caseload_table[(caseload_table["sex"] == "all") & (caseload_table["age_band"] == "all")].iloc[0]
    meta = {
        "country": row.get("country", ""), "region_name": row.get("region_name", ""),
        "probation_region_name": row.get("probation_region_name", ""),
        "caseload": float(total["caseload"]), "caseload_lower": float(total["caseload_lower"]),
        "caseload_upper": float(total["caseload_upper"]), "caseload_kind": str(total["caseload_kind"]),
        **caseload_info,
        "data_vintages": _vintages(reference, caseload_info, areas),
        "region_area_codes": areas_by_region(areas).get(str(row.get("region_code", "")), []),
    }
    request = AreaRequest(area_code, name, caseload=caseload, caseload_source=caseload_source)
    inputs = sorted(reference_dir().glob("*.csv")) + [reference_dir() / "sources.bib", template] + data_inputs
    return build_chapter(request, estimates, evidence, out_dir=out_dir or default_out_dir(),
                         area_meta=meta, inputs=inputs, render=render, today=today, observed=observed, context=context,
                         data_dir=data_path, template=template)


def _vintages(reference, caseload_info: dict, areas: pd.DataFrame) -> dict[str, str]:
    years = pd.to_numeric(reference.estimates.get("year_end"), errors="coerce").dropna()
    vintages = {"national evidence": f"studies from {int(years.min())} to {int(years.max())}"
                if not years.empty else "see evidence table"}
    if "caseload_national_date" in caseload_info:
        vintages["national caseload"] = caseload_info["caseload_national_date"]
        vintages["population"] = "ONS mid-2019 estimates"
    source = areas.attrs.get("lookup_source") if hasattr(areas, "attrs") else None
    if source:
        vintages["areas"] = LOOKUP_WORDS.get(str(source), str(source))
    return vintages


def estimates_for_areas(queries: list[str] | None, *, data_dir: str | Path | None = None,
                        caseload: float | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The published estimates table for the given areas (all 175 when ``queries`` is None),
    and notes on areas that could not be estimated (e.g. no population to model a caseload)."""
    data_path = resolve_data_dir(data_dir)
    areas = load_areas(data_path)
    changes = code_changes()
    chosen = (areas if queries is None
              else pd.DataFrame([resolve_area(q, areas, changes) for q in queries]).drop_duplicates("area_code"))
    reference = load_reference()
    notes: list[str] = []
    if caseload is not None:
        if len(chosen) != 1:
            raise EstimateInputError("--caseload applies to one area; give exactly one --area with it")
        table = local_caseload(pd.DataFrame({"area_code": chosen["area_code"], "caseload": [caseload]}))
    else:
        from ..load.population import adult_population

        adults = adult_population(data_path)
        known = adults.dropna(subset=["adult_population"])
        missing = sorted(set(chosen["area_code"]) - set(known["area_code"]))
        for code in missing:
            notes.append(f"{code}: no adult population in the population file, so no modelled caseload; "
                         "build it with a local --caseload")
        total = latest_national_caseload(reference.caseload)
        table = modelled_caseload(known[["area_code", "adult_population"]], float(total["value"]))
        table = table[table["area_code"].isin(chosen["area_code"])]
    evidence = applied_evidence(reference.estimates)
    estimates = for_publication(estimate_table(table, evidence, areas[["area_code", "area_name"]]))
    return estimates, notes


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """CSV, Parquet or XLSX by the file's suffix, written atomically."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.stem + ".partial" + path.suffix)
    if suffix == ".csv":
        frame.to_csv(partial, index=False, encoding="utf-8")
    elif suffix == ".parquet":
        frame.to_parquet(partial, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(partial, index=False, sheet_name="estimates")
    else:
        raise EstimateInputError(f"cannot write {path.name}: use a .csv, .parquet or .xlsx file name")
    partial.replace(path)
    return path

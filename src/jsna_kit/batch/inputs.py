"""The model's inputs for the chosen areas, gathered from what the analyst gave and the data
directory: each area's caseload (given on the command line, from the analyst's caseload file, or
modelled from the adult population), its locally identified needs and its local context
indicators. Files are read by ``load``; rows are chosen and caseloads modelled by ``model``
(``model.local_caseload``, ``model.caseload``, ``model.observed``); here the two meet, once for
all the chosen areas, whether they are one or 175."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import EstimateInputError
from ..model.caseload import latest_national_caseload, local_caseload
from ..model.local_caseload import caseload_for_area, no_rows_for
from ..publish.manifest import Input
from .jobs import GivenArea

NO_POPULATION = ("no adult population in the population table, so its caseload cannot be modelled; give it a "
                 "local caseload (--caseload N for one area, or in a --caseload-file)")


@dataclass
class Caseloads:
    table: pd.DataFrame  # every area's caseload rows (``model.caseload`` columns): given, file, modelled
    info: dict[str, dict]  # per area: how its caseload was found, as chapter.json says it
    inputs: dict[str, list[Input]]  # per area: the files its caseload came from (for the manifest)
    unmodelled: list[str]  # areas with no local caseload and no population to model one from
    failed: dict[str, str] = field(default_factory=dict)  # areas whose rows in the analyst's file are wrong: why
    kept: dict[str, str] = field(default_factory=dict)  # areas last built from a file no longer there: why
    pools: dict[str, tuple[str, float]] = field(default_factory=dict)  # modelled areas: the total shared, and its pool
    regional_warnings: list[str] = field(default_factory=list)  # what the regional caseload file's check said
    models: AllModelled | None = None  # every area's figure under every candidate model, when any was modelled


def area_caseloads(codes: list[str], *, areas: pd.DataFrame, changes: pd.DataFrame, data_dir: Path,
                   national: pd.DataFrame, given: dict[str, GivenArea] | None = None,
                   caseload_file: Path | None = None, sheet: str | None = None,
                   remembered: dict[str, tuple[str, str, str | None]] | None = None) -> Caseloads:
    """The caseload of each area in ``codes``: a caseload given for it (``given``, by area code),
    else its rows in ``caseload_file``, else modelled as its share of the national caseload
    (``national``: the reference table ``caseload_national.csv``) by adult population.

    A caseload file that has rows for none of the chosen areas is an error: it was given to be used.
    ``remembered``: by area, the caseload file (path, SHA-256, sheet) its chapter was last built from; an
    area that this run gives no caseload for takes its rows from there again, or, when that file is
    gone or changed, is kept as it is (``kept``) rather than modelled over the analyst's figures."""
    from ..load.cells import caseload_problem
    from ..load.local_data import read_by_area
    from ..publish.manifest import sha256_file

    latest = latest_national_caseload(national)
    total = (float(latest["value"]), str(latest["date"]))
    given = {code: g for code, g in (given or {}).items() if g.caseload is not None}
    tables, info, inputs = [], {}, {}
    for code in codes:
        if code in given:
            problem = caseload_problem(float(given[code].caseload), total)
            if problem:
                raise EstimateInputError(f"the caseload given for {code} (--caseload {given[code].caseload:g}): "
                                         f"{problem}")
            tables.append(local_caseload(pd.DataFrame({"area_code": [code], "caseload": [given[code].caseload]})))
            info[code] = {"caseload_source": given[code].caseload_source or "figure given by the analyst"}
            inputs[code] = []
    failed: dict[str, str] = {}
    if caseload_file is not None:
        path = Path(caseload_file)
        frame, problems = read_by_area(path, "caseload", areas=areas, code_changes=changes, national=total,
                                       sheet=sheet)
        # an area's own bad rows fail it, even when its caseload is given: a bad file is never ignored
        failed.update({code: "; ".join(str(p) for p in found) for code, found in problems.items() if code in codes})
        in_file = set(frame["area_code"]) | set(failed)
        wanted = [c for c in codes if c not in given]
        if wanted and not in_file.intersection(wanted):
            raise EstimateInputError(no_rows_for(path.name, wanted, frame["area_code"]))
        for code in wanted:
            if code in in_file and code not in failed:
                try:
                    table, info[code] = caseload_for_area(frame, code, file_name=path.name)
                except EstimateInputError as exc:
                    failed[code] = str(exc)
                    continue
                tables.append(table)
                inputs[code] = [Input("caseload file", path.name, path)]
    if failed:  # a given caseload whose own rows in the file are wrong is not built either
        tables = [t for t in tables if t["area_code"].iloc[0] not in failed]
        info = {c: v for c, v in info.items() if c not in failed}
    kept: dict[str, str] = {}
    read: dict[tuple, tuple] = {}  # each remembered file read once, however many areas it holds
    for code, (where, digest, its_sheet) in (remembered or {}).items():
        if code not in codes or code in info or code in failed or code in given:
            continue
        path = Path(where)
        if not path.is_file() or sha256_file(path) != digest:
            kept[code] = (f"kept as it was built, from the analyst's caseload file {path.name}, which is no longer "
                          "there as it was; give it with --caseload-file to build the area again, or --replace-local "
                          "to model its caseload instead")
            continue
        if (path, its_sheet) not in read:
            read[path, its_sheet] = read_by_area(path, "caseload", areas=areas, code_changes=changes, national=total,
                                                 sheet=its_sheet)
        frame, problems = read[path, its_sheet]
        if code in problems or code not in set(frame["area_code"]):
            kept[code] = f"kept as it was built: {path.name} no longer holds a usable caseload for it"
            continue
        table, info[code] = caseload_for_area(frame, code, file_name=path.name)
        tables.append(table)
        inputs[code] = [Input("caseload file", path.name, path)]
    to_model = [c for c in codes if c not in info and c not in failed and c not in kept]
    modelled = _modelled(to_model, data_dir, national, areas)
    info.update(modelled.info)
    inputs.update({code: list(modelled.inputs) for code in modelled.info})
    table = (pd.concat([*tables, modelled.table], ignore_index=True) if tables or not modelled.table.empty
             else pd.DataFrame())
    # Every candidate model's figure sits beside each caseload, blank for a local one, whether or
    # not any area of this run is modelled: one area's tables are the same built alone or in a batch.
    every = modelled.every or (all_modelled_caseloads(areas, national, data_dir) if tables else None)
    if every is not None and not table.empty:
        table = table.assign(**{c: table[c] if c in table.columns else float("nan") for c in every.table.columns
                                if c.startswith("caseload_alt_")})
    return Caseloads(table, info, inputs, modelled.unmodelled, failed, kept, modelled.pools, modelled.warnings,
                     every)


@dataclass
class _Modelled:
    table: pd.DataFrame
    info: dict
    unmodelled: list[str]
    pools: dict[str, tuple[str, float]] = field(default_factory=dict)
    inputs: list[Input] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    every: AllModelled | None = None  # every area's candidates, for chapter.json's caseload_models


@dataclass
class AllModelled:
    """Every area's modelled caseload under every candidate model (``model.caseload_models``),
    computed once for all 175: ``table`` (``modelled_caseloads``' columns), ``drivers`` (what
    drives each model), each area's pool and the date of its total, and the regional file used."""

    table: pd.DataFrame
    drivers: pd.DataFrame
    pools: dict[str, tuple[str, float]]
    dates: dict[str, str]
    national_date: str
    inputs: list[Input] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def all_modelled_caseloads(areas: pd.DataFrame, national: pd.DataFrame, data_dir: Path | None) -> AllModelled:
    """The modelled caseload of every area of ``areas`` by every candidate model: the national
    total (``national``: ``caseload_national.csv``) and, when the data directory has a regional
    caseload file (``load.regional_caseload``), each of its regions' totals."""
    from ..load.regional_caseload import REGIONAL_FILE, load_regional_caseload, probation_regions
    from ..load.snapshot import (
        POPULATION_VINTAGE,
        adult_population_table,
        adults_by_area,
        area_land_table,
        deprivation_table,
        fingertips_snapshot,
    )
    from ..model.caseload_models import caseload_drivers, modelled_caseloads

    adults = adults_by_area(adult_population_table(areas))
    total = latest_national_caseload(national)
    national_total, national_date = float(total["value"]), str(total["date"])
    drivers = caseload_drivers(adults, areas=areas, deprivation=deprivation_table(areas),
                               fingertips=fingertips_snapshot(areas), land=area_land_table(areas))
    pool_totals, dates = {"national": national_total}, {"national": national_date}
    regional = load_regional_caseload(data_dir, regions=probation_regions(), national=(national_total, national_date))
    inputs, warnings = [], []
    if regional is not None:
        inputs.append(Input("data directory", REGIONAL_FILE.as_posix(), Path(data_dir) / REGIONAL_FILE))
        warnings = [str(w) for w in regional.warnings]
        for r in regional.table.itertuples(index=False):
            pool_totals[r.probation_region_code] = float(r.caseload)
            dates[r.probation_region_code] = str(r.date)
    table = modelled_caseloads(drivers, pool_totals, dates=dates, population_vintage=POPULATION_VINTAGE)
    pools = {code: (pool, pool_totals[pool]) for code, pool in zip(table["area_code"], table["caseload_pool"],
                                                                   strict=True)}
    area_dates = {code: dates[pool] for code, (pool, _) in pools.items()}
    return AllModelled(table, drivers, pools, area_dates, national_date, inputs, warnings)


def _modelled(codes: list[str], data_dir: Path | None, national: pd.DataFrame, areas: pd.DataFrame) -> _Modelled:
    """Caseloads for ``codes`` from the candidate models (``all_modelled_caseloads``, every area
    at once): the headline model's figure, of each probation region's caseload where the data
    directory has a regional caseload file, otherwise of the national total. Also each area's pool."""
    if not codes:
        return _Modelled(pd.DataFrame(), {}, [])
    from ..load.snapshot import POPULATION_VINTAGE

    every = all_modelled_caseloads(areas, national, data_dir)
    found = _Modelled(pd.DataFrame(), {}, [], inputs=list(every.inputs), warnings=list(every.warnings))
    table = every.table[every.table["area_code"].isin(codes)].reset_index(drop=True)
    found.table = table
    found.info = {r.area_code: {"caseload_basis": r.caseload_basis, "caseload_national_date": every.national_date,
                                "caseload_model": r.caseload_model, "caseload_pool": r.caseload_pool,
                                "caseload_date": every.dates[r.area_code], "population_vintage": POPULATION_VINTAGE}
                  for r in table.itertuples()}
    if found.warnings:  # the regional file's total is well short of the national one: say so in each chapter
        note = ("The regional caseload file's regions add up to well under the national caseload; areas of "
                "regions it does not give are modelled from the national total.")
        for code in found.info:
            found.info[code]["caseload_note"] = note
    found.unmodelled = [c for c in codes if c not in found.info]
    found.pools = every.pools
    found.every = every
    return found


def needs_by_area(needs_file: Path, estimates_by_area: dict[str, pd.DataFrame], *, areas: pd.DataFrame,
                  changes: pd.DataFrame, sheet: str | None = None) -> dict[str, pd.DataFrame]:
    """Each area's locally identified needs (``needs_file``, read once) against its headline
    estimates (``estimates_by_area``: the unpublished estimate table of each area)."""
    from ..load.local_data import read_needs
    from ..model.observed import observed_needs

    frame = read_needs(Path(needs_file), areas=areas, code_changes=changes, sheet=sheet)
    return {code: observed_needs(frame, code, estimates, caseload=float(estimates["caseload"].iloc[0]))
            for code, estimates in estimates_by_area.items()}


def context_for_areas(data_dir: Path, areas: pd.DataFrame, area_codes) -> tuple[pd.DataFrame | None, list[Path]]:
    """Fingertips context indicators for the given areas: from the exports in the data directory
    (benchmarked, with intervals) where there are any, and for every indicator x area they lack,
    the embedded snapshot of latest values (no intervals); and the export files used. English
    areas always have the snapshot's, compared with England; Welsh areas (Fingertips is England's)
    have Wales's own published figures (``load.snapshot.wales_indicators``), compared with Wales."""
    from ..load.context import latest_fingertips
    from ..load.fingertips import load_catalogue
    from ..load.snapshot import WALES, fingertips_snapshot, wales_indicators
    from ..model.context import combine_context, local_context, snapshot_context

    latest, files = latest_fingertips(data_dir) if data_dir is not None else (None, [])
    chosen = areas[areas["area_code"].isin(list(area_codes))]
    download = local_context(latest, load_catalogue(), chosen) if latest is not None else None
    snapshot = snapshot_context(fingertips_snapshot(areas), chosen)
    welsh = chosen[chosen["area_code"].str.startswith("W")]
    if not welsh.empty:  # English-only builds read no Welsh table, and their rows stay exactly as they were
        frames = [f for f in (snapshot, snapshot_context(wales_indicators(areas), welsh, nation=WALES))
                  if not f.empty]
        if frames:
            snapshot = pd.concat(frames, ignore_index=True).sort_values(
                ["area_code", "priority_area", "indicator_id"]).reset_index(drop=True)
    context = combine_context(download, snapshot)
    if context is not None and "region_value" in context.columns and context["region_value"].isna().all():
        # no region's value anywhere (the snapshot has none): no column an analyst would find always empty
        context = context.drop(columns=[c for c in REGION_COLUMNS if c in context.columns])
    return context, files


#: The comparison with the region, which only Fingertips exports in the data directory can give.
REGION_COLUMNS = ("region_value", "benchmark_region_95", "benchmark_region_99_8")

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

from ..errors import EstimateInputError, MissingDataError
from ..model.caseload import latest_national_caseload, local_caseload, modelled_caseload
from ..model.local_caseload import caseload_for_area
from ..publish.manifest import Input

POPULATION_FILE = Path("population") / "mid2019_population_by_age.csv"
NO_POPULATION = ("no adult population in the population file, so its caseload cannot be modelled; give it a "
                 "local caseload (--caseload N for one area, or in a --caseload-file)")


@dataclass(frozen=True)
class GivenArea:
    """What the analyst said of one area on the command line (``build --area``): the name to show,
    its local caseload and where that figure comes from (both texts cleaned of control and
    reordering characters, ``load.text.clean_text``)."""

    name: str | None = None
    caseload: float | None = None
    caseload_source: str | None = None

    def __post_init__(self):
        from ..load.text import clean_text

        for label in ("name", "caseload_source"):
            value = getattr(self, label)
            if value is not None:
                object.__setattr__(self, label, clean_text(value).strip() or None)


@dataclass
class Caseloads:
    table: pd.DataFrame  # every area's caseload rows (``model.caseload`` columns): given, file, modelled
    info: dict[str, dict]  # per area: how its caseload was found, as chapter.json says it
    inputs: dict[str, list[Input]]  # per area: the files its caseload came from (for the manifest)
    unmodelled: list[str]  # areas with no local caseload and no population to model one from
    failed: dict[str, str] = field(default_factory=dict)  # areas whose rows in the analyst's file are wrong: why
    kept: dict[str, str] = field(default_factory=dict)  # areas last built from a file no longer there: why


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
            raise EstimateInputError(
                f"{path.name} has no caseload rows for {wanted[0]}; add them or build the area with --caseload N"
                if len(wanted) == 1 else
                f"{path.name} has caseload rows for none of the {len(wanted)} chosen areas; check its area codes")
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
    modelled, modelled_info, unmodelled = _modelled(to_model, data_dir, national, areas)
    info.update(modelled_info)
    inputs.update({code: [Input("data directory", POPULATION_FILE.as_posix(), data_dir / POPULATION_FILE)]
                   for code in modelled_info})
    table = pd.concat([*tables, modelled], ignore_index=True) if tables or not modelled.empty else pd.DataFrame()
    return Caseloads(table, info, inputs, unmodelled, failed, kept)


def _modelled(codes: list[str], data_dir: Path, national: pd.DataFrame,
              areas: pd.DataFrame) -> tuple[pd.DataFrame, dict, list[str]]:
    """Population-share caseloads for ``codes``, their chapter descriptions, and the codes with no
    population to model from."""
    if not codes:
        return pd.DataFrame(), {}, []
    from ..load.population import adult_population

    try:
        adults = adult_population(data_dir, areas)
    except MissingDataError as exc:
        raise MissingDataError(
            f"no caseload was given for {codes[0]} and the population file needed to model one is missing "
            f"({exc}). Give the local caseload with --caseload N, or run `jsna-kit data fetch`."
            if len(codes) == 1 else
            f"{len(codes)} of the chosen areas have no local caseload and the population file needed to model "
            f"one is missing ({exc}). Run `jsna-kit data fetch`, or give local caseloads with --caseload-file."
        ) from None
    total = latest_national_caseload(national)
    known = adults.dropna(subset=["adult_population"])
    table = modelled_caseload(known[["area_code", "adult_population"]], float(total["value"]))
    table = table[table["area_code"].isin(codes)].reset_index(drop=True)
    info = {r.area_code: {"caseload_basis": r.caseload_basis, "caseload_national_date": str(total["date"])}
            for r in table.itertuples()}
    return table, info, [c for c in codes if c not in info]


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
    """Benchmarked Fingertips context indicators for the given areas from the exports in the data
    directory, and the files used; (None, []) when there are no exports."""
    from ..load.context import latest_fingertips
    from ..load.fingertips import load_catalogue
    from ..model.context import local_context

    latest, files = latest_fingertips(data_dir)
    if latest is None:
        return None, []
    chosen = areas[areas["area_code"].isin(list(area_codes))]
    return local_context(latest, load_catalogue(), chosen), files

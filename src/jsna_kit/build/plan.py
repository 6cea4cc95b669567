"""What each area's chapter is built from, prepared for many areas at once.

The batch counterpart of ``run.build_area``'s preparation: the areas are chosen (all, a file of
codes or names, or a region), their caseloads set (modelled from population, or from the
analyst's caseload file) and every estimate computed in one vectorised pass. Each area then gets
an ``AreaPlan``: its parameters, its ``chapter.json`` content and its tables, exactly what
``run.build_area`` would write for it (``tests/test_batch.py`` checks they are identical).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..config import TEMPLATE_NAME, notebooks_dir, reference_dir
from ..errors import InputFileError, MissingDataError, UnknownAreaError
from ..load.areas import areas_by_region, normalise_name, resolve_code
from ..load.reference import load_reference
from ..model.caseload import modelled_caseload
from ..model.estimates import applied_evidence, estimate_table, for_publication, prevalence_table
from .bundle import csv_text, csv_texts_by
from .chapter import chapter_parameters, slugify
from .jobs import AreaPlan
from .local_inputs import caseload_from_file, context_for_areas, observed_needs
from .run import _vintages, latest_national_caseload

POPULATION_FILE = Path("population") / "mid2019_population_by_age.csv"


@dataclass
class BatchPlan:
    plans: list[AreaPlan]
    evidence: pd.DataFrame
    estimates: pd.DataFrame  # every planned area's published estimates, one table
    skipped: list[tuple[str, str, str]]  # area_code, area_name, why it cannot be built
    template: Path


def read_areas_file(path: Path, areas: pd.DataFrame, changes: pd.DataFrame) -> list[str]:
    """Area codes from a file of one code or name per line (``#`` starts a comment). Every line
    that names no area is reported at once, with its line number."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputFileError.single(path, f"cannot be read ({exc.strerror})") from None
    codes, problems = [], []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            codes.append(resolve_code(text, areas, changes))
        except UnknownAreaError as exc:
            problems.append((number, text, str(exc)))
    if problems:
        from ..errors import Problem

        raise InputFileError([Problem(str(path), n, None, text, msg, "give a GSS code or an area name")
                              for n, text, msg in problems])
    if not codes:
        raise InputFileError.single(path, "names no areas", fix="put one area code or name on each line")
    return list(dict.fromkeys(codes))


def areas_in_region(areas: pd.DataFrame, region: str) -> pd.DataFrame:
    """The areas of a region or probation region, matched by name or code as ``jsna-kit areas``."""
    wanted = normalise_name(region)
    columns = ["region_code", "region_name", "probation_region_code", "probation_region_name"]
    keep = areas[columns].apply(lambda c: c.map(normalise_name) == wanted).any(axis=1)
    if not keep.any():
        names = sorted({normalise_name(n): n for n in [*areas["region_name"], *areas["probation_region_name"]]
                        if isinstance(n, str) and n}.values())
        raise UnknownAreaError(f"no region or probation region called {region!r}; choose from {', '.join(names)}")
    return areas[keep]


def plan_areas(chosen: pd.DataFrame, *, areas: pd.DataFrame, changes: pd.DataFrame, data_dir: Path,
               template: Path | None = None, caseload_file: Path | None = None,
               needs_file: Path | None = None, cache_dir: Path | None = None,
               digests: dict | None = None) -> BatchPlan:
    """Caseloads, estimates, local tables and chapter parameters for every area in ``chosen``
    (rows of ``load_areas()``). Areas with rows in ``caseload_file`` use them; the others are
    modelled, and those with no population to model from are returned in ``skipped``.

    With ``cache_dir``, the prevalence intervals (which follow from the evidence and the code
    alone; computing them imports PHStatsMethods and scipy, over a second) are kept there for
    the next run, and, given the run's ``digests`` (``cache.shared_digests``), so is the checked
    reference data while its files and the code are unchanged."""
    from . import cache

    template = Path(template) if template else notebooks_dir() / TEMPLATE_NAME
    if cache_dir is not None and digests:
        key = cache.sha256_text(f"{digests['reference']} {digests['package']}")
        reference = cache.kept(cache_dir, "reference", key, load_reference)
    else:
        reference = load_reference()
    evidence = applied_evidence(reference.estimates)
    codes = list(chosen["area_code"])
    local_tables, local_info = _local_caseloads(caseload_file, codes, areas, changes)
    to_model = [c for c in codes if c not in local_info]
    modelled, modelled_info, no_population = _modelled_caseloads(to_model, data_dir, reference, areas)
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    skipped = [(c, names.get(c, c), "no adult population in the population file, so its caseload cannot be "
                "modelled; give it a local caseload in --caseload-file") for c in no_population]
    caseloads = pd.concat([*local_tables, modelled], ignore_index=True)
    if caseloads.empty:
        return BatchPlan([], evidence, pd.DataFrame(), skipped, template)
    key = cache.sha256_text(csv_text(evidence) + ((digests or {}).get("package") or cache.package_digest()))
    prevalence = cache.kept(cache_dir, "prevalence", key, lambda: prevalence_table(evidence))
    raw = estimate_table(caseloads, evidence, areas[["area_code", "area_name"]], prevalence=prevalence)
    published = for_publication(raw)
    context, context_files = context_for_areas(data_dir, areas, [c for c in codes if c not in no_population])
    common = sorted(reference_dir().glob("*.csv")) + [reference_dir() / "sources.bib", template]
    raw_by_area = dict(tuple(raw.groupby("area_code", sort=False)))
    published_by_area = dict(tuple(published.groupby("area_code", sort=False)))
    context_by_area = dict(tuple(context.groupby("area_code", sort=False))) if context is not None else {}
    estimate_texts = csv_texts_by(published, "area_code")
    totals = caseloads[(caseloads["sex"] == "all") & (caseloads["age_band"] == "all")].set_index("area_code")
    vintages: dict = {}  # by national caseload date (modelled) or None (local): the same for many areas
    regions = areas_by_region(areas)  # each chapter's map shows its region's areas
    plans = []
    for row in chosen.itertuples(index=False):
        code = row.area_code
        if code not in totals.index:
            continue
        row = pd.Series(row._asdict())
        info = local_info.get(code) or modelled_info[code]
        inputs = list(common) + ([Path(caseload_file)] if code in local_info else [data_dir / POPULATION_FILE])
        observed = None
        if needs_file is not None:
            area_raw = raw_by_area[code].reset_index(drop=True)
            observed = observed_needs(Path(needs_file), code, area_raw, areas=areas, changes=changes,
                                      caseload=float(area_raw["caseload"].iloc[0]))
            inputs.append(Path(needs_file))
        total = totals.loc[code]
        when = info.get("caseload_national_date")
        if when not in vintages:
            vintages[when] = _vintages(reference, info, areas)
        meta = {
            "country": row.get("country", ""), "region_name": row.get("region_name", ""),
            "probation_region_name": row.get("probation_region_name", ""),
            "caseload": float(total["caseload"]), "caseload_lower": float(total["caseload_lower"]),
            "caseload_upper": float(total["caseload_upper"]), "caseload_kind": str(total["caseload_kind"]),
            **info,
            "data_vintages": dict(vintages[when]),
            "region_area_codes": regions.get(str(row.get("region_code", "")), []),
        }
        name = str(row["area_name"])
        slug = slugify(code, name)
        plans.append(AreaPlan(
            area_code=code, area_name=name, slug=slug,
            parameters=chapter_parameters(code, name, meta["caseload"], data_dir),
            area={**meta, "area_code": code, "area_name": name},
            tables={"estimates.csv": published_by_area[code].reset_index(drop=True),
                    "observed.csv": observed,
                    "context.csv": (context_by_area[code].reset_index(drop=True)
                                    if code in context_by_area else None)},
            inputs=inputs + context_files,
            texts={"estimates.csv": estimate_texts[code]},
        ))
    return BatchPlan(plans, evidence, published, skipped, template)


def _local_caseloads(caseload_file: Path | None, codes: list[str], areas: pd.DataFrame,
                     changes: pd.DataFrame) -> tuple[list[pd.DataFrame], dict[str, dict]]:
    """Caseload tables from the analyst's file for the chosen areas that have rows in it."""
    if caseload_file is None:
        return [], {}
    from ..load.local_data import read_caseload

    frame = read_caseload(Path(caseload_file), areas=areas, code_changes=changes)
    in_file = set(frame["area_code"])
    tables, info = [], {}
    for code in codes:
        if code in in_file:
            table, info[code] = caseload_from_file(Path(caseload_file), code, areas=areas, changes=changes,
                                                   frame=frame)
            tables.append(table)
    return tables, info


def _modelled_caseloads(codes: list[str], data_dir: Path, reference,
                        areas: pd.DataFrame) -> tuple[pd.DataFrame, dict, list[str]]:
    """Population-share caseloads for ``codes`` (as ``run.area_caseload`` models one area), their
    chapter descriptions, and the codes with no population to model from."""
    if not codes:
        return pd.DataFrame(), {}, []
    from ..load.population import adult_population

    try:
        adults = adult_population(data_dir, areas)
    except MissingDataError as exc:
        raise MissingDataError(
            f"{len(codes)} of the chosen areas have no local caseload and the population file needed to model "
            f"one is missing ({exc}). Run `jsna-kit data fetch`, or give local caseloads with --caseload-file."
        ) from None
    national = latest_national_caseload(reference.caseload)
    known = adults.dropna(subset=["adult_population"])
    table = modelled_caseload(known[["area_code", "adult_population"]], float(national["value"]))
    table = table[table["area_code"].isin(codes)].reset_index(drop=True)
    info = {r.area_code: {"caseload_basis": r.caseload_basis, "caseload_national_date": str(national["date"])}
            for r in table.itertuples()}
    return table, info, [c for c in codes if c not in info]

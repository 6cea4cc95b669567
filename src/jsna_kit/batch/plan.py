"""What each chosen area's chapter is built from, for one area or for 175 at once.

The areas' caseloads are set (``batch.inputs``: given, from the analyst's file, or modelled) and
every estimate is computed in one vectorised pass. Each area then gets an ``AreaPlan``: its
papermill parameters, its ``chapter.json`` content and its bundle tables. ``jsna-kit estimates``
and ``jsna-kit overview`` take their caseloads and estimates from the same functions
(``batch.estimates.estimates_for_areas``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..config import TEMPLATE_NAME, chapter_details, notebooks_dir, reference_files
from ..load.areas import areas_by_region
from ..load.commentary import commentary_files, read_commentary
from ..load.reference import load_reference, scenario_changes
from ..load.welsh_names import welsh_area_names
from ..model.disclosure import protect_area
from ..model.estimates import applied_evidence, estimate_table, for_publication, prevalence_table
from ..model.local_adjustment import adjusted_prevalence
from ..publish.bundle import csv_text, table_digests_by, table_digests_of
from ..publish.manifest import Input
from ..publish.names import slugify
from .adjustment import with_local_adjustment
from .area_recommendations import recommendations_by_area
from .inputs import NO_POPULATION, all_modelled_caseloads, area_caseloads, context_for_areas, needs_by_area
from .jobs import AreaPlan, GivenArea
from .local_figures import caseload_totals, context_sources, fingertips_snapshot, local_figures, national_total
from .similar_areas import similar_areas

LOOKUP_WORDS = {
    "mysociety_lookup+ctyua_2023": "mySociety local authority lookup and ONS counties and unitary authorities "
                                   "(December 2023)",
    "mysociety_lookup": "mySociety local authority lookup",
    "ctyua_2023": "ONS counties and unitary authorities (December 2023)",
    "reference_table": "jsna-kit's own table of the 175 areas (no lookup file in the data directory)",
}


@dataclass
class BatchPlan:
    plans: list[AreaPlan]
    evidence: pd.DataFrame
    estimates: pd.DataFrame  # every planned area's published estimates, one table
    skipped: list[tuple[str, str, str]]  # area_code, area_name, why it cannot be built
    template: Path
    sources: pd.DataFrame  # the reference data's sources, for the downloads
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # area_code, area_name, what is wrong

    @cached_property
    def evidence_digest(self) -> str:
        """The digest of the evidence table, part of every area's build key."""
        from .cache import table_digest

        return table_digest(self.evidence)


def chapter_parameters(area_code: str, area_name: str, caseload: float, data_dir: Path | None) -> dict:
    """The papermill parameters of an area's chapter (the template's parameters cell)."""
    return {"area_code": area_code, "area_name": area_name, "caseload": float(caseload),
            "chapter_assets": slugify(area_code, area_name), "data_dir": str(data_dir) if data_dir else ""}


def data_vintages(reference, caseload_info: dict, areas: pd.DataFrame) -> dict[str, str]:
    """When the figures a chapter rests on were published, in words, for its data notes."""
    years = pd.to_numeric(reference.estimates.get("year_end"), errors="coerce").dropna()
    vintages = {"national evidence": f"studies from {int(years.min())} to {int(years.max())}"
                if not years.empty else "see evidence table"}
    if "caseload_national_date" in caseload_info:
        vintages["national caseload"] = caseload_info["caseload_national_date"]
    vintages["population"] = caseload_info.get("population_vintage") or "ONS mid-2023 population estimates"
    source = areas.attrs.get("lookup_source") if hasattr(areas, "attrs") else None
    if source:
        vintages["areas"] = LOOKUP_WORDS.get(str(source), str(source))
    return vintages


def checked_evidence(reference) -> pd.DataFrame:
    """The national evidence with each row's role (``model.estimates.applied_evidence``), once every
    priority area has a figure to head it; otherwise one error naming the areas left without one."""
    from ..config import reference_file
    from ..errors import InputFileError, Problem
    from ..model.headline import unheaded_areas

    evidence = applied_evidence(reference.estimates)
    missing = unheaded_areas(evidence)
    if missing:
        path = str(reference_file("national_estimates.csv"))
        raise InputFileError([Problem(
            path, None, "priority_area", key, "no row can head this priority area under the headline rule, so "
            "its chapters would have no local estimate",
            "give it a prevalence measured among people on probation (a percentage with a value and a status "
            "of ok), or a comparator prevalence with a sample size") for key in missing])
    return evidence


def reference_inputs() -> list[Input]:
    """The reference files as the manifest lists them: the built-in set, or a researcher's own copy."""
    from ..config import own_reference_dir

    own = own_reference_dir()
    return [Input("reference (own)" if own is not None and path.parent == own else "reference", name, path)
            for name, path in reference_files().items()]


def _request(code: str, given: GivenArea | None, caseload_inputs: list[Input], needs_inputs: list[Input],
             template: Path, sheet: str | None, services_inputs: list[Input] | None = None) -> dict:
    """What was asked for an area, as the manifest records it for a rebuild (file names only)."""
    from ..config import own_reference_dir

    given = given or GivenArea()
    return {"area": code, "area_name": given.name, "caseload": given.caseload,
            "caseload_source": given.caseload_source,
            "caseload_file": next((i.name for i in caseload_inputs if i.role == "caseload file"), None),
            "needs_file": needs_inputs[0].name if needs_inputs else None,
            "services_file": services_inputs[0].name if services_inputs else None,
            "sheet": sheet, "template": template.name,
            "reference": "own" if own_reference_dir() is not None else "built-in"}


def _local(given: GivenArea | None, caseload_inputs: list[Input], needs_inputs: list[Input],
           sheet: str | None, services_inputs: list[Input] | None = None) -> dict | None:
    """The analyst's own inputs for an area, as its build record remembers them for later builds."""
    from dataclasses import asdict

    from ..publish.manifest import sha256_file

    def kept(inputs: list[Input], role: str):
        path = next((i.path for i in inputs if i.role == role), None)
        return [str(Path(path).resolve()), sha256_file(path)] if path is not None and Path(path).is_file() else None

    local = {"given": asdict(given) if given is not None and given.caseload is not None else None,
             "caseload_file": kept(caseload_inputs, "caseload file"), "needs_file": kept(needs_inputs, "needs file"),
             "services_file": kept(services_inputs or [], "services file"), "sheet": sheet}
    return local if any(v for k, v in local.items() if k != "sheet") else None


def _names(areas: pd.DataFrame, given: dict[str, GivenArea]) -> pd.DataFrame:
    """Each area's name as the chapter shows it: the name given for it (``--area-name``), else its own."""
    names = areas[["area_code", "area_name"]]
    renamed = {code: g.name for code, g in given.items() if g.name}
    if renamed:
        names = names.assign(area_name=names["area_code"].map(renamed).fillna(names["area_name"]))
    return names


def services_by_area(services_file: Path | None, codes: list[str], *, areas: pd.DataFrame, changes: pd.DataFrame,
                     sheet: str | None, remembered: dict[str, dict] | None) -> tuple[dict, dict]:
    """Each area's local services table as published (``model.disclosure.protect_services``) and
    the file it came from: the services file given (every row must be for an area of this build),
    else, for an area built from one before, that file again while it is there."""
    from ..errors import InputFileError, Problem
    from ..load.local_data import read_services
    from ..model.disclosure import protect_services

    wanted = {code: Path(services_file) for code in codes} if services_file is not None else {}
    for code, local in (remembered or {}).items():
        if code in codes and code not in wanted and local.get("services_file"):
            path = Path(local["services_file"][0])
            if path.is_file():
                wanted[code] = path
    tables, files = {}, {}
    for path in dict.fromkeys(wanted.values()):
        frame = read_services(path, areas=areas, code_changes=changes, sheet=sheet)
        if path == (Path(services_file) if services_file is not None else None):
            other = frame[~frame["area_code"].isin(codes)]
            if not other.empty:
                raise InputFileError([Problem(str(path), int(r.row), "area_code", r.original_area_code,
                                              f"is not an area this build is for ({', '.join(codes[:5])}"
                                              f"{', ...' if len(codes) > 5 else ''})",
                                              "remove the row, or build that area too (--areas or --all)")
                                      for r in other.head(20).itertuples()])
        for code, rows in protect_services(frame).groupby("area_code", sort=False):
            if wanted.get(code) == path:
                tables[code] = rows.drop(columns=["row", "original_area_code"], errors="ignore").reset_index(drop=True)
                files[code] = path
    return tables, files


def local_bodies(codes: list[str], areas: pd.DataFrame, details: dict) -> dict[str, dict]:
    """Each area's bodies by role for ``chapter.json`` (``load.local_system``): ``{"as_at": the
    latest date the lookups hold, "roles": {role: [{name, name_cy, code, share_pct, as_at, basis}]}}``;
    a probation delivery unit also lists the other areas it serves (``also_serves``; a Welsh area's
    also by their Welsh names, ``also_serves_cy``). The combating
    drugs partnership is the analyst's to name (``jsna-kit.toml``): no public list of
    their footprints exists."""
    from ..load.local_system import load_local_system

    table = load_local_system(areas=areas)
    # Who else each probation delivery unit serves (by its code, or its name where it has none)
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    names_cy = welsh_area_names(areas)
    served: dict[str, list[str]] = {}
    for r in table[table["role"] == "probation_delivery_unit"].to_dict("records"):
        served.setdefault(r["body_code"] or r["body_name"], []).append(r["area_code"])
    table = table[table["area_code"].isin(codes)]
    out: dict[str, dict] = {}
    by_area: dict[str, list[dict]] = {}
    for r in table.to_dict("records"):
        by_area.setdefault(r["area_code"], []).append(r)
    for code, rows in by_area.items():
        roles: dict[str, list[dict]] = {}
        for r in rows:
            roles.setdefault(r["role"], []).append({
                "name": r["body_name"], "name_cy": r["body_name_cy"] or None, "code": r["body_code"] or None,
                "share_pct": None if pd.isna(r["share_pct"]) else float(r["share_pct"]), "as_at": r["as_at"],
                "basis": r["basis"],
                **({"also_serves": [names.get(c, c) for c in served.get(r["body_code"] or r["body_name"], [])
                                    if c != code]}
                   if r["role"] == "probation_delivery_unit" else {}),
                **({"also_serves_cy": [names_cy.get(c) or names.get(c, c)
                                       for c in served.get(r["body_code"] or r["body_name"], []) if c != code]}
                   if r["role"] == "probation_delivery_unit" and code.startswith("W") else {})})
        if details.get("combating_drugs_partnership"):
            roles["combating_drugs_partnership"] = [{"name": details["combating_drugs_partnership"], "name_cy": None,
                                                     "code": None, "share_pct": None, "as_at": None,
                                                     "basis": "given by the analyst"}]
        out[code] = {"as_at": max(r["as_at"] for r in rows), "roles": roles}
    return out


def plan_areas(chosen: pd.DataFrame, *, areas: pd.DataFrame, changes: pd.DataFrame, data_dir: Path,
               template: Path | None = None, given: dict[str, GivenArea] | None = None,
               caseload_file: Path | None = None, needs_file: Path | None = None,
               services_file: Path | None = None, sheet: str | None = None,
               remembered: dict[str, dict] | None = None, cache_dir: Path | None = None,
               digests: dict | None = None) -> BatchPlan:
    """Caseloads, estimates, local tables and chapter parameters for every area in ``chosen``
    (rows of ``load_areas()``). ``given``: what the analyst gave for an area on the command line,
    by area code. Areas with no caseload given, no rows in ``caseload_file`` and no population to
    model one from are returned in ``skipped``. ``remembered``: by area, the analyst's own inputs
    its chapter was last built from (``cache.remembered``), used again where this run gives none.

    With ``cache_dir``, what follows from the evidence and the code alone (the prevalence
    intervals, each area's adjusted prevalence) is kept there for the next run, and, given the
    run's ``digests`` (``cache.shared_digests``), the checked reference data while unchanged."""
    from . import cache, keep

    given = given or {}
    template = Path(template) if template else notebooks_dir() / TEMPLATE_NAME
    if cache_dir is not None and digests:
        from ..config import own_reference_dir

        key = cache.sha256_text(f"{digests['reference']} {digests['package']} {own_reference_dir()}")
        reference = keep.kept(cache_dir, "reference", key, load_reference)
        # the evidence each estimate uses follows from the reference data and the code alone
        evidence = keep.kept(cache_dir, "evidence", key, lambda: checked_evidence(reference))
    else:
        reference = load_reference()
        evidence = checked_evidence(reference)
    codes = list(chosen["area_code"])
    caseloads = area_caseloads(codes, areas=areas, changes=changes, data_dir=data_dir, national=reference.caseload,
                               given=given, caseload_file=caseload_file, sheet=sheet,
                               remembered={c: (*r["caseload_file"], r.get("sheet"))
                                           for c, r in (remembered or {}).items() if r.get("caseload_file")})
    names = _names(areas, given)
    name_of = dict(zip(names["area_code"], names["area_name"], strict=True))
    skipped = [(c, name_of.get(c, c), NO_POPULATION) for c in caseloads.unmodelled]
    failed = [(c, name_of.get(c, c), why) for c, why in caseloads.failed.items()]
    skipped += [(c, name_of.get(c, c), why) for c, why in caseloads.kept.items()]
    if caseloads.table.empty:
        return BatchPlan([], evidence, pd.DataFrame(), skipped, template, reference.sources, failed)
    package = (digests or {}).get("package") or cache.package_digest()
    key = cache.sha256_text(csv_text(evidence) + package)
    prevalence = keep.kept(cache_dir, "prevalence", key, lambda: prevalence_table(evidence))
    context, context_files = context_for_areas(data_dir, areas, [c for c in codes if c not in caseloads.unmodelled])
    raw = with_local_adjustment(estimate_table(caseloads.table, evidence, names, prevalence=prevalence),
                                caseloads.table, areas, context, adjust=lambda table: keep.kept_by_area(
                                    cache_dir, "adjusted", table, adjusted_prevalence, salt=package))
    published = for_publication(raw)
    common = [*reference_inputs(), Input("template", template.name, template)]
    context_inputs = [Input("data directory", p.relative_to(data_dir).as_posix() if p.is_relative_to(data_dir)
                            else p.name, p) for p in context_files]
    raw_by_area = {code: rows.reset_index(drop=True) for code, rows in raw.groupby("area_code", sort=False)}
    published_by_area = dict(tuple(published.groupby("area_code", sort=False)))
    context_by_area = dict(tuple(context.groupby("area_code", sort=False))) if context is not None else {}
    totals = caseload_totals(caseloads.table)
    figures = local_figures(codes, totals, areas=areas, estimates=reference.estimates,
                            context=context, snapshot=fingertips_snapshot(areas),
                            national_total=national_total(reference), pools=caseloads.pools,
                            models=caseloads.models)
    observed = (needs_by_area(Path(needs_file), raw_by_area, areas=areas, changes=changes, sheet=sheet)
                if needs_file is not None else {})
    needs_files = {code: Path(needs_file) for code, table in observed.items() if table is not None and not table.empty}
    earlier: dict[tuple, dict] = {}  # needs files given before, for areas this run gives none: each read once
    for code, local in (remembered or {}).items():
        if code in raw_by_area and code not in needs_files and local.get("needs_file"):
            path = Path(local["needs_file"][0])
            if path.is_file():
                earlier.setdefault((path, local.get("sheet")), {})[code] = raw_by_area[code]
                needs_files[code] = path
    for (path, its_sheet), estimates_by_area in earlier.items():
        observed.update(needs_by_area(path, estimates_by_area, areas=areas, changes=changes, sheet=its_sheet))
    services, services_files = services_by_area(services_file, list(raw_by_area), areas=areas, changes=changes,
                                                sheet=sheet, remembered=remembered)
    estimate_digests = table_digests_by(published, "area_code")
    vintages: dict = {}  # by national caseload date (modelled) or None (local): the same for many areas
    regions = areas_by_region(areas)  # each chapter's map shows its region's areas
    details, scenario = chapter_details(), scenario_changes()  # who publishes; own evidence makes a scenario
    system = local_bodies(codes, areas, details)
    models = caseloads.models or all_modelled_caseloads(areas, reference.caseload, data_dir)
    # Every area's neighbours follow from the embedded tables and the modelled caseloads alone: kept
    # for the next run (a rebuild of one area) while those, the chosen areas and the code are unchanged.
    neighbours_key = cache.sha256_text(" ".join([*((digests or {}).get(k, "") for k in ("data_files", "reference")),
                                                 package, ",".join(codes), cache.table_digest(models.table) or ""]))
    neighbour_lists, neighbour_tables, neighbour_values = keep.kept(
        cache_dir if digests else None, "similar_areas", neighbours_key,
        lambda: similar_areas(codes, areas, models.table))
    ranked = recommendations_by_area(list(raw_by_area), names=name_of, names_cy=welsh_area_names(areas),
                                     recommendations=reference.recommendations,
                                     estimates=raw_by_area, context=context_by_area, neighbours=neighbour_lists,
                                     neighbour_values=neighbour_values, observed=observed, figures=figures)
    # Each table's digest for every area at once, for the build keys (the worker writes the text)
    table_digests = {"estimates.csv": estimate_digests, **{name: table_digests_of(tables) for name, tables in (
        ("context.csv", context_by_area), ("neighbours.csv", neighbour_tables), ("recommendations.csv", ranked))}}
    plans = []
    total_of = totals[["caseload", "caseload_lower", "caseload_upper", "caseload_kind"]].to_dict("index")
    for row in chosen.itertuples(index=False):
        code = row.area_code
        if code not in total_of:
            continue
        row = row._asdict()
        info = caseloads.info[code]
        area_needs = ([Input("needs file", needs_files[code].name, needs_files[code])] if code in needs_files
                      else [])
        area_services = ([Input("services file", services_files[code].name, services_files[code])]
                         if code in services_files else [])
        notes = commentary_files(code)
        inputs = [*common, *caseloads.inputs[code], *area_needs, *area_services, *context_inputs,
                  *[Input("commentary", f"{code}/{path.name}", path) for path in notes.values()]]
        total = total_of[code]
        when = info.get("caseload_national_date")
        if when not in vintages:
            vintages[when] = data_vintages(reference, info, areas)
        meta = protect_area({
            "country": row.get("country", ""), "region_name": row.get("region_name", ""),
            "probation_region_name": row.get("probation_region_name", ""),
            "caseload": float(total["caseload"]), "caseload_lower": float(total["caseload_lower"]),
            "caseload_upper": float(total["caseload_upper"]), "caseload_kind": str(total["caseload_kind"]),
            **info,
            "data_vintages": dict(vintages[when]),
            "region_area_codes": regions.get(str(row.get("region_code", "")), []),
            **figures.get(code, {}), **context_sources(context_by_area.get(code), row.get("country", "")),
            "commentary": read_commentary(notes), "chapter_details": details,
            "bodies": system.get(code, {}), "neighbours": neighbour_lists.get(code, []), "scenario": scenario,
        })
        name = name_of[code]
        plans.append(AreaPlan(
            area_code=code, area_name=name, slug=slugify(code, name),
            parameters=chapter_parameters(code, name, meta["caseload"], data_dir),
            area={**meta, "area_code": code, "area_name": name},
            tables={"estimates.csv": published_by_area[code].reset_index(drop=True),
                    "observed.csv": observed.get(code),
                    "context.csv": (context_by_area[code].reset_index(drop=True)
                                    if code in context_by_area else None),
                    "neighbours.csv": neighbour_tables.get(code), "recommendations.csv": ranked.get(code),
                    "services.csv": services.get(code)},
            inputs=inputs,
            request=_request(code, given.get(code), caseloads.inputs[code], area_needs, template, sheet,
                             area_services),
            local=_local(given.get(code), caseloads.inputs[code], area_needs, sheet, area_services),
            digests={name: digests[code] for name, digests in table_digests.items() if code in digests},
            name_welsh=str(row.get("area_name_welsh") or "") if code.startswith("W") else "",
        ))
    return BatchPlan(plans, evidence, published, skipped, template, reference.sources, failed)

"""Write the national overview page (``reports/overview.qmd``) from the estimates of every area,
and render it with the fallback renderer as the site's front page when Quarto is absent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..errors import MissingDataError
from ..present.markdown import yaml_string
from ..present.overview import choropleth, headline_wide, overview_figure, overview_markdown, with_local_measures
from .names import slugify

PAGE = "overview.qmd"


def overview_document(estimates: pd.DataFrame, *, out_dir: Path, data_dir: Path | None, today: dt.date,
                      link_prefix: str = "") -> str:
    """The overview page's Markdown (front matter included). Links go to every chapter built in
    ``out_dir``; ``link_prefix`` is prepended for a page that sits outside that folder."""
    wide = with_local_measures(headline_wide(with_chapter_caseloads(estimates, out_dir)), local_measures())
    wide = wide.assign(similar_areas=wide["area_code"].map(similar_area_names(estimates)))
    from ..load.welsh_names import welsh_names

    links, welsh, names_cy = {}, {}, welsh_names()
    for row in wide.itertuples():
        slug = slugify(row.area_code, str(row.area_name))
        if (out_dir / f"{slug}.ipynb").is_file():
            links[row.area_code] = f"{link_prefix}{slug}.html"
        if (out_dir / f"{slug}.cy.ipynb").is_file() and names_cy.get(row.area_code):
            welsh[row.area_code] = (names_cy[row.area_code], f"{link_prefix}{slug}.cy.html")
    notes: list[str] = []
    map_md = ""
    try:
        from ..load.geography import load_boundaries

        boundaries = load_boundaries("ctyua", data_dir)
        figure_path = out_dir / "overview_files" / "map.png"
        alt = choropleth(boundaries, wide, figure_path)
        map_md = overview_figure(f"overview_files/{figure_path.name}", alt)
    except MissingDataError:
        # said to the reader; the analyst learns how to add the map from the README, as for a chapter
        notes.append("No map: the boundaries of the areas were not available when this page was built. The table "
                     "below holds every figure.")
    body = overview_markdown(wide, links=links, map_md=map_md, notes=notes, scenario=_scenario(estimates),
                             welsh=welsh)
    front = "\n".join(["---", f"title: {yaml_string('National overview: health needs of people on probation')}",
                       f"date: {today.isoformat()}", "format: html", "---", ""])
    return front + body + "\n"


def _scenario(estimates: pd.DataFrame) -> str:
    """That the page is a scenario from a researcher's own evidence (``load.reference.scenario_changes``),
    naming the changed figures; "" for the published reference data."""
    from ..load.reference import scenario_changes
    from ..present.scenario import scenario_words

    changes = scenario_changes()
    if not changes:
        return ""
    measures = (dict(zip(estimates["estimate_id"], estimates["measure"], strict=True))
                if {"estimate_id", "measure"} <= set(estimates.columns) else {})
    named = [f"{measures[i]} ({i})" if i in measures else i for i in changes["estimates"]]
    return scenario_words(changes["files"], named, what="page")


def similar_area_names(estimates: pd.DataFrame) -> dict[str, str]:
    """Each area's statistical neighbours by name, nearest first (as its chapter lists them: the
    neighbours of the modelled caseload per adult, ``caseload_alt_deprivation``)."""
    from ..load.areas import load_areas
    from ..load.snapshot import adult_population_table, area_land_table, deprivation_table, fingertips_snapshot
    from ..model.neighbours import caseload_rate, neighbours_from_tables

    areas = load_areas(None, validate=False)
    adults = adult_population_table(areas)
    rate = None
    if "caseload_alt_deprivation" in estimates.columns:
        rate = caseload_rate(estimates.drop_duplicates("area_code").set_index("area_code")["caseload_alt_deprivation"],
                             adults)
    table = neighbours_from_tables(adults, deprivation_table(areas), fingertips_snapshot(areas),
                                   area_land_table(areas), rate)
    names = dict(zip(areas["area_code"], areas["area_name"], strict=True))
    return {code: ", ".join(names.get(n, n) for n in rows.sort_values("rank")["neighbour_code"])
            for code, rows in table.groupby("area_code")}


def with_chapter_caseloads(estimates: pd.DataFrame, out_dir: Path) -> pd.DataFrame:
    """The estimates, with each area whose chapter is built in ``out_dir`` taken from that
    chapter's own download (``<slug>/data/estimates.csv``): a chapter built with a local caseload
    is shown with it."""
    frames, replaced = [], set()
    for code, name in estimates[["area_code", "area_name"]].drop_duplicates().itertuples(index=False):
        own = out_dir / slugify(code, str(name)) / "data" / "estimates.csv"
        if (out_dir / f"{slugify(code, str(name))}.ipynb").is_file() and own.is_file():
            try:
                frames.append(pd.read_csv(own, encoding="utf-8-sig", dtype={"area_code": str, "estimate_id": str}))
                replaced.add(code)
            except (OSError, ValueError):
                continue  # a damaged download: the run's own estimates stand
    if not replaced:
        return estimates
    return pd.concat([estimates[~estimates["area_code"].isin(replaced)], *frames], ignore_index=True)


def local_measures() -> pd.DataFrame:
    """Each area's expected deaths per 1,000 people on probation and deprivation, from the national
    relative risks and each nation's own general-population rates (``model.deaths.area_death_measures``):
    for England the embedded Fingertips snapshot, for Wales Wales's own published figures (ONS
    suicide and drug-poisoning death rates, ``wales_indicators.csv``), as the chapters use them."""
    from ..load.areas import load_areas
    from ..load.reference import load_reference
    from ..load.snapshot import WALES, WALES_INDICATOR_ID, deprivation_table, fingertips_snapshot, wales_indicators
    from ..model.deaths import area_death_measures

    areas = load_areas(None, validate=False)
    risks = load_reference(validate=False).estimates.set_index("estimate_id")["value"]
    relative = {"suicide": float(risks.get("SP15")), "drug": float(risks.get("SP16"))}
    snapshot = fingertips_snapshot(areas)
    welsh = areas["area_code"].str.startswith("W")
    english = area_death_measures(snapshot, areas.loc[~welsh, "area_code"], relative)
    wales = area_death_measures(wales_indicators(areas), areas.loc[welsh, "area_code"], relative, england=WALES,
                                indicators={"suicide": WALES_INDICATOR_ID["W-suicide"],
                                            "drug": WALES_INDICATOR_ID["W-drug-deaths"]})
    measures = pd.concat([english, wales], ignore_index=True)
    imd = snapshot[snapshot["indicator_id"] == 94240].set_index("area_code")["value"]
    deprivation = deprivation_table(areas)
    wimd = deprivation[deprivation["index_name"] == "WIMD2025"].set_index("area_code")["share_most_deprived_10pct"]
    return measures.assign(imd_score=measures["area_code"].map(imd), wimd_share10=measures["area_code"].map(wimd),
                           region_code=measures["area_code"].map(areas.set_index("area_code")["region_code"]))


def write_overview(estimates: pd.DataFrame, *, out_dir: Path, data_dir: Path | None,
                   today: dt.date | None = None) -> Path:
    """``reports/overview.qmd``, which Quarto renders as part of the website."""
    text = overview_document(estimates, out_dir=out_dir, data_dir=data_dir, today=today or dt.date.today())
    page = out_dir / PAGE
    _atomic_write(page, text)
    return page


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.stem + ".partial" + path.suffix)
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def render_overview_fallback(estimates: pd.DataFrame, *, out_dir: Path, data_dir: Path | None, site_dir: Path,
                             css: Path | None = None, today: dt.date | None = None) -> list[Path]:
    """Without Quarto: pandoc renders the overview as ``site_dir/reports/overview.html`` and as the
    site's front page ``site_dir/index.html`` (the same page with links into ``reports/``)."""
    from .render import _run
    from .tools import pandoc

    today = today or dt.date.today()
    outputs = []
    for target, prefix in ((site_dir / "reports" / "overview.html", ""), (site_dir / "index.html", "reports/")):
        source = out_dir / ("_overview_front.md" if prefix else "_overview.md")
        _atomic_write(source, overview_document(estimates, out_dir=out_dir, data_dir=data_dir, today=today,
                                                link_prefix=prefix))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.stem + ".partial.html")
        args = [pandoc(), source.name, "--from", "markdown", "--to", "html5", "--standalone", "--embed-resources",
                "--metadata", "lang=en-GB", "--resource-path", str(out_dir), "-o", str(partial)]
        if css is not None:
            args += ["--css", str(css.resolve())]
        try:
            _run(args, out_dir, source)
        finally:
            source.unlink(missing_ok=True)
        partial.replace(target)
        outputs.append(target)
    return outputs

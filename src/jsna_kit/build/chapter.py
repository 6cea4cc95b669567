"""Build one area's chapter: compute its estimates, write its data bundle and downloads, execute
the template with papermill, then render (Quarto, or the pandoc fallback)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import __version__
from ..config import PROJECT_ROOT, TEMPLATE_NAME, notebooks_dir, reference_dir, reports_dir
from . import cache
from .bundle import write_bundle
from .execute import execute_chapter
from .render import RenderResult, quarto_path, render_chapter_fallback, render_with_quarto

SUBTITLE = "Joint Strategic Needs Assessment: health needs of people in contact with probation"


@dataclass
class AreaRequest:
    """What the analyst asked for: the area, optionally its display name and local caseload."""

    area_code: str
    area_name: str
    country: str = "England"
    region_name: str | None = None
    probation_region_name: str | None = None
    caseload: float | None = None
    caseload_source: str | None = None


@dataclass
class ChapterBuild:
    area_code: str
    notebook: Path
    assets: Path
    outputs: list[Path] = field(default_factory=list)
    renderer: str = ""
    message: str = ""


def slugify(code: str, name: str) -> str:
    """``E08000019-sheffield``: ASCII, lower case, safe as a file name whatever the area name holds."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    safe_code = re.sub(r"[^A-Za-z0-9]", "", code)
    return f"{safe_code}-{words}" if words else safe_code


def default_out_dir() -> Path:
    return reports_dir()


def site_dir_for(out_dir: Path) -> Path:
    """Where rendered pages go: the project's ``_site`` for the project's reports folder (as
    Quarto's website output), otherwise ``<out>/_site``."""
    return PROJECT_ROOT / "_site" if out_dir.resolve() == default_out_dir().resolve() else out_dir / "_site"


def chapter_parameters(area_code: str, area_name: str, caseload: float, data_dir: Path | None) -> dict:
    """The papermill parameters of an area's chapter (the template's parameters cell)."""
    return {"area_code": area_code, "area_name": area_name, "caseload": float(caseload),
            "chapter_assets": slugify(area_code, area_name), "data_dir": str(data_dir) if data_dir else ""}


def chapter_titles(area_code: str, area_name: str) -> dict[str, str]:
    """Title, subtitle and description for the chapter's front matter."""
    return {"title": f"Health needs of people on probation: {area_name}", "subtitle": SUBTITLE,
            "description": f"{area_name} ({area_code}): estimated needs of people on probation "
                           "across the seven priority areas."}


def build_chapter(request: AreaRequest, estimates: pd.DataFrame, evidence: pd.DataFrame, *,
                  out_dir: Path, area_meta: dict, inputs: list[Path], render: bool = True,
                  today: dt.date | None = None, observed: pd.DataFrame | None = None,
                  data_dir: Path | None = None, context: pd.DataFrame | None = None,
                  template: Path | None = None) -> ChapterBuild:
    """Write the bundle, execute the template and (optionally) render one area's chapter, in a
    fresh kernel; then record what it was built from (``build.cache``), so a later batch build
    knows it is current."""
    today = today or dt.date.today()
    template = Path(template) if template else notebooks_dir() / TEMPLATE_NAME
    slug = slugify(request.area_code, request.area_name)
    assets = out_dir / slug
    parameters = chapter_parameters(request.area_code, request.area_name, area_meta["caseload"], data_dir)
    area = {**area_meta, "area_code": request.area_code, "area_name": request.area_name,
            "built": today.isoformat(), "jsna_kit_version": __version__}
    tables = {"estimates.csv": estimates, "evidence.csv": evidence, "observed.csv": observed,
              "context.csv": context}
    key, parts = cache.build_key(cache.shared_digests(template, data_dir), parameters,
                                 cache.bundle_digests(area, tables))
    cache.forget(out_dir, slug)  # from here until the record is rewritten, the area is stale
    write_bundle(assets, area=area, estimates=estimates, evidence=evidence,
                 parameters=parameters, inputs=inputs, observed=observed, context=context)
    notebook = execute_chapter(template, out_dir / f"{slug}.ipynb", parameters, area_code=request.area_code,
                               date=today, **chapter_titles(request.area_code, request.area_name))
    result = ChapterBuild(request.area_code, notebook, assets)
    record = {"area_code": request.area_code, "key": key, "parts": parts, "notebook": notebook,
              "built": today.isoformat()}
    cache.record_build(out_dir, slug, **record)
    if render:
        rendered = render_chapters([notebook], out_dir=out_dir)
        result.outputs, result.renderer, result.message = rendered.outputs, rendered.renderer, rendered.message
        cache.record_build(out_dir, slug, **record, rendered=rendered.outputs)
    return result


def render_chapters(notebooks: list[Path], *, out_dir: Path) -> RenderResult:
    """Render executed chapters with Quarto when it is on PATH, otherwise with pandoc + typst."""
    quarto = quarto_path()
    in_project = out_dir.resolve() == default_out_dir().resolve()
    if quarto and in_project:
        return render_with_quarto(PROJECT_ROOT, notebooks, quarto=quarto)
    site = site_dir_for(out_dir) / "reports"
    outputs: list[Path] = []
    for nb in notebooks:
        outputs += render_chapter_fallback(nb, site, bibliography=reference_dir() / "sources.bib",
                                           css=PROJECT_ROOT / "styles" / "chapter.css"
                                           if (PROJECT_ROOT / "styles" / "chapter.css").is_file() else None)
    reason = ("Quarto was not found on PATH" if not quarto
              else "the output folder is outside the Quarto project")
    message = (f"{reason}: rendered HTML, Word and PDF with pandoc and typst from PyPI instead, "
               f"in {site}. For the full website, {QUARTO_HINT}.")
    return RenderResult("pandoc", outputs, message)


QUARTO_HINT = "install Quarto >= 1.5 (https://quarto.org/docs/get-started/) and run `jsna-kit render`"

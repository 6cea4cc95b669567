"""Write the national overview page (``reports/overview.qmd``) from the estimates of every area,
and render it with the fallback renderer as the site's front page when Quarto is absent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..errors import MissingDataError
from ..present.markdown import yaml_string
from ..present.overview import choropleth, headline_wide, overview_figure, overview_markdown
from .names import slugify

PAGE = "overview.qmd"


def overview_document(estimates: pd.DataFrame, *, out_dir: Path, data_dir: Path | None, today: dt.date,
                      link_prefix: str = "") -> str:
    """The overview page's Markdown (front matter included). Links go to every chapter built in
    ``out_dir``; ``link_prefix`` is prepended for a page that sits outside that folder."""
    wide = headline_wide(estimates)
    links = {}
    for row in wide.itertuples():
        slug = slugify(row.area_code, str(row.area_name))
        if (out_dir / f"{slug}.ipynb").is_file():
            links[row.area_code] = f"{link_prefix}{slug}.html"
    notes: list[str] = []
    map_md = ""
    try:
        from ..load.geography import load_boundaries

        boundaries = load_boundaries("ctyua", data_dir)
        figure_path = out_dir / "overview_files" / "map.png"
        alt = choropleth(boundaries, wide, figure_path)
        map_md = overview_figure(f"overview_files/{figure_path.name}", alt)
    except MissingDataError:
        notes.append("No map: the ONS boundary files are not in the data directory (run `jsna-kit data fetch`).")
    body = overview_markdown(wide, links=links, map_md=map_md, notes=notes)
    front = "\n".join(["---", f"title: {yaml_string('National overview: health needs of people on probation')}",
                       f"date: {today.isoformat()}", "format: html", "---", ""])
    return front + body + "\n"


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
    from .render import _pandoc, _run

    today = today or dt.date.today()
    outputs = []
    for target, prefix in ((site_dir / "reports" / "overview.html", ""), (site_dir / "index.html", "reports/")):
        source = out_dir / ("_overview_front.md" if prefix else "_overview.md")
        _atomic_write(source, overview_document(estimates, out_dir=out_dir, data_dir=data_dir, today=today,
                                                link_prefix=prefix))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.stem + ".partial.html")
        args = [_pandoc(), source.name, "--from", "markdown", "--to", "html5", "--standalone", "--embed-resources",
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

"""``jsna-kit render`` and ``jsna-kit overview``: render the executed chapters, and write (and
without Quarto render) the national overview page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import JsnaKitError
from .common import DataDirOption, ReferenceOption, check_reference, console, err, fail, reported, styled


def render(
    out: Annotated[Path | None, typer.Option("--out", help="Folder of executed chapters (default: reports/).")]
    = None,
    formats: Annotated[list[str] | None, typer.Option(
        "--format", help="Only this format: html, pdf or docx (repeat for several; default: all three).")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Chapters rendered at once (default: the machine's cores).")] = None,
) -> None:
    """Render every chapter that has been executed (Quarto, or the pandoc fallback), several at once."""
    from ..publish.names import default_out_dir
    from ..publish.render import FORMATS, render_chapters

    chosen = tuple(dict.fromkeys(f.lower() for f in formats)) if formats else FORMATS
    wrong = [f for f in chosen if f not in FORMATS]
    if wrong:
        fail(JsnaKitError(f"--format {wrong[0]}: choose html, pdf or docx"))
    folder = (out or default_out_dir()).resolve()
    notebooks = sorted(p for p in folder.glob("*.ipynb") if not p.name.endswith(".partial.ipynb"))
    if not notebooks:
        fail(JsnaKitError(f"no executed chapters in {folder}; run `jsna-kit build --area ...` first"))
    err.print(f"Rendering {len(notebooks)} chapter(s) from {folder}", highlight=False, soft_wrap=True)
    with reported(folder):
        result = render_chapters(notebooks, out_dir=folder, formats=chosen, workers=workers,
                                 on_progress=lambda text: err.print(text, highlight=False, soft_wrap=True))
    console.print(result.message, highlight=False)
    for path in result.outputs:
        console.print(f"  {path}")


def overview(
    out: Annotated[Path | None, typer.Option("--out", help="Folder of executed chapters (default: reports/).")]
    = None,
    render: Annotated[bool, typer.Option("--render/--no-render", help="Render it (with Quarto, and the site's "
                                         "index; without, with pandoc).")] = True,
    data_dir: DataDirOption = None,
    reference: ReferenceOption = None,
) -> None:
    """Write the national overview page: a map of estimated need and a sortable index of all areas,
    linking every chapter built in the output folder."""
    from ..batch.estimates import estimates_for_areas
    from ..config import PROJECT_ROOT
    from ..config import data_dir as resolve_data_dir
    from ..publish.names import default_out_dir, in_project, site_dir_for
    from ..publish.overview import render_overview_fallback, write_overview
    from ..publish.render import quarto_path

    folder = (out or default_out_dir()).resolve()
    check_reference(reference)
    from ..config import own_reference_dir, reference_folder

    with reported(folder), reference_folder(reference or own_reference_dir()):  # a scenario says so
        table, notes = estimates_for_areas(None, data_dir=data_dir, reference=reference)
        page = write_overview(table, out_dir=folder, data_dir=resolve_data_dir(data_dir))
        console.print(f"Wrote {page}")
        if render and quarto_path() and in_project(folder):
            from ..publish.quarto import render_site_pages

            for path in render_site_pages(PROJECT_ROOT, quarto=quarto_path()):
                console.print(f"  {path}")
        elif render:
            css = PROJECT_ROOT / "styles" / "chapter.css"
            for path in render_overview_fallback(table, out_dir=folder, data_dir=resolve_data_dir(data_dir),
                                                 site_dir=site_dir_for(folder), css=css if css.is_file() else None):
                console.print(f"  {path}")
    for note in notes:
        err.print(styled("note:", "yellow", note))

"""The ``jsna-kit`` command line: parse arguments, call ``build`` or ``load``, print. Errors a
user can cause are printed as one clear message (exit code 1 or 2), never as a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .cli_data import areas_command, data_app
from .cli_validate import validate_command
from .errors import JsnaKitError

app = typer.Typer(
    name="jsna-kit",
    help="Build the JSNA chapter on the health needs of people in contact with probation.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(data_app, name="data", help="Download the official data files and check what is present.")
console = Console()
err = Console(stderr=True)

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder with the official data files (else JSNA_KIT_DATA_DIR, "
                 "jsna-kit.toml, or data/external).", show_default=False),
]


def _fail(exc: JsnaKitError) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
    raise typer.Exit(1)


@app.command()
def areas(
    region: Annotated[str | None, typer.Option(help="Only areas in this region or probation region.")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """List the areas jsna-kit knows: code, name, type, region."""
    try:
        areas_command(data_dir, region, csv)
    except JsnaKitError as exc:
        _fail(exc)


@app.command()
def build(
    area: Annotated[str | None, typer.Option(
        "--area", help="One area: code (e.g. E08000019) or name (e.g. Sheffield).")] = None,
    all_areas: Annotated[bool, typer.Option("--all", help="Every upper-tier area of England and Wales (175).")]
    = False,
    areas_file: Annotated[Path | None, typer.Option(
        "--areas", help="File with one area code or name per line (# starts a comment).")] = None,
    region: Annotated[str | None, typer.Option(
        "--region", help="Every area in this region or probation region.")] = None,
    area_name: Annotated[str | None, typer.Option("--area-name", help="Name to show in the chapter (--area).")]
    = None,
    caseload: Annotated[float | None, typer.Option(
        "--caseload", help="People on probation in the area (--area). Without it the caseload is modelled.")]
    = None,
    caseload_source: Annotated[str | None, typer.Option(
        "--caseload-source", help="Where the caseload figure comes from, shown in the chapter.")] = None,
    caseload_file: Annotated[Path | None, typer.Option(
        "--caseload-file", help="Caseload template file (CSV/XLSX), optionally by sex and age band; with "
        "several areas, those in the file use it and the rest are modelled.")] = None,
    needs_file: Annotated[Path | None, typer.Option(
        "--needs-file", help="Locally identified needs file (e.g. OASys counts), compared with national rates.")]
    = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: reports/).")] = None,
    render: Annotated[bool, typer.Option("--render/--no-render", help="Render after executing.")] = True,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Parallel workers for several areas (default: the machine's cores).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Rebuild every chosen area, even those whose inputs have not changed.")] = False,
    template: Annotated[Path | None, typer.Option(
        "--template", help="Notebook template to execute instead of notebooks/chapter.ipynb.")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Execute and render one area's chapter (--area), or many (--all, --areas, --region): in
    parallel, rebuilding only the areas whose inputs changed."""
    chosen = [flag for flag, given in (("--area", area), ("--all", all_areas), ("--areas", areas_file),
                                       ("--region", region)) if given]
    if len(chosen) != 1:
        _fail(JsnaKitError("give exactly one of --area, --all, --areas FILE or --region NAME"
                           + (f" (got {', '.join(chosen)})" if chosen else "")))
    if template is not None and not template.is_file():
        _fail(JsnaKitError(f"--template {template}: no such notebook file"))
    if area is None:
        single_only = [flag for flag, given in (("--area-name", area_name), ("--caseload", caseload),
                                                ("--caseload-source", caseload_source)) if given is not None]
        if single_only:
            _fail(JsnaKitError(f"{', '.join(single_only)} apply to one area (--area); for several areas give "
                               "local caseloads in a --caseload-file"))
        from .cli_batch import batch_command

        try:
            result = batch_command(console, err, codes=None, region=region, areas_file=areas_file,
                                   data_dir=data_dir, out_dir=out, template=template, caseload_file=caseload_file,
                                   needs_file=needs_file, workers=workers, force=force, render=render)
        except JsnaKitError as exc:
            _fail(exc)
        if result.failed:
            raise typer.Exit(1)
        return

    from .build.run import build_area

    if caseload is not None and (caseload != caseload or caseload <= 0):
        _fail(JsnaKitError(f"--caseload must be a positive number of people, not {caseload:g}"))
    try:
        with console.status(f"Building the chapter for {area}…"):
            result = build_area(area, area_name=area_name, caseload=caseload, caseload_source=caseload_source,
                                caseload_file=caseload_file, needs_file=needs_file, out_dir=out,
                                data_dir=data_dir, render=render, template=template)
    except JsnaKitError as exc:
        _fail(exc)
    console.print(f"Executed chapter: {result.notebook}")
    if result.message:
        console.print(result.message, highlight=False)
    for path in result.outputs:
        console.print(f"  {path}")


@app.command()
def estimates(
    out: Annotated[Path, typer.Option("--out", help="File to write: .csv, .parquet or .xlsx.")],
    area: Annotated[list[str] | None, typer.Option("--area", help="Area code or name (repeatable).")] = None,
    all_areas: Annotated[bool, typer.Option("--all", help="Every area in England and Wales.")] = False,
    caseload: Annotated[float | None, typer.Option(
        "--caseload", help="Local caseload (one area only). Without it the caseload is modelled.")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Write every estimate for the chosen areas as one tidy table."""
    from .build.run import estimates_for_areas, write_table

    if bool(area) == all_areas:
        _fail(JsnaKitError("give either --area (one or more) or --all"))
    try:
        table, notes = estimates_for_areas(None if all_areas else area, data_dir=data_dir, caseload=caseload)
        write_table(table, out)
    except JsnaKitError as exc:
        _fail(exc)
    for note in notes:
        err.print(f"[yellow]note:[/] {note}", highlight=False)
    console.print(f"Wrote {len(table):,} estimates for {table['area_code'].nunique()} areas to {out}")


@app.command()
def overview(
    out: Annotated[Path | None, typer.Option("--out", help="Folder of executed chapters (default: reports/).")]
    = None,
    render: Annotated[bool, typer.Option("--render/--no-render", help="Render it without Quarto.")] = True,
    data_dir: DataDirOption = None,
) -> None:
    """Write the national overview page: a map of estimated need and a sortable index of all areas,
    linking every chapter built in the output folder."""
    from .build.chapter import PROJECT_ROOT, default_out_dir, site_dir_for
    from .build.overview import render_overview_fallback, write_overview
    from .build.render import quarto_path
    from .build.run import estimates_for_areas
    from .config import data_dir as resolve_data_dir

    folder = out or default_out_dir()
    try:
        table, notes = estimates_for_areas(None, data_dir=data_dir)
        page = write_overview(table, out_dir=folder, data_dir=resolve_data_dir(data_dir))
        console.print(f"Wrote {page}")
        if render and not quarto_path():
            css = PROJECT_ROOT / "styles" / "chapter.css"
            for path in render_overview_fallback(table, out_dir=folder, data_dir=resolve_data_dir(data_dir),
                                                 site_dir=site_dir_for(folder), css=css if css.is_file() else None):
                console.print(f"  {path}")
    except JsnaKitError as exc:
        _fail(exc)
    for note in notes:
        err.print(f"[yellow]note:[/] {note}", highlight=False)


@app.command("render")
def render_command(
    out: Annotated[Path | None, typer.Option("--out", help="Folder of executed chapters (default: reports/).")]
    = None,
) -> None:
    """Render every chapter that has been executed (Quarto, or the pandoc fallback)."""
    from .build.chapter import default_out_dir, render_chapters

    folder = out or default_out_dir()
    notebooks = sorted(p for p in folder.glob("*.ipynb") if not p.name.endswith(".partial.ipynb"))
    if not notebooks:
        _fail(JsnaKitError(f"no executed chapters in {folder}; run `jsna-kit build --area ...` first"))
    try:
        result = render_chapters(notebooks, out_dir=folder)
    except JsnaKitError as exc:
        _fail(exc)
    console.print(result.message, highlight=False)
    for path in result.outputs:
        console.print(f"  {path}")


app.command("validate")(validate_command)


def main() -> None:
    """The ``jsna-kit`` script. Once the command has finished and everything it wrote is closed,
    and the exit handlers have run (a kernel's shutdown, say), the process ends without the rest
    of Python's teardown: freeing every object of a 175-area build one by one takes about half a
    second, which a one-area rebuild should not wait for."""
    import atexit
    import os
    import sys

    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()

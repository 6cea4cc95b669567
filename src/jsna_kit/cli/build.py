"""``jsna-kit build``: one area (``--area``) or many (``--all``, ``--areas FILE``, ``--region NAME``),
all by the one road, ``batch.run.build_batch``; many with a progress bar and ETA, then a summary
of what was built, cached, skipped and failed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..batch.report import BatchResult, failure_where
from ..errors import JsnaKitError
from .common import (
    DataDirOption,
    ReferenceOption,
    check_reference,
    console,
    err,
    fail,
    one_choice,
    reported,
    styled,
)


def build(
    area: Annotated[str | None, typer.Option(
        "--area", help="One area: code (e.g. E08000019) or name (e.g. Sheffield).")] = None,
    all_areas: Annotated[bool, typer.Option("--all", help="Every upper-tier area of England and Wales (175).")]
    = False,
    areas_file: Annotated[Path | None, typer.Option(
        "--areas", help="File with one area code or name per line (# starts a comment).")] = None,
    region: Annotated[str | None, typer.Option(
        "--region", help="Every area in this region or probation region.")] = None,
    manifest: Annotated[Path | None, typer.Option(
        "--manifest", help="Build again the chapter a manifest.json describes (give the analyst's files it names "
        "with --caseload-file / --needs-file).")] = None,
    area_name: Annotated[str | None, typer.Option("--area-name", help="Name to show in the chapter (--area).")]
    = None,
    caseload: Annotated[float | None, typer.Option(
        "--caseload", metavar="PEOPLE", help="People on probation in the area (--area), a whole number. Without it "
                                             "the caseload is modelled.")]
    = None,
    caseload_source: Annotated[str | None, typer.Option(
        "--caseload-source", help="Where the caseload figure comes from, shown in the chapter.")] = None,
    caseload_file: Annotated[Path | None, typer.Option(
        "--caseload-file", help="Caseload template file (CSV/XLSX), optionally by sex and age band; with "
        "several areas, those in the file use it and the rest are modelled.")] = None,
    needs_file: Annotated[Path | None, typer.Option(
        "--needs-file", help="Locally identified needs file (e.g. OASys counts), compared with national rates.")]
    = None,
    services_file: Annotated[Path | None, typer.Option(
        "--services-file", help="Local services file (the services template: e.g. referrals from probation, "
        "waits), shown under who commissions what and in each priority area.")] = None,
    sheet: Annotated[str | None, typer.Option(
        "--sheet", help="The sheet to read in an Excel caseload, needs or services file (default: the first).")]
    = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: reports/).")] = None,
    render: Annotated[bool, typer.Option("--render/--no-render", help="Render after executing.")] = True,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Parallel workers for several areas (default: the machine's cores).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Rebuild every chosen area, even those whose inputs have not changed.")] = False,
    replace_local: Annotated[bool, typer.Option(
        "--replace-local", help="Build areas last built from your own caseload or files without them (modelled), "
        "instead of using them again.")] = False,
    template: Annotated[Path | None, typer.Option(
        "--template", help="Notebook template to execute instead of notebooks/chapter.ipynb.")] = None,
    welsh: Annotated[bool, typer.Option(
        "--welsh/--no-welsh", help="Build each Welsh area's chapter in Welsh (Cymraeg) too, beside the English one "
        "and linked both ways (the default); --no-welsh builds the English chapters only.")] = True,
    commentary_dir: Annotated[Path | None, typer.Option(
        "--commentary-dir", help="Folder of your commentary, <folder>/<area code>/<place>.md (default: "
        "commentary_dir in jsna-kit.toml, or commentary/ here).", show_default=False)] = None,
    data_dir: DataDirOption = None,
    reference: ReferenceOption = None,
) -> None:
    """Execute and render one area's chapter (--area), or many (--all, --areas, --region): in
    parallel, rebuilding only the areas whose inputs changed. --manifest builds a published
    chapter again from its manifest.json."""
    one_choice({"--area": area, "--all": all_areas, "--areas": areas_file, "--region": region,
                "--manifest": manifest}, "--area, --all, --areas FILE, --region NAME or --manifest FILE")
    missing = missing_inputs({"--caseload-file": caseload_file, "--needs-file": needs_file,
                              "--services-file": services_file, "--areas": areas_file, "--template": template,
                              "--manifest": manifest})
    if commentary_dir is not None and not Path(commentary_dir).is_dir():
        missing = (missing + " " if missing else "") + f"--commentary-dir {commentary_dir}: no such folder."
    if missing:
        fail(JsnaKitError(missing))
    from ..config import commentary_folder

    with commentary_folder(commentary_dir):
        _build(area=area, areas_file=areas_file, region=region, manifest=manifest, area_name=area_name,
               caseload=caseload, caseload_source=caseload_source, caseload_file=caseload_file,
               needs_file=needs_file, services_file=services_file, sheet=sheet, out=out, render=render,
               workers=workers, force=force, replace_local=replace_local, template=template, data_dir=data_dir,
               reference=reference, welsh=welsh)


def _build(*, area, areas_file, region, manifest, area_name, caseload, caseload_source, caseload_file,
           needs_file, services_file, sheet, out, render, workers, force, replace_local, template, data_dir,
           reference, welsh=True) -> None:
    if manifest is not None:
        from_manifest(manifest, data_dir=data_dir, caseload_file=caseload_file, needs_file=needs_file,
                      services_file=services_file, template=template, reference=reference, out_dir=out,
                      render=render, workers=workers)
        return
    check_reference(reference)
    options = dict(data_dir=data_dir, out_dir=out, template=template, caseload_file=caseload_file,
                   needs_file=needs_file, services_file=services_file, sheet=sheet, workers=workers, force=force,
                   render=render,
                   reference=reference, replace_local=replace_local, welsh=welsh)
    if area is not None:
        if caseload is not None and (caseload != caseload or caseload <= 0):
            fail(JsnaKitError(f"--caseload must be a positive number of people, not {caseload:g}"))
        one_area(area, area_name=area_name, caseload=caseload, caseload_source=caseload_source, **options)
        return
    single_only = [flag for flag, given in (("--area-name", area_name), ("--caseload", caseload),
                                            ("--caseload-source", caseload_source)) if given is not None]
    if single_only:
        fail(JsnaKitError(f"{', '.join(single_only)} apply to one area (--area); for several areas give "
                          "local caseloads in a --caseload-file"))
    with reported(out):
        result = many_areas(console, err, codes=None, region=region, areas_file=areas_file, **options)
    if result.failed:
        raise typer.Exit(1)


def one_area(area: str, **options) -> None:
    """Build one area (a batch of one) and say where its chapter is."""
    from ..batch.run import build_area

    with reported(options.get("out_dir") or "the output folder"):
        with console.status(Text(f"Building the chapter for {area}…")):
            outcome = build_area(area, **options)
    said(outcome)


def from_manifest(manifest: Path, **options) -> None:
    """Build a chapter again from its manifest, once its inputs are checked."""
    from ..batch.rebuild import rebuild

    if options.get("reference") is not None and not Path(options["reference"]).is_dir():
        fail(JsnaKitError(f"--reference {options['reference']}: no such folder"))
    with reported(options.get("out_dir") or "the output folder"):
        with console.status(Text(f"Building again the chapter of {manifest}…")):
            outcome = rebuild(manifest, **options)
    said(outcome)


def said(outcome) -> None:
    """Where the chapter is, or that it was already up to date."""
    for note in outcome.notes:
        err.print(styled("note:", "yellow", note))
    if outcome.status == "cached":
        from ..batch.cache import compared_words

        notebook = Path(outcome.notebook)
        console.print(f"Up to date: {notebook} ({compared_words(notebook.parent, outcome.slug)}; --force "
                      "rebuilds it)", highlight=False)
        return
    console.print(f"Executed chapter: {outcome.notebook}")
    if outcome.message:
        console.print(outcome.message, highlight=False)
    for path in outcome.outputs:
        console.print(f"  {path}")


def many_areas(console: Console, err: Console, **options) -> BatchResult:
    """Build with ``batch.run.build_batch(**options)``, showing progress on ``err``."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from ..batch.run import build_batch

    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("chapters"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                        console=err, transient=False)
    task = None
    # Without a terminal (a log, CI, a scheduler) a bar is drawn only when it ends: a line per area instead
    lines = not err.is_terminal
    counted = {"done": 0, "jobs": 0}

    def on_start(jobs: int, settled) -> None:
        nonlocal task
        cached = sum(o.status == "cached" for o in settled)
        skipped = [o for o in settled if o.status == "skipped"]
        err.print(f"{jobs} chapter(s) to build, {cached} up to date, {len(skipped)} skipped.", highlight=False)
        for o in skipped:
            err.print(styled("skipped", "yellow", f"{o.area_code} {o.area_name}: {o.reason}"))
        counted["jobs"] = jobs
        if jobs and not lines:
            task = progress.add_task("Building", total=jobs)
            progress.start()

    def on_done(outcome) -> None:
        counted["done"] += 1
        if outcome.status == "failed":
            error = outcome.error or {}
            where = failure_where(error)
            progress.console.print(styled("failed", "red", f"{outcome.area_code} {outcome.area_name}"
                                          + (f" in {where}" if where else "") + f": {error.get('message', '')}"))
        elif lines:
            err.print(f"{counted['done']}/{counted['jobs']} {outcome.status} {outcome.area_code} {outcome.area_name}"
                      f" ({outcome.seconds:.1f} s)", highlight=False, soft_wrap=True)
        if task is not None:
            progress.advance(task)

    try:
        result = build_batch(on_start=on_start, on_done=on_done, **options)
    finally:
        progress.stop()
    print_summary(console, result)
    return result


def print_summary(console: Console, result: BatchResult) -> None:
    for note in result.notes:
        err.print(styled("note:", "yellow", note))
    counts = result.counts
    table = Table("built", "rendered only", "cached", "skipped", "failed", "seconds", "workers",
                  title="Build summary")
    table.add_row(*(str(counts[s]) for s in ("built", "rendered", "cached", "skipped", "failed")),
                  f"{result.seconds:.1f}", str(result.workers))
    console.print(table)
    if result.failed:
        failures = Table("area", "name", "where", "error", title="Failed", title_style="bold red")
        for o in result.failed:
            error = o.error or {}
            failures.add_row(o.area_code, o.area_name, failure_where(error) or "-", error.get("message", ""))
        console.print(failures)
    if result.render_message:
        console.print(result.render_message, highlight=False)
    if result.report:
        console.print(f"Report (with tracebacks): {result.report} and {Path(result.report).with_suffix('.md')}",
                      highlight=False)


def missing_inputs(files: dict[str, Path | None]) -> str:
    """Every input file given on the command line that is not there, named at once with its option
    (a misspelt --needs-file is a missing input, never a problem writing the output); "" when all
    are there."""
    import os

    gone = [f"{option} {path}" for option, path in files.items() if path is not None and not Path(path).is_file()]
    if not gone:
        return ""
    return (f"{'this input file does' if len(gone) == 1 else 'these input files do'} not exist: {'; '.join(gone)}. "
            f"Check the name and the folder it is in (the command ran in {os.getcwd()}).")

"""``jsna-kit estimates``: every estimate for the chosen areas as one tidy table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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


def estimates(
    out: Annotated[Path, typer.Option("--out", help="File to write: .csv, .parquet or .xlsx.")],
    area: Annotated[list[str] | None, typer.Option(
        "--area", metavar="AREA", help="Area code or name (repeatable).")] = None,
    all_areas: Annotated[bool, typer.Option("--all", help="Every area in England and Wales.")] = False,
    areas_file: Annotated[Path | None, typer.Option(
        "--areas", help="File with one area code or name per line (# starts a comment).")] = None,
    region: Annotated[str | None, typer.Option(
        "--region", help="Every area in this region or probation region.")] = None,
    caseload: Annotated[float | None, typer.Option(
        "--caseload", metavar="PEOPLE", help="Local caseload (one area only), a whole number. Without it the "
                                             "caseload is modelled.")] = None,
    caseload_file: Annotated[Path | None, typer.Option(
        "--caseload-file", help="Caseload template file (CSV/XLSX): the areas in it use it, the rest are "
                                "modelled.")] = None,
    data_dir: DataDirOption = None,
    reference: ReferenceOption = None,
) -> None:
    """Write every estimate for the chosen areas as one tidy table (CSV, Parquet or Excel), with
    caseloads set as a build sets them (the chapter's dictionary.csv describes its columns)."""
    from ..batch.estimates import estimates_for_areas
    from ..publish.tables import write_table
    from .build import missing_inputs

    one_choice({"--area": area, "--all": all_areas, "--areas": areas_file, "--region": region},
               "--area (one or more), --all, --areas FILE or --region NAME")
    if caseload is not None and caseload_file is not None:
        fail(JsnaKitError("give either --caseload (one area) or --caseload-file, not both"))
    missing = missing_inputs({"--areas": areas_file, "--caseload-file": caseload_file})
    if missing:
        fail(JsnaKitError(missing))
    check_reference(reference)
    with reported(out):
        table, notes = estimates_for_areas(area or None, data_dir=data_dir, caseload=caseload, reference=reference,
                                           region=region, areas_file=areas_file, caseload_file=caseload_file)
        write_table(table, out)
    for note in notes:
        err.print(styled("note:", "yellow", note))
    console.print(f"Wrote {len(table):,} estimates for {table['area_code'].nunique()} areas to {out}",
                  highlight=False, soft_wrap=True)

"""``jsna-kit estimates``: every estimate for the chosen areas as one tidy table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import JsnaKitError
from .common import DataDirOption, ReferenceOption, check_reference, console, err, fail, reported, styled


def estimates(
    out: Annotated[Path, typer.Option("--out", help="File to write: .csv, .parquet or .xlsx.")],
    area: Annotated[list[str] | None, typer.Option("--area", help="Area code or name (repeatable).")] = None,
    all_areas: Annotated[bool, typer.Option("--all", help="Every area in England and Wales.")] = False,
    caseload: Annotated[float | None, typer.Option(
        "--caseload", metavar="PEOPLE", help="Local caseload (one area only), a whole number. Without it the "
                                             "caseload is modelled.")] = None,
    data_dir: DataDirOption = None,
    reference: ReferenceOption = None,
) -> None:
    """Write every estimate for the chosen areas as one tidy table."""
    from ..batch.plan import estimates_for_areas
    from ..publish.tables import write_table

    if bool(area) == all_areas:
        fail(JsnaKitError("give either --area (one or more) or --all"))
    check_reference(reference)
    with reported(out):
        table, notes = estimates_for_areas(None if all_areas else area, data_dir=data_dir, caseload=caseload,
                                           reference=reference)
        write_table(table, out)
    for note in notes:
        err.print(styled("note:", "yellow", note))
    console.print(f"Wrote {len(table):,} estimates for {table['area_code'].nunique()} areas to {out}")

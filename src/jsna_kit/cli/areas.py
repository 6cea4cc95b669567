"""``jsna-kit areas``: list the areas jsna-kit knows, as a table or CSV."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from ..errors import JsnaKitError
from .common import DataDirOption, fail, plain_console


def areas(
    region: Annotated[str | None, typer.Option(help="Only areas in this region or probation region.")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """List the areas jsna-kit knows: code, name, type, region."""
    from ..batch.selection import areas_in_region
    from ..load.areas import load_areas

    try:
        areas = load_areas(data_dir)
        source = areas.attrs.get("lookup_source", "")
        if region:
            areas = areas_in_region(areas, region)
    except JsnaKitError as exc:
        fail(exc)
    columns = ["area_code", "area_name", "area_type", "region_name", "probation_region_code",
               "probation_region_name"]
    if csv:
        areas[[*columns, "area_name_welsh", "region_code", "country"]].to_csv(sys.stdout, index=False)
        return
    out = plain_console(width=140)  # per call, so a test runner's stdout is used; wide for names
    table = Table("code", "name", "type", "region", "probation region")
    for r in areas.itertuples():
        table.add_row(r.area_code, r.area_name, r.area_type.replace("_", " "), r.region_name,
                      f"{r.probation_region_name} ({r.probation_region_code})")
    out.print(table)
    out.print(f"{len(areas)} areas; list from {source}")

"""``jsna-kit reference export DIR``: the built-in reference data as a starting point for a
researcher's own evidence (``--reference DIR`` on build, estimates and overview)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import console, example, reported

reference_app = typer.Typer(help="The reference data: national estimates, sources, commissioning, ...",
                            no_args_is_help=True, add_completion=False, rich_markup_mode=None)


@reference_app.command("export", short_help="Write the reference data into a folder, to edit.",
                       epilog=example("jsna-kit reference export myref",
                                      "jsna-kit reference export myref --force"))
def export_command(
    folder: Annotated[Path, typer.Argument(help="Folder to write the reference files into.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite reference files already there.")] = False,
) -> None:
    """Write the built-in reference data into FOLDER, to edit and use with --reference FOLDER."""
    from ..publish.reference_set import export_reference

    with reported(folder):
        written = export_reference(folder, force=force)
    console.print(f"Wrote {len(written)} reference files to {folder}. Edit them (or keep only those you change) "
                  f"and build with --reference {folder}.", highlight=False)

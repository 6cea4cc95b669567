"""``jsna-kit init AREA``: an analyst's working folder for one area (``batch.workspace``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import JsnaKitError
from .common import console, fail


def init(
    area: Annotated[str, typer.Argument(help="The area: code (E10000007) or name (Derbyshire).",
                                        show_default=False)],
    folder: Annotated[Path | None, typer.Option(
        "--folder", help="Where to make it (default: a new folder named after the area, here).",
        show_default=False)] = None,
) -> None:
    """Make a working folder for one area: settings, commentary files, templates.

    Builds run from that folder read its settings and commentary and write the chapters there
    (reports/ and _site/). Files already there are kept.

    Example: jsna-kit init Derbyshire && cd E10000007-derbyshire && jsna-kit build --area Derbyshire
    """
    from ..batch.workspace import make_workspace
    from ..load.areas import code_changes, load_areas, resolve_area

    try:
        row = resolve_area(area, load_areas(None), code_changes())
        made = make_workspace(str(row["area_code"]), str(row["area_name"]), folder)
    except JsnaKitError as exc:
        fail(exc)
    except OSError as exc:
        fail(JsnaKitError(f"cannot write the working folder {folder or Path.cwd()}: {exc.strerror or exc}. "
                          "Choose a folder you can write to with --folder."))
    lines = [f"Working folder for {row['area_name']} ({row['area_code']}): {made.folder}",
             *[f"  wrote {path.relative_to(made.folder)}" for path in made.written],
             *[f"  kept  {path.relative_to(made.folder)} (already there)" for path in made.kept],
             f"Next: cd {made.folder} && jsna-kit build --area {row['area_code']}"]
    for line in lines:  # never wrapped: a path or a command must copy whole
        console.print(line, highlight=False, soft_wrap=True)

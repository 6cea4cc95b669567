"""The built-in reference data written out for a researcher to edit (``jsna-kit reference export``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..config import reference_dir
from ..errors import JsnaKitError


def export_reference(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy every built-in reference file (and its README) into ``folder``; refuses to overwrite
    a file already there unless ``force``."""
    folder = Path(folder)
    sources = sorted(p for p in reference_dir().iterdir() if p.is_file())
    clashes = [p.name for p in sources if (folder / p.name).exists()]
    if clashes and not force:
        raise JsnaKitError(f"{folder} already holds {', '.join(clashes[:3])}"
                           + (f" and {len(clashes) - 3} more" if len(clashes) > 3 else "")
                           + "; give another folder, or --force to overwrite them")
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(p, folder / p.name)) for p in sources]

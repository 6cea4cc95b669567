"""An estimates table to compare (``jsna-kit compare``): a file written by ``jsna-kit estimates``
(CSV, Parquet, or XLSX with an ``estimates`` sheet) or an output folder of built chapters (each
area's ``<slug>/data/estimates.csv``, with the jsna-kit version from its ``chapter.json``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from jsna_kit.errors import InputFileError, Problem

NEEDED = ("area_code", "area_name", "priority_area", "estimate_id", "role", "caseload", "expected",
          "expected_lower", "expected_upper")


def read_estimates(path: Path) -> tuple[pd.DataFrame, set[str]]:
    """The estimates table at ``path`` and the jsna-kit versions that made it (empty when a file
    does not say). Errors name the file and the missing columns."""
    path = Path(path)
    versions: set[str] = set()
    if path.is_dir():
        files = sorted(path.glob("*/data/estimates.csv"))
        if not files:
            raise InputFileError.single(path, "holds no built chapters (no <area>/data/estimates.csv)",
                                        fix="give an output folder of `jsna-kit build`, or a file from "
                                            "`jsna-kit estimates`")
        frames = []
        for file in files:
            frames.append(_checked(pd.read_csv(file), file))
            chapter = file.parent / "chapter.json"
            if chapter.is_file():
                versions.add(str(json.loads(chapter.read_text(encoding="utf-8")).get("jsna_kit_version", "")))
        return pd.concat(frames, ignore_index=True), versions - {""}
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path)
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif suffix == ".xlsx":
            frame = pd.read_excel(path, sheet_name="estimates")
        else:
            raise InputFileError.single(path, "is not an estimates table", fix="give a .csv, .parquet or .xlsx file "
                                        "from `jsna-kit estimates`, or an output folder")
    except (OSError, ValueError) as exc:
        raise InputFileError.single(path, f"cannot be read ({exc})") from None
    return _checked(frame, path), versions


def _checked(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    missing = [c for c in NEEDED if c not in frame.columns]
    if missing:
        raise InputFileError([Problem(str(path), 1, column, None, "a column of the estimates table is missing",
                                      "give a table written by `jsna-kit estimates`") for column in missing])
    return frame


def read_evidence(path: Path) -> pd.DataFrame | None:
    """The national evidence an output folder's chapters were built from (one chapter's
    ``data/evidence.csv``: every chapter of a run shares it); None for an estimates file."""
    path = Path(path)
    files = sorted(path.glob("*/data/evidence.csv")) if path.is_dir() else []
    return pd.read_csv(files[0], dtype={"estimate_id": str}) if files else None

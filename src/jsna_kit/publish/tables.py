"""``jsna-kit estimates``' output: the estimates table as a file, in the format its name asks for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import EstimateInputError


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """CSV, Parquet or XLSX by the file's suffix, written atomically."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.stem + ".partial" + path.suffix)
    if suffix == ".csv":  # as the chapter's downloads write it: whole numbers whole, no float noise
        from .bundle import csv_text

        partial.write_text(csv_text(frame), encoding="utf-8")
    elif suffix == ".parquet":
        frame.to_parquet(partial, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(partial, index=False, sheet_name="estimates")
    else:
        raise EstimateInputError(f"cannot write {path.name}: use a .csv, .parquet or .xlsx file name")
    partial.replace(path)
    return path

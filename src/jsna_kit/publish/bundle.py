"""An area's data bundle (``<slug>/data/``): what the chapter notebook reads and what readers
download. ``chapter.json`` (the area and how its caseload was found), ``estimates.csv``,
``evidence.csv``, ``observed.csv`` and ``context.csv`` when there are local files, the same
tables as an Excel workbook, and a reproducibility manifest. Every file is written under a
temporary name and renamed, so a build killed at any moment leaves no half-written file.

The CSV text of each table is made by ``csv_text``, and the build key (``batch.cache``) hashes
that same text, so a table is digested exactly as it is written. A batch makes the text once, in
the coordinator, for the key, and hands it to the worker that writes it.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd

from .manifest import write_manifest
from .workbook import SharedSheets, write_workbook

EVIDENCE_SHEET = "national evidence"


def csv_text(frame: pd.DataFrame) -> str:
    """A table as its CSV file holds it: a header, then one line per row, missing values empty,
    text quoted only where it must be (RFC 4180, as pandas writes it). About 30 times faster than
    ``DataFrame.to_csv`` for a chapter's small tables, which pandas spends milliseconds setting up."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(c) for c in frame.columns])
    columns = [frame[c].tolist() for c in frame.columns]
    writer.writerows([_cell(v) for v in row] for row in zip(*columns, strict=True))
    return buffer.getvalue()


def csv_texts_by(frame: pd.DataFrame, column: str) -> dict:
    """``csv_text`` of each group of rows sharing a value of ``column`` (in the frame's order), as
    it would be for that group alone, made in one pass: a batch's estimates for every area."""
    header = [str(c) for c in frame.columns]
    buffers: dict = {}
    writers: dict = {}
    columns = [frame[c].tolist() for c in frame.columns]
    for key, row in zip(frame[column].tolist(), zip(*columns, strict=True), strict=True):
        if key not in writers:
            buffers[key] = io.StringIO()
            writers[key] = csv.writer(buffers[key], lineterminator="\n")
            writers[key].writerow(header)
        writers[key].writerow([_cell(v) for v in row])
    return {key: buffer.getvalue() for key, buffer in buffers.items()}


def _cell(value):
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


def write_bundle(assets: Path, *, area: dict, estimates: pd.DataFrame, evidence: pd.DataFrame,
                 parameters: dict, inputs: list[Path], observed: pd.DataFrame | None = None,
                 context: pd.DataFrame | None = None, texts: dict[str, str] | None = None,
                 shared_sheets: SharedSheets | None = None) -> None:
    """Write the area's data folder in ``assets``; it is written before the notebook runs.
    ``texts``: tables' CSV text already made (file name -> ``csv_text``), e.g. by a batch, which
    also passes ``shared_sheets``, the workbook's national evidence sheet, made once
    (``publish.workbook``)."""
    texts = texts or {}
    data_dir = assets / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    _atomic_text(data_dir / "chapter.json", json.dumps(area, indent=2, default=str))
    tables = {"estimates.csv": estimates, "evidence.csv": evidence, "observed.csv": observed,
              "context.csv": context}
    for name, frame in tables.items():
        if frame is not None and not frame.empty:
            _atomic_text(data_dir / name, texts[name] if name in texts else csv_text(frame))
        else:
            (data_dir / name).unlink(missing_ok=True)
    sheets = [("estimates", estimates)]
    if observed is not None and not observed.empty:
        sheets.append(("local observed", observed))
    if context is not None and not context.empty:
        sheets.append(("local context", context))
    if shared_sheets is None:
        write_workbook(data_dir / "estimates.xlsx", sheets + [(EVIDENCE_SHEET, evidence)])
    else:
        write_workbook(data_dir / "estimates.xlsx", sheets, shared_sheets)
    write_manifest(data_dir / "manifest.json", parameters=parameters,
                   inputs=inputs + [data_dir / "estimates.csv", data_dir / "evidence.csv"])


def _atomic_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    partial.replace(path)

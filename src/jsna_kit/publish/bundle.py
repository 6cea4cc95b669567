"""An area's data bundle (``<slug>/data/``): what the chapter notebook reads and what readers
download. ``chapter.json`` (the area and how its caseload was found), ``estimates.csv``,
``evidence.csv``, ``observed.csv`` and ``context.csv`` when there are local files,
``dictionary.csv`` (every column's meaning), the same tables as an Excel workbook with the column
definitions and the sources, and a reproducibility manifest. Every file is written under a
temporary name and renamed, so a build killed at any moment leaves no half-written file.

The CSV text of each table is made by ``csv_text``, and the build key (``batch.cache``) hashes
that same text, so a table is digested exactly as it is written. A batch makes the text once, in
the coordinator, for the key, and hands it to the worker that writes it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
from pathlib import Path

import pandas as pd

from .dictionary import DEFINITIONS, SHEETS
from .manifest import Input, record_path, write_manifest
from .workbook import SharedSheets, write_workbook

EVIDENCE_SHEET = SHEETS["evidence.csv"]
SOURCES_SHEET = "sources"
COLUMNS_SHEET = "columns"


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


def table_digests_by(frame: pd.DataFrame, by) -> dict:
    """A digest of each group of rows sharing a value of ``by`` (a column, or one key per row), as
    ``table_digest`` gives for that group alone, made in one pass: every area's estimates at
    once. The build key needs to know whether an area's table changed, not its text: the text is
    written only for the areas built (``csv_text``)."""
    keys = frame[by].tolist() if isinstance(by, str) else list(by)
    # text columns as text: a cell may hold a list, which pandas cannot hash as it is
    text = {c: str for c, t in frame.dtypes.items() if pd.api.types.is_object_dtype(t)}
    hashed = frame.astype(text) if text else frame
    rows = pd.util.hash_pandas_object(hashed, index=False).to_numpy() if len(frame) else []
    positions: dict = {}
    for i, key in enumerate(keys):
        positions.setdefault(key, []).append(i)
    signature = _signature(frame).encode("utf-8")
    return {key: hashlib.sha256(signature + rows[at].tobytes()).hexdigest() for key, at in positions.items()}


def table_digests_of(tables: dict) -> dict:
    """``table_digest`` of each table in ``tables`` (by any key; None and empty tables left out),
    a few passes at a time: tables with the same columns and types are joined and split again by
    ``table_digests_by``. Tables whose types differ are never joined."""
    groups: dict[str, list] = {}
    for key, table in tables.items():
        if table is not None and not table.empty:
            groups.setdefault(_signature(table), []).append(key)
    digests = {}
    for keys in groups.values():
        joined = pd.concat([tables[k] for k in keys], ignore_index=True) if len(keys) > 1 else tables[keys[0]]
        digests.update(table_digests_by(joined, [k for k in keys for _ in range(len(tables[k]))]))
    return {key: digests[key] for key in tables if key in digests}


def table_digest(frame: pd.DataFrame | None) -> str | None:
    """A digest of a table's columns, their types and every value in order (pandas' own row hashes):
    it changes whenever the table's CSV text (``csv_text``) would; None for a table not written."""
    if frame is None or frame.empty:
        return None
    return table_digests_by(frame, [0] * len(frame))[0]


def _signature(frame: pd.DataFrame) -> str:
    return "\x1f".join(f"{c}\x1e{t}" for c, t in zip(map(str, frame.columns), map(str, frame.dtypes), strict=True))


def _cell(value):
    """A value as a CSV cell: missing blank; a whole-number float as a whole number ("3860", not
    "3860.0"); any other float to 12 significant digits, so no float noise ("63.35", not
    "63.349999999999994")."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return float(f"{value:.12g}")
    return value


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    """The download's sources sheet: each source key with its citation in full, its DOI and the
    publisher's web address where the reference data have one (``sources.csv``)."""
    def text(row, column: str) -> str:
        value = row.get(column, "")
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()

    rows = []
    for _, row in sources.iterrows():
        parts = [text(row, "authors"), f"({text(row, 'year')})" if text(row, "year") else "", text(row, "title"),
                 text(row, "publisher_or_journal"), text(row, "details")]
        citation = " ".join(p.rstrip(".") + ("." if i >= 2 else "") for i, p in enumerate(parts) if p).strip()
        # The publisher's own address only: where the text was read (url_seen, often a mirror) is
        # provenance for maintainers, not a reference for readers.
        url = text(row, "public_url")
        rows.append({"source_key": text(row, "source_key"), "citation": citation, "doi": text(row, "doi"),
                     "url": url if url.startswith(("http://", "https://")) else ""})
    return pd.DataFrame(rows, columns=["source_key", "citation", "doi", "url"])


class DownloadSheets:
    """The sheets that end every area's workbook: the column definitions, the national evidence
    and the sources. Each set is made once (``workbook.SharedSheets``) and used by every area whose
    download holds the same tables, so it is written once per run, not once per area."""

    def __init__(self, evidence: pd.DataFrame, sources: pd.DataFrame):
        self.evidence, self.sources = evidence, sources_table(sources)
        self._made: dict[tuple, SharedSheets] = {}

    def ending(self, dictionary: pd.DataFrame) -> SharedSheets:
        """The closing sheets for a download whose tables ``dictionary`` describes."""
        key = tuple(zip(dictionary["file"], dictionary["column"], strict=True))
        if key not in self._made:
            self._made[key] = SharedSheets([(COLUMNS_SHEET, dictionary), (EVIDENCE_SHEET, self.evidence),
                                            (SOURCES_SHEET, self.sources)])
        return self._made[key]


def shared_sheets(evidence: pd.DataFrame, sources: pd.DataFrame) -> DownloadSheets:
    """The closing sheets of a run's workbooks, to share between its areas."""
    return DownloadSheets(evidence, sources)


def dictionary_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per column of each table written (file, workbook sheet, column, meaning)."""
    rows = [(name, SHEETS[name], str(column), DEFINITIONS[name].get(str(column), ""))
            for name, frame in tables.items() for column in frame.columns]
    return pd.DataFrame(rows, columns=["file", "sheet", "column", "meaning"])


def write_bundle(assets: Path, *, area: dict, estimates: pd.DataFrame, evidence: pd.DataFrame,
                 sources: pd.DataFrame, parameters: dict, inputs: list[Input], request: dict,
                 observed: pd.DataFrame | None = None, context: pd.DataFrame | None = None,
                 texts: dict[str, str] | None = None, shared: DownloadSheets | None = None,
                 local: dict[str, pd.DataFrame | None] | None = None) -> None:
    """Write the area's data folder in ``assets``; it is written before the notebook runs: the
    tables as CSV, ``dictionary.csv`` (what every column means), the workbook (the same tables,
    the column definitions and the sources) and the manifest. ``texts``: tables' CSV text already
    made (file name -> ``csv_text``), e.g. by a batch, which also passes ``shared``, the
    workbook's shared sheets, made once (``shared_sheets``). ``local``: the area's own tables
    (``LOCAL_TABLES``: its statistical neighbours, its recommendations in its own order)."""
    texts = texts or {}
    data_dir = assets / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    _atomic_text(data_dir / "chapter.json", json.dumps(area, indent=2, default=str))
    tables = {"estimates.csv": estimates, "observed.csv": observed, "context.csv": context,
              **{name: (local or {}).get(name) for name in LOCAL_TABLES}, "evidence.csv": evidence}
    written = {name: frame for name, frame in tables.items() if frame is not None and not frame.empty}
    for name in tables:
        if name in written:
            _atomic_text(data_dir / name, texts[name] if name in texts else csv_text(written[name]))
        else:
            (data_dir / name).unlink(missing_ok=True)
    dictionary = dictionary_table(written)
    _atomic_text(data_dir / "dictionary.csv", csv_text(dictionary))
    sheets = [(SHEETS[name], frame) for name, frame in written.items() if name != "evidence.csv"]
    built = dt.date.fromisoformat(area["built"]) if area.get("built") else None
    write_workbook(data_dir / "estimates.xlsx", sheets, (shared or shared_sheets(evidence, sources)).ending(dictionary),
                   created=built)
    downloads = [Input("download", name, data_dir / name) for name in ("estimates.csv", "evidence.csv")]
    manifest = data_dir / "manifest.json"
    write_manifest(manifest, record=record_path(manifest), parameters=parameters, inputs=[*inputs, *downloads],
                   request=request, built=area.get("built", ""))


#: The area's own tables a bundle may hold besides the estimates, local records and context.
LOCAL_TABLES = ("neighbours.csv", "recommendations.csv", "services.csv")


def _atomic_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    partial.replace(path)

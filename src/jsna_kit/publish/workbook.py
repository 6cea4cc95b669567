"""The chapter's Excel download (``estimates.xlsx``): one sheet per table, each with its header
row frozen and a filter on every column. Numbers are written as numbers, to six significant
figures (the CSV files keep every digit), and text always as text: a name from a data file that
starts with ``=`` is never turned into a formula. Missing values are blank cells. The workbook
says it was made on the build's date, so building the same chapter again gives the same bytes.

A batch writes one workbook per area, and each ends with the same national evidence sheet
(about 3,600 of a workbook's 4,200 cells; writing it took 80 ms of the 100 ms a workbook cost).
XlsxWriter in constant-memory mode writes every sheet as self-contained XML (strings inline, no
shared string table, no styles), so ``SharedSheets`` writes such sheets once and every later
workbook takes their XML as it is: the workbook is the same as if the sheet had been written
into it (``tests/test_workbook.py`` reads both back and compares).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from numbers import Number
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Constant-memory mode writes strings inline (``in_memory`` would turn it off); rows go through a
#: temporary file, the workbook into memory.
OPTIONS = {"constant_memory": True}
SIGNIFICANT = 6  # significant figures of every number in a workbook (the CSV files keep them all)


def sensible(number: float, digits: int = SIGNIFICANT) -> float:
    """``number`` to ``digits`` significant figures, whole numbers kept whole: 0.169131791715 ->
    0.169132, 28.000000000000004 -> 28.0, 244209.0 -> 244209.0."""
    if number == 0 or not math.isfinite(number):
        return number
    return round(number, max(digits - 1 - math.floor(math.log10(abs(number))), 0))


def _layout(sheet, frame: pd.DataFrame) -> None:
    """Header row frozen, and a filter on every column."""
    sheet.freeze_panes(1, 0)
    if len(frame.columns):
        sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)


def _write_sheet(workbook, name: str, frame: pd.DataFrame, *, placeholder: bool = False) -> None:
    import pandas as pd

    sheet = workbook.add_worksheet(name)
    _layout(sheet, frame)
    if placeholder:
        return
    for col, header in enumerate(frame.columns):
        sheet.write_string(0, col, str(header))
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        for col, value in enumerate(values):
            if value is None or value is pd.NA:
                continue
            if isinstance(value, bool) or type(value).__name__ == "bool_":
                sheet.write_boolean(row, col, bool(value))
            elif isinstance(value, Number):
                number = float(value)
                if math.isfinite(number):
                    # As a Decimal of the float's shortest form: the writer prints floats to 16 digits
                    # (8.6026 as 8.602600000000001), a Decimal as it is.
                    sheet.write_number(row, col, Decimal(repr(sensible(number))))
            else:
                sheet.write_string(row, col, str(value))


def _workbook_bytes(sheets: Sequence[tuple[str, pd.DataFrame]], *, placeholders: int = 0,
                    created: dt.datetime | None = None) -> bytes:
    """An XLSX file in memory; the last ``placeholders`` sheets are laid out but left empty (their
    XML is put in afterwards). ``created``: the date the workbook says it was made (the build's
    date, so a rebuild gives the same bytes)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, OPTIONS)
    workbook.set_properties({"created": created or dt.datetime(1980, 1, 1)})
    for i, (name, frame) in enumerate(sheets):
        _write_sheet(workbook, name, frame, placeholder=i >= len(sheets) - placeholders)
    workbook.close()
    return buffer.getvalue()


class SharedSheets:
    """Sheets that end every workbook of a run, e.g. ``[("national evidence", evidence)]``;
    their XML is made on first use."""

    def __init__(self, sheets: Sequence[tuple[str, pd.DataFrame]]):
        self.sheets = list(sheets)
        self._xml: list[bytes] | None = None

    def xml(self) -> list[bytes]:
        if self._xml is None:
            # Behind a first sheet, as in a real workbook: only the first sheet is marked selected.
            import pandas as pd

            data = _workbook_bytes([("first", pd.DataFrame()), *self.sheets])
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                self._xml = [book.read(f"xl/worksheets/sheet{i}.xml") for i in range(2, len(self.sheets) + 2)]
        return self._xml


def write_workbook(path: Path, sheets: Sequence[tuple[str, pd.DataFrame]], shared: SharedSheets | None = None,
                   *, created: dt.date | None = None) -> Path:
    """Write ``sheets`` and then ``shared``'s sheets to ``path``, atomically (temporary name,
    then rename). ``created`` (the build's date) is the date the workbook says it was made."""
    path = Path(path)
    own = list(sheets)
    when = dt.datetime(created.year, created.month, created.day) if created else None
    if shared is None or not shared.sheets:
        data = _workbook_bytes(own, created=when)
    else:
        data = _workbook_bytes(own + shared.sheets, placeholders=len(shared.sheets), created=when)
        replace = {f"xl/worksheets/sheet{len(own) + i + 1}.xml": xml for i, xml in enumerate(shared.xml())}
        data = _with_parts(data, replace)
    partial = path.with_name(path.stem + ".partial" + path.suffix)
    partial.write_bytes(data)
    os.replace(partial, path)
    return path


def _with_parts(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The zip ``data`` with some members' contents replaced (names, order and dates kept)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, replace.get(info.filename) or src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()

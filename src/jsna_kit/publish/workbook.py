"""The chapter's Excel download (``estimates.xlsx``): one sheet per table, each value as the CSV
files hold it. Numbers are written as numbers and text always as text: a name from a data file
that starts with ``=`` is never turned into a formula. Missing values are blank cells.

A batch writes one workbook per area, and each ends with the same national evidence sheet
(about 3,600 of a workbook's 4,200 cells; writing it took 80 ms of the 100 ms a workbook cost).
XlsxWriter in constant-memory mode writes every sheet as self-contained XML (strings inline, no
shared string table, no styles), so ``SharedSheets`` writes such sheets once and every later
workbook takes their XML as it is: the workbook is the same as if the sheet had been written
into it (``tests/test_workbook.py`` reads both back and compares).
"""

from __future__ import annotations

import io
import math
import os
import zipfile
from collections.abc import Sequence
from numbers import Number
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Constant-memory mode writes strings inline (``in_memory`` would turn it off); rows go through a
#: temporary file, the workbook into memory.
OPTIONS = {"constant_memory": True}


def _write_sheet(workbook, name: str, frame: pd.DataFrame) -> None:
    import pandas as pd

    sheet = workbook.add_worksheet(name)
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
                    sheet.write_number(row, col, number)
            else:
                sheet.write_string(row, col, str(value))


def _workbook_bytes(sheets: Sequence[tuple[str, pd.DataFrame | None]]) -> bytes:
    """An XLSX file in memory; a sheet whose frame is None is left empty (a placeholder)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, OPTIONS)
    for name, frame in sheets:
        if frame is None:
            workbook.add_worksheet(name)
        else:
            _write_sheet(workbook, name, frame)
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


def write_workbook(path: Path, sheets: Sequence[tuple[str, pd.DataFrame]],
                   shared: SharedSheets | None = None) -> Path:
    """Write ``sheets`` and then ``shared``'s sheets to ``path``, atomically (temporary name,
    then rename)."""
    path = Path(path)
    own = list(sheets)
    if shared is None or not shared.sheets:
        data = _workbook_bytes(own)
    elif not own:
        data = _workbook_bytes(shared.sheets)
    else:
        data = _workbook_bytes(own + [(name, None) for name, _ in shared.sheets])
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

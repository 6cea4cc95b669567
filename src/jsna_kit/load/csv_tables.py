"""One way to read the project's own CSV tables (the reference data, the embedded snapshot, the
lookups): every cell as text, and a missing file, an unreadable one or a missing column as one
``InputFileError`` naming the file (and the column), with the fix the caller gives."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputFileError


def read_csv_table(path: str | Path, columns: tuple[str, ...] = (), *, what: str, fix: str,
                   encoding: str = "utf-8-sig", strip: bool = True) -> pd.DataFrame:
    """The table at ``path`` (``what`` names it in errors: "the local system table"), every cell
    as text (blank for empty), each stripped of surrounding spaces unless ``strip`` is false.
    Every name in ``columns`` must be in its header."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    except FileNotFoundError:
        raise InputFileError.single(path, f"{what} is missing", fix=fix) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError.single(path, f"cannot be read as CSV ({exc})", fix=fix) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputFileError.single(path, f"is missing the column(s) {', '.join(missing)}", column=missing[0],
                                    fix=f"the header must hold {', '.join(columns)}")
    return frame.apply(lambda column: column.str.strip()) if strip else frame

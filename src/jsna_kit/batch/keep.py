"""Results kept in a build's output folder between runs, for as long as what they follow from
is the same: one result per name (``kept``), or one per area (``kept_by_area``: a rebuild of one
area computes only that area's part)."""

from __future__ import annotations

import pickle
from pathlib import Path

_ERRORS = (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError)


def _load(path: Path):
    try:
        return pickle.loads(path.read_bytes())
    except _ERRORS:
        return None


def _store(path: Path, value) -> None:
    """Write ``value`` whole or not at all; nothing while the output folder does not exist yet, so
    a command that fails before building anything leaves no folder behind."""
    if not path.parent.parent.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)


def kept(cache_dir: Path | None, name: str, key: str, compute):
    """``compute()``'s result, kept in ``cache_dir`` under ``name`` for as long as ``key`` (a
    digest of everything the result follows from) stays the same; with no ``cache_dir``, just
    ``compute()``. One result is kept per name. The file is a pickle: it is only ever read back
    from the build's own output folder. Nothing is written while that folder does not exist yet,
    so a command that fails before building anything leaves no folder behind."""
    if cache_dir is None:
        return compute()
    path = Path(cache_dir) / f"{name}.pickle"
    stored = _load(path)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
        return stored[1]
    value = compute()
    _store(path, (key, value))
    return value


def kept_by_area(cache_dir: Path | None, name: str, table, compute, *, salt: str):
    """``compute(table)``, a table with one row per row of ``table`` (an ``area_code`` column) in the
    same order, where each area's rows are kept in ``cache_dir`` under ``name`` for as long as its
    rows of ``table`` and ``salt`` (e.g. the code's digest) are the same: only the areas whose rows
    are new or changed are computed. With no ``cache_dir``, just ``compute(table)``."""
    import pandas as pd

    from ..publish.bundle import table_digests_by

    if cache_dir is None or table.empty:
        return compute(table)
    path = Path(cache_dir) / f"{name}.pickle"
    stored = _load(path)
    stored = stored if isinstance(stored, dict) else {}
    keys = {area: f"{digest} {salt}" for area, digest in table_digests_by(table, "area_code").items()}
    missing = [area for area, key in keys.items() if (stored.get(area) or (None,))[0] != key]
    if missing:
        computed = compute(table[table["area_code"].isin(missing)]).reset_index(drop=True)
        for area, rows in computed.groupby("area_code", sort=False).indices.items():
            stored[area] = (keys[area], computed.iloc[rows].reset_index(drop=True))
        _store(path, stored)
    positions = table.groupby("area_code", sort=False).indices
    parts = [stored[area][1].set_axis(table.index[rows]) for area, rows in positions.items()]
    return pd.concat(parts).loc[table.index]


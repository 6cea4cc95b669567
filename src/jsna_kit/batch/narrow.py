"""A run that differs from the last only in some areas' rows of the analyst's files plans only
those areas.

The run record (``cache.write_run``) keeps, besides the run's fingerprint, its *frame*: the same
fingerprint without the contents of the analyst's files (``frame``), and a digest of each area's
rows of each file (``file_rows``). When this run's frame is the last run's, the areas whose rows
changed are the only ones whose inputs can have changed: each area's chapter follows from its own
rows, the shared reference, data and code (all in the frame), and tables computed from every area
alike (the modelled caseloads, the similar areas). Only they are planned and rebuilt; every other
area of the last run is settled as current after the same checks as a run with nothing changed
(``cache.still_current``). Anything else in a file changing (its header, a row with no area code,
an area's rows appearing or going, which decides between a local and a modelled caseload) plans
every area, as does a services file (each of its rows must be for an area of the build)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import cache

#: The rows no area owns (the header, the file's encoding and layout, rows with no area code).
WHOLE_FILE = ""


def file_rows(path: Path | None, sheet: str | None = None) -> dict[str, str] | None:
    """A digest of each area's rows of an analyst's file, by the text of the rows' ``area_code``
    cell (case and spaces aside), with their row numbers; ``WHOLE_FILE`` for the rest. None for
    no file, or one that cannot be read or has no ``area_code`` column (nothing is narrowed)."""
    from ..load.table_reading import normalise_header, read_table

    if path is None:
        return None
    table = read_table(path, sheet=sheet)
    header = [normalise_header(h) for h in table.header]
    if table.errors or "area_code" not in header:
        return None
    at = header.index("area_code")
    groups: dict[str, list] = {WHOLE_FILE: [table.header, table.header_row, table.encoding, table.delimiter,
                                            table.sheet]}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        groups.setdefault(" ".join(cells[at].split()).casefold(), []).append([number, cells])
    return {key: hashlib.sha256(json.dumps(rows).encode()).hexdigest() for key, rows in groups.items()}


def frame(fingerprint_args: dict, files: dict[str, Path | None]) -> str:
    """The run's fingerprint (``cache.run_fingerprint``'s arguments) without the contents of the
    analyst's files, but with where they are."""
    blank = {**fingerprint_args, **{role: None for role in files}}
    where = {role: str(Path(path).resolve()) if path is not None else None for role, path in files.items()}
    return cache.sha256_text(cache.run_fingerprint(**blank) + json.dumps(where, sort_keys=True))


@dataclass
class Narrowing:
    changed: list[str]  # the area cells (``file_rows``' keys) whose rows changed
    current: list[dict]  # the last run's other areas, as it recorded them, still current


def narrowed(out_dir: Path, this_frame: str, rows: dict[str, dict | None], *, render: bool,
             given: dict[str, Path | None]) -> Narrowing | None:
    """What this run must plan, when its frame is the last run's and only some areas' rows of the
    analyst's files changed (``rows``: ``file_rows`` by role); None when every area is planned."""
    run = cache.read_run(out_dir)
    if not run or run.get("frame") != this_frame or given.get("services_file") is not None:
        return None
    before = run.get("rows") or {}
    changed: set[str] = set()
    for role, now in rows.items():
        was = before.get(role)
        if (now is None) != (was is None):
            return None
        if now is None:
            continue
        if set(now) != set(was) or now[WHOLE_FILE] != was[WHOLE_FILE]:
            return None  # an area's rows came or went, or the header or a row with no area changed
        changed |= {key for key in now if now[key] != was[key]}
    if not changed:
        return None  # the fingerprint differs for another reason
    return Narrowing(sorted(changed), run.get("areas", []))


def settle(narrowing: Narrowing, codes: dict[str, str], out_dir: Path, *, render: bool,
           given: dict[str, Path | None]) -> list[dict] | None:
    """The last run's areas other than the changed ones (``codes``: each changed cell's area),
    when each is still current (``cache.still_current``); None when one is not."""
    changed = set(codes.values())
    kept = [area for area in narrowing.current if area["area_code"] not in changed]
    if not all(cache.still_current(area, out_dir, render=render, given=given) for area in kept):
        return None
    return kept

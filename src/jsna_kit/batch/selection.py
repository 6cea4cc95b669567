"""Which areas a build is for: one or more codes or names (``--area``), a file of them
(``--areas``), a region or probation region (``--region``), or all 175 (``--all``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputFileError, Problem, UnknownAreaError
from ..load.areas import normalise_name, resolve_code


def read_areas_file(path: Path, areas: pd.DataFrame, changes: pd.DataFrame) -> list[str]:
    """Area codes from a file of one code or name per line (``#`` starts a comment). Every line
    that names no area is reported at once, with its line number."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputFileError.single(path, f"cannot be read ({exc.strerror})") from None
    codes, problems = [], []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            codes.append(resolve_code(text, areas, changes))
        except UnknownAreaError as exc:
            problems.append((number, text, str(exc)))
    if problems:
        raise InputFileError([Problem(str(path), n, None, text, msg, "give a GSS code or an area name")
                              for n, text, msg in problems])
    if not codes:
        raise InputFileError.single(path, "names no areas", fix="put one area code or name on each line")
    return list(dict.fromkeys(codes))


def areas_in_region(areas: pd.DataFrame, region: str) -> pd.DataFrame:
    """The areas of a region or probation region, matched by name or code as ``jsna-kit areas``."""
    wanted = normalise_name(region)
    columns = ["region_code", "region_name", "probation_region_code", "probation_region_name"]
    keep = areas[columns].apply(lambda c: c.map(normalise_name) == wanted).any(axis=1)
    if not keep.any():
        names = sorted({normalise_name(n): n for n in [*areas["region_name"], *areas["probation_region_name"]]
                        if isinstance(n, str) and n}.values())
        raise UnknownAreaError(f"no region or probation region called {region!r}; choose from {', '.join(names)}")
    return areas[keep]


def choose_areas(areas: pd.DataFrame, changes: pd.DataFrame, *, codes: list[str] | None = None,
                 region: str | None = None, areas_file: Path | None = None) -> pd.DataFrame:
    """The rows of ``areas`` (``load.areas.load_areas``) chosen by codes or names, an areas file or
    a region, in the order given; every area when none is given."""
    if areas_file is not None:
        codes = read_areas_file(Path(areas_file), areas, changes)
    if codes:
        wanted = list(dict.fromkeys(resolve_code(q, areas, changes) for q in codes))
        return areas.set_index("area_code").loc[wanted].reset_index()
    if region:
        return areas_in_region(areas, region)
    return areas

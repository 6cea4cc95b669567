"""The local system: the bodies a board member would write to about the health of people on probation
in each upper-tier area (``data/reference/local_system.csv``, made from official lookups by
``scripts/derive_local_system.py`` and described in ``data/reference/README_local_system.md``).

One row per area x role x body: the integrated care board and NHS England region, the police force
area, its policing body and community safety partnerships, the probation region and delivery units,
and in Wales the local health board, regional partnership board, area planning board and Public
Health Wales. ``share_pct`` is the area's share in the body where the area is split (blank where
it is served by several bodies whose shares are not known, as a county's district partnerships).

The table is checked as it is read; every problem (an unknown role, a body with no name, shares
that do not add up, an area left without its board or police force) is collected and raised as one
``InputFileError`` naming the file, row and column.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import InputFileError, Problem, UnknownAreaError
from .csv_tables import read_csv_table

LOCAL_SYSTEM = "local_system.csv"
LOCAL_SYSTEM_SOURCES = "local_system_sources.csv"
COLUMNS = ("area_code", "area_name", "role", "body_code", "body_name", "body_name_cy", "share_pct", "as_at",
           "basis", "source", "maintainer_note")
ROLES = ("integrated_care_board", "nhs_england_region", "local_health_board", "regional_partnership_board",
         "public_health_agency", "area_planning_board", "police_force_area", "policing_body",
         "community_safety_partnership", "probation_region", "probation_delivery_unit",
         "combating_drugs_partnership")
REQUIRED_ROLES = {
    "England": ("integrated_care_board", "nhs_england_region", "police_force_area", "policing_body",
                "probation_region", "probation_delivery_unit", "community_safety_partnership"),
    "Wales": ("local_health_board", "regional_partnership_board", "area_planning_board", "police_force_area",
              "policing_body", "probation_region", "probation_delivery_unit", "public_health_agency"),
}
# Roles an area has exactly one of: a second police force or health board is a broken lookup.
SINGLE_BODY_ROLES = ("police_force_area", "policing_body", "probation_region", "local_health_board",
                     "regional_partnership_board", "area_planning_board", "public_health_agency")
BASES = ("official_lookup", "transcribed", "inferred", "merger_2026")
SHARE_TOLERANCE = 0.01  # shares are written to two decimals and made to add up exactly
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SOURCE_KEY = re.compile(r"^[A-Z0-9_]+$")
MAX_PROBLEMS = 20
FIX = "make the table again with scripts/derive_local_system.py, or restore it from the repository"


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    return read_csv_table(path, columns, what="the local system table", fix=FIX)


def _known_sources(path: Path) -> set[str] | None:
    """Source keys of the sources table beside the table (None when there is none to check against)."""
    sources = path.with_name(LOCAL_SYSTEM_SOURCES)
    if not sources.is_file():
        return None
    return set(_read(sources, ("source", "publisher", "title", "date", "licence", "url"))["source"])


class _Problems(list):
    def add(self, path: Path, row: int | None, column: str | None, value, message: str, fix: str = FIX) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(Problem(str(path), row, column, value, message, fix))


def _check_rows(path: Path, frame: pd.DataFrame, known_areas: set[str] | None, sources: set[str] | None,
                problems: _Problems) -> pd.Series:
    """Row by row: codes, roles, names, shares, dates, bases and source keys. Returns the shares."""
    shares = pd.to_numeric(frame["share_pct"], errors="coerce")
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        if known_areas is not None and row.area_code not in known_areas:
            problems.add(path, i, "area_code", row.area_code, "is not an upper-tier area of the area list",
                         "use the area's 2023 code (E06, E08, E09, E10 or W06), as in probation_region_areas.csv")
        if row.role not in ROLES:
            problems.add(path, i, "role", row.role, f"is not one of {', '.join(ROLES)}")
        if not row.body_name:
            problems.add(path, i, "body_name", row.body_name, "is blank: an owner with no name",
                         "give the body's official name, or the form the source gives")
        if row.share_pct and (math.isnan(shares.iat[i - 2]) or not 0 <= shares.iat[i - 2] <= 100):
            problems.add(path, i, "share_pct", row.share_pct, "is not a percentage from 0 to 100")
        if not ISO_DATE.match(row.as_at):
            problems.add(path, i, "as_at", row.as_at, "is not an ISO date (YYYY-MM-DD)")
        if row.basis not in BASES:
            problems.add(path, i, "basis", row.basis, f"is not one of {', '.join(BASES)}")
        keys = [k.strip() for k in row.source.split(";") if k.strip()]
        bad = [k for k in keys if not SOURCE_KEY.match(k) or (sources is not None and k not in sources)]
        if not keys or bad:
            problems.add(path, i, "source", row.source, "is not a key (or ';'-separated keys) of "
                         f"{LOCAL_SYSTEM_SOURCES}", f"add the source to {LOCAL_SYSTEM_SOURCES} or fix the key")
    return shares


def _check_groups(path: Path, frame: pd.DataFrame, shares: pd.Series, problems: _Problems) -> None:
    """Per area and role: one body where there can be only one, no body twice, shares adding up to 100."""
    seen: set[tuple] = set()
    groups: dict[tuple[str, str], list[tuple[int, str, float]]] = {}  # (area, role) -> (row, share given, share)
    columns = [frame[c].tolist() for c in ("area_code", "role", "body_code", "body_name", "share_pct")]
    for row, (area, role, code, name, given), share in zip(range(2, len(frame) + 2), zip(*columns, strict=True),
                                                            shares.tolist(), strict=True):
        if (area, role, code, name) in seen:
            problems.add(path, row, "body_name", name, f"repeats a {role} already given for {area}")
        seen.add((area, role, code, name))
        groups.setdefault((area, role), []).append((row, given, share))
    for (area, role), group in groups.items():
        if role in SINGLE_BODY_ROLES and len(group) > 1:
            problems.add(path, group[1][0], "role", role,
                         f"{area} has {len(group)} bodies in this role; it can have only one")
        given = [g[1] != "" for g in group]
        if not any(given) and len(group) > 1:
            continue  # several bodies, shares not known: allowed, and said so in the README
        if not all(given):
            problems.add(path, group[given.index(False)][0], "share_pct", "",
                         f"is blank while other {role} rows of {area} give a share",
                         "give every body of the area in this role a share, or none")
            continue
        total = math.fsum(g[2] for g in group)
        if not math.isnan(total) and abs(total - 100) > SHARE_TOLERANCE:
            problems.add(path, group[0][0], "share_pct", f"{total:g}",
                         f"the {role} shares of {area} add up to {total:g}, not 100",
                         "give each body the area's share in it, adding up to 100")


def _check_coverage(path: Path, frame: pd.DataFrame, areas: pd.DataFrame, problems: _Problems) -> None:
    """Every area of the list has every role its nation needs."""
    present = set(zip(frame["area_code"], frame["role"], strict=True))
    for area in areas.itertuples(index=False):
        nation = "Wales" if area.area_code.startswith("W") else "England"
        missing = [role for role in REQUIRED_ROLES[nation] if (area.area_code, role) not in present]
        if missing:
            problems.add(path, None, "role", ", ".join(missing),
                         f"{area.area_code} {area.area_name} has no {', '.join(missing)}: a lookup has left the "
                         f"area without it", "make the table again from lookups that cover every area")


def load_local_system(path: str | Path | None = None, *, areas: pd.DataFrame | None = None) -> pd.DataFrame:
    """The local system table, checked: ``area_code, area_name, nation, role, body_code, body_name,
    body_name_cy, share_pct`` (float, NaN where shares are not known), ``as_at, basis, source`` and
    ``maintainer_note`` (for maintainers; never shown to readers).

    ``path`` defaults to the reference file (a researcher's own copy where their reference folder has
    one); ``areas`` to the area list (``load.areas.load_areas``), every area of which must have the
    roles its nation needs (``REQUIRED_ROLES``). Raises one ``InputFileError`` listing every problem.
    """
    path = Path(path) if path is not None else config.reference_file(LOCAL_SYSTEM)
    frame = _read(path, COLUMNS)
    if areas is None:
        from .areas import load_areas

        areas = load_areas(None, validate=False)
    problems = _Problems()
    shares = _check_rows(path, frame, set(areas["area_code"]), _known_sources(path), problems)
    _check_groups(path, frame, shares, problems)
    _check_coverage(path, frame, areas, problems)
    if problems:
        raise InputFileError(list(problems))
    nation = frame["area_code"].str[:1].map({"E": "England", "W": "Wales"})
    out = frame.assign(share_pct=shares.astype(float))
    out.insert(2, "nation", nation)
    return out


def bodies_for(table: pd.DataFrame, area_code: str) -> dict[str, list[dict]]:
    """The bodies of one area by role, in the table's order of roles: ``{role: [{body_code, body_name,
    body_name_cy, share_pct (None where not known), as_at, basis, source}, ...]}``, the largest share
    first. Raises ``UnknownAreaError`` for an area the table does not hold."""
    rows = table[table["area_code"] == area_code]
    if rows.empty:
        raise UnknownAreaError(f"{area_code} is not in the local system table")
    order = {role: i for i, role in enumerate(ROLES)}
    out: dict[str, list[dict]] = {}
    for role, group in sorted(rows.groupby("role", sort=False), key=lambda item: order.get(item[0], len(order))):
        group = group.assign(_key=group["share_pct"].fillna(-1)).sort_values("_key", ascending=False, kind="stable")
        out[role] = [{"body_code": r.body_code, "body_name": r.body_name, "body_name_cy": r.body_name_cy,
                      "share_pct": None if pd.isna(r.share_pct) else float(r.share_pct), "as_at": r.as_at,
                      "basis": r.basis, "source": r.source} for r in group.itertuples(index=False)]
    return out

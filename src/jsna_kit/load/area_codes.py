"""What to say of an area code that is not a current upper-tier area's but is recognisably
something else: a lower-tier district (answered with the county it lies in, from
``data/reference/lower_tier_districts.csv``), or a Scottish or Northern Irish area."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from jsna_kit import config

_OTHER_NATIONS = {"S": "Scottish", "N": "Northern Irish"}


def code_hint(code: str) -> str:
    """What to say of a code that is not a current upper-tier area's but is recognisably something
    else: a lower-tier district (the county it lies in), or a Scottish or Northern Irish area; ""
    otherwise."""
    code = str(code).strip().upper()
    if re.fullmatch(r"[SN]\d{8}", code):
        return (f"{code} is a {_OTHER_NATIONS[code[0]]} area code: jsna-kit covers local authorities in England "
                "and Wales only.")
    if code.startswith("E07"):
        found = lower_tier_districts().get(code)
        if found and found[1]:
            return (f"{code} ({found[0]}) is a lower-tier district: it lies in {found[1]} ({found[2]}), the "
                    f"upper-tier area to give instead.")
        return (f"{code} is a lower-tier district code (of a district that no longer exists, or one not in the "
                "reference data): give the county or unitary authority it lies in.")
    return ""


def lower_tier_districts() -> dict[str, tuple[str, str, str]]:
    """District code -> (district name, county code, county name), from the reference data."""
    path = config.reference_file("lower_tier_districts.csv")
    return _districts(str(path), path.stat().st_mtime_ns if path.is_file() else 0)


@lru_cache(maxsize=4)
def _districts(path: str, stamp: int) -> dict[str, tuple[str, str, str]]:
    if not stamp:
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {r.district_code: (r.district_name, r.upper_tier_code, r.upper_tier_name) for r in table.itertuples()}

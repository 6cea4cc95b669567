"""Real local caseload figures, to test the caseload models against: ``data/reference/caseload_validation.csv``
(each figure with where it was published, read by ``benchmarks/caseload_validation.py``).

One row per published figure: ``validation_id, geography_type (local_authority|pdu|constituency|
probation_region), geography_name, area_codes`` (``;``-separated 2023 upper-tier codes the
geography lies in), ``coverage`` (``whole``: the geography is exactly those areas; ``part``: it
lies inside them), ``value`` (a whole number of people above 0), ``value_text`` (as published),
``date`` (ISO), ``counts`` (who is counted), ``includes_custody`` (true|false|unknown),
``source_title, publisher, published, url, where_read, notes``. A figure with no source (title and
address) or no date cannot be checked by anyone, so it is an error, like a bad code or count:
every problem is collected and raised as one ``InputFileError`` naming file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import InputFileError, Problem

VALIDATION_FILE = "caseload_validation.csv"
COLUMNS = ("validation_id", "geography_type", "geography_name", "area_codes", "coverage", "value", "value_text",
           "date", "counts", "includes_custody", "source_title", "publisher", "published", "url", "where_read",
           "notes")
GEOGRAPHY_TYPES = ("local_authority", "pdu", "constituency", "probation_region")
COVERAGES = ("whole", "part")
CUSTODY = ("true", "false", "unknown")
REQUIRED = {"validation_id": "give each figure an id (e.g. CV12)",
            "geography_name": "name the place the figure is for",
            "area_codes": "give the 2023 upper-tier area code(s) the place lies in, separated by ';'",
            "source_title": "give the title of the publication the figure was read in",
            "url": "give the web address where the figure can be read",
            "date": "give the date the figure counts people on, as YYYY-MM-DD"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_PROBLEMS = 50


def _is_date(text: str) -> bool:
    if not ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def read_caseload_validation(path: Path | None = None, *, known_areas=None) -> pd.DataFrame:
    """The validation figures, checked: the table as read (text), with ``value`` a float and
    ``area_codes`` split into a list per row. ``known_areas``: the area codes a figure may name
    (the area list); unknown codes are errors. Raises one ``InputFileError`` for all problems."""
    path = Path(path) if path is not None else config.reference_file(VALIDATION_FILE)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError.single(path, "the caseload validation table is missing",
                                    fix="restore data/reference/caseload_validation.csv from the repository") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError.single(path, f"cannot be read as UTF-8 CSV ({exc})") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InputFileError.single(path, f"is missing the column(s) {', '.join(missing)}", column=missing[0],
                                    fix=f"the header must hold {', '.join(COLUMNS)}")
    frame = frame.apply(lambda s: s.str.strip())
    problems: list[Problem] = []

    def flag(i: int, column: str, message: str, fix: str) -> None:
        problems.append(Problem(str(path), i + 2, column, frame.at[i, column], message, fix))

    known = None if known_areas is None else set(known_areas)
    seen: set[str] = set()
    for i in range(len(frame)):
        row = frame.iloc[i]
        for column, fix in REQUIRED.items():
            if row[column] == "":
                flag(i, column, "is blank: a validation figure needs its source and date", fix)
        if row["validation_id"] and row["validation_id"] in seen:
            flag(i, "validation_id", "repeats an id already used", "give each figure its own id")
        seen.add(row["validation_id"])
        for column, allowed in (("geography_type", GEOGRAPHY_TYPES), ("coverage", COVERAGES),
                                ("includes_custody", CUSTODY)):
            if row[column] not in allowed:
                flag(i, column, f"is not one of {', '.join(allowed)}", f"use one of {', '.join(allowed)}")
        value = pd.to_numeric(row["value"], errors="coerce")
        if pd.isna(value) or value <= 0 or value % 1 != 0:
            flag(i, "value", "is not a whole number of people above 0",
                 "give the count as published, digits only (value_text keeps its published form)")
        if row["date"] and not _is_date(row["date"]):
            flag(i, "date", "is not a date as YYYY-MM-DD", "give the date the figure counts people on")
        if row["published"] and not _is_date(row["published"]):
            flag(i, "published", "is not a date as YYYY-MM-DD", "give the publication date, or leave it blank")
        if row["url"] and not row["url"].startswith(("http://", "https://")):
            flag(i, "url", "is not a web address", "give the address starting https://")
        for code in filter(None, (c.strip() for c in row["area_codes"].split(";"))):
            if not re.match(r"^[EW]\d{8}$", code):
                flag(i, "area_codes", f"{code!r} is not an ONS area code", "use 2023 upper-tier codes, ';'-separated")
            elif known is not None and code not in known:
                flag(i, "area_codes", f"{code} is not an upper-tier area of the area list",
                     "use the 2023 county or unitary code the place lies in")
    if problems:
        raise InputFileError(problems[:MAX_PROBLEMS])
    return frame.assign(value=pd.to_numeric(frame["value"]).astype(float),
                        area_codes=frame["area_codes"].map(lambda s: [c.strip() for c in s.split(";") if c.strip()]))

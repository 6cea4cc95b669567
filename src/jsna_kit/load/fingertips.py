"""Fingertips (OHID) indicator data: the CSV export as analysts download it, the API through
``fingertips_py``, and the project's indicator catalogue with its run-time check.

The export's quirks (see the Fingertips API notes in the shared folder) handled here: a UTF-8
byte-order mark; 27 columns, or 26 without ``Time period range``; the 23rd column named after the
parent area type (``Compared to percentiles``, ``Compared to Region value or percentiles``);
``Target data`` as the old name of ``Compared to goal``; fingertipsR headers without spaces
(``IndicatorID``, ``LowerCI95.0limit``); PHOF prefixes on names (``E10 - Suicide rate``); England
listed twice; inequality breakdowns (``Category Type`` filled) beside the headline rows; blank
(suppressed) values explained in ``Value note``, which stay NaN and never become 0.

``fingertips_py`` hard-codes its host as the module constant ``base_url``, copied by
``from fingertips_py.api_calls import base_url`` into each of its modules. ``fingertips_base_url``
points every copy at another host in a ``with`` block (tests use a local server). Checks of the
figures are in ``fingertips_checks``."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import io
import json
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from jsna_kit import config
from jsna_kit.errors import InputFileError, JsnaKitError, Problem
from jsna_kit.load.fingertips_checks import out_of_range
from jsna_kit.load.text import clean_text
from jsna_kit.priorities import PRIORITY_KEYS

DEFAULT_BASE_URL = "https://fingertips.phe.org.uk/api/"
UPPER_TIER_LA = 502  # Counties & UAs (from Apr 2023)
ENGLAND, REGION = 15, 6  # England; Government Office regions (E12)
ENGLAND_CODE = "E92000001"
MAX_IDS_PER_REQUEST = 100  # the API drops further ids without a warning
PHOF_PREFIX = re.compile(r"^[A-E]\d{2}[a-z]?(i{1,3}|iv)?\s*-\s*")

COLUMNS = ["indicator_id", "indicator_name", "area_code", "area_name", "area_type", "parent_code",
           "parent_name", "sex", "age", "category_type", "category", "time_period", "time_period_sortable",
           "value", "lower_95", "upper_95", "lower_998", "upper_998", "count", "denominator", "value_note",
           "recent_trend", "compared_to_england", "compared_to_parent", "parent_comparison_label",
           "time_period_range", "compared_to_goal", "new_data", "is_breakdown", "row"]
_HEADERS = {  # header without spaces/punctuation, lower case -> canonical column
    "indicatorid": "indicator_id", "indicatorname": "indicator_name", "parentcode": "parent_code",
    "parentname": "parent_name", "areacode": "area_code", "areaname": "area_name", "areatype": "area_type",
    "sex": "sex", "age": "age", "categorytype": "category_type", "category": "category",
    "timeperiod": "time_period", "value": "value", "lowerci950limit": "lower_95",
    "upperci950limit": "upper_95", "lowerci998limit": "lower_998", "upperci998limit": "upper_998",
    "count": "count", "denominator": "denominator", "valuenote": "value_note", "recenttrend": "recent_trend",
    "comparedtoenglandvalueorpercentiles": "compared_to_england", "timeperiodsortable": "time_period_sortable",
    "newdata": "new_data", "comparedtogoal": "compared_to_goal", "targetdata": "compared_to_goal",
    "timeperiodrange": "time_period_range"}
_PARENT_COLUMN = re.compile(r"^comparedto.*percentiles$")
_REQUIRED = ["indicator_id", "indicator_name", "area_code", "area_name", "sex", "age", "time_period", "value"]
_NUMERIC = ["value", "lower_95", "upper_95", "lower_998", "upper_998", "count", "denominator"]
_SEXES = {"persons": "all", "male": "male", "female": "female"}


class FingertipsError(JsnaKitError):
    """A Fingertips request failed or returned something that is not an export."""


# --- the CSV export --------------------------------------------------------------------------

def _compact(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(header).lstrip("\ufeff").casefold())


def tidy_fingertips_export(raw: pd.DataFrame, *, file: str = "Fingertips export"
                           ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The export's cells (text; index = row in the file) as the tidy table described by
    ``COLUMNS``, plus the problems found. Returns ``(None, problems)`` when columns are missing."""
    problems: list[Problem] = []
    renames, label = {}, None
    for header in raw.columns:
        compact = _compact(header)
        if compact in _HEADERS:
            renames[header] = _HEADERS[compact]
        elif _PARENT_COLUMN.match(compact):
            renames[header], label = "compared_to_parent", str(header).lstrip("\ufeff")
    missing = [c for c in _REQUIRED if c not in renames.values()]
    if missing:
        return None, [Problem(file, 1, c, None, f"Required Fingertips column '{c}' is missing",
                              "Download the data again from Fingertips (Download > 'Data for ...' CSV)")
                      for c in missing]
    cells = raw.rename(columns=renames).loc[:, lambda d: ~d.columns.duplicated()]
    cells = cells.astype(object).where(cells.notna(), "").map(lambda v: clean_text(str(v)).strip())
    df = pd.DataFrame(index=cells.index)
    for column in COLUMNS[:-2]:
        text = cells[column] if column in cells.columns else pd.Series("", index=cells.index)
        if column in _NUMERIC or column in ("indicator_id", "time_period_sortable"):
            numbers = pd.to_numeric(text.where(text.ne("")), errors="coerce")
            for row in text.index[numbers.isna() & text.ne("")]:
                problems.append(Problem(file, int(row), column, text[row], "Not a number",
                                        "Download the data again; Fingertips writes plain numbers"))
            df[column] = numbers.astype("float64") if column in _NUMERIC else numbers.astype("Int64")
        elif column == "parent_comparison_label":
            df[column] = pd.Series(label, index=cells.index, dtype="str")
        else:
            df[column] = text.where(text.ne("")).astype("str")
    problems += out_of_range(df, file)
    df["indicator_name"] = df["indicator_name"].str.replace(PHOF_PREFIX, "", regex=True)
    df["sex"] = df["sex"].str.casefold().map(lambda s: _SEXES.get(s, s) if isinstance(s, str) else s)
    # a year that went through a float column (fingertips_py parses the CSV) comes back as 2023.0
    df["time_period"] = df["time_period"].str.replace(r"^(\d{4})\.0$", r"\1", regex=True)
    df["time_period_sortable"] = df["time_period_sortable"].fillna(parse_time_period(df["time_period"]))
    df["is_breakdown"] = df["category_type"].notna()
    df["row"] = df.index.astype("int64")
    # England comes twice: as the parent (blank Parent Code) and as a child of itself
    england = df["area_code"].eq(ENGLAND_CODE)
    df = df[~(england & df["parent_code"].eq(ENGLAND_CODE))]
    key = ["indicator_id", "area_code", "sex", "age", "category_type", "category", "time_period"]
    df = df[~(df["area_code"].eq(ENGLAND_CODE) & df.duplicated(key))]
    return df.reset_index(drop=True)[COLUMNS], problems


def read_fingertips_csv(path_or_buffer: str | Path | bytes | io.IOBase) -> pd.DataFrame:
    """A Fingertips CSV export as the tidy table ``COLUMNS``: ``indicator_id`` (Int64), names
    without PHOF prefixes, ``sex`` as all/male/female, numbers as float (blank = NaN, see
    ``value_note``), ``parent_comparison_label`` = the original 23rd header, ``is_breakdown`` True
    for inequality rows (``category_type`` filled; keep them out of headline values, see
    ``latest_values``), ``row`` = line in the file. The duplicate England row is dropped.
    Raises ``InputFileError`` naming row and column for anything unreadable."""
    if isinstance(path_or_buffer, (str, Path)):
        name, data = Path(path_or_buffer).name, Path(path_or_buffer).read_bytes()
    elif isinstance(path_or_buffer, bytes):
        name, data = "Fingertips export", path_or_buffer
    else:
        name, data = getattr(path_or_buffer, "name", "Fingertips export"), path_or_buffer.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            data = data.decode("cp1252", errors="replace")  # re-saved by Excel
    try:
        raw = pd.read_csv(io.StringIO(data), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError.single(name, f"Cannot read the file as a Fingertips CSV export ({exc})",
                                    fix="Download it again from Fingertips") from None
    raw.index = range(2, len(raw) + 2)
    df, problems = tidy_fingertips_export(raw, file=str(name))
    if problems:
        raise InputFileError(problems)
    return df


def parse_time_period(time_period: pd.Series) -> pd.Series:
    """A stand-in for ``Time period Sortable`` when it is missing: start year x 10000, plus the
    quarter x 100 for quarterly labels. Pooled periods sort by their start year, as Fingertips
    does ('2020 - 22' -> 20200000; '2022/23' -> 20220000)."""
    text = time_period.astype("str")
    year = pd.to_numeric(text.str.extract(r"^\s*(\d{4})", expand=False), errors="coerce")
    quarter = pd.to_numeric(text.str.extract(r"Q([1-4])", expand=False), errors="coerce").fillna(0)
    return (year * 10000 + quarter * 100).astype("Int64")


def latest_values(df: pd.DataFrame, *, include_breakdowns: bool = False) -> pd.DataFrame:
    """The latest period per indicator x area x sex x age (x category when breakdowns are
    included), by ``time_period_sortable`` (parsed from ``time_period`` where missing). A
    suppressed latest value stays the latest, as NaN: an older value is not silently shown."""
    breakdown = df["is_breakdown"] if "is_breakdown" in df.columns else df["category_type"].notna()
    rows = df if include_breakdowns else df[~breakdown]
    keys = ["indicator_id", "area_code", "sex", "age"]
    keys += ["category_type", "category"] if include_breakdowns else []
    order = rows["time_period_sortable"].fillna(parse_time_period(rows["time_period"]))
    latest = (rows.assign(_order=order).sort_values("_order", kind="stable")
              .groupby(keys, dropna=False, sort=False).tail(1))
    return latest.drop(columns="_order").sort_values(keys).reset_index(drop=True)


# --- the API via fingertips_py ---------------------------------------------------------------

_FTP_MODULES = ("fingertips_py.api_calls", "fingertips_py.retrieve_data", "fingertips_py.metadata",
                "fingertips_py.area_data")
_BASE_URL_LOCK = threading.RLock()


@contextmanager
def fingertips_base_url(url: str) -> Iterator[None]:
    """Point fingertips_py at ``url`` inside the block, restoring its own host after. Holds a
    lock, so threads using different hosts take turns."""
    url = url if url.endswith("/") else url + "/"
    with _BASE_URL_LOCK:
        modules = [importlib.import_module(name) for name in _FTP_MODULES]
        saved = [(m, m.base_url) for m in modules if hasattr(m, "base_url")]
        try:
            for module, _ in saved:
                module.base_url = url
            yield
        finally:
            for module, original in saved:
                module.base_url = original


def batches(indicator_ids: Iterable[int | str], size: int = MAX_IDS_PER_REQUEST) -> list[list[int]]:
    """Unique indicator ids in order, in lists of at most ``size``."""
    unique = list(dict.fromkeys(int(i) for i in indicator_ids))
    return [unique[i:i + size] for i in range(0, len(unique), size)]


class FingertipsClient:
    """Fingertips API calls through fingertips_py, with downloads cached in ``cache_dir`` by
    (what was asked, indicator ids, area type, date): one download per day per request."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL, *, cache_dir: str | Path | None = None,
                 today: dt.date | None = None):
        self.base_url = base_url
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.today = today or dt.date.today()

    def _cached(self, what: str, ids: list[int] | None, area_type: int | None, suffix: str, fetch):
        if self.cache_dir is None:
            return fetch()
        id_text = "-".join(map(str, ids)) if ids else "all"
        if len(id_text) > 60:
            id_text = f"{len(ids)}ids-" + hashlib.sha1(id_text.encode()).hexdigest()[:12]
        path = self.cache_dir / f"{what}_{id_text}_at{area_type or 'any'}_{self.today.isoformat()}.{suffix}"
        if path.is_file():
            return path.read_text(encoding="utf-8")
        text = fetch()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return text

    def _call(self, description: str, function, *args, **kwargs):
        import requests

        with fingertips_base_url(self.base_url):
            try:
                return function(*args, **kwargs)
            except (OSError, ValueError, requests.RequestException) as exc:
                raise FingertipsError(
                    f"Fingertips request failed ({description} at {self.base_url}): {exc}") from exc

    def data(self, indicator_ids: Iterable[int | str], area_type: int = UPPER_TIER_LA, *,
             parent_area_type: int = ENGLAND, profile_id: int | None = None) -> pd.DataFrame:
        """Indicator data as ``read_fingertips_csv`` returns it, requested in batches of at most
        100 ids with sortable time periods, via ``fingertips_py.get_data_by_indicator_ids``."""
        import fingertips_py

        frames = []
        for batch in batches(indicator_ids):
            def fetch(batch=batch):
                try:
                    raw = self._call(f"data for {len(batch)} indicators",
                                     fingertips_py.get_data_by_indicator_ids,
                                     batch, area_type, parent_area_type, profile_id, True)
                except FingertipsError as exc:
                    if isinstance(exc.__cause__, pd.errors.EmptyDataError):  # no data at this area type
                        return ""
                    raise
                text = raw.to_csv(index=False)
                _, problems = tidy_fingertips_export(raw, file="Fingertips response")
                if problems:  # an error page is not a download: never cache it
                    raise FingertipsError(
                        f"Fingertips returned something that is not an export ({self.base_url}): "
                        + "; ".join(p.message for p in problems[:3]))
                return text

            what = f"data_parent{parent_area_type}_profile{profile_id}"
            text = self._cached(what, batch, area_type, "csv", fetch)
            if text.strip():
                frames.append(read_fingertips_csv(text.encode("utf-8")))
        if not frames:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
        return pd.concat(frames, ignore_index=True)

    def metadata(self, indicator_ids: Iterable[int | str]) -> dict[str, dict]:
        """``indicator_metadata/by_indicator_id`` JSON keyed by indicator id (as text)."""
        import fingertips_py
        from fingertips_py import api_calls

        found: dict[str, dict] = {}
        for batch in batches(indicator_ids):
            def fetch(batch=batch):
                tail = "indicator_metadata/by_indicator_id?indicator_ids=" + ",".join(map(str, batch))
                return json.dumps(self._call("metadata",
                                             lambda: fingertips_py.get_json(api_calls.base_url + tail)))

            found.update(json.loads(self._cached("metadata", batch, None, "json", fetch)))
        return found

    def available_area_types(self) -> dict[int, set[int]]:
        """Area types each indicator is published for (``available_data``, one request). Grouped
        here rather than by ``fingertips_py.get_all_areas_for_all_indicators``, which loops over
        every record once per indicator."""
        import fingertips_py
        from fingertips_py import api_calls

        def fetch():
            return json.dumps(self._call(
                "available data", lambda: fingertips_py.get_json(api_calls.base_url + "available_data")))

        return available_by_indicator(json.loads(self._cached("available_data", None, None, "json", fetch)))

    def check_catalogue(self, catalogue: pd.DataFrame, area_type: int = UPPER_TIER_LA) -> pd.DataFrame:
        """``check_catalogue`` against what Fingertips publishes today."""
        ids = catalogue["indicator_id"].dropna().astype(int).tolist()
        return check_catalogue(catalogue, self.metadata(ids), self.available_area_types(),
                               area_type=area_type)


def available_by_indicator(available) -> dict[int, set[int]]:
    """``available_data`` records ([{IndicatorId, AreaTypeId}], or a frame with those columns, or
    a mapping id -> area types as ``fingertips_py.get_all_areas_for_all_indicators`` returns) as
    indicator id -> set of area type ids."""
    if isinstance(available, Mapping):
        return {int(k): {int(a) for a in v} for k, v in available.items()}
    records = available.to_dict("records") if isinstance(available, pd.DataFrame) else available
    out: dict[int, set[int]] = {}
    for record in records:
        out.setdefault(int(record["IndicatorId"]), set()).add(int(record["AreaTypeId"]))
    return out


# --- the catalogue ---------------------------------------------------------------------------

CATALOGUE_FILE = "fingertips_indicators.csv"
CATALOGUE_AREAS = (*PRIORITY_KEYS, "context")


def load_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalogue (default ``data/reference/fingertips_indicators.csv``): one row per
    indicator, ``priority_area`` (a priority key or ``context``), ``indicator_id`` (Int64; blank
    where Fingertips has no indicator, with ``note`` saying where to look instead),
    ``indicator_name``, ``polarity``, ``unit``, ``area_type`` (Int64), ``include`` (bool), ``note``."""
    path = Path(path) if path is not None else config.reference_file(CATALOGUE_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.index = range(2, len(raw) + 2)
    problems = []
    expected = ["priority_area", "indicator_id", "indicator_name", "polarity", "unit", "area_type", "include",
                "note"]
    for column in [c for c in expected if c not in raw.columns]:
        problems.append(Problem(path.name, 1, column, None, f"Column '{column}' is missing", "Add it"))
    if problems:
        raise InputFileError(problems)

    def bad(row, column, message, fix):
        problems.append(Problem(path.name, int(row), column, raw.at[row, column], message, fix))

    for row, r in raw.iterrows():
        if r["priority_area"] not in CATALOGUE_AREAS:
            bad(row, "priority_area", "Unknown priority area", "Use one of: " + ", ".join(CATALOGUE_AREAS))
        if r["include"].casefold() not in ("true", "false"):
            bad(row, "include", "include must be true or false", "Write true or false")
        elif r["include"].casefold() == "true" and not r["indicator_id"].isdigit():
            bad(row, "indicator_id", "An included indicator needs a numeric Fingertips indicator id",
                "Add the id, or set include to false and say why in note")
    if problems:
        raise InputFileError(problems)
    out = raw[expected].where(raw[expected].ne(""))
    out["indicator_id"] = pd.to_numeric(out["indicator_id"]).astype("Int64")
    out["area_type"] = pd.to_numeric(out["area_type"]).astype("Int64")
    out["include"] = raw["include"].str.casefold().eq("true")
    return out.reset_index(drop=True)


def normalise_name(name: object) -> str:
    """An indicator name for comparison: no PHOF prefix, case, punctuation or repeated spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", PHOF_PREFIX.sub("", str(name).strip()).casefold()).split())


def check_catalogue(catalogue: pd.DataFrame, metadata: Mapping[str, dict], available, *,
                    area_type: int = UPPER_TIER_LA) -> pd.DataFrame:
    """The run-time rule: each catalogue indicator must still exist in Fingertips, its
    ``Descriptive.Name`` must still match the catalogue name (normalised), and it must be published
    at ``area_type``. ``metadata`` is the ``indicator_metadata/by_indicator_id`` JSON; ``available``
    the ``available_data`` records. Returns one row per catalogue row with an id: ``priority_area,
    indicator_id, catalogue_name, fingertips_name, include, name_matches, at_area_type, status
    (ok | retired | renamed | not_at_area_type), message``."""
    by_indicator = available_by_indicator(available)
    rows = []
    for r in catalogue.dropna(subset=["indicator_id"]).itertuples(index=False):
        iid = int(r.indicator_id)
        entry = metadata.get(str(iid)) or metadata.get(iid)
        name = (entry or {}).get("Descriptive", {}).get("Name")
        matches = entry is not None and normalise_name(name) == normalise_name(r.indicator_name)
        at_type = area_type in by_indicator.get(iid, set())
        issues = []
        if entry is None:
            issues.append(f"{iid} is not in Fingertips any more (retired, or a wrong id)")
        elif not matches:
            issues.append(f"{iid} is now called '{name}' in Fingertips, not '{r.indicator_name}'")
        if not at_type:
            issues.append(f"{iid} is not published for area type {area_type}")
        status = ("retired" if entry is None else "renamed" if not matches
                  else "not_at_area_type" if not at_type else "ok")
        rows.append({"priority_area": r.priority_area, "indicator_id": iid,
                     "catalogue_name": r.indicator_name, "fingertips_name": name,
                     "include": bool(r.include), "name_matches": matches, "at_area_type": at_type,
                     "status": status, "message": "; ".join(issues)})
    return pd.DataFrame(rows, columns=["priority_area", "indicator_id", "catalogue_name", "fingertips_name",
                                       "include", "name_matches", "at_area_type", "status", "message"])

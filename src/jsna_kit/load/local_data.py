"""The analyst's own files as tidy tables: ``read_caseload``, ``read_needs``, ``read_services``
validate the file (``load.validate.validate_file``) and return its cleaned table, or raise one
``InputFileError`` holding every problem found. The templates themselves are ``load.templates``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jsna_kit.errors import InputFileError, Problem
from jsna_kit.load.templates import template_columns
from jsna_kit.load.validate import validate_file


def read_local_file(path: str | Path, kind: str, **options) -> pd.DataFrame:
    """Validate ``path`` as template ``kind`` and return the cleaned table; raise one
    ``InputFileError`` listing every error (warnings do not stop the read). ``options``:
    ``validate_file``'s (``areas``, ``code_changes``, ``sheet``, ``national``)."""
    template_columns(kind)
    report = validate_file(path, kind, **options)
    if not report.ok:
        raise InputFileError(report.problems)
    return report.data


def read_by_area(path: str | Path, kind: str, **options) -> tuple[pd.DataFrame, dict[str, list[Problem]]]:
    """Like ``read_local_file``, for a build of many areas: the rows of the areas whose rows are
    sound, and the problems of each area whose rows are not (by area code), so one area's bad row
    does not stop the others. A problem that belongs to no area's row (a missing column, a row with
    no area code, an unreadable file) still raises ``InputFileError`` with every problem."""
    template_columns(kind)
    report = validate_file(path, kind, **options)
    if report.ok:
        return report.data, {}
    if report.data is None:
        raise InputFileError(report.problems)
    code_of = dict(zip(report.data["row"], report.data["area_code"], strict=True))
    by_area: dict[str, list[Problem]] = {}
    for problem in report.problems:
        code = code_of.get(problem.row)
        if not isinstance(code, str) or not code or code == "nan":
            raise InputFileError(report.problems)
        by_area.setdefault(code, []).append(problem)
    return report.data[~report.data["area_code"].isin(by_area)].reset_index(drop=True), by_area


def read_caseload(path: str | Path, **options) -> pd.DataFrame:
    """The caseload file as a tidy table: ``area_code, original_area_code, area_name, sex,
    age_band, caseload, caseload_suppressed, date, source, court_orders, court_orders_suppressed,
    licence, licence_suppressed, note, row``. Counts are float (NaN when suppressed or blank),
    ``date`` is datetime64, ``row`` the line in the file (header = 1). Options: ``areas``,
    ``code_changes``, ``sheet``, ``national`` (the national caseload, ``(total, date)``)."""
    return read_local_file(path, "caseload", **options)


def read_needs(path: str | Path, **options) -> pd.DataFrame:
    """The local-needs file: ``area_code, original_area_code, area_name, priority_area (key),
    need, numerator, numerator_suppressed, denominator, denominator_suppressed, period, source,
    note, row``."""
    return read_local_file(path, "needs", **options)


def read_services(path: str | Path, **options) -> pd.DataFrame:
    """The local-services file: ``area_code, original_area_code, area_name, priority_area (key),
    service, measure, value, value_suppressed, period, source, note, row``."""
    return read_local_file(path, "services", **options)

"""The analyst's own files as tidy tables: ``read_caseload``, ``read_needs``, ``read_services``
validate the file (``load.validate.validate_file``) and return its cleaned table, or raise one
``InputFileError`` holding every problem found. The templates themselves are ``load.templates``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jsna_kit.errors import InputFileError
from jsna_kit.load.templates import template_columns
from jsna_kit.load.validate import validate_file


def read_local_file(path: str | Path, kind: str, *, areas: pd.DataFrame | None = None,
                    code_changes: pd.DataFrame | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Validate ``path`` as template ``kind`` and return the cleaned table; raise one
    ``InputFileError`` listing every error (warnings do not stop the read)."""
    template_columns(kind)
    report = validate_file(path, kind, areas=areas, code_changes=code_changes, sheet=sheet)
    if not report.ok:
        raise InputFileError(report.problems)
    return report.data


def read_caseload(path: str | Path, **options) -> pd.DataFrame:
    """The caseload file as a tidy table: ``area_code, original_area_code, area_name, sex,
    age_band, caseload, caseload_suppressed, date, source, court_orders, court_orders_suppressed,
    licence, licence_suppressed, note, row``. Counts are float (NaN when suppressed or blank),
    ``date`` is datetime64, ``row`` the line in the file (header = 1). Options: ``areas``,
    ``code_changes``, ``sheet``."""
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

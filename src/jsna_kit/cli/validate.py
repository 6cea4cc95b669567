"""``jsna-kit validate FILE``: check an analyst's file or a Fingertips export and print every
problem at once, with the row and column to fix.

Wire it into the typer app as ``app.command("validate")(validate_command)``: the parameters carry
their typer annotations and the function ends with ``typer.Exit`` (1 when any error, else 0).
``run_validation`` does the work and returns the exit code, for callers that are not typer.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jsna_kit.cli.common import plain_console, styled
from jsna_kit.errors import JsnaKitError

if TYPE_CHECKING:
    import pandas as pd

    from jsna_kit.load.validate import ValidationReport

_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def _area_tables(data_dir: Path | None) -> tuple[pd.DataFrame | None, pd.DataFrame | None, str | None]:
    """The area lookup and code changes from ``jsna_kit.load.areas``, or (None, None, why not)."""
    try:  # written alongside this module; validate without it rather than fail
        area_lookup = importlib.import_module("jsna_kit.load.areas")
    except ImportError as exc:
        return None, None, f"area codes not checked: the area lookup module is not available ({exc})"
    try:
        areas = area_lookup.load_areas(data_dir)
    except (JsnaKitError, OSError) as exc:
        return None, None, f"area codes not checked: the area lookup could not be loaded ({exc})"
    try:
        changes = area_lookup.code_changes()
    except (JsnaKitError, OSError) as exc:
        return areas, None, f"old area codes not mapped: the code-change table could not be loaded ({exc})"
    return areas, changes, None


def _national_caseload() -> tuple[float, str] | None:
    """The latest national caseload (total, date), which no area's caseload can exceed."""
    from jsna_kit.load.reference import load_reference
    from jsna_kit.model.caseload import latest_national_caseload

    try:
        latest = latest_national_caseload(load_reference(validate=False).caseload)
    except JsnaKitError:
        return None
    return float(latest["value"]), str(latest["date"])


def report_table(report: ValidationReport) -> Table:
    """Every finding as a rich table: level, file, row, column, value, problem, fix."""
    table = Table(title=Text(f"{report.file}: {report.kind or 'unknown kind'}"), show_lines=False)
    for heading in ("level", "file", "row", "column", "value", "problem", "fix"):
        table.add_column(heading, overflow="fold")
    for level, p in report.messages():
        value = "" if p.value is None else str(p.value)
        cells = [level, p.file, "" if p.row is None else str(p.row), p.column or "", value, p.message, p.fix]
        table.add_row(*(Text(str(c)) for c in cells), style=_STYLE[level])  # the analyst's text, as given
    return table


def run_validation(file: Path, kind: str | None = None, data_dir: Path | None = None, *,
                   console: Console | None = None, sheet: str | None = None) -> int:
    """Validate ``file``, print what was found and return the exit code (1 when any error)."""
    from jsna_kit.load.validate import KINDS, validate_file  # pandas and pandera: only when validating

    console = console or plain_console()
    if kind is not None and kind not in KINDS:
        console.print(styled(f"Unknown kind '{kind}'.", "bold red", f"Use one of: {', '.join(KINDS)}"))
        return 2
    areas, changes, note = _area_tables(data_dir)
    report = validate_file(file, kind, areas=areas, code_changes=changes, national=_national_caseload(),
                           sheet=sheet)
    if note:
        console.print(styled("Note:", "yellow", note))
    if report.messages():
        console.print(report_table(report))
    sheet = report.sheet and f"sheet '{report.sheet}'"
    read_as = ", ".join(x for x in (report.kind, report.encoding, sheet) if x)
    summary = (f"{len(report.problems)} error(s), {len(report.warnings)} warning(s), "
               f"{len(report.infos)} note(s)" + (f"; read as {read_as}" if read_as else ""))
    if report.ok:
        rows = 0 if report.data is None else len(report.data)
        console.print(Text.assemble(("OK", "green"), f": {file} ({rows} rows). {summary}"))
        return 0
    console.print(Text.assemble(("Not OK", "bold red"),
                                f": {file}. {summary}. Fix the errors above and run validate again."))
    return 1


def validate_command(
    file: Annotated[Path, typer.Argument(help="The CSV or XLSX file to check.")],
    kind: Annotated[str | None, typer.Option(help="caseload, needs, services, fingertips or regional_caseload "
                                                  "(detected from the headers if omitted).")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Data directory with the area lookups.")] = None,
    sheet: Annotated[str | None, typer.Option(help="The sheet to read in an Excel workbook (default: the first).")]
    = None,
) -> None:
    """Check a file and list every problem, with the row and column to fix."""
    raise typer.Exit(run_validation(file, kind, data_dir, sheet=sheet))

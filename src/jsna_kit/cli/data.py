"""``jsna-kit data fetch|status|fingertips``: parse, call ``load``, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jsna_kit import config
from jsna_kit.cli.common import example, plain_console, styled
from jsna_kit.errors import JsnaKitError

data_app = typer.Typer(help="Download the official data files and check what is present.",
                       no_args_is_help=True, add_completion=False, rich_markup_mode=None)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Folder for the official data files (else "
                                              "JSNA_KIT_DATA_DIR, jsna-kit.toml, or data/external).",
                                              show_default=False)]


def _console() -> Console:
    # Built per call so CliRunner's captured stdout is used; wide so paths are not folded.
    return plain_console(width=140)


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} kB"


@data_app.command("fetch", short_help="Download the official data files.",
                  epilog=example("jsna-kit data fetch", "jsna-kit data fetch --only population --data-dir data"))
def fetch_command(
    data_dir: DataDir = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="Only this source (key such as population, "
                                                   "or a folder: boundaries, lookups). Repeatable.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Download again even if present.")] = False,
    no_verify: Annotated[bool, typer.Option(
        "--no-verify", help="Accept a file whose checksum differs from the pinned one.")] = False,
) -> None:
    """Download the official boundary, lookup and population files into the data directory."""
    out = _console()
    root = config.data_dir(data_dir)
    out.print(f"Data directory: {root} ({config.data_dir_source(data_dir)})")
    from jsna_kit.load import fetch as fetch_module

    try:
        results = fetch_module.fetch(root, only=only or None, force=force, verify=not no_verify)
    except fetch_module.FetchError as exc:
        _print_results(out, exc.results)
        plain_console(stderr=True).print(styled("error:", "bold red", str(exc)))
        raise typer.Exit(1) from None
    except JsnaKitError as exc:
        plain_console(stderr=True).print(styled("error:", "bold red", str(exc)))
        raise typer.Exit(1) from None
    _print_results(out, results)


def _print_results(out: Console, results: list) -> None:  # of load.fetch.FetchResult
    for r in results:
        detail = f" - {r.message}" if r.message else ""
        out.print(styled("ok" if r.verified else "unverified", "green" if r.verified else "yellow",
                         f"{r.status:<10} {r.path} ({_size(r.size)}){detail}"))


@data_app.command("status", short_help="Show which official data files are present.",
                  epilog=example("jsna-kit data status", "jsna-kit data status --data-dir data"))
def status_command(data_dir: DataDir = None) -> None:
    """Show which official files are present, whether they match the pinned checksums, and what is off."""
    out = _console()
    root = config.data_dir(data_dir)
    out.print(f"Data directory: {root} ({config.data_dir_source(data_dir)})")
    from jsna_kit.load import fetch as fetch_module

    table = Table("file", "present", "size", "checksum", "vintage", "without it")
    rows = fetch_module.status(root)
    for s in rows:
        checksum = "-" if s.checksum_ok is None else ("ok" if s.checksum_ok else Text("differs", style="yellow"))
        table.add_row(str(s.path.relative_to(root)), "yes" if s.present else Text("no", style="red"), _size(s.size),
                      checksum, s.vintage, s.disabled or "-")
    out.print(table)
    _print_local_inputs(out, root)
    missing = [s.key for s in rows if not s.present]
    if missing:
        out.print(f"Get missing files with `jsna-kit data fetch` (or `--only {missing[0]}`), or copy them by "
                  f"hand into {root}.")


def _print_local_inputs(out: Console, root: Path) -> None:
    """Which local figures a build will use: the data directory's files where present, else the
    embedded snapshot (data/reference/)."""
    from jsna_kit.load.context import fingertips_exports
    from jsna_kit.load.regional_caseload import REGIONAL_FILE

    exports = fingertips_exports(root)
    out.print("Local indicators: " + (f"{len(exports)} Fingertips export(s) in fingertips/ (with intervals), and the "
                                      "embedded snapshot for what they lack" if exports else
                                      "the embedded snapshot (latest values, without intervals; refresh with "
                                      "`jsna-kit data fingertips`)"))
    regional = root / REGIONAL_FILE
    out.print("Modelled caseload: " + (f"each probation region's caseload from {REGIONAL_FILE.as_posix()}, shared "
                                       "by adult population (ONS mid-2023)" if regional.is_file() else
                                       "the national caseload shared by adult population (ONS mid-2023, embedded); "
                                       f"put a regional caseload file at {REGIONAL_FILE.as_posix()} to share each "
                                       "region's instead"))


@data_app.command("fingertips", short_help="Download the local context indicators.",
                  epilog=example("jsna-kit data fingertips", "jsna-kit data fingertips --data-dir data"))
def fingertips_command(
    data_dir: DataDir = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Fingertips API address (for testing).")]
    = None,
) -> None:
    """Download the local context indicators (data/reference/fingertips_indicators.csv) from the
    Fingertips API into <data dir>/fingertips/, after checking the catalogue is still valid."""
    from jsna_kit.load.context import fetch_fingertips

    out = _console()
    root = config.data_dir(data_dir)
    try:
        written, check = fetch_fingertips(root, base_url=base_url)
    except JsnaKitError as exc:
        plain_console(stderr=True).print(styled("error:", "red", str(exc)))
        raise typer.Exit(1) from None
    for _, row in check[check["status"] != "ok"].iterrows():
        out.print(styled(str(row["status"]), "yellow", f"{row['indicator_id']}: {row['message']}"))
    for path in written:
        out.print(f"wrote {path}")

"""``jsna-kit build --all`` / ``--areas FILE`` / ``--region NAME``: run a batch build with a
progress bar and ETA, then print what was built, cached, skipped and failed."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from .build.report import BatchResult, failure_where


def batch_command(console: Console, err: Console, **options) -> BatchResult:
    """Build with ``build.batch.build_batch(**options)``, showing progress on ``err``."""
    from .build.batch import build_batch

    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("chapters"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                        console=err, transient=False)
    task = None

    def on_start(jobs: int, settled) -> None:
        nonlocal task
        cached = sum(o.status == "cached" for o in settled)
        skipped = [o for o in settled if o.status == "skipped"]
        err.print(f"{jobs} chapter(s) to build, {cached} up to date, {len(skipped)} skipped.", highlight=False)
        for o in skipped:
            err.print(f"[yellow]skipped[/] {o.area_code} {o.area_name}: {o.reason}", highlight=False)
        if jobs:
            task = progress.add_task("Building", total=jobs)
            progress.start()

    def on_done(outcome) -> None:
        if outcome.status == "failed":
            error = outcome.error or {}
            where = failure_where(error)
            progress.console.print(f"[red]failed[/] {outcome.area_code} {outcome.area_name}"
                                   + (f" in {where}" if where else "") + f": {error.get('message', '')}",
                                   highlight=False)
        progress.advance(task)

    try:
        result = build_batch(on_start=on_start, on_done=on_done, **options)
    finally:
        progress.stop()
    print_summary(console, result)
    return result


def print_summary(console: Console, result: BatchResult) -> None:
    counts = result.counts
    table = Table("built", "rendered only", "cached", "skipped", "failed", "seconds", "workers",
                  title="Build summary")
    table.add_row(*(str(counts[s]) for s in ("built", "rendered", "cached", "skipped", "failed")),
                  f"{result.seconds:.1f}", str(result.workers))
    console.print(table)
    if result.failed:
        failures = Table("area", "name", "where", "error", title="Failed", title_style="bold red")
        for o in result.failed:
            error = o.error or {}
            failures.add_row(o.area_code, o.area_name, failure_where(error) or "-", error.get("message", ""))
        console.print(failures)
    if result.render_message:
        console.print(result.render_message, highlight=False)
    if result.report:
        console.print(f"Report (with tracebacks): {result.report} and {Path(result.report).with_suffix('.md')}",
                      highlight=False)

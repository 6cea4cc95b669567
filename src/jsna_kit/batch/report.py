"""The outcome of a batch build, per area, and the report written at its end
(``build-report.json`` for machines, ``build-report.md`` for people): which areas were built,
which were already current, which were skipped and why, and for each failure the notebook cell
and the traceback."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATUSES = ("built", "rendered", "cached", "skipped", "failed")
REPORT_NAME = "build-report"


@dataclass
class AreaOutcome:
    area_code: str
    area_name: str
    slug: str
    status: str  # one of STATUSES; "rendered": the chapter was current, only rendering was missing
    reason: str = ""  # why it was (re)built, or why it was skipped
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: bundle, execute, render
    notebook: str = ""
    outputs: list[str] = field(default_factory=list)
    message: str = ""  # the renderer's note (e.g. Quarto not found, fallback used)
    error: dict | None = None  # message, cell, cell_index, cell_source, ename, evalue, traceback
    notes: list[str] = field(default_factory=list)  # the run's notes, for a build of one area


@dataclass
class BatchResult:
    outcomes: list[AreaOutcome]
    seconds: float
    workers: int
    render_message: str = ""
    report: Path | None = None
    notes: list[str] = field(default_factory=list)  # e.g. an analyst's earlier input used again

    def with_status(self, status: str) -> list[AreaOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(self.with_status(s)) for s in STATUSES}

    @property
    def failed(self) -> list[AreaOutcome]:
        return self.with_status("failed")


def write_report(result: BatchResult, out_dir: Path) -> Path:
    """``build-report.json`` and ``build-report.md`` in ``out_dir``, each written atomically.
    Returns the JSON report's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": result.seconds,
        "workers": result.workers,
        "counts": result.counts,
        "notes": result.notes,
        "areas": [{k: v for k, v in asdict(o).items() if k != "notes"}
                  for o in sorted(result.outcomes, key=lambda o: (STATUSES.index(o.status), o.area_code))],
    }
    json_path = out_dir / f"{REPORT_NAME}.json"
    _atomic(json_path, json.dumps(data, indent=2))
    _atomic(out_dir / f"{REPORT_NAME}.md", report_markdown(result))
    return json_path


def failure_where(error: dict) -> str:
    """``cell 7 (In [7]: chapter.priority_section(...))`` or "" when no cell is known."""
    if error.get("cell") is None and error.get("cell_index") is None:
        return ""
    where = f"notebook cell {error['cell_index']}" if error.get("cell_index") is not None else "notebook cell"
    if error.get("cell") is not None:
        where += f" (In [{error['cell']}]"
        where += f": {error['cell_source']})" if error.get("cell_source") else ")"
    return where


def report_markdown(result: BatchResult) -> str:
    counts = result.counts
    lines = ["# Build report", "",
             f"{len(result.outcomes)} areas in {result.seconds:.1f} s with {result.workers} worker(s): "
             + ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s]) + ".", ""]
    if result.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in result.notes] + [""]
    skipped = result.with_status("skipped")
    if skipped:
        lines += ["## Skipped", ""] + [f"- {o.area_code} {o.area_name}: {o.reason}" for o in skipped] + [""]
    if result.failed:
        lines += ["## Failed", ""]
        for o in result.failed:
            error = o.error or {}
            lines += [f"### {o.area_code} {o.area_name}", ""]
            where = failure_where(error)
            if where:
                lines += [f"Failed in {where}.", ""]
            lines += [f"Error: {error.get('message', '')}", ""]
            if error.get("traceback"):
                lines += ["```", error["traceback"].rstrip(), "```", ""]
    built = result.with_status("built") + result.with_status("rendered")
    if built:
        lines += ["## Built", "", "| area | name | why | seconds |", "|---|---|---|---:|"]
        lines += [f"| {o.area_code} | {o.area_name} | {o.reason} | {o.seconds:.1f} |" for o in built] + [""]
    return "\n".join(lines)


def _atomic(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)

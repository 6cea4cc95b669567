"""The workers of a batch build: separate processes, each owning one warm Jupyter kernel,
building the areas the coordinator hands them one at a time. Per area: delete the area's build
record, write its data bundle, execute the template, write the record; render (fallback
renderer) and write the record again.

Why processes: writing an area's bundle (CSV, the XLSX download, the manifest) and papermill's
bookkeeping cost about 0.25 s of Python per chapter; worker threads would queue for one
interpreter lock, so two workers would not use two cores. Each worker starts its kernel as soon
as it starts, so the kernels' start-up overlaps with the estimates being computed.

The coordinator (``WorkerPool``, in the calling process) sends each worker its next job over a
pipe and waits on the pipes and the processes together: a failure comes back as an outcome
naming the cell and traceback, and a worker that dies (or whose kernel dies) takes only its
current area with it; a new worker takes its place.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import traceback as tb
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import BuildError
from . import cache
from .jobs import AreaJob
from .report import AreaOutcome
from .workbook import SharedSheets

if TYPE_CHECKING:
    import pandas as pd

ENGINE = "jsna-warm"


@dataclass
class RunContext:
    """What every job of a run shares."""

    evidence: pd.DataFrame
    template: Path
    out_dir: Path
    render: bool  # render in the worker (fallback renderer); Quarto renders at the end instead
    today: dt.date
    site_dir: Path = field(init=False)
    # The same in every area's bundle, so made once: the CSV text here, the workbook sheet by
    # each worker on its first area (a worker is sent the context once).
    evidence_csv: str = field(init=False)
    evidence_sheet: SharedSheets = field(init=False)

    def __post_init__(self):
        from .bundle import EVIDENCE_SHEET, csv_text
        from .chapter import site_dir_for

        self.site_dir = site_dir_for(self.out_dir) / "reports"
        self.evidence_csv = csv_text(self.evidence)
        self.evidence_sheet = SharedSheets([(EVIDENCE_SHEET, self.evidence)])


def run_job(job: AreaJob, ctx: RunContext, kernel) -> AreaOutcome:
    """Build (or only render) one area on ``kernel`` (a ``WarmKernel``). Never raises: a failure
    is returned as an outcome naming the cell and traceback."""
    from .bundle import write_bundle
    from .chapter import chapter_titles, render_chapters
    from .execute import execute_chapter

    plan = job.plan
    started = time.perf_counter()
    notebook = ctx.out_dir / f"{plan.slug}.ipynb"
    outcome = AreaOutcome(plan.area_code, plan.area_name, plan.slug, "built" if job.execute else "rendered",
                          job.reason, notebook=str(notebook))
    try:
        record = {"area_code": plan.area_code, "key": job.key, "parts": job.parts, "notebook": notebook,
                  "built": job.built or ctx.today.isoformat()}
        if job.execute:
            cache.forget(ctx.out_dir, plan.slug)  # stale from here until the record is written again
            cache.clear_partials(ctx.out_dir, plan.slug, ctx.site_dir)
            area = {**plan.area, "built": ctx.today.isoformat(), "jsna_kit_version": __version__}
            with _phase(outcome, "bundle"):
                write_bundle(ctx.out_dir / plan.slug, area=area, estimates=plan.tables["estimates.csv"],
                             evidence=ctx.evidence, parameters=plan.parameters, inputs=plan.inputs,
                             observed=plan.tables.get("observed.csv"), context=plan.tables.get("context.csv"),
                             texts={**plan.texts, "evidence.csv": ctx.evidence_csv},
                             shared_sheets=ctx.evidence_sheet)
            with _phase(outcome, "execute"):
                execute_chapter(ctx.template, notebook, plan.parameters, area_code=plan.area_code, date=ctx.today,
                                engine_name=ENGINE, warm_kernel=kernel,
                                **chapter_titles(plan.area_code, plan.area_name))
                cache.record_build(ctx.out_dir, plan.slug, **record)
        if ctx.render:
            with _phase(outcome, "render"):
                rendered = render_chapters([notebook], out_dir=ctx.out_dir)
            cache.record_build(ctx.out_dir, plan.slug, **record, rendered=rendered.outputs)
            outcome.outputs = [str(p) for p in rendered.outputs]
            outcome.message = rendered.message
    except Exception as exc:  # noqa: BLE001 - one area's failure must not stop the others
        cache.clear_partials(ctx.out_dir, plan.slug, ctx.site_dir)
        outcome.status, outcome.error = "failed", error_details(exc)
    outcome.seconds = round(time.perf_counter() - started, 2)
    return outcome


@contextmanager
def _phase(outcome: AreaOutcome, name: str):
    """Record in ``outcome.phases`` how many seconds the block took (the build report shows them)."""
    started = time.perf_counter()
    yield
    outcome.phases[name] = round(time.perf_counter() - started, 3)


def error_details(exc: BaseException) -> dict:
    """What the failure report says about one failure: the cell, the error, the traceback."""
    from .execute import CellError

    details = {"message": str(exc), "type": type(exc).__name__}
    if isinstance(exc, CellError):
        details.update(cell=exc.cell, cell_index=exc.cell_index, cell_source=exc.cell_source,
                       ename=exc.ename, evalue=exc.evalue, traceback=strip_ansi(exc.traceback))
    elif isinstance(exc, BuildError):
        details.update(cell=exc.cell, traceback=strip_ansi(exc.traceback) or _format(exc))
    else:
        details["message"] = f"{type(exc).__name__}: {exc}"
        details["traceback"] = _format(exc)
    return details


def failed(job: AreaJob, message: str) -> AreaOutcome:
    return AreaOutcome(job.plan.area_code, job.plan.area_name, job.plan.slug, "failed", job.reason,
                       error={"message": message, "traceback": ""})


def _format(exc: BaseException) -> str:
    return "".join(tb.format_exception(type(exc), exc, exc.__traceback__))


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text or "")


class WorkerPool:
    """Worker processes, each with its own warm kernel. Use as a context manager: leaving it stops
    the workers, which shut their kernels down."""

    def __init__(self):
        import multiprocessing

        from .kernel import ensure_kernel

        ensure_kernel()  # once, here: workers installing the kernelspec at the same time would race
        self.mp = multiprocessing.get_context("spawn")  # no inherited threads, sockets or locks
        self.workers: list[_Worker] = []
        self.used = False

    def add_worker(self, warm: Path | None = None, data_dir: Path | None = None) -> None:
        """Start a worker process; with ``warm`` (a folder), its kernel starts at once and reads
        what every chapter reads from ``data_dir`` (``WarmKernel.warm``)."""
        parent, child = self.mp.Pipe()
        from .worker_process import worker_main

        process = self.mp.Process(target=worker_main, args=(child, str(warm) if warm else None,
                                                            str(data_dir) if data_dir else ""),
                                  daemon=True, name=f"jsna-kit worker {len(self.workers) + 1}")
        process.start()
        child.close()
        self.workers.append(_Worker(process, parent))

    def run(self, jobs: list[AreaJob], context: RunContext, n_workers: int, on_done=None) -> list[AreaOutcome]:
        """Build ``jobs`` with ``n_workers`` workers (more are started if fewer are running, and
        a worker that dies is replaced while work remains); ``on_done(outcome)`` is called in this
        process as each area finishes, in the order they finish."""
        from multiprocessing.connection import wait

        self.used = True
        while len(self.workers) < n_workers:
            self.add_worker()
        pending = list(reversed(jobs))
        outcomes: list[AreaOutcome] = []

        def finish(outcome: AreaOutcome) -> None:
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)

        for worker in self.workers:
            worker.give(pending, context)
        while len(outcomes) < len(jobs):
            by_handle = {}
            for worker in self.workers:
                by_handle[worker.conn] = worker
                by_handle[worker.process.sentinel] = worker
            for ready in wait(list(by_handle)):
                worker = by_handle[ready]
                if worker not in self.workers:
                    continue
                if ready is worker.conn:
                    try:
                        outcome = worker.conn.recv()
                    except (EOFError, OSError):
                        continue  # the process is ending: its sentinel says so next
                    worker.job = None
                    finish(outcome)
                    worker.give(pending, context)
                elif not worker.process.is_alive():
                    self.workers.remove(worker)
                    worker.conn.close()
                    if worker.job is not None:
                        finish(failed(worker.job, f"the worker process stopped (exit code {worker.process.exitcode}) "
                                                  "while building this area"))
                    if pending:
                        self.add_worker()
                        self.workers[-1].give(pending, context)
        return outcomes

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type, *_) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        # Interrupted, or nothing to build: do not wait for kernels that are still starting.
        patience = 1 if exc_type is not None or not self.used else 30
        for worker in self.workers:
            worker.process.join(timeout=patience)
            if worker.process.is_alive():
                worker.process.terminate()  # the worker shuts its kernel down on SIGTERM
                worker.process.join(timeout=10)
            worker.conn.close()
        self.workers = []


@dataclass
class _Worker:
    process: object
    conn: object
    job: AreaJob | None = None
    context: RunContext | None = None  # the last context sent

    def give(self, pending: list[AreaJob], context: RunContext) -> None:
        """Send this worker the next job, if any is left and it is free (and the run's context
        first, once). A worker that has died keeps the job, which its death then fails
        (``WorkerPool.run``)."""
        if self.job is None and pending:
            self.job = pending.pop()
            try:
                if self.context is not context:
                    self.conn.send(("context", context))
                    self.context = context
                self.conn.send(("job", self.job))
            except OSError:
                pass

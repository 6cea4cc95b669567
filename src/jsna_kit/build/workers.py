"""The workers of a batch build: each owns one warm Jupyter kernel and builds areas from a shared
queue. Per area: delete the area's build record, write its data bundle, execute the template,
write the record; render (fallback renderer) and write the record again.

The kernels are the processes that do the work, in parallel, one per worker; a worker only
waits on its kernel, so workers are threads of the calling process. That saves a Python process
per worker (about 200 MB and two seconds of imports each) and failures come back as values.
A worker's kernel can be started before the work is known (``WorkerPool.add_worker(warm=...)``),
so its start-up overlaps with the estimates being computed."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import traceback as tb
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue

import pandas as pd

from .. import __version__
from ..errors import BuildError
from . import cache
from .jobs import AreaJob
from .report import AreaOutcome

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

    def __post_init__(self):
        from .chapter import site_dir_for

        self.site_dir = site_dir_for(self.out_dir) / "reports"


def run_job(job: AreaJob, ctx: RunContext, kernel) -> AreaOutcome:
    """Build (or only render) one area on ``kernel`` (a ``WarmKernel``). Never raises: a failure
    is returned as an outcome naming the cell and traceback."""
    from .chapter import chapter_titles, render_chapters, write_bundle
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
            write_bundle(ctx.out_dir / plan.slug, area=area, estimates=plan.tables["estimates.csv"],
                         evidence=ctx.evidence, parameters=plan.parameters, inputs=plan.inputs,
                         observed=plan.tables.get("observed.csv"), context=plan.tables.get("context.csv"))
            execute_chapter(ctx.template, notebook, plan.parameters, area_code=plan.area_code, date=ctx.today,
                            engine_name=ENGINE, warm_kernel=kernel, **chapter_titles(plan.area_code, plan.area_name))
            cache.record_build(ctx.out_dir, plan.slug, **record)
        if ctx.render:
            rendered = render_chapters([notebook], out_dir=ctx.out_dir)
            cache.record_build(ctx.out_dir, plan.slug, **record, rendered=rendered.outputs)
            outcome.outputs = [str(p) for p in rendered.outputs]
            outcome.message = rendered.message
    except Exception as exc:  # noqa: BLE001 - one area's failure must not stop the others
        cache.clear_partials(ctx.out_dir, plan.slug, ctx.site_dir)
        outcome.status, outcome.error = "failed", error_details(exc)
    outcome.seconds = round(time.perf_counter() - started, 2)
    return outcome


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
    """Worker threads, each with its own warm kernel, taking ``(job, context)`` from one queue.
    Use as a context manager: leaving it stops the workers and shuts their kernels down."""

    def __init__(self):
        self.queue: Queue = Queue()
        self.results: Queue = Queue()
        self.threads: list[threading.Thread] = []
        self.kernels: list = []
        self.stopping = False
        self.used = False

    def add_worker(self, warm: Path | None = None) -> None:
        """Start a worker; with ``warm`` (a folder), start its kernel now and import the package."""
        from .engine import WarmKernel

        kernel = WarmKernel()
        self.kernels.append(kernel)
        thread = threading.Thread(target=self._work, args=(kernel, warm), daemon=True,
                                  name=f"jsna-kit worker {len(self.threads) + 1}")
        self.threads.append(thread)
        thread.start()

    def _work(self, kernel, warm: Path | None) -> None:
        try:
            if warm is not None:
                try:
                    kernel.warm(str(warm))
                except Exception:  # noqa: BLE001 - the first notebook starts it again, and says why if it cannot
                    kernel.shutdown()
            while not self.stopping and (item := self.queue.get()) is not None:
                job, context = item
                try:
                    self.results.put(run_job(job, context, kernel))
                except BaseException as exc:  # noqa: BLE001 - never leave the caller waiting
                    self.results.put(failed(job, f"{type(exc).__name__}: {exc}"))
        finally:
            kernel.shutdown()

    def run(self, jobs: list[AreaJob], context: RunContext, n_workers: int, on_done=None) -> list[AreaOutcome]:
        """Build ``jobs`` with ``n_workers`` workers (more are started if fewer are running);
        ``on_done(outcome)`` is called in this thread as each area finishes."""
        self.used = True
        while len(self.threads) < n_workers:
            self.add_worker()
        for job in jobs:
            self.queue.put((job, context))
        outcomes = []
        while len(outcomes) < len(jobs):
            outcomes.append(self.results.get())
            if on_done:
                on_done(outcomes[-1])
        return outcomes

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type, *_) -> None:
        if exc_type is not None or not self.used:  # interrupted, or nothing to build: stop at once
            self.stopping = True
            for kernel in self.kernels:
                kernel.shutdown()
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join(timeout=30)

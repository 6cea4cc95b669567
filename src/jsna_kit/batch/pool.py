"""The workers of a batch build: separate processes, each owning one warm Jupyter kernel,
building the areas the coordinator hands them one at a time (``batch.chapter_job``).

Why processes: writing an area's bundle and papermill's bookkeeping cost about 0.25 s of Python
per chapter; worker threads would queue for one interpreter lock, so two workers would not use
two cores. Each worker starts its kernel as soon as it starts, so the kernels' start-up overlaps
with the estimates being computed.

The coordinator (``WorkerPool``, in the calling process) sends each worker its next job over a
pipe and waits on the pipes and the processes together: a failure comes back as an outcome
naming the cell and traceback, and a worker that dies (or whose kernel dies) takes only its
current area with it; a new worker takes its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .chapter_job import RunContext, failed
from .jobs import AreaJob
from .report import AreaOutcome


class WorkerPool:
    """Worker processes, each with its own warm kernel. Use as a context manager: leaving it stops
    the workers, which shut their kernels down."""

    def __init__(self):
        import multiprocessing

        from ..execute.kernel import ensure_kernel

        ensure_kernel()  # once, here: workers installing the kernelspec at the same time would race
        self.mp = multiprocessing.get_context("spawn")  # no inherited threads, sockets or locks
        self.workers: list[_Worker] = []
        self.used = False

    def add_worker(self, warm: Path | None = None, data_dir: Path | None = None) -> None:
        """Start a worker process; with ``warm`` (a folder), its kernel starts at once and reads
        what every chapter reads from ``data_dir`` (``WarmKernel.warm``)."""
        parent, child = self.mp.Pipe()
        from .worker import worker_main

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

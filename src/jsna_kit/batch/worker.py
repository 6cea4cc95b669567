"""A batch worker process (started by ``batch.pool.WorkerPool``): start a kernel, then build
each job the coordinator sends until it sends None.

This module imports almost nothing, so that the worker's kernel starts (in its own process) at
once, while the worker imports what a job needs: the kernel's start-up and the worker's imports
then take their time side by side instead of one after the other.
"""

from __future__ import annotations


def worker_main(conn, warm: str | None, data_dir: str = "") -> None:
    import signal

    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the coordinator, which stops us
    from ..execute.warm_kernel import WarmKernel

    kernel = WarmKernel()
    try:
        if warm is not None:
            try:
                kernel.begin_warming(warm, data_dir)
            except Exception:  # noqa: BLE001 - the first notebook starts it again, and says why if it cannot
                kernel.shutdown()
        from ..execute import engine  # noqa: F401 - registers the warm papermill engine
        from .chapter_job import failed, run_job

        if warm is not None:
            try:
                kernel.finish_warming()
            except Exception:  # noqa: BLE001 - as above
                kernel.shutdown()
        context = None
        while (item := conn.recv()) is not None:
            kind, payload = item
            if kind == "context":
                context = payload
                continue
            job = payload
            try:
                outcome = run_job(job, context, kernel)
            except BaseException as exc:  # noqa: BLE001 - never leave the coordinator waiting
                outcome = failed(job, f"{type(exc).__name__}: {exc}")
            conn.send(outcome)
    except (EOFError, KeyboardInterrupt, SystemExit):
        pass
    finally:
        kernel.shutdown()
    _exit_at_once()


def _exit_at_once() -> None:
    """End the worker without Python's teardown (freeing its objects one by one takes about
    half a second, on the way out of every run): its results are sent, its files closed and its
    kernel shut down."""
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _exit_on_sigterm(*_) -> None:
    raise SystemExit(0)

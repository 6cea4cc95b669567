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
    _yield_to_coordinator()
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
            _preload()
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


#: How much lower the workers' (and their kernels') CPU priority is than the coordinator's.
NICENESS = 10
#: What building a chapter imports, beyond what the warm-up does: imported while the kernel
#: starts, so that neither the first job's unpickling nor its rendering waits for them.
PRELOAD = ("jsna_kit.publish.bundle", "jsna_kit.publish.render", "jsna_kit.publish.flatten",
           "jsna_kit.publish.rasterise", "jsna_kit.execute.notebook", "jsna_kit.present.markdown",
           "jsna_kit.present.svg", "typst", "xlsxwriter", "pypandoc")


def _yield_to_coordinator() -> None:
    """Lower this worker's CPU priority (its kernel inherits it). The workers start while the
    coordinator computes the estimates, and that plan is what every chapter waits for: on a
    machine with fewer cores than busy processes, the kernels' start-up would otherwise take
    CPU from it (a one-area rebuild on 2 cores: 0.3 to 0.5 s). Once the plan is done the workers
    have the machine to themselves, so their own speed is unchanged."""
    import os

    try:
        os.nice(NICENESS)
    except (AttributeError, OSError):  # Windows has no nice; a refusal only costs speed
        pass


def _preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the job imports it again, and says why if it cannot
            pass


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

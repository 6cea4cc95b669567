"""Kernel side of the batched execution (``execute.multiplex``): runs *inside* a warm kernel as one
execute request, resets the kernel (``kernel_state.reset``), then runs a notebook's code cells
one after another exactly as ipykernel runs each execute request (``IPythonKernel.do_execute``):
the same shell, transformation, async handling, execution counter, display hooks and error
reporting. Between cells it publishes a marker (a ``display_data`` message of type ``MARKER``)
that tells the client where a cell's output ends and the next one's starts, how the cell ended
and the execution counts, so the client can hand nbclient per-cell messages and replies as if
each cell had been its own request. Nothing here is seen in a notebook: the client drops the markers.
"""

from __future__ import annotations

import asyncio
import json
import sys

MARKER = "application/vnd.jsna-kit.cell-marker+json"


def _publish(event: dict) -> None:
    from IPython.display import publish_display_data

    publish_display_data({MARKER: event}, metadata={})


async def _run_cell(shell, code: str):
    """One cell, as ``IPythonKernel.do_execute`` runs an execute request's code."""
    from IPython.core.interactiveshell import _asyncio_runner

    shell._last_traceback = None
    shell._last_traceback_during_displayhook = False
    preprocessing_exc_tuple = None
    try:
        transformed = shell.transform_cell(code)
    except Exception:  # noqa: BLE001 - reported by the shell, as ipykernel does
        transformed = code
        preprocessing_exc_tuple = sys.exc_info()
    if (_asyncio_runner and shell.loop_runner is _asyncio_runner and asyncio.get_event_loop().is_running()
            and shell.should_run_async(code, transformed_cell=transformed,
                                       preprocessing_exc_tuple=preprocessing_exc_tuple)):
        result = None
        try:
            result = await shell.run_cell_async(code, store_history=True, silent=False, transformed_cell=transformed,
                                                preprocessing_exc_tuple=preprocessing_exc_tuple)
        finally:
            shell.events.trigger("post_execute")
            shell.events.trigger("post_run_cell", result)
        return result
    return shell.run_cell(code, store_history=True, silent=False)


def _reply(shell, result) -> dict:
    """What ipykernel's execute_reply would say about the cell."""
    error = result.error_before_exec if result.error_before_exec is not None else result.error_in_exec
    content = {"execution_count": shell.execution_count - 1}
    if result.success and not getattr(shell, "_last_traceback_during_displayhook", False):
        content["status"] = "ok"
    else:
        content.update(status="error", traceback=shell._last_traceback or [], ename=str(type(error).__name__),
                       evalue=str(error))
    return content


async def run_cells(cells_json: str, cwd: str, preload: tuple[str, ...] = ()) -> None:
    """Reset the kernel in ``cwd``, then run each cell of ``cells_json`` (a JSON list of
    ``{"source": ..., "stop_on_error": ...}``), stopping after a failed cell that may not fail."""
    from IPython import get_ipython

    from .kernel_state import reset

    reset(cwd, preload)
    shell = get_ipython()
    ended = None
    # One marker between cells, ending one and starting the next: publishing display data
    # flushes stdout and stderr first, so a cell's printed output always precedes its end.
    for index, cell in enumerate(json.loads(cells_json)):
        _publish({"end": ended, "start": {"index": index, "execution_count": shell.execution_count}})
        result = await _run_cell(shell, cell["source"])
        ended = {"index": index, "reply": _reply(shell, result)}
        if ended["reply"]["status"] == "error" and cell["stop_on_error"]:
            break
    _publish({"end": ended, "start": None, "finished": True})

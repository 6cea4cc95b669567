"""A papermill engine that runs notebooks on an already-started ("warm") Jupyter kernel.

Starting a kernel and importing pandas, geopandas, matplotlib and the package costs a few
seconds, more than presenting one chapter. Each batch worker owns one ``WarmKernel`` and runs
its queue of chapters on it; before each notebook the kernel is reset to the state a fresh kernel
would be in (``execute.kernel_state``), so each chapter is identical to a fresh-kernel run,
execution counts included.

Registered with papermill as ``jsna-warm``::

    pm.execute_notebook(template, output, parameters, engine_name="jsna-warm", warm_kernel=kernel)

Without ``warm_kernel`` the process's own kernel (``process_kernel()``) is used.
"""

from __future__ import annotations

import atexit
import os

from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

from .multiplex import BatchedClient
from .warm_kernel import WarmKernel

ENGINE_NAME = "jsna-warm"


class WarmNotebookClient(PapermillNotebookClient):
    """Papermill's client, running the notebook's code cells in one request that first resets
    the kernel (``execute.multiplex``); nbclient still handles each cell's messages itself."""

    def __init__(self, nb_man, *, kernel_cwd: str, preload: tuple[str, ...], **kw):
        super().__init__(nb_man, **kw)
        self.kernel_cwd, self.preload = kernel_cwd, preload

    def papermill_execute_cells(self):
        # The cells nbclient will execute, as its execute_cell decides, with its error rule.
        runs = [c for c in self.nb.cells if c.cell_type == "code" and c.source.strip()
                and self.skip_cells_with_tag not in c.metadata.get("tags", [])]
        cells = [{"source": c.source, "stop_on_error": not self._allows_errors(c)} for c in runs]
        self.kc = BatchedClient(self.kc, cells, cwd=self.kernel_cwd, preload=self.preload)
        super().papermill_execute_cells()

    def _allows_errors(self, cell) -> bool:
        return (not self.force_raise_errors) and (self.allow_errors or
                                                  "raises-exception" in cell.metadata.get("tags", []))


class WarmKernelEngine(Engine):
    """Execute on ``warm_kernel`` (or the process's kernel) instead of starting a new one, in
    ``kernel_cwd`` (default: this process's working directory, as papermill's ``cwd`` sets it)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 warm_kernel: WarmKernel | None = None, kernel_cwd: str | None = None,
                                 **kwargs):
        kernel = warm_kernel or process_kernel()
        km = kernel.manager()
        kc = kernel.client(timeout=start_timeout)
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        client = WarmNotebookClient(
            nb_man, km=km, kernel_cwd=kernel_cwd or os.getcwd(), preload=kernel.preload,
            **merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                           kernel_name=kernel.kernel_name, log_output=log_output,
                           stdout_file=stdout_file, stderr_file=stderr_file))
        client.kc = kc  # the kernel's own client: nbclient then neither connects nor disconnects one
        # Papermill saves the whole notebook before and after every cell; the output goes to a
        # temporary name anyway, so save it only at the start and the end.
        output_path, nb_man.output_path = nb_man.output_path, None
        try:
            client.execute()  # an error in a cell is recorded in the notebook, not raised here
            if isinstance(client.kc, BatchedClient):
                run_sync(client.kc.close)()
        except Exception:
            kernel.shutdown()  # reset failed, kernel died or timed out: the next notebook gets a new one
            raise
        finally:
            nb_man.output_path = output_path
            client.kc = None
            kernel.notebooks += 1
        return nb_man.nb


_process_kernel: WarmKernel | None = None


def process_kernel() -> WarmKernel:
    """This process's own warm kernel, started on first use and shut down at exit. For one
    caller at a time; concurrent builds give each worker its own ``WarmKernel``."""
    global _process_kernel
    if _process_kernel is None:
        _process_kernel = WarmKernel()
        atexit.register(_process_kernel.shutdown)
    return _process_kernel


papermill_engines.register(ENGINE_NAME, WarmKernelEngine)

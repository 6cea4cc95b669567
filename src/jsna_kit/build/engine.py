"""A papermill engine that runs notebooks on an already-started ("warm") Jupyter kernel.

Starting a kernel and importing pandas, geopandas, matplotlib and the package costs a few
seconds, more than presenting one chapter. Each batch worker owns one ``WarmKernel`` and runs
its queue of chapters on it; before each notebook the kernel is reset to the state a fresh kernel
would be in (``build.kernel_state``), so each chapter is identical to a fresh-kernel run,
execution counts included.

Registered with papermill as ``jsna-warm``::

    pm.execute_notebook(template, output, parameters, engine_name="jsna-warm", warm_kernel=kernel)

Without ``warm_kernel`` the process's own kernel (``process_kernel()``) is used.
"""

from __future__ import annotations

import atexit
import os
import subprocess
from queue import Empty

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

from .kernel import ensure_kernel
from .multiplex import BatchedClient

ENGINE_NAME = "jsna-warm"

#: What the chapter template imports (and so the libraries they use); a warm kernel imports it
#: once, before its first chapter. Anything else a template imports is imported when first used.
PRELOAD = ("jsna_kit.load.chapter_data", "jsna_kit.present.chapter")
#: Options for the warm kernels' IPython (see ``WarmKernel.manager``).
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]


class KernelResetError(RuntimeError):
    """The kernel could not be reset between notebooks (it is then restarted)."""


class WarmKernel:
    """One long-lived kernel. Started on first use, restarted if it dies, shut down by ``shutdown``."""

    def __init__(self, kernel_name: str | None = None, preload: tuple[str, ...] = PRELOAD):
        self.kernel_name = kernel_name or ensure_kernel()
        self.preload = preload
        self.km: AsyncKernelManager | None = None
        self.kc = None  # one client for the kernel's life: connecting a new one costs ~0.1 s a notebook
        self.notebooks = 0

    def manager(self) -> AsyncKernelManager:
        """The kernel manager, with a live kernel (a dead one is replaced)."""
        if self.km is not None and not run_sync(self.km.is_alive)():
            self.shutdown()
        if self.km is None:
            self.km = AsyncKernelManager(kernel_name=self.kernel_name)
            # The kernel's own log (e.g. its start-up notice about TCP on localhost) is not for
            # the user; what a notebook prints reaches the notebook through IOPub.
            # No history database: a fresh kernel's SQLite history is written once per cell and
            # never read by a chapter; the execution counter does not depend on it.
            run_sync(self.km.start_kernel)(cwd=os.getcwd(), stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, extra_arguments=KERNEL_ARGUMENTS)
            self.notebooks = 0
        return self.km

    def client(self, timeout: float = 60):
        """The kernel's client, channels open and the kernel ready (started on first use)."""
        km = self.manager()
        if self.kc is None:
            kc = km.client()
            kc.start_channels()
            try:
                run_sync(kc.wait_for_ready)(timeout=timeout)
            except Exception:
                kc.stop_channels()
                raise
            kc.allow_stdin = False
            self.kc = kc
        return self.kc

    def warm(self, cwd: str, data_dir: str = "") -> None:
        """Start the kernel now, import the package in it (the first reset) and read the files
        every chapter reads from ``data_dir`` (``kernel_state.prime``), so that the first
        notebook waits for none of it."""
        prime = f"__import__('jsna_kit.build.kernel_state', fromlist=['prime']).prime({data_dir!r})"
        code = self.reset_code(cwd) + "\n" + prime
        run_sync(_run_silently)(self.manager(), self.client(), code)

    def reset_code(self, cwd: str) -> str:
        return (f"__import__('jsna_kit.build.kernel_state', fromlist=['reset'])"
                f".reset({cwd!r}, {self.preload!r})")

    def shutdown(self) -> None:
        kc, self.kc = self.kc, None
        if kc is not None:
            kc.stop_channels()
        km, self.km = self.km, None
        if km is None:
            return
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - a kernel that is already gone needs no shutting down
            pass


async def _run_silently(km: AsyncKernelManager, kc, code: str, timeout: float = 300) -> None:
    msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
    reply: dict = {}
    waited = 0
    while reply.get("parent_header", {}).get("msg_id") != msg_id:
        try:
            reply = await kc.get_shell_msg(timeout=1)
        except Empty:
            waited += 1
            if not await km.is_alive():
                raise KernelResetError("the kernel stopped while starting") from None
            if waited > timeout:
                raise KernelResetError(f"the kernel did not answer within {timeout:g} s") from None
    if reply["content"]["status"] != "ok":
        raise KernelResetError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")


class WarmNotebookClient(PapermillNotebookClient):
    """Papermill's client, running the notebook's code cells in one request that first resets
    the kernel (``build.multiplex``); nbclient still handles each cell's messages itself."""

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

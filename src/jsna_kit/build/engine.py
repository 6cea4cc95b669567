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

ENGINE_NAME = "jsna-warm"

#: What a chapter imports as it runs (the package's reading, statistics and presentation
#: modules, and the libraries they use); a warm kernel imports it once, before its first chapter.
PRELOAD = ("jsna_kit.load.*", "jsna_kit.model.*", "jsna_kit.present.*")


class KernelResetError(RuntimeError):
    """The kernel could not be reset between notebooks (it is then restarted)."""


class WarmKernel:
    """One long-lived kernel. Started on first use, restarted if it dies, shut down by ``shutdown``."""

    def __init__(self, kernel_name: str | None = None, preload: tuple[str, ...] = PRELOAD):
        self.kernel_name = kernel_name or ensure_kernel()
        self.preload = preload
        self.km: AsyncKernelManager | None = None
        self.notebooks = 0

    def manager(self) -> AsyncKernelManager:
        """The kernel manager, with a live kernel (a dead one is replaced)."""
        if self.km is not None and not run_sync(self.km.is_alive)():
            self.shutdown()
        if self.km is None:
            self.km = AsyncKernelManager(kernel_name=self.kernel_name)
            # The kernel's own log (e.g. its start-up notice about TCP on localhost) is not for
            # the user; what a notebook prints reaches the notebook through IOPub.
            run_sync(self.km.start_kernel)(cwd=os.getcwd(), stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
            self.notebooks = 0
        return self.km

    def warm(self, cwd: str) -> None:
        """Start the kernel now and import the package in it (the first reset), so that the
        first notebook does not wait for either."""
        run_sync(_run_silently)(self.manager(), self.reset_code(cwd))

    def reset_code(self, cwd: str) -> str:
        return (f"__import__('jsna_kit.build.kernel_state', fromlist=['reset'])"
                f".reset({cwd!r}, {self.preload!r})")

    def shutdown(self) -> None:
        km, self.km = self.km, None
        if km is None:
            return
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - a kernel that is already gone needs no shutting down
            pass


async def _run_silently(km: AsyncKernelManager, code: str, timeout: float = 300) -> None:
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=timeout)
        msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        reply = {}
        while reply.get("parent_header", {}).get("msg_id") != msg_id:
            try:
                reply = await kc.get_shell_msg(timeout=1)
            except Empty:
                if not await km.is_alive():
                    raise KernelResetError("the kernel stopped while starting") from None
        if reply["content"]["status"] != "ok":
            raise KernelResetError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()


class WarmNotebookClient(PapermillNotebookClient):
    """Papermill's client, with a silent state reset before the notebook's first cell."""

    def __init__(self, nb_man, *, reset_code: str, **kw):
        super().__init__(nb_man, **kw)
        self.reset_code = reset_code

    def papermill_execute_cells(self):
        msg_id = self.kc.execute(self.reset_code, silent=True, store_history=False, allow_stdin=False)
        reply = self.wait_for_reply(msg_id)
        content = (reply or {}).get("content", {})
        if content.get("status") != "ok":
            raise KernelResetError(f"{content.get('ename')}: {content.get('evalue')}")
        super().papermill_execute_cells()


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
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        client = WarmNotebookClient(
            nb_man, km=km, reset_code=kernel.reset_code(kernel_cwd or os.getcwd()),
            **merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                           kernel_name=kernel.kernel_name, log_output=log_output,
                           stdout_file=stdout_file, stderr_file=stderr_file))
        # Papermill saves the whole notebook before and after every cell; the output goes to a
        # temporary name anyway, so save it only at the start and the end.
        output_path, nb_man.output_path = nb_man.output_path, None
        try:
            client.execute()  # an error in a cell is recorded in the notebook, not raised here
        except Exception:
            kernel.shutdown()  # reset failed, kernel died or timed out: the next notebook gets a new one
            raise
        finally:
            nb_man.output_path = output_path
            if client.kc is not None:
                client.kc.stop_channels()
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

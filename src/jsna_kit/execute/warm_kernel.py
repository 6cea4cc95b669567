"""One long-lived ("warm") Jupyter kernel for the warm papermill engine (``execute.engine``).

Kept apart from the engine, which needs papermill, so that a batch worker can start its kernel
before it imports anything else: the kernel boots in its own process while the worker imports.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from queue import Empty

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from .kernel import ensure_kernel

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
        self._warming: str | None = None  # the warming request, until its reply is read
        self._unready = False

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
        if self._warming is not None or self._unready:
            self.finish_warming()
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
        self.begin_warming(cwd, data_dir)
        self.finish_warming()

    def begin_warming(self, cwd: str, data_dir: str = "") -> None:
        """``warm`` without waiting: the kernel process starts and the request is queued; the
        caller can do other work (such as its own imports) until ``finish_warming``."""
        # A first build's output folder is made only once its areas are known to be sound, which
        # may be after the kernel starts: warm in the nearest folder that exists (each notebook's
        # reset moves the kernel to its own folder), or the reset fails and the first chapter
        # waits for a new kernel.
        folder = Path(cwd).resolve()
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        cwd = str(folder)
        prime = f"__import__('jsna_kit.execute.kernel_state', fromlist=['prime']).prime({data_dir!r})"
        km = self.manager()
        if self.kc is None:  # connect without waiting for the kernel: the request waits in the socket
            self.kc = km.client()
            self.kc.start_channels()
            self.kc.allow_stdin = False
            self._unready = True
        self._warming = self.kc.execute(self.reset_code(cwd) + "\n" + prime, silent=True, store_history=False,
                                        allow_stdin=False)

    def finish_warming(self, timeout: float = 300) -> None:
        msg_id, self._warming = self._warming, None
        if msg_id is not None:
            run_sync(_wait_for_reply)(self.km, self.kc, msg_id, timeout)
        if getattr(self, "_unready", False):
            run_sync(self.kc.wait_for_ready)(timeout=60)  # IOPub connected too, before any notebook
            self._unready = False

    def reset_code(self, cwd: str) -> str:
        return (f"__import__('jsna_kit.execute.kernel_state', fromlist=['reset'])"
                f".reset({cwd!r}, {self.preload!r})")

    def shutdown(self) -> None:
        self._warming, self._unready = None, False
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


async def _wait_for_reply(km: AsyncKernelManager, kc, msg_id: str, timeout: float = 300) -> None:
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

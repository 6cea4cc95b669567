"""Run a notebook's code cells on a warm kernel as one request, while nbclient sees one request
per cell.

Each execute request is a round trip through ZeroMQ and ipykernel's dispatch, about 7 ms on the
build machine, and a chapter has 16 code cells. ``BatchedClient`` stands in for the kernel client
that nbclient (inside papermill) drives: on nbclient's first ``execute`` it sends the kernel one
request that resets the kernel and runs every code cell (``execute.kernel_run``), then serves each
of nbclient's per-cell ``execute`` calls from that request's output, split at the markers the
kernel publishes between cells: the cell's own messages (streams, displays, results, errors)
under the cell's own message id, plus the ``status``, ``execute_input`` and ``execute_reply``
messages a per-cell request would have produced. nbclient then builds the outputs, execution
counts, coalesced streams and errors itself, exactly as it does for a fresh kernel.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import deque
from queue import Empty

from .kernel_run import MARKER


class BatchError(RuntimeError):
    """The batch request itself failed (e.g. the kernel could not be reset)."""


class _Channel:
    def __init__(self, owner: BatchedClient, kind: str):
        self.owner, self.kind = owner, kind

    async def get_msg(self, timeout: float | None = None) -> dict:
        return await (self.owner._next_iopub() if self.kind == "iopub" else self.owner._next_shell(timeout))

    def __getattr__(self, name):
        return getattr(getattr(self.owner.kc, f"{self.kind}_channel"), name)


class BatchedClient:
    """A kernel client for nbclient that runs ``cells`` (``[{"source", "stop_on_error"}]``, the
    code cells nbclient will execute, in order) as one request, after ``reset`` (the keyword
    arguments of ``kernel_run.run_cells`` other than the cells). Anything else is passed to the
    real client ``kc``."""

    def __init__(self, kc, cells: list[dict], *, cwd: str, preload: tuple[str, ...]):
        self.kc = kc
        self.cells = cells
        self.cwd, self.preload = cwd, preload
        self.ids = [f"jsna-kit-cell-{uuid.uuid4().hex}" for _ in cells]
        self.next_cell = 0
        self.batch_id: str | None = None
        self.current: int | None = None  # the cell whose messages are arriving
        self.finished = False
        self.failure: BatchError | None = None
        self.batch_reply: dict | None = None
        self.iopub: deque = deque()
        self.shell: deque = deque()
        self.shell_ready = asyncio.Event()
        self.replies_given = 0  # synthetic execute_replies handed to nbclient
        self.iopub_channel = _Channel(self, "iopub")
        self.shell_channel = _Channel(self, "shell")

    def __getattr__(self, name):
        return getattr(self.kc, name)

    # -- what nbclient calls ------------------------------------------------------------------

    def execute(self, code: str, store_history: bool = True, stop_on_error: bool = True, **_) -> str:
        index = self.next_cell
        if index >= len(self.cells) or code != self.cells[index]["source"] or \
                stop_on_error != self.cells[index]["stop_on_error"]:
            raise BatchError(f"nbclient asked for a cell the batch does not hold (cell {index})")
        if index == 0:
            call = (f"await __import__('jsna_kit.execute.kernel_run', fromlist=['run_cells']).run_cells("
                    f"{json.dumps(self.cells)!r}, {self.cwd!r}, {self.preload!r})")
            self.batch_id = self.kc.execute(call, silent=False, store_history=False, allow_stdin=False)
        self.next_cell += 1
        return self.ids[index]

    async def _next_iopub(self) -> dict:
        while not self.iopub:
            self._route(await self.kc.iopub_channel.get_msg(timeout=None))
        return self.iopub.popleft()

    async def _next_shell(self, timeout: float | None) -> dict:
        """The execute_reply of the cell nbclient is waiting for (made when that cell's end
        marker arrives on IOPub, which nbclient is reading meanwhile), or, when no cell is
        waiting, the real reply to another request (e.g. nbclient's closing kernel_info).

        Reads from the real channel only complete within the call that starts them: a pending
        ZeroMQ read left across nbclient's separate event-loop runs can miss its message."""
        while True:
            if self.failure is not None:
                raise self.failure
            if self.shell:
                self.replies_given += 1
                return self.shell.popleft()
            if self.replies_given < self.next_cell:  # a cell's reply is due: it comes via IOPub
                try:
                    await asyncio.wait_for(self.shell_ready.wait(), timeout)
                except TimeoutError:
                    raise Empty from None
                self.shell_ready.clear()
                continue
            msg = await self.kc.shell_channel.get_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") == self.batch_id:
                self._batch_replied(msg)
                continue
            return msg

    # -- splitting the batch's output ---------------------------------------------------------

    def _route(self, msg: dict) -> None:
        if msg["parent_header"].get("msg_id") != self.batch_id:
            return  # left over from an earlier request
        kind, content = msg["msg_type"], msg["content"]
        marker = content.get("data", {}).get(MARKER) if kind == "display_data" else None
        if marker is not None:
            self._marker(msg, marker)
        elif self.current is not None:
            self.iopub.append({**msg, "parent_header": {**msg["parent_header"], "msg_id": self.ids[self.current]}})
        elif kind == "error":  # outside any cell: the reset or the batch itself failed
            self._fail(f"{content.get('ename')}: {content.get('evalue')}")
        elif kind == "status" and content.get("execution_state") == "idle" and not self.finished:
            self._fail("the kernel ended the batch without running every cell")

    def _fail(self, message: str) -> None:
        """Stop both of nbclient's waits (for output and for the reply) with the error."""
        self.failure = BatchError(message)
        self.shell_ready.set()
        raise self.failure

    def _marker(self, msg: dict, marker: dict) -> None:
        ended, started = marker.get("end"), marker.get("start")
        if ended is not None:
            self.current = ended["index"]
            self.shell.append(self._synthetic(msg, "execute_reply", {"user_expressions": {}, "payload": [],
                                                                     **ended["reply"]}))
            self.shell_ready.set()
            self.iopub.append(self._synthetic(msg, "status", {"execution_state": "idle"}))
            self.current = None
        if started is not None:
            self.current = started["index"]
            self.iopub.append(self._synthetic(msg, "status", {"execution_state": "busy"}))
            self.iopub.append(self._synthetic(msg, "execute_input", {
                "code": self.cells[self.current]["source"], "execution_count": started["execution_count"]}))
        if marker.get("finished"):
            self.finished = True

    def _synthetic(self, like: dict, kind: str, content: dict) -> dict:
        header = {**like["header"], "msg_type": kind, "msg_id": uuid.uuid4().hex}
        return {"header": header, "msg_id": header["msg_id"], "msg_type": kind, "content": content,
                "metadata": {}, "buffers": [], "parent_header": {**like["parent_header"],
                                                                  "msg_id": self.ids[self.current]}}

    def _batch_replied(self, msg: dict) -> None:
        self.batch_reply = msg
        if msg["content"].get("status") != "ok":
            self._fail(f"{msg['content'].get('ename')}: {msg['content'].get('evalue')}")

    async def close(self, timeout: float = 30) -> None:
        """Wait for the batch's own reply, so no message of it is left for the next notebook."""
        while self.batch_id is not None and self.batch_reply is None:
            msg = await self.kc.shell_channel.get_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") == self.batch_id:
                self.batch_reply = msg

"""Run an `EngineNode` on its own event loop in a daemon thread (harness, benchmarks)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import sys
import threading
import traceback
from collections.abc import Coroutine
from typing import Any, TypeVar

from zeebe.runtime.node import EngineNode

T = TypeVar("T")


class LoopStuckError(TimeoutError):
    """A call on the node's loop did not finish in time; the message says where it waits."""


class BackgroundNode:
    """Owns a thread whose loop runs the node; `start()` returns once it serves."""

    def __init__(self, node: EngineNode) -> None:
        self.node = node
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="zeebe-node", daemon=True
        )

    def start(self, timeout_s: float = 30.0) -> BackgroundNode:
        """Start the loop thread and the node on it; re-raises start failures."""
        self._thread.start()
        try:
            self.call(self.node.start(), timeout_s)
        except BaseException:
            self._shutdown_loop()
            raise
        return self

    def call(self, coroutine: Coroutine[Any, Any, T], timeout_s: float = 30.0) -> T:
        """Run a coroutine on the node's loop and wait for its result.

        Raises `LoopStuckError` (a `TimeoutError`) naming where the loop thread and its tasks
        wait, because a bare timeout on a CI machine leaves nothing to go on.
        """
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout_s)
        except concurrent.futures.TimeoutError:
            where = self.where()
            future.cancel()
            raise LoopStuckError(f"no result within {timeout_s} s; {where}") from None

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop the node, then the loop and the thread."""
        if self._thread.is_alive():
            try:
                # the gRPC server's stop awaits its shutdown completion, so no call of this
                # loop is left in grpc's shared completion queue when the loop closes below
                self.call(self.node.stop(), timeout_s)
            finally:
                self._shutdown_loop()

    def where(self) -> str:
        """The loop thread's current stack and every pending task's await point."""
        out = io.StringIO()
        frame = sys._current_frames().get(self._thread.ident or -1)
        if frame is not None:
            out.write("loop thread at:\n" + "".join(traceback.format_stack(frame)))
        try:  # read from another thread: best effort, the task set may change meanwhile
            tasks = list(asyncio.all_tasks(self._loop))
        except RuntimeError:
            tasks = []
        for task in tasks:
            task.print_stack(limit=8, file=out)
        return out.getvalue()

    def _shutdown_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        if self._thread.is_alive():
            return  # stuck in a blocking call: closing the loop under it would not help
        self._unwind_tasks()
        self._loop.close()

    def _unwind_tasks(self, timeout_s: float = 5.0) -> None:
        # As asyncio.run does: tasks left behind (a stop that timed out) are cancelled and may
        # unwind, instead of being destroyed pending with the closed loop.
        tasks = asyncio.all_tasks(self._loop)
        if not tasks:
            return
        for task in tasks:
            task.cancel()
        self._loop.run_until_complete(asyncio.wait(tasks, timeout=timeout_s))

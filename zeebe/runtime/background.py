"""Run an `EngineNode` on its own event loop in a daemon thread (harness, benchmarks)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from zeebe.runtime.node import EngineNode

T = TypeVar("T")


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
        """Run a coroutine on the node's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout_s)

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop the node, then the loop and the thread."""
        if self._thread.is_alive():
            try:
                # the gRPC server's stop awaits its shutdown completion, so no call of this
                # loop is left in grpc's shared completion queue when the loop closes below
                self.call(self.node.stop(), timeout_s)
            finally:
                self._shutdown_loop()

    def _shutdown_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        if not self._thread.is_alive():
            self._loop.close()

"""Run pyzeebe workers in the background, on one event loop shared by every test worker.

Why one shared loop that is never closed: grpc.aio delivers call completions through one
process-wide completion queue, which forwards each completion to the loop that started the call
(`loop.call_soon_threadsafe`). Closing a channel cancels its calls but does not wait for their
last completions, so a per-worker loop closed right after `channel.close()` makes grpc raise
"Event loop is closed" into whichever loop polls the queue (often the test's own loop). A loop
that outlives every worker channel receives those late completions harmlessly; no sleep needed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from pyzeebe import ZeebeTaskRouter, ZeebeWorker, create_insecure_channel

_LOCK = threading.Lock()
_SHARED: list[asyncio.AbstractEventLoop] = []


def worker_loop() -> asyncio.AbstractEventLoop:
    """The process-wide loop the test workers run on (a daemon thread, started on first use)."""
    with _LOCK:
        if not _SHARED:
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="zeebe-test-workers")
            thread.daemon = True  # ends with the process; never closed (see the module docstring)
            thread.start()
            _SHARED.append(loop)
        return _SHARED[0]


class WorkerThread:
    """A `ZeebeWorker` serving `routers` against `grpc_address` until `stop()`.

    `worker_options` go to `ZeebeWorker` (e.g. `stream_enabled=True`, `poll_retry_delay`).
    It runs as a task on the shared worker loop (`worker_loop()`), not on a thread of its own.
    """

    def __init__(
        self,
        grpc_address: str,
        routers: Sequence[ZeebeTaskRouter],
        **worker_options: Any,
    ) -> None:
        self._address = grpc_address
        self._routers = list(routers)
        self._options = worker_options
        self._loop = worker_loop()
        self._worker: ZeebeWorker | None = None
        self._ready = threading.Event()
        self._served: Future[None] | None = None

    def start(self, timeout_s: float = 10.0) -> WorkerThread:
        """Start serving; returns once the worker is built (or re-raises why it could not be)."""
        served = asyncio.run_coroutine_threadsafe(self._serve(), self._loop)
        self._served = served
        served.add_done_callback(lambda _: self._ready.set())
        if not self._ready.wait(timeout_s):
            raise TimeoutError("worker did not start")
        error = served.exception() if served.done() else None
        if error is not None:
            raise error
        return self

    async def _serve(self) -> None:
        channel = create_insecure_channel(grpc_address=self._address)
        try:
            worker = ZeebeWorker(channel, **self._options)
            worker.include_router(*self._routers)
            self._worker = worker
            self._ready.set()
            await worker.work()
        finally:
            await channel.close()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask the worker to stop and wait until its channel is closed; re-raise a crash."""
        served, worker = self._served, self._worker
        if served is None:
            return
        if worker is not None and not served.done():
            asyncio.run_coroutine_threadsafe(worker.stop(), self._loop).result(timeout_s)
        try:
            served.result(timeout_s)
        except TimeoutError:
            raise TimeoutError("worker did not stop") from None

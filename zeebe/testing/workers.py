"""Run pyzeebe workers in a background thread with their own event loop, and stop them."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

from pyzeebe import ZeebeTaskRouter, ZeebeWorker, create_insecure_channel

GRPC_DRAIN_S = 0.1


class WorkerThread:
    """A `ZeebeWorker` serving `routers` against `grpc_address` until `stop()`.

    `worker_options` go to `ZeebeWorker` (e.g. `stream_enabled=True`, `poll_retry_delay`).
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
        self._loop: asyncio.AbstractEventLoop | None = None
        self._worker: ZeebeWorker | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="zeebe-test-worker", daemon=True)

    def start(self, timeout_s: float = 10.0) -> WorkerThread:
        """Start the thread; returns once the worker's loop runs."""
        self._thread.start()
        if not self._ready.wait(timeout_s):
            raise TimeoutError("worker thread did not start")
        if self._error is not None:
            raise self._error
        return self

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # surfaced to the test on start()/stop()
            self._error = error
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        channel = create_insecure_channel(grpc_address=self._address)
        worker = ZeebeWorker(channel, **self._options)
        worker.include_router(*self._routers)
        self._worker = worker
        self._ready.set()
        try:
            await worker.work()
        finally:
            await channel.close()
            # grpc.aio shares one completion queue between loops: completions still in flight
            # for this loop must be delivered before asyncio.run closes it, or another loop
            # fails with "Event loop is closed" (grpc/grpc#25364 family).
            await asyncio.sleep(GRPC_DRAIN_S)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask the worker to stop, wait for its thread; re-raise a crash of the worker."""
        loop, worker = self._loop, self._worker
        if loop is not None and worker is not None and self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(worker.stop(), loop).result(timeout_s)
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            raise TimeoutError("worker thread did not stop")
        if self._error is not None:
            raise self._error

"""Group commit, pipelined: append batches on one writer thread and release them in order.

While batch N is being fsynced, the broker loop already processes batch N+1 (at most `depth`
batches wait for the disk). Responses of a batch are released only after its own commit, and
batches are released in log order. If an append fails, no later batch is written (the log must
stay gap-free) and every waiting caller gets the error: the broker then stops.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from zeebe.runtime.batch import Batch
from zeebe.runtime.log_store import LogStore


class CommitFailedError(RuntimeError):
    """The log could not be written; the request's outcome is unknown to the client."""


class Committer:
    """Writes batches to the log in submission order; see module docstring."""

    def __init__(
        self,
        log_store: LogStore,
        *,
        on_committed: Callable[[Batch, float], None],
        on_failure: Callable[[BaseException], None],
        depth: int = 2,
    ) -> None:
        self._log = log_store
        self._on_committed = on_committed
        self._on_failure = on_failure
        self._slots = asyncio.Semaphore(depth)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zeebe-log-writer")
        self._last: asyncio.Future[None] | None = None
        self.failure: BaseException | None = None

    def _append(self, batch: Batch) -> float:
        # Runs on the writer thread, strictly in submission order.
        if self.failure is not None:
            raise CommitFailedError("an earlier batch failed to commit") from self.failure
        started = time.perf_counter()
        self._log.append(batch.records)
        return time.perf_counter() - started

    async def submit(self, batch: Batch) -> None:
        """Queue the batch for commit; waits only while `depth` batches are in flight."""
        await self._slots.acquire()
        loop = asyncio.get_running_loop()
        written = loop.run_in_executor(self._writer, self._append, batch)
        self._last = asyncio.ensure_future(self._release(batch, written, self._last))

    async def _release(
        self, batch: Batch, written: asyncio.Future[float], previous: asyncio.Future[None] | None
    ) -> None:
        try:
            if previous is not None:
                await previous
            seconds = await written
        except Exception as error:  # disk full, I/O error: nothing after this may be acked
            if self.failure is None:
                self.failure = error
                self._on_failure(error)
            batch.fail_all(CommitFailedError(f"commit failed: {error}"))
        else:
            self._on_committed(batch, seconds)
        finally:
            self._slots.release()

    async def drain(self) -> None:
        """Wait until every submitted batch is committed and released."""
        if self._last is not None:
            await self._last

    async def close(self) -> None:
        """Drain, close the log on the writer thread, stop the thread."""
        await self.drain()
        await asyncio.get_running_loop().run_in_executor(self._writer, self._log.close)
        self._writer.shutdown(wait=True)

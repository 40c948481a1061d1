"""The single writer: one asyncio loop owns the engine and group-commits its records.

Callers (gRPC, HTTP, harness) put requests on a queue. Each loop turn drains up to `max_batch`
requests, processes them one after another (the engine is never touched concurrently), fires due
timers, serves parked long polls and job streams, then appends every record of the turn in ONE
transaction on a dedicated writer thread. Only after that commit are responses released,
exporters fed and parked requests answered, so nothing a client saw can be lost by a crash.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

import structlog

from zeebe.engine.api import Clock, Command, CommandResult, EngineApi
from zeebe.records import Record
from zeebe.runtime.batch import Batch
from zeebe.runtime.committer import Committer
from zeebe.runtime.deferred import DeferredAnswers
from zeebe.runtime.dispatch import JobDispatcher, return_command
from zeebe.runtime.errors import BrokerStoppedError, EngineFailureError
from zeebe.runtime.exporters import Exporter, export_history
from zeebe.runtime.handling import RequestHandling
from zeebe.runtime.log_store import LogStore
from zeebe.runtime.metrics import BrokerMetrics
from zeebe.runtime.requests import (
    STOP,
    ActivateRequest,
    CommandRequest,
    QueryRequest,
    Request,
    TickRequest,
)
from zeebe.runtime.results import InstanceResults
from zeebe.runtime.snapshots import Snapshotter
from zeebe.runtime.waiters import Job, JobStream, Waiters

# the errors moved to errors.py and stay importable from here
__all__ = ["Broker", "BrokerStoppedError", "EngineFailureError"]

log = structlog.get_logger("zeebe.broker")

_MAX_IDLE_S = 60.0


class Broker(RequestHandling):
    """Owns an engine and a log; see the module docstring for the processing cycle;
    the per-request steps of a turn are in `RequestHandling` (handling.py)."""

    def __init__(
        self,
        *,
        engine: EngineApi,
        log_store: LogStore,
        clock: Clock,
        exporters: Sequence[Exporter] = (),
        metrics: BrokerMetrics | None = None,
        max_batch: int = 256,
        snapshots: Snapshotter | None = None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.metrics = metrics or BrokerMetrics()
        self._log = log_store
        self._exporters = list(exporters)
        self._max_batch = max_batch
        self._snapshots = snapshots
        self._committed_position = 0
        self._queue: asyncio.Queue[Request] = asyncio.Queue()
        self._waiters = Waiters()
        self._dispatcher = JobDispatcher(self._waiters, self._activate_for_waiter, self.return_jobs)
        self._results = InstanceResults()
        self._deferred = DeferredAnswers()
        self._committer = Committer(
            log_store, on_committed=self._committed, on_failure=self._commit_failed
        )
        self._task: asyncio.Task[None] | None = None
        self._accepting = False
        self.loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> int:
        """Replay the log into the engine, then start serving; returns the replayed count."""
        self.loop = asyncio.get_running_loop()
        started = time.perf_counter()
        snapshot_position = 0
        if self._snapshots is not None:
            self.engine, snapshot_position = self._snapshots.restore(self.engine, self.clock)
        # In-memory exporters (harness, dashboard read model) start empty: give them the whole
        # log, not only the tail after the snapshot, or searches would lose older instances.
        # Done before serving, so a ready node's read model is complete (not "catching up").
        history = (
            export_history(self._log.read_from(1), snapshot_position, self._export)
            if snapshot_position
            else 0
        )
        records = list(self._log.read_from(snapshot_position + 1))
        self.engine.replay(records)
        self._export(records)
        self._committed_position = records[-1].position if records else snapshot_position
        log.info(
            "log replayed",
            snapshot_position=snapshot_position,
            records=len(records),
            exported_history=history,
            seconds=round(time.perf_counter() - started, 3),
        )
        self._accepting = True
        self._task = asyncio.create_task(self._run(), name="zeebe-broker")
        return len(records)

    @property
    def running(self) -> bool:
        """True while requests are accepted."""
        return self._accepting

    def _submit(self, request: Request) -> None:
        if not self._accepting:
            raise BrokerStoppedError("the broker is shutting down")
        self._queue.put_nowait(request)

    async def execute(self, command: Command) -> CommandResult:
        """Process one command; returns once its records are committed."""
        request = CommandRequest(command, asyncio.get_running_loop().create_future())
        self._submit(request)
        return await request.future

    async def query(self, call: Callable[[], CommandResult]) -> CommandResult:
        """Run a read-only engine call on the loop, in turn with the commands; returns after
        the batch it ran in is committed. It writes no record."""
        request = QueryRequest(call, asyncio.get_running_loop().create_future())
        self._submit(request)
        return await request.future

    async def create_awaiting_result(
        self, command: Command
    ) -> tuple[CommandResult, asyncio.Future[dict[str, Any]]]:
        """Process CREATE_WITH_AWAITING_RESULT; the second future gets the instance result."""
        loop = asyncio.get_running_loop()
        request = CommandRequest(command, loop.create_future(), result=loop.create_future())
        self._submit(request)
        result = await request.future
        assert request.result is not None  # set in the constructor call above
        return result, request.result

    def forget_result(self, process_instance_key: int) -> None:
        """Stop waiting for an instance result (the caller timed out)."""
        self._results.forget(process_instance_key)

    async def activate_jobs(self, value: dict[str, Any], long_poll_ms: int | None) -> list[Job]:
        """JOB_BATCH ACTIVATE; with `long_poll_ms` wait that long for jobs when none are there."""
        request = ActivateRequest(value, long_poll_ms, asyncio.get_running_loop().create_future())
        self._submit(request)
        return await request.future

    def open_stream(self, value: dict[str, Any]) -> JobStream:
        """Register a job stream; already activatable jobs of its type are pushed at once."""
        stream = JobStream(value)
        self._waiters.add_stream(stream)
        self.metrics.job_streams.set(self._waiters.stream_count())
        self._submit(TickRequest(asyncio.get_running_loop().create_future(), stream.job_type))
        return stream

    def close_stream(self, stream: JobStream) -> None:
        """Unregister a stream (client went away)."""
        self._waiters.remove_stream(stream)
        self.metrics.job_streams.set(self._waiters.stream_count())

    async def tick_now(self) -> None:
        """Run one loop turn now (fires what is due); returns after its commit."""
        request = TickRequest(asyncio.get_running_loop().create_future())
        self._submit(request)
        await request.future

    def release_waiters(self) -> None:
        """End parked long polls (empty, as on timeout) and close job streams (shutdown)."""
        polls, streams = self._waiters.drain()
        for poll in polls:
            if not poll.future.done():
                poll.future.set_result([])
        for stream in streams:
            stream.closed = True
            stream.queue.put_nowait(None)

    async def stop(self) -> None:
        """Stop accepting, finish the batch in flight, answer parked requests, close the log."""
        if self._task is None:
            return
        self._accepting = False
        self._queue.put_nowait(STOP)
        await self._task
        self._task = None
        self.release_waiters()
        self._results.fail_all(BrokerStoppedError("the broker stopped"))
        self._deferred.fail_all(BrokerStoppedError("the broker stopped"))
        if self._snapshots is not None:
            if self._committer.failure is None:  # state equals the drained log
                self._snapshots.capture_now(self.engine, self.clock, self._committed_position)
            self._snapshots.close()
        await self._committer.close()

    async def _run(self) -> None:
        while True:
            requests, stop = await self._next_requests()
            batch = Batch()
            try:
                self._turn(requests, batch)
            except Exception as error:  # a bug in the runtime itself: never leave callers hanging
                log.exception("broker loop failed; no longer accepting requests")
                self._accepting = False
                self._abandon(requests, batch, error)
                stop = True
            else:
                await self._committer.submit(batch)
            if stop:
                await self._committer.drain()
                self._reject_queued()
                return

    def _turn(self, requests: list[Request], batch: Batch) -> None:
        for request in requests:
            self._handle(request, batch)
        self._tick_if_due(batch)
        self._dispatcher.serve(batch)
        if self._snapshots is not None:
            self._snapshots.capture_if_due(self.engine, self.clock, batch)

    async def _next_requests(self) -> tuple[list[Request], bool]:
        try:
            first = await asyncio.wait_for(self._queue.get(), self._seconds_until_due())
        except TimeoutError:
            return [], False
        requests: list[Request] = []
        item: Request = first
        while True:
            if item is STOP:
                return requests, True
            requests.append(item)
            if len(requests) >= self._max_batch or self._queue.empty():
                return requests, False
            item = self._queue.get_nowait()

    def _seconds_until_due(self) -> float:
        due = self.engine.next_due_time()
        if due is None:
            return _MAX_IDLE_S
        return min(max(due - self.engine.now(), 0) / 1000.0, _MAX_IDLE_S)

    def _reject_queued(self) -> None:
        while not self._queue.empty():
            request = self._queue.get_nowait()
            future = getattr(request, "future", None)
            if future is not None and not future.done():
                future.set_exception(BrokerStoppedError("the broker is shutting down"))

    def return_jobs(self, jobs: list[Job]) -> None:
        """Give activated but undelivered jobs back, so other workers get them at once."""
        assert self.loop is not None
        for job in jobs:
            if self._accepting:
                self._queue.put_nowait(
                    CommandRequest(return_command(job), self.loop.create_future())
                )

    def _committed(self, batch: Batch, seconds: float) -> None:
        if batch.records:
            self._committed_position = batch.records[-1].position
            self.metrics.commit_latency.observe(seconds)
            self.metrics.batch_size.observe(batch.commands)
            self.metrics.observe_records(batch.records)
            self._export(batch.records)
            self._results.complete(batch.records)
            self._deferred.settle(batch.records)
        self.metrics.jobs.labels("activated").inc(batch.activated_jobs)
        batch.release()
        self.metrics.long_polls.set(self._waiters.poll_count())

    def _commit_failed(self, error: BaseException) -> None:
        log.critical("log append failed: no longer accepting requests", error=str(error))
        self._accepting = False
        if self._task is not None:
            self._queue.put_nowait(STOP)

    def _export(self, records: Sequence[Record]) -> None:
        for exporter in self._exporters:
            try:
                exporter.export(records)
            except Exception:  # a broken exporter must not stop processing
                log.exception("exporter failed", exporter=type(exporter).__name__)

"""The engine a test talks to: embedded (in-process, in-memory, manual clock) or remote."""

from __future__ import annotations

import time
from typing import Any

from pyzeebe import ZeebeTaskRouter

from zeebe.records import Record
from zeebe.runtime.background import BackgroundNode
from zeebe.runtime.clock import ManualClock
from zeebe.runtime.node import EngineFactory, EngineNode, NodeConfig, default_engine_factory
from zeebe.testing.assertions import DEFAULT_TIMEOUT_S, ProcessInstanceAssert, assert_that
from zeebe.testing.workers import WorkerThread


class ZeebeTestEngine:
    """Base: an address to connect to, plus workers started for the test."""

    clock: ManualClock | None = None

    def __init__(self, grpc_address: str) -> None:
        self.grpc_address = grpc_address
        self._workers: list[WorkerThread] = []

    def worker(self, *routers: ZeebeTaskRouter, **worker_options: Any) -> WorkerThread:
        """Start a pyzeebe worker for `routers` (stopped when the engine fixture ends)."""
        worker = WorkerThread(self.grpc_address, routers, **worker_options).start()
        self._workers.append(worker)
        return worker

    def records(self) -> list[Record]:
        """Exported records (embedded only)."""
        raise NotImplementedError("records are only available with --zeebe=embedded")

    def assert_that(
        self, instance: object, *, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> ProcessInstanceAssert:
        """Assertions over the exported records (embedded only)."""
        raise NotImplementedError("record assertions need --zeebe=embedded")

    def close(self) -> None:
        """Stop the workers this test started."""
        errors = []
        for worker in self._workers:
            try:
                worker.stop()
            except Exception as error:  # stop all workers before reporting
                errors.append(error)
        self._workers.clear()
        if errors:
            raise errors[0]


class EmbeddedZeebe(ZeebeTestEngine):
    """An engine in this process: free port, in-memory log, manual clock."""

    def __init__(self, engine_factory: EngineFactory = default_engine_factory) -> None:
        started = time.perf_counter()
        self.clock = ManualClock()
        config = NodeConfig(
            grpc_address="127.0.0.1:0", http_port=None, in_memory=True, retained_records=None
        )
        node = EngineNode(config, clock=self.clock, engine_factory=engine_factory)
        self._background = BackgroundNode(node).start()
        self.exporter = node.exporter
        super().__init__(node.grpc_address)
        self.startup_ms = (time.perf_counter() - started) * 1000

    def records(self) -> list[Record]:
        """Every committed record so far."""
        return self.exporter.records()

    def assert_that(
        self, instance: object, *, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> ProcessInstanceAssert:
        """Fluent assertions about a process instance (key or pyzeebe response)."""
        return assert_that(instance, self.exporter, timeout_s=timeout_s)

    def advance(self, millis: int) -> None:
        """Move the engine clock; due timers, timeouts and back-offs fire before this returns."""
        assert self.clock is not None
        self.clock.advance(millis)

    def close(self) -> None:
        """Stop workers, then the engine."""
        try:
            super().close()
        finally:
            self._background.stop()


class RemoteZeebe(ZeebeTestEngine):
    """An engine somebody else runs (`--zeebe=host:port`): client access only."""


def open_engine(option: str, engine_factory: EngineFactory) -> ZeebeTestEngine:
    """'embedded' -> EmbeddedZeebe; 'host:port' -> RemoteZeebe."""
    if option == "embedded":
        return EmbeddedZeebe(engine_factory)
    return RemoteZeebe(option)

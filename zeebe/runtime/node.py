"""Composition root of one engine process: log + engine + broker + gRPC + HTTP.

`EngineNode` runs inside an existing event loop (`python -m zeebe`); `BackgroundNode` runs one
in its own thread and loop (the pytest harness, benchmarks).
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from zeebe.engine.api import Clock, EngineApi
from zeebe.gateway.server import GrpcServer, start_grpc_server
from zeebe.http import HttpServer, create_app, start_http_server
from zeebe.readmodel import DEFAULT_MAX_FINISHED_INSTANCES, ReadModel
from zeebe.runtime.broker import Broker
from zeebe.runtime.clock import ManualClock, system_clock
from zeebe.runtime.exporters import Exporter, InMemoryExporter
from zeebe.runtime.log_store import InMemoryLogStore, LogStore, SqliteLogStore, Synchronous
from zeebe.runtime.snapshots import Snapshotter

log = structlog.get_logger("zeebe.node")
EngineFactory = Callable[[Clock], EngineApi]


DEFAULT_ENGINE = "zeebe.engine.engine:Engine"


def engine_factory(path: str = DEFAULT_ENGINE) -> EngineFactory:
    """The engine class named 'module:Class', imported late (no import-time dependency).

    The default is the real engine; edge tests may name `zeebe.testing.fake_engine:FakeEngine`.
    """
    module_name, _, class_name = path.partition(":")

    def build(clock: Clock) -> EngineApi:
        engine: EngineApi = getattr(importlib.import_module(module_name), class_name)(clock)
        return engine

    return build


def default_engine_factory(clock: Clock) -> EngineApi:
    """The real engine."""
    return engine_factory()(clock)


@dataclass(frozen=True)
class NodeConfig:
    """Where and how the engine serves; port 0 means 'pick a free port'."""

    grpc_address: str = "127.0.0.1:26500"
    http_host: str = "127.0.0.1"
    http_port: int | None = 8080
    data_dir: Path = field(default_factory=lambda: Path(".local/zeebe"))
    in_memory: bool = False
    synchronous: Synchronous = "FULL"
    max_batch: int = 256
    # records kept in memory for the dashboard / harness; None keeps every record
    retained_records: int | None = 10_000
    # take a state snapshot every N records (durable mode only); None disables snapshots
    snapshot_every: int | None = 100_000
    # finished root instances the REST/dashboard read model keeps (oldest evicted first)
    read_model_finished_instances: int = DEFAULT_MAX_FINISHED_INSTANCES


class EngineNode:
    """Starts and stops everything one engine process serves."""

    def __init__(
        self,
        config: NodeConfig,
        *,
        clock: Clock = system_clock,
        engine_factory: EngineFactory = default_engine_factory,
        exporters: Sequence[Exporter] = (),
    ) -> None:
        self.config = config
        self.clock = clock
        self.exporter = InMemoryExporter(config.retained_records)
        self.read_model = ReadModel(config.read_model_finished_instances)
        self._engine_factory = engine_factory
        self._exporters: list[Exporter] = [self.exporter, self.read_model, *exporters]
        self.broker: Broker | None = None
        self.grpc_address = ""
        self.http_port: int | None = None
        self._grpc: GrpcServer | None = None
        self._http: HttpServer | None = None

    def _log_store(self) -> LogStore:
        if self.config.in_memory:
            return InMemoryLogStore()
        path = self.config.data_dir / "log.sqlite"
        return SqliteLogStore(path, synchronous=self.config.synchronous)

    def _snapshotter(self) -> Snapshotter | None:
        every = self.config.snapshot_every
        if self.config.in_memory or not every:
            return None
        return Snapshotter(self.config.data_dir / "snapshots", every_records=every)

    async def start(self) -> None:
        """Replay, then open the gRPC port, then HTTP. Raises if a port is taken."""
        self.broker = Broker(
            engine=self._engine_factory(self.clock),
            log_store=self._log_store(),
            clock=self.clock,
            exporters=self._exporters,
            max_batch=self.config.max_batch,
            snapshots=self._snapshotter(),
        )
        await self.broker.start()
        try:
            grpc_server = await start_grpc_server(self.broker, self.config.grpc_address)
            self._grpc = grpc_server
            self.grpc_address = grpc_server.address
            self._start_http()
        except BaseException:
            await self.stop()
            raise
        if isinstance(self.clock, ManualClock):
            self.clock.on_advance(self._on_clock_advance)

    def _start_http(self) -> None:
        if self.config.http_port is None or self.broker is None:
            return
        server = start_http_server(
            create_app(self.broker, self.read_model), self.config.http_host, self.config.http_port
        )
        self._http = server
        self.http_port = server.port

    def _on_clock_advance(self) -> None:
        broker = self.broker
        if broker is None or broker.loop is None or not broker.running:
            return
        future = asyncio.run_coroutine_threadsafe(broker.tick_now(), broker.loop)
        try:
            on_broker_loop = asyncio.get_running_loop() is broker.loop
        except RuntimeError:
            on_broker_loop = False
        if not on_broker_loop:  # waiting on the broker's own loop would deadlock
            future.result(10)

    async def stop(self) -> None:
        """Stop accepting (gRPC first), finish the batch in flight, close the log."""
        if self._http is not None:
            http, self._http = self._http, None
            # the HTTP server's stop blocks (thread joins): run it off this loop, so
            # REST requests in flight, which wait for this loop, still get their answers
            await asyncio.to_thread(http.stop)
        if self._grpc is not None:
            if self.broker is not None:
                self.broker.release_waiters()  # parked calls end cleanly within the grace period
            await self._grpc.stop()
            self._grpc = None
        if self.broker is not None:
            await self.broker.stop()
            self.broker = None

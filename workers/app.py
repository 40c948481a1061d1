"""Composition root: ``create_worker(config)`` wires clients, breakers, metrics and routers."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import grpc  # type: ignore[import-untyped]  # grpcio ships no stubs; pyzeebe depends on it
from pyzeebe import ZeebeWorker, create_insecure_channel

from workers.client import ServiceClient, Transport, create_breaker
from workers.config import WorkerConfig
from workers.contract import SERVICES
from workers.observability import BreakerStateListener, WorkerMetrics, create_metrics
from workers.routers import JobBackoff, create_routers
from workers.steps import StepDeps
from workers.transport import OriginTransport

__all__ = [
    "WorkerApp",
    "create_clients",
    "create_transport",
    "create_worker",
    "install_job_executor",
]


@dataclass(frozen=True)
class WorkerApp:
    """A ready-to-run worker and what its entry point serves beside it."""

    worker: ZeebeWorker
    metrics: WorkerMetrics
    clients: Mapping[str, ServiceClient]


def install_job_executor(loop: asyncio.AbstractEventLoop, max_threads: int) -> ThreadPoolExecutor:
    """Make `loop`'s default executor a pool of `max_threads`: pyzeebe runs sync job functions
    via ``run_in_executor(None, ...)``, and they block on HTTP, so the stock size (cpus + 4)
    would cap concurrent service calls per process."""
    executor = ThreadPoolExecutor(max_workers=max_threads, thread_name_prefix="worker-job")
    loop.set_default_executor(executor)
    return executor


def create_transport(base_url: str, pool_size: int) -> OriginTransport:
    """A transport whose pool keeps `pool_size` keep-alive connections to the service, so every
    job thread reuses one instead of opening (and discarding) a new one per call."""
    return OriginTransport(base_url, pool_size)


def create_clients(
    config: WorkerConfig, metrics: WorkerMetrics, transport: Transport | None = None
) -> dict[str, ServiceClient]:
    """One client, one circuit breaker and (unless `transport` is given) one pooled session
    per downstream service, all living as long as the worker."""
    return {
        service: ServiceClient(
            service=service,
            base_url=config.service_urls[service],
            transport=transport
            or create_transport(config.service_urls[service], config.max_threads),
            breaker=create_breaker(
                service,
                fail_max=config.breaker_fail_max,
                reset_timeout_s=config.breaker_reset_s,
                listeners=(BreakerStateListener(metrics, service),),
            ),
            timeout_s=config.http_timeout_s,
            retry=config.retry,
        )
        for service in SERVICES
    }


def create_worker(
    config: WorkerConfig,
    *,
    channel: grpc.aio.Channel | None = None,
    transport: Transport | None = None,
) -> WorkerApp:
    """Build the worker for every task type in the contract; nothing runs until ``work()``."""
    metrics = create_metrics()
    clients = create_clients(config, metrics, transport)
    deps = StepDeps(clients=clients, metrics=metrics)
    backoff = JobBackoff(base_ms=config.job_backoff_base_ms, max_ms=config.job_backoff_max_ms)
    routers = create_routers(deps, job_timeout_ms=config.job_timeout_ms, backoff=backoff)
    worker = ZeebeWorker(
        channel or create_insecure_channel(grpc_address=config.zeebe_address),
        name=config.worker_name,
        # Typed int by pyzeebe, but only ever passed to asyncio.sleep: a fraction works.
        poll_retry_delay=config.poll_retry_delay_s,  # type: ignore[arg-type]
        stream_enabled=config.stream_enabled,
    )
    worker.include_router(*routers.values())
    return WorkerApp(worker=worker, metrics=metrics, clients=clients)

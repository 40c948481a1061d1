"""Composition root: ``create_worker(config)`` wires clients, breakers, metrics and routers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import grpc  # type: ignore[import-untyped]  # grpcio ships no stubs; pyzeebe depends on it
import requests
from pyzeebe import ZeebeWorker, create_insecure_channel

from workers.client import ServiceClient, Transport, create_breaker
from workers.config import WorkerConfig
from workers.contract import SERVICES
from workers.observability import BreakerStateListener, WorkerMetrics, create_metrics
from workers.routers import JobBackoff, create_routers
from workers.steps import StepDeps

__all__ = ["WorkerApp", "create_clients", "create_worker"]


@dataclass(frozen=True)
class WorkerApp:
    """A ready-to-run worker and what its entry point serves beside it."""

    worker: ZeebeWorker
    metrics: WorkerMetrics
    clients: Mapping[str, ServiceClient]


def create_clients(
    config: WorkerConfig, metrics: WorkerMetrics, transport: Transport
) -> dict[str, ServiceClient]:
    """One client and one circuit breaker per downstream service."""
    return {
        service: ServiceClient(
            service=service,
            base_url=config.service_urls[service],
            transport=transport,
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
    clients = create_clients(config, metrics, transport or requests.Session())
    deps = StepDeps(clients=clients, metrics=metrics)
    backoff = JobBackoff(base_ms=config.job_backoff_base_ms, max_ms=config.job_backoff_max_ms)
    routers = create_routers(deps, job_timeout_ms=config.job_timeout_ms, backoff=backoff)
    worker = ZeebeWorker(
        channel or create_insecure_channel(grpc_address=config.zeebe_address),
        name=config.worker_name,
    )
    worker.include_router(*routers.values())
    return WorkerApp(worker=worker, metrics=metrics, clients=clients)

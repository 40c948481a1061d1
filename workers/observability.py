"""Worker metrics (prometheus-client) and structlog setup.

Tracing (the job's span, the ``trace_id`` log field) is ``services.kit.tracing``.

Metrics live in a registry created per worker (never the global default), so tests and several
workers in one process do not collide, and nothing is registered at import time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pybreaker
import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = [
    "BREAKER_STATE_VALUES",
    "BreakerStateListener",
    "WorkerMetrics",
    "configure_logging",
    "create_metrics",
]

BREAKER_STATE_VALUES: dict[str, int] = {"closed": 0, "half-open": 1, "open": 2}
"""Gauge encoding of pybreaker's state names."""


@dataclass(frozen=True)
class WorkerMetrics:
    """The worker's metric families; ``registry`` is what the metrics endpoint serves."""

    registry: CollectorRegistry
    tasks: Counter
    latency: Histogram
    compensations: Counter
    breaker_state: Gauge


def create_metrics(registry: CollectorRegistry | None = None) -> WorkerMetrics:
    """Register the worker metric families in ``registry`` (a fresh one by default)."""
    registry = registry or CollectorRegistry()
    return WorkerMetrics(
        registry=registry,
        tasks=Counter(
            "checkout_worker_tasks",
            "Jobs handled, by task type and outcome (success, business_error, failure)",
            ["task_type", "outcome"],
            registry=registry,
        ),
        latency=Histogram(
            "checkout_worker_task_duration_seconds",
            "Time spent handling a job, service calls and retries included",
            ["task_type"],
            registry=registry,
        ),
        compensations=Counter(
            "checkout_worker_compensations",
            "Compensation calls that succeeded, by task type",
            ["task_type"],
            registry=registry,
        ),
        breaker_state=Gauge(
            "checkout_worker_circuit_breaker_state",
            "Circuit breaker state per downstream service: 0 closed, 1 half-open, 2 open",
            ["service"],
            registry=registry,
        ),
    )


class BreakerStateListener(pybreaker.CircuitBreakerListener):
    """Mirrors a breaker's state into the gauge and logs every transition."""

    def __init__(self, metrics: WorkerMetrics, service: str) -> None:
        self._gauge = metrics.breaker_state.labels(service=service)
        self._service = service
        self._gauge.set(BREAKER_STATE_VALUES["closed"])

    def state_change(
        self,
        cb: pybreaker.CircuitBreaker,
        old_state: pybreaker.CircuitBreakerState | None,
        new_state: pybreaker.CircuitBreakerState,
    ) -> None:
        """Called by pybreaker on each transition."""
        self._gauge.set(BREAKER_STATE_VALUES.get(new_state.name, -1))
        structlog.get_logger("workers.breaker").warning(
            "circuit_breaker_state_changed",
            service=self._service,
            old_state=old_state.name if old_state else None,
            new_state=new_state.name,
        )


def configure_logging(level: int = logging.INFO) -> None:
    """JSON logs with ISO timestamps; called by the entry point, never at import."""
    logging.basicConfig(level=level, format="%(message)s")
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )

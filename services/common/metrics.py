"""Business metrics of the operation contract, on the app's own Prometheus registry."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter

OPERATION_METRICS = "operation_metrics"


@dataclass(frozen=True)
class OperationMetrics:
    """Counters for forward calls and compensations, labelled by operation and outcome."""

    forward: Counter
    compensation: Counter

    def forward_outcome(self, operation: str, outcome: str) -> None:
        """Count one forward call: performed, replayed, or a problem code in lower case."""
        self.forward.labels(operation=operation, outcome=outcome).inc()

    def compensation_outcome(self, operation: str, outcome: str) -> None:
        """Count one compensation call: compensated or tombstoned."""
        self.compensation.labels(operation=operation, outcome=outcome).inc()


def operation_metrics(registry: CollectorRegistry) -> OperationMetrics:
    """Register the counters on `registry`."""
    return OperationMetrics(
        forward=Counter(
            "service_forward_calls",
            "Forward operation calls by outcome",
            ["operation", "outcome"],
            registry=registry,
        ),
        compensation=Counter(
            "service_compensations",
            "Compensation calls by outcome",
            ["operation", "outcome"],
            registry=registry,
        ),
    )

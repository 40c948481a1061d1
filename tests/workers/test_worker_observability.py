"""Metrics and the breaker state gauge (spans: test_worker_tracing.py)."""

from __future__ import annotations

import time

import pytest
from worker_fakes import FakeResponse, FakeTransport, make_client, sample

from workers.client import RetryPolicy, ServiceClient, create_breaker
from workers.failures import ServiceUnavailableError
from workers.observability import BreakerStateListener, create_metrics

pytestmark = pytest.mark.unit


def test_breaker_state_gauge_follows_the_breaker() -> None:
    """DESIGN §5: circuit breaker state gauges in workers (0 closed, 2 open)."""
    metrics = create_metrics()
    client = make_client(FakeTransport([FakeResponse(503)]), fail_max=1, attempts=1,
                         metrics=metrics)  # fmt: skip
    assert sample(metrics, "checkout_worker_circuit_breaker_state", service="cart") == 0

    with pytest.raises(ServiceUnavailableError):
        client.forward("reservations", "1:cart-reserve", {})

    assert sample(metrics, "checkout_worker_circuit_breaker_state", service="cart") == 2


def test_each_worker_gets_its_own_registry() -> None:
    """No global registry: two workers in one process (tests) do not clash."""
    first, second = create_metrics(), create_metrics()
    first.tasks.labels(task_type="cart.reserve", outcome="success").inc()

    assert sample(second, "checkout_worker_tasks_total", task_type="cart.reserve",
                  outcome="success") == 0  # fmt: skip


def test_breaker_half_opens_after_reset_timeout_and_closes_on_success() -> None:
    """pybreaker: after `reset_timeout` one trial call passes; success closes the breaker."""
    metrics = create_metrics()
    transport = FakeTransport([FakeResponse(503), FakeResponse(200, {"ok": True})])
    client = ServiceClient(
        service="cart",
        base_url="http://cart.test",
        transport=transport,
        breaker=create_breaker(
            "cart",
            fail_max=1,
            reset_timeout_s=0.05,
            listeners=(BreakerStateListener(metrics, "cart"),),
        ),
        retry=RetryPolicy(attempts=1),
    )
    with pytest.raises(ServiceUnavailableError):
        client.forward("reservations", "1:cart-reserve", {})
    time.sleep(0.1)

    assert client.forward("reservations", "1:cart-reserve", {}) == {"ok": True}
    assert sample(metrics, "checkout_worker_circuit_breaker_state", service="cart") == 0

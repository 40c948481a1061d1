"""ServiceClient: the HTTP side of services/CONTRACT.md, retries and the circuit breaker."""

from __future__ import annotations

import pytest
from worker_fakes import (
    FakeResponse,
    FakeTransport,
    RecordingSleep,
    make_client,
    ok,
    problem,
    timeout_error,
)

from workers.failures import (
    PermanentServiceError,
    ServiceRefusedError,
    ServiceUnavailableError,
    TransientServiceError,
)

pytestmark = pytest.mark.unit

KEY = "2251799813685249:cart-reserve"


def test_forward_posts_to_operation_with_idempotency_key() -> None:
    """CONTRACT §1: forward is `POST /v1/<operation>` with a required `Idempotency-Key`
    (the `traceparent` header of its span: test_worker_tracing.py)."""
    transport = FakeTransport([ok({"reservation_key": KEY})])

    body = make_client(transport).forward("reservations", KEY, {"cart_id": "c1"})

    assert body == {"reservation_key": KEY}
    (sent,) = transport.sent
    assert sent.url == "http://cart.test/v1/reservations"
    assert sent.headers["Idempotency-Key"] == KEY
    assert sent.json == {"cart_id": "c1"}
    assert sent.timeout == 2.5


def test_compensation_posts_to_the_forward_key_with_the_reason() -> None:
    """CONTRACT §1: compensation is `POST /v1/<operation>/{key}/compensation`, optional `reason`."""
    transport = FakeTransport([ok({"status": "compensated", "key": KEY})])

    body = make_client(transport).compensate("reservations", KEY, reason="OUT_OF_STOCK")

    assert body["status"] == "compensated"
    (sent,) = transport.sent
    assert sent.url == f"http://cart.test/v1/reservations/{KEY}/compensation"
    assert sent.json == {"reason": "OUT_OF_STOCK"}
    assert "Idempotency-Key" not in sent.headers


def test_422_with_business_code_is_a_refusal_carrying_that_code() -> None:
    """CONTRACT §2: "422 with a business `code` -> BPMN error with that code"."""
    transport = FakeTransport([problem(422, "OUT_OF_STOCK", "not enough stock for: sku-1")])

    with pytest.raises(ServiceRefusedError) as refused:
        make_client(transport).forward("allocations", KEY, {})

    assert refused.value.code == "OUT_OF_STOCK"
    assert refused.value.detail == "not enough stock for: sku-1"
    assert len(transport.sent) == 1, "business failures are not retried"


def test_409_on_forward_is_the_compensated_refusal() -> None:
    """CONTRACT §2: a late forward call on a compensated key gets 409 -> BPMN error COMPENSATED."""
    transport = FakeTransport([problem(409, "COMPENSATED")])

    with pytest.raises(ServiceRefusedError) as refused:
        make_client(transport).forward("captures", KEY, {})

    assert refused.value.code == "COMPENSATED"


def test_idempotency_key_reuse_is_a_permanent_fault_not_a_business_error() -> None:
    """Same key with a different body means the worker changed its request: a bug for an
    operator (job failure, then incident), not a business outcome the saga should compensate."""
    transport = FakeTransport([problem(422, "IDEMPOTENCY_KEY_REUSED")])

    with pytest.raises(PermanentServiceError):
        make_client(transport).forward("quotes", KEY, {})


def test_400_is_permanent_and_not_retried() -> None:
    """A validation problem will not pass by retrying: fail the job at once."""
    transport = FakeTransport([problem(400, "VALIDATION_FAILED")])

    with pytest.raises(PermanentServiceError):
        make_client(transport).forward("quotes", KEY, {})

    assert len(transport.sent) == 1


def test_5xx_is_retried_with_exponential_backoff_until_success() -> None:
    """DESIGN §4: "a service keeps failing technically -> worker retries with back-off"."""
    transport = FakeTransport([FakeResponse(503), FakeResponse(502), ok({"quote_key": KEY})])
    sleep = RecordingSleep()

    body = make_client(transport, sleep=sleep).forward("quotes", KEY, {"items": []})

    assert body == {"quote_key": KEY}
    assert len(transport.sent) == 3
    assert sleep.delays == [0.1, 0.2], "initial 0.1 s, doubling (jitter 0 in this test)"
    assert {s.headers["Idempotency-Key"] for s in transport.sent} == {KEY}


def test_timeouts_are_transient_and_surface_after_the_last_attempt() -> None:
    """A timed-out call may have succeeded: retry with the same key, then fail the job."""
    transport = FakeTransport([timeout_error()])
    sleep = RecordingSleep()

    with pytest.raises(TransientServiceError):
        make_client(transport, attempts=3, sleep=sleep).forward("captures", KEY, {})

    assert len(transport.sent) == 3
    assert len(sleep.delays) == 2


def test_backoff_is_capped_at_the_maximum() -> None:
    """Exponential back-off never waits longer than RetryPolicy.max_s."""
    transport = FakeTransport([FakeResponse(500)])
    sleep = RecordingSleep()

    with pytest.raises(TransientServiceError):
        make_client(transport, attempts=6, fail_max=100, sleep=sleep).forward("x", KEY, {})

    assert sleep.delays == [0.1, 0.2, 0.4, 0.8, 1.0]


def test_breaker_opens_after_fail_max_technical_faults_and_then_short_circuits() -> None:
    """DESIGN §4: "the circuit breaker opens -> the worker throws a BPMN error"; once open, no
    request reaches the failing service."""
    transport = FakeTransport([FakeResponse(503)])
    client = make_client(transport, fail_max=3, attempts=1)

    for _ in range(2):
        with pytest.raises(TransientServiceError):
            client.forward("captures", KEY, {})
    with pytest.raises(ServiceUnavailableError):
        client.forward("captures", KEY, {})  # the third fault trips the breaker
    with pytest.raises(ServiceUnavailableError) as unavailable:
        client.forward("captures", KEY, {})

    assert unavailable.value.service == "cart"
    assert len(transport.sent) == 3, "the open breaker did not call the service"


def test_breaker_trips_during_in_job_retries_and_stops_them() -> None:
    """Each retry attempt counts towards the breaker; tripping ends the retries at once."""
    transport = FakeTransport([FakeResponse(503)])
    client = make_client(transport, fail_max=2, attempts=5)

    with pytest.raises(ServiceUnavailableError):
        client.forward("captures", KEY, {})

    assert len(transport.sent) == 2


def test_business_refusals_do_not_count_towards_the_breaker() -> None:
    """A declined payment says nothing about the service's health."""
    transport = FakeTransport([problem(422, "PAYMENT_DECLINED")])
    client = make_client(transport, fail_max=2, attempts=1)

    for _ in range(5):
        with pytest.raises(ServiceRefusedError):
            client.forward("captures", KEY, {})

    assert len(transport.sent) == 5


def test_compensation_is_also_guarded_by_the_breaker() -> None:
    """The breaker is per service, shared by forward and compensation calls."""
    transport = FakeTransport([FakeResponse(500)])
    client = make_client(transport, fail_max=1, attempts=1)

    with pytest.raises(ServiceUnavailableError):
        client.compensate("reservations", KEY)
    with pytest.raises(ServiceUnavailableError):
        client.compensate("reservations", KEY)

    assert len(transport.sent) == 1

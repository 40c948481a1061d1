"""run_step: one job in, a service call, a completion / BPMN error / failure out."""

from __future__ import annotations

import pytest
from pyzeebe.errors import BusinessError
from worker_fakes import FakeResponse, FakeTransport, make_deps, make_job, ok, problem, sample

from workers.contract import TASKS_BY_TYPE
from workers.failures import MalformedJobError, PermanentServiceError, ServiceUnavailableError
from workers.steps import run_step

pytestmark = pytest.mark.unit

PIK = 2251799813685249
CO = "co-1"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _run(task_type: str, transport: FakeTransport, variables: dict[str, object], **deps_kw: int):
    deps = make_deps(transport, **deps_kw)
    spec = TASKS_BY_TYPE[task_type]
    job = make_job(task_type, spec.element_id, process_instance_key=PIK, variables=variables)
    return deps, run_step(spec, job, variables, deps)


def test_forward_step_sends_checkout_id_and_element_id_key_and_maps_the_response() -> None:
    """bpmn/README.md: the worker sends `<checkoutId>:<forward element id>`, never the job key
    nor the process instance key (which a reset engine hands out again)."""
    transport = FakeTransport(
        [
            ok(
                {
                    "reservation_key": "r1",
                    "items": [{"sku": "a", "quantity": 2, "unit_price": 5}],
                    "currency": "EUR",
                    "status": "active",
                }
            )
        ]
    )

    deps, result = _run(
        "cart.reserve",
        transport,
        {"checkoutId": "co-1", "cartId": "cart-9", "traceparent": TRACEPARENT},
    )

    (sent,) = transport.sent
    assert sent.headers["Idempotency-Key"] == f"{CO}:cart-reserve"
    assert sent.headers["traceparent"].split("-")[1] == TRACEPARENT.split("-")[1]  # same trace
    assert sent.json == {"cart_id": "cart-9", "checkout_id": "co-1"}
    assert result == {
        "reservationKey": "r1",
        "items": [{"sku": "a", "quantity": 2}],
        "currency": "EUR",
    }
    assert (
        sample(
            deps.metrics, "checkout_worker_tasks_total", task_type="cart.reserve", outcome="success"
        )
        == 1
    )


def test_business_refusal_becomes_a_bpmn_error_with_the_service_code() -> None:
    """CONTRACT §2: 422 with a business code -> BPMN error with that code."""
    transport = FakeTransport([problem(422, "OUT_OF_STOCK")])

    with pytest.raises(BusinessError) as error:
        _run("inventory.allocate", transport, {"checkoutId": "co-1", "items": []})

    assert error.value.error_code == "OUT_OF_STOCK"


def test_forward_call_on_compensated_key_becomes_bpmn_error_compensated() -> None:
    """CONTRACT §1: "late forward call after compensation is refused" (409) -> BPMN error."""
    transport = FakeTransport([problem(409, "COMPENSATED")])
    variables = {"checkoutId": "co-1", "total": 1200, "cardToken": "tok_ok"}

    with pytest.raises(BusinessError) as error:
        _run("payment.capture", transport, variables)

    assert error.value.error_code == "COMPENSATED"


def test_open_breaker_on_forward_step_becomes_service_unavailable_bpmn_error() -> None:
    """Brief/DESIGN §4: breaker open -> BPMN error SERVICE_UNAVAILABLE so the saga compensates at
    once instead of waiting for job timeouts."""
    transport = FakeTransport([FakeResponse(503)])

    with pytest.raises(BusinessError) as error:
        _run("pricing.quote", transport, {"checkoutId": "co-1", "items": []}, fail_max=2)

    assert error.value.error_code == "SERVICE_UNAVAILABLE"


def test_compensation_handler_uses_the_forward_steps_key() -> None:
    """The undo must address the operation the forward step created: same checkout id, the
    forward element id (`payment.refund` undoes element `payment-capture`)."""
    transport = FakeTransport([ok({"status": "compensated", "key": f"{CO}:payment-capture"})])

    deps, result = _run(
        "payment.refund", transport, {"checkoutId": "co-1", "failureReason": "OUT_OF_STOCK"}
    )

    (sent,) = transport.sent
    assert sent.url == f"http://payment.test/v1/captures/{CO}:payment-capture/compensation"
    assert sent.json == {"reason": "OUT_OF_STOCK"}
    assert result == {}
    assert (
        sample(deps.metrics, "checkout_worker_compensations_total", task_type="payment.refund") == 1
    )


def test_compensation_with_open_breaker_fails_the_job_instead_of_throwing_a_bpmn_error() -> None:
    """A compensation handler must not throw a BPMN error (the failure path already runs);
    an undo that cannot be done now is retried by Zeebe, then becomes an incident."""
    transport = FakeTransport([FakeResponse(503)])

    with pytest.raises(ServiceUnavailableError):
        _run("inventory.release", transport, {"checkoutId": "co-1"}, fail_max=1)


def test_compensation_refused_by_the_service_is_a_job_failure() -> None:
    """Compensation endpoints always answer 200 (CONTRACT §1); anything else is a bug to fix."""
    transport = FakeTransport([problem(422, "SOMETHING")])

    with pytest.raises(PermanentServiceError):
        _run("order.cancel", transport, {"checkoutId": "co-1"})


def test_failed_step_counts_failure_and_observes_latency() -> None:
    """Metrics: per task type outcome counter and a latency histogram (DESIGN §5)."""
    transport = FakeTransport([FakeResponse(500)])
    deps = make_deps(transport, attempts=1)
    spec = TASKS_BY_TYPE["order.create"]
    job = make_job("order.create", spec.element_id)

    with pytest.raises(Exception, match="HTTP 500"):
        run_step(spec, job, {"checkoutId": "co-1", "items": []}, deps)

    assert (
        sample(
            deps.metrics, "checkout_worker_tasks_total", task_type="order.create", outcome="failure"
        )
        == 1
    )
    assert (
        sample(
            deps.metrics, "checkout_worker_task_duration_seconds_count", task_type="order.create"
        )
        == 1
    )


def test_payment_capture_exposes_pending_status_for_the_gateway() -> None:
    """bpmn/README.md: `paymentStatus = "pending_confirmation"` routes to the message wait."""
    transport = FakeTransport([ok({"payment_id": "pay_1", "status": "pending_confirmation"})])
    variables = {"checkoutId": "co-1", "total": 1200, "currency": "EUR", "cardToken": "tok"}

    _, result = _run("payment.capture", transport, variables)

    assert result == {"paymentId": "pay_1", "paymentStatus": "pending_confirmation"}
    assert transport.sent[0].json == {
        "checkout_id": "co-1",
        "amount": 1200,
        "card_token": "tok",
        "currency": "EUR",
    }


def test_undo_failed_step_compensates_the_terminated_step_by_its_key() -> None:
    """DESIGN §4: "the forward call times out but actually succeeded later: compensation must
    still undo it". The step that threw is terminated (not compensated by the engine), so
    `saga.compensate` calls its handler's endpoint with the failed step's key."""
    transport = FakeTransport([ok({"status": "compensated"})])
    variables = {"checkoutId": "co-1", "failedStep": "payment-capture",
                 "failureReason": "SERVICE_UNAVAILABLE"}  # fmt: skip

    deps, result = _run("saga.compensate", transport, variables)

    (sent,) = transport.sent
    assert sent.url == f"http://payment.test/v1/captures/{CO}:payment-capture/compensation"
    assert result == {}
    assert sample(deps.metrics, "checkout_worker_compensations_total",
                  task_type="payment.refund") == 1  # fmt: skip


@pytest.mark.parametrize("failed_step", ["fraud-check", "cart-consume", None])
def test_undo_failed_step_without_handler_calls_nothing(failed_step: str | None) -> None:
    """No effect to undo (fraud check, last step) or no failed step (timer/decline paths)."""
    transport = FakeTransport([])

    _, result = _run("saga.compensate", transport, {"checkoutId": "co-1",
                                                    "failedStep": failed_step})  # fmt: skip

    assert result == {} and transport.sent == []


@pytest.mark.parametrize("task_type", ["cart.reserve", "payment.refund", "saga.compensate"])
def test_a_job_without_checkout_id_fails_without_calling_the_service(task_type: str) -> None:
    """Brief h25: no fallback to the process instance key; the job fails (retries, then an
    incident) with an error naming the missing variable, and no service sees a call."""
    transport = FakeTransport([])
    variables = {"cartId": "cart-9", "failedStep": "payment-capture", "failureReason": "X"}

    with pytest.raises(MalformedJobError, match="checkoutId"):
        _run(task_type, transport, variables)

    assert transport.sent == []

"""Checkout saga end to end: checkout API -> engine -> workers -> real services -> Kafka.

Real PostgreSQL, Kafka and FerretDB from the stack fixtures; every process started by
`demo.supervisor` as in `make run`. Each test uses its own skus, coupon and customer.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from e2e_support import call, eventually, kafka_events

from demo.topology import Endpoints

pytestmark = pytest.mark.e2e

SAGA_TOPICS = (
    "cart.events",
    "pricing.events",
    "payment.events",
    "inventory.events",
    "order.events",
)


@dataclass(frozen=True)
class Shop:
    """Seeded data of one test."""

    sku: str
    coupon: str
    customer: str
    cart_id: str


def _seed(e: Endpoints, *, stock: int = 10, quantity: int = 2) -> Shop:
    tag = uuid.uuid4().hex[:8]
    sku, coupon, customer = f"sku-{tag}", f"C{tag}".upper(), f"cust-{tag}"
    assert call("PUT", f"{e.url('pricing')}/v1/prices/{sku}", {"unit_price": 2_500}).ok
    coupon_body = {"kind": "percent", "value": 10, "usage_limit": 5}
    assert call("PUT", f"{e.url('pricing')}/v1/coupons/{coupon}", coupon_body).ok
    assert call("PUT", f"{e.url('inventory')}/v1/stock/{sku}", {"on_hand": stock}).ok
    items = [{"sku": sku, "quantity": quantity, "unit_price": 2_500}]
    cart = call("POST", f"{e.url('cart')}/v1/carts", {"customer_id": customer, "items": items})
    assert cart.status_code == 201, cart.text
    return Shop(sku, coupon, customer, cart.json()["id"])


def _checkout(
    e: Endpoints,
    shop: Shop,
    card: str = "tok_approve",
    key: str | None = None,
    api: str = "checkout",
) -> dict[str, Any]:
    body = {
        "cartId": shop.cart_id,
        "customerId": shop.customer,
        "cardToken": card,
        "coupon": shop.coupon,
    }
    headers = {"Idempotency-Key": key} if key else {}
    response = call("POST", f"{e.url(api)}/checkouts", body, **headers)
    assert response.status_code == 202, response.text
    return dict(response.json())


def _final_status(e: Endpoints, checkout_id: str, timeout_s: float = 30.0) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        status = call("GET", f"{e.url('checkout')}/checkouts/{checkout_id}").json()
        return status if status["status"] != "pending" else None

    return (
        eventually(probe, timeout_s=timeout_s)
        or call("GET", f"{e.url('checkout')}/checkouts/{checkout_id}").json()
    )


def test_a_checkout_completes_and_every_service_holds_its_final_state(system: Endpoints) -> None:
    """DESIGN §4 happy path: reservation consumed, coupon used, payment captured, stock
    decremented, order created, outbox events on Kafka, loyalty points awarded; DESIGN §5: the
    checkout's W3C trace id reaches every event's `traceparent` Kafka header."""
    e, shop = system, _seed(system)

    accepted = _checkout(e, shop)
    status = _final_status(e, accepted["checkoutId"])

    co = accepted["checkoutId"]
    assert (status["status"], status["reason"], status["compensations"]) == ("completed", None, [])
    assert call("GET", f"{e.url('cart')}/v1/carts/{shop.cart_id}").json()["status"] == "checked_out"
    assert (
        call("GET", f"{e.url('cart')}/v1/reservations/{co}:cart-reserve").json()["status"] == "done"
    )
    assert call("GET", f"{e.url('pricing')}/v1/coupons/{shop.coupon}").json()["used"] == 1
    capture = _capture(e, co)
    assert (capture["status"], capture["payment_status"]) == ("done", "captured")
    assert call("GET", f"{e.url('inventory')}/v1/stock/{shop.sku}").json()["on_hand"] == 8
    order = call("GET", f"{e.url('order')}/v1/orders/{co}:order-create").json()
    assert order["status"] == "done"
    events = kafka_events(
        e.kafka_bootstrap, SAGA_TOPICS, lambda v: f"{co}:" in str(v["payload"]), expect=6
    )
    assert {v["event_type"] for v in events} >= {
        "cart.reserved", "pricing.quoted", "payment.captured",
        "inventory.allocated", "order.created", "cart.consumed",
    }  # fmt: skip
    trace_id = status["traceparent"].split("-")[1]
    assert {v["_headers"]["traceparent"].split("-")[1] for v in events} == {trace_id}
    points = eventually(
        lambda: call("GET", f"{e.url('loyalty')}/v1/accounts/{shop.customer}").json()["points"]
    )
    assert points > 0


def test_the_same_idempotency_key_starts_one_saga(system: Endpoints) -> None:
    """A repeated POST with one Idempotency-Key returns the same checkout and runs one saga."""
    e, shop = system, _seed(system)
    key = f"e2e-{uuid.uuid4().hex}"

    first, second = _checkout(e, shop, key=key), _checkout(e, shop, key=key)
    status = _final_status(e, first["checkoutId"])

    assert first == second
    assert status["status"] == "completed"
    reserved = kafka_events(
        e.kafka_bootstrap,
        ("cart.events",),
        lambda v: (
            v["event_type"] == "cart.reserved" and v["payload"].get("cart_id") == shop.cart_id
        ),
        expect=2,
        timeout_s=5,
    )
    assert len(reserved) == 1


def _capture(e: Endpoints, checkout_id: str) -> dict[str, Any]:
    """The payment operation record of the saga's capture step."""
    return dict(call("GET", f"{e.url('payment')}/v1/captures/{checkout_id}:payment-capture").json())


def _compensated(e: Endpoints, checkout_id: str, expected: set[str]) -> dict[str, Any]:
    """Wait until the failed checkout reports at least the expected compensations."""

    def probe() -> dict[str, Any] | None:
        status = call("GET", f"{e.url('checkout')}/checkouts/{checkout_id}").json()
        done = status["status"] != "pending" and expected <= set(status["compensations"])
        return status if done else None

    found = eventually(probe, timeout_s=30)
    return found or call("GET", f"{e.url('checkout')}/checkouts/{checkout_id}").json()


COMPLETED_BEFORE_PAYMENT = {"cart.release", "pricing.revert"}


def test_a_declined_payment_undoes_the_reservation_and_the_coupon(system: Endpoints) -> None:
    """DESIGN §4: payment declined (BPMN error) -> compensate what completed -> failed."""
    e, shop = system, _seed(system)

    accepted = _checkout(e, shop, card="tok_decline")
    status = _compensated(e, accepted["checkoutId"], COMPLETED_BEFORE_PAYMENT)

    assert (status["status"], status["reason"]) == ("failed", "PAYMENT_DECLINED")
    assert set(status["compensations"]) >= COMPLETED_BEFORE_PAYMENT
    assert call("GET", f"{e.url('cart')}/v1/carts/{shop.cart_id}").json()["status"] == "open"
    assert call("GET", f"{e.url('pricing')}/v1/coupons/{shop.coupon}").json()["used"] == 0


def test_out_of_stock_refunds_and_undoes_the_earlier_steps(system: Endpoints) -> None:
    """DESIGN §4: out of stock -> refund payment, release reservation, revert coupon."""
    e, shop = system, _seed(system, stock=1, quantity=2)

    accepted = _checkout(e, shop)
    expected = COMPLETED_BEFORE_PAYMENT | {"payment.refund"}
    status = _compensated(e, accepted["checkoutId"], expected)

    co = accepted["checkoutId"]
    assert (status["status"], status["reason"]) == ("failed", "OUT_OF_STOCK")
    assert set(status["compensations"]) >= expected
    assert status["failedStep"] == "inventory-allocate"
    capture = _capture(e, co)
    assert capture["status"] == "compensated"
    assert call("GET", f"{e.url('inventory')}/v1/stock/{shop.sku}").json()["on_hand"] == 1


def test_a_confirmation_that_never_arrives_times_out_and_compensates(system: Endpoints) -> None:
    """DESIGN §4: payment confirmation never arrives -> timer (PT3S here) -> compensate: the
    pending charge is voided, the reservation released and the coupon use reverted."""
    e, shop = system, _seed(system)
    assert call("PUT", f"{e.url('psp')}/knobs", {"callback_delay_ms": 120_000}).ok
    try:
        accepted = _checkout(e, shop, card="tok_async")
        expected = COMPLETED_BEFORE_PAYMENT | {"payment.refund"}
        status = _compensated(e, accepted["checkoutId"], expected)
    finally:
        call("PUT", f"{e.url('psp')}/knobs", {"callback_delay_ms": 200})

    co = accepted["checkoutId"]
    assert (status["status"], status["reason"]) == ("failed", "PAYMENT_CONFIRMATION_TIMEOUT")
    assert set(status["compensations"]) >= expected
    # A voided pending charge moves no money (payment.voided, no refund); the record shows it.
    assert eventually(lambda: _capture(e, co)["status"] == "compensated")
    assert call("GET", f"{e.url('cart')}/v1/carts/{shop.cart_id}").json()["status"] == "open"


def test_an_async_confirmation_is_bridged_and_the_checkout_completes(system: Endpoints) -> None:
    """bpmn/README.md: `payment.confirmed` on Kafka -> bridge -> message `payment-confirmed`
    correlated by paymentId -> the saga continues and completes."""
    e, shop = system, _seed(system)
    assert call("PUT", f"{e.url('psp')}/knobs", {"callback_delay_ms": 300}).ok

    accepted = _checkout(e, shop, card="tok_async")
    status = _final_status(e, accepted["checkoutId"])

    co = accepted["checkoutId"]
    assert status["status"] == "completed"
    capture = _capture(e, co)
    assert capture["payment_status"] == "captured"


def _breaker_state(e: Endpoints, service: str) -> float | None:
    """`checkout_worker_circuit_breaker_state{service}` from the workers' metrics (2 = open)."""
    text = call("GET", f"http://127.0.0.1:{e.ports['workers_metrics']}/metrics").text
    prefix = f'checkout_worker_circuit_breaker_state{{service="{service}"}} '
    values = [float(line[len(prefix) :]) for line in text.splitlines() if line.startswith(prefix)]
    return values[0] if values else None


def test_an_unavailable_service_opens_the_breaker_and_the_saga_compensates(
    supervised: tuple[Any, Endpoints],
) -> None:
    """DESIGN §4: a service keeps failing -> retries -> the breaker opens -> BPMN error
    SERVICE_UNAVAILABLE -> the saga compensates at once (the failed step is undone by key once
    the service is back)."""
    supervisor, e = supervised
    shop = _seed(e)
    spec = supervisor.stop("inventory")
    try:
        accepted = _checkout(e, shop)
        opened = eventually(lambda: _breaker_state(e, "inventory") == 2.0, timeout_s=30)
    finally:
        supervisor.start(spec)
    expected = COMPLETED_BEFORE_PAYMENT | {"payment.refund"}
    status = _compensated(e, accepted["checkoutId"], expected)

    assert opened
    assert (status["status"], status["reason"]) == ("failed", "SERVICE_UNAVAILABLE")
    assert status["failedStep"] == "inventory-allocate"
    assert set(status["compensations"]) >= expected


def test_the_flag_routes_to_the_fraud_check_version_which_completes(system: Endpoints) -> None:
    """DESIGN §4 "Versioned": with CHECKOUT_FRAUD_CHECK_PERCENT=100 the API starts v2 (fraud
    check between pricing and payment) beside v1."""
    e, shop = system, _seed(system)

    accepted = _checkout(e, shop, api="checkout_v2")
    status = _final_status(e, accepted["checkoutId"])

    co = accepted["checkoutId"]
    assert (status["status"], status["version"]) == ("completed", "checkout-fraud-check.bpmn")
    check = call("GET", f"{e.url('fraud')}/v1/checks/{co}:fraud-check").json()
    assert check["status"] == "done"
    assert check["response"]["score"] == 4  # 4 500 cents of a 100 000 limit


def test_a_fraud_rejection_undoes_the_reservation_and_the_coupon(system: Endpoints) -> None:
    """bpmn/README.md: `fraud.check` throws FRAUD_REJECTED (amount above the limit) -> the
    failure path undoes cart and pricing; no payment is attempted."""
    e, shop = system, _seed(system, stock=100, quantity=50)

    accepted = _checkout(e, shop, api="checkout_v2")
    status = _compensated(e, accepted["checkoutId"], COMPLETED_BEFORE_PAYMENT)

    co = accepted["checkoutId"]
    assert (status["status"], status["reason"]) == ("failed", "FRAUD_REJECTED")
    assert status["failedStep"] == "fraud-check"
    assert call("GET", f"{e.url('payment')}/v1/captures/{co}:payment-capture").status_code == 404


def _incident(e: Endpoints, pik: str) -> dict[str, Any] | None:
    """The instance's active incident from the engine's REST API, if any."""
    body = {"filter": {"state": "ACTIVE"}}
    found = call("POST", f"{e.url('zeebe_http')}/v2/process-instances/{pik}/incidents/search", body)
    items = found.json()["items"]
    return dict(items[0]) if items else None


def test_an_undo_that_keeps_failing_becomes_an_incident_an_operator_resolves(
    supervised: tuple[Any, Endpoints],
) -> None:
    """DESIGN §4: where the operator should decide, retries run out -> incident, fixed and
    retried as from the dashboard (retries 1, resolve); the checkout reports the incident while
    it waits, then fails with the completed steps compensated."""
    supervisor, e = supervised
    shop = _seed(e)
    spec = supervisor.stop("inventory")
    try:
        accepted = _checkout(e, shop)
        url = f"{e.url('checkout')}/checkouts/{accepted['checkoutId']}"
        waiting = eventually(lambda: call("GET", url).json()["incident"], timeout_s=60)
    finally:
        supervisor.start(spec)

    assert waiting == {
        "errorType": "JOB_NO_RETRIES",
        "errorMessage": waiting["errorMessage"],
        "elementId": "saga-compensate",
    }
    assert call("GET", url).json()["status"] == "pending"
    incident = _incident(e, accepted["processInstanceKey"])
    assert incident is not None
    time.sleep(3.5)  # WORKERS_BREAKER_RESET_S=3: the retried job's call may pass the breaker
    jobs = f"{e.url('zeebe_http')}/v2/jobs/{incident['jobKey']}"
    assert call("PATCH", jobs, {"changeset": {"retries": 1}}).status_code == 204
    resolution = f"{e.url('zeebe_http')}/v2/incidents/{incident['incidentKey']}/resolution"
    assert call("POST", resolution).status_code == 204
    status = _compensated(e, accepted["checkoutId"], COMPLETED_BEFORE_PAYMENT | {"payment.refund"})

    assert (status["status"], status["reason"], status["incident"]) == (
        "failed",
        "SERVICE_UNAVAILABLE",
        None,
    )

"""Saga status folded from service events attributed by their operation keys."""

from __future__ import annotations

from typing import Any

import pytest

from services.checkout.domain import new_checkout_id
from services.checkout.projection import SagaEvent, attribute, fold

pytestmark = pytest.mark.unit

CO = "co_0123456789abcdef01234567"


def _value(event_type: str, payload: dict[str, Any], event_id: str = "svc:1") -> dict[str, Any]:
    return {
        "event_id": event_id,
        "event_type": event_type,
        "aggregate_type": "x",
        "aggregate_id": "agg",
        "payload": payload,
    }


def _event(event_type: str, element: str, n: int, **payload: Any) -> SagaEvent:
    return SagaEvent(f"svc:{n}", event_type, CO, element, payload)


@pytest.mark.parametrize("field", ["key", "reservation_key", "quote_key", "allocation_key"])
def test_an_event_is_attributed_by_the_workers_idempotency_key(field: str) -> None:
    """bpmn/README.md: keys are `<checkoutId>:<element id>`."""
    event = attribute(_value("x.y", {field: f"{CO}:cart-reserve"}))

    assert event is not None
    assert (event.checkout_id, event.element_id) == (CO, "cart-reserve")


def test_every_checkout_id_the_api_hands_out_is_attributable() -> None:
    """The key pattern follows `domain.new_checkout_id`: if the id format changes, this fails
    instead of every saga silently staying pending."""
    checkout_id = new_checkout_id()

    event = attribute(_value("x.y", {"key": f"{checkout_id}:payment-capture"}))

    assert event is not None and event.checkout_id == checkout_id


def test_a_key_of_the_former_process_instance_form_is_not_attributed() -> None:
    """Brief h25: process instance keys repeat after an engine reset, so an old
    `<processInstanceKey>:<element id>` key must not land on any checkout."""
    assert attribute(_value("cart.consumed", {"key": "2251799813685249:cart-consume"})) is None


def test_a_tombstone_is_attributed_by_its_aggregate_id() -> None:
    """Tombstone events carry the key as aggregate id (services/CONTRACT.md §6)."""
    value = _value("inventory.allocations.tombstoned", {"key": "not-a-saga-key"})
    value["aggregate_id"] = f"{CO}:inventory-allocate"

    event = attribute(value)

    assert event is not None and event.element_id == "inventory-allocate"


def test_events_without_a_saga_key_are_ignored() -> None:
    """Admin events (stock, prices, carts) belong to no saga."""
    assert attribute(_value("inventory.stock_set", {"sku": "a", "on_hand": 1})) is None


def test_no_events_means_pending() -> None:
    """Nothing reported yet: the saga is still running (or stuck)."""
    assert fold([]).status == "pending"


def test_a_consumed_cart_means_completed() -> None:
    """`cart.consume` is the last step of both versions (bpmn/README.md)."""
    status = fold(
        [_event("cart.reserved", "cart-reserve", 1), _event("cart.consumed", "cart-reserve", 2)]
    )

    assert (status.status, status.reason, status.compensations) == ("completed", None, ())


def test_a_declined_payment_fails_with_its_reason() -> None:
    """A synchronous decline is a `payment.declined` event."""
    status = fold([_event("payment.declined", "payment-capture", 1)])

    assert (status.status, status.reason) == ("failed", "PAYMENT_DECLINED")


def test_a_declined_confirmation_fails_with_its_reason() -> None:
    """A pending charge declined later arrives as `payment.confirmed` with status declined."""
    status = fold([_event("payment.confirmed", "payment-capture", 1, status="declined")])

    assert (status.status, status.reason) == ("failed", "PAYMENT_DECLINED")


def test_a_captured_confirmation_changes_nothing() -> None:
    """A confirmed capture is progress, not an outcome."""
    assert (
        fold([_event("payment.confirmed", "payment-capture", 1, status="captured")]).status
        == "pending"
    )


def test_compensations_are_listed_by_handler_and_the_failed_step_is_named() -> None:
    """DESIGN §4 out of stock: refund, release reservation, revert coupon; the failed step is
    tombstoned by `saga.compensate`."""
    events = [
        _event("inventory.allocations.tombstoned", "inventory-allocate", 1),
        _event("payment.refunded", "payment-capture", 2),
        _event("cart.reservation_released", "cart-reserve", 3),
        _event("pricing.quote_reverted", "pricing-quote", 4),
    ]

    status = fold(events)

    assert status.status == "failed"
    assert status.failed_step == "inventory-allocate"
    assert status.reason == "inventory-allocate failed"
    assert status.compensations == (
        "cart.release",
        "inventory-allocate (tombstoned)",
        "payment.refund",
        "pricing.revert",
    )


def test_a_voided_pending_charge_counts_as_the_payment_refund_handler() -> None:
    """DESIGN §4 confirmation timeout: `payment.refund` voids the pending charge and the payment
    service says so with `payment.voided` (brief H18); the saga is failed."""
    status = fold([_event("payment.voided", "payment-capture", 1)])

    assert (status.status, status.compensations) == ("failed", ("payment.refund",))

"""Pure loyalty rules: which order events change which points."""

from __future__ import annotations

import json

import pytest

from services.loyalty.domain import AWARD, REVOKE, OrderEvent, change_for, points_for_total

pytestmark = pytest.mark.unit


def event(event_type: str, **payload: object) -> OrderEvent:
    return OrderEvent("order:o1:" + event_type, event_type, payload)


def test_one_point_per_whole_currency_unit() -> None:
    """Points are the order total in cents divided by 100, rounded down."""
    assert (points_for_total(1999), points_for_total(2000), points_for_total(-5)) == (19, 20, 0)


def test_order_created_awards_points_to_the_customer() -> None:
    """Brief: points are awarded per order created."""
    change = change_for(event("order.created", order_id="o1", customer_id="c1", total=1944))
    assert change is not None
    assert (change.action, change.customer_id, change.points) == (AWARD, "c1", 19)


def test_order_cancelled_revokes_the_order_award() -> None:
    """Brief: points are removed on cancel (what was awarded for that order)."""
    change = change_for(event("order.cancelled", order_id="o1", customer_id="c1", total=1944))
    assert change is not None
    assert (change.action, change.order_id) == (REVOKE, "o1")


def test_other_events_change_nothing() -> None:
    """Tombstones and unknown event types are acknowledged and ignored."""
    assert change_for(event("order.orders.tombstoned", key="k")) is None


def test_kafka_value_must_be_an_outbox_event() -> None:
    """A record without event_id cannot be deduplicated: it is refused as malformed."""
    with pytest.raises(ValueError, match="not an outbox event"):
        OrderEvent.from_kafka_value(json.dumps({"payload": {}}).encode())
    parsed = OrderEvent.from_kafka_value(
        json.dumps({"event_id": "order:1:x", "event_type": "x", "payload": {"a": 1}}).encode()
    )
    assert parsed == OrderEvent("order:1:x", "x", {"a": 1})

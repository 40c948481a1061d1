"""Payment events -> the `payment-confirmed` Zeebe message (bpmn/README.md)."""

from __future__ import annotations

from typing import Any

import pytest

from services.confirmations.mapping import Message, message_for

pytestmark = pytest.mark.unit


def _confirmed(status: str) -> dict[str, Any]:
    return {
        "event_id": "payment:42",
        "event_type": "payment.confirmed",
        "aggregate_type": "payment",
        "aggregate_id": "pay_1",
        "payload": {
            "payment_id": "pay_1",
            "key": "co_0123456789abcdef01234567:payment-capture",
            "status": status,
        },
    }


@pytest.mark.parametrize("status", ["captured", "declined"])
def test_a_confirmation_becomes_the_message_correlated_by_payment_id(status: str) -> None:
    """Correlation key = paymentId, payload `paymentStatus`, message id = event id (dedupe)."""
    assert message_for(_confirmed(status), ttl_ms=5_000) == Message(
        name="payment-confirmed",
        correlation_key="pay_1",
        message_id="payment:42",
        variables={"paymentStatus": status},
        ttl_ms=5_000,
    )


@pytest.mark.parametrize("event_type", ["payment.captured", "payment.declined", "payment.refunded"])
def test_other_payment_events_publish_nothing(event_type: str) -> None:
    """Only asynchronous confirmations settle a waiting saga."""
    assert message_for({**_confirmed("captured"), "event_type": event_type}) is None


def test_a_confirmation_without_a_payment_id_publishes_nothing() -> None:
    """Malformed payloads are skipped rather than published with a null key."""
    value = _confirmed("captured")
    value["payload"] = {"status": "captured"}

    assert message_for(value) is None

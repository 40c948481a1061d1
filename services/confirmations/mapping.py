"""Which payment events become which Zeebe messages (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MESSAGE_NAME = "payment-confirmed"
DEFAULT_TTL_MS = 60_000


@dataclass(frozen=True)
class Message:
    """A Zeebe PublishMessage request."""

    name: str
    correlation_key: str
    message_id: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    ttl_ms: int = DEFAULT_TTL_MS


def message_for(value: Mapping[str, Any], *, ttl_ms: int = DEFAULT_TTL_MS) -> Message | None:
    """`payment.confirmed` -> `payment-confirmed` correlated by payment id (bpmn/README.md).

    The payload's `status` (`captured`, or `declined` after a pending charge) becomes the
    `paymentStatus` variable; the event id is the message id, so Zeebe drops a re-publish of
    the same event within the TTL. Other events map to nothing.
    """
    if value.get("event_type") != "payment.confirmed":
        return None
    payload = value.get("payload")
    if not isinstance(payload, Mapping):
        return None
    payment_id, status = payload.get("payment_id"), payload.get("status")
    if not isinstance(payment_id, str) or not isinstance(status, str):
        return None
    return Message(
        name=MESSAGE_NAME,
        correlation_key=payment_id,
        message_id=str(value.get("event_id")),
        variables={"paymentStatus": status},
        ttl_ms=ttl_ms,
    )

"""Pure rules of the loyalty consumer: which order event changes which points.

One point per whole currency unit of the order total (cents // 100), awarded when an order is
created and taken back, exactly the awarded amount, when it is cancelled.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

AWARD = "award"
REVOKE = "revoke"


@dataclass(frozen=True)
class OrderEvent:
    """The parts of an `order.events` Kafka value the consumer uses."""

    event_id: str
    event_type: str
    payload: Mapping[str, Any]

    @classmethod
    def from_kafka_value(cls, raw: bytes) -> OrderEvent:
        """Decode the contract's JSON value; a malformed record raises ValueError."""
        value = json.loads(raw)
        if not isinstance(value, dict) or not isinstance(value.get("event_id"), str):
            raise ValueError("not an outbox event value")
        return cls(value["event_id"], str(value.get("event_type")), value.get("payload") or {})


@dataclass(frozen=True)
class PointsChange:
    """Award or revoke the points of one order."""

    action: str
    order_id: str
    customer_id: str
    points: int


def points_for_total(total_cents: int) -> int:
    """One point per whole currency unit."""
    return max(total_cents, 0) // 100


def _award(payload: Mapping[str, Any]) -> PointsChange:
    return PointsChange(
        AWARD,
        str(payload["order_id"]),
        str(payload["customer_id"]),
        points_for_total(int(payload["total"])),
    )


def _revoke(payload: Mapping[str, Any]) -> PointsChange:
    # The store takes back what was awarded for the order, not a recomputed amount.
    return PointsChange(REVOKE, str(payload["order_id"]), str(payload["customer_id"]), 0)


# Event types loyalty reacts to; others (tombstones, new types) are recorded and skipped.
RULES: dict[str, Callable[[Mapping[str, Any]], PointsChange]] = {
    "order.created": _award,
    "order.cancelled": _revoke,
}


def change_for(event: OrderEvent) -> PointsChange | None:
    """The points change an event implies, or None for events loyalty ignores."""
    rule = RULES.get(event.event_type)
    return rule(event.payload) if rule is not None else None

"""Pure rules of the order service: order documents with their outbox inside, and tombstones.

FerretDB (MongoDB wire) has no multi-document transactions, so each state change and the events
describing it are ONE document write: events live in the order document's `outbox` array
(`{event_id, event_type, payload, headers, occurred_at, sent}`) until the relay marks them sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.common.validation import (
    invalid,
    optional_str,
    require_int,
    require_items,
    require_object,
    require_str,
)

SERVICE = "order"
OPERATION = "orders"
CREATED = "created"
CANCELLED = "cancelled"
TOMBSTONE = "tombstone"

# Forward calls on these keys come after their compensation: refused with 409.
COMPENSATED_STATES = frozenset({CANCELLED, TOMBSTONE})
# The contract's operation view (`GET /v1/orders/<key>`).
OPERATION_STATUS: dict[str, str] = {
    CREATED: "done",
    CANCELLED: "compensated",
    TOMBSTONE: "tombstone",
}


@dataclass(frozen=True)
class OrderLine:
    """One ordered SKU with its price in cents."""

    sku: str
    quantity: int
    unit_price: int

    @property
    def amount(self) -> int:
        """Line total in cents."""
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class OrderRequest:
    """A validated `POST /v1/orders` body."""

    checkout_id: str
    customer_id: str
    lines: tuple[OrderLine, ...]
    currency: str
    discount: int
    tax: int
    payment_id: str | None

    @classmethod
    def parse(cls, body: Any) -> OrderRequest:
        """Validate the body; bad input raises a 400 problem naming the field."""
        data = require_object(body)
        lines = tuple(OrderLine(s, q, p) for s, q, p in require_items(data, with_price=True))
        # Workers pass unset process variables as null: null means "none" for both.
        discount = require_int(data, "discount") if data.get("discount") is not None else 0
        if discount > sum(line.amount for line in lines):
            raise invalid("discount", "discount cannot exceed the subtotal")
        return cls(
            checkout_id=require_str(data, "checkout_id"),
            customer_id=require_str(data, "customer_id"),
            lines=lines,
            currency=optional_str(data, "currency", "EUR") or "EUR",
            discount=discount,
            tax=require_int(data, "tax") if data.get("tax") is not None else 0,
            payment_id=optional_str(data, "payment_id"),
        )

    @property
    def subtotal(self) -> int:
        """Sum of line amounts."""
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        """What the customer pays: subtotal - discount + tax."""
        return self.subtotal - self.discount + self.tax


def new_event(
    aggregate_id: str,
    event_type: str,
    payload: Mapping[str, Any],
    *,
    now: str,
    headers: Mapping[str, str],
) -> dict[str, Any]:
    """An outbox entry; its id is unique per (aggregate, event type): each happens at most once."""
    return {
        "event_id": f"{SERVICE}:{aggregate_id}:{event_type}",
        "event_type": event_type,
        "payload": dict(payload),
        "headers": dict(headers),
        "occurred_at": now,
        "sent": False,
    }


def order_document(
    key: str, fingerprint: str, request: OrderRequest, *, now: str, headers: Mapping[str, str]
) -> dict[str, Any]:
    """The order document to insert, with its `order.created` event inside."""
    order_id = f"ord_{uuid.uuid4().hex}"
    response = {
        "order_id": order_id,
        "key": key,
        "status": CREATED,
        "checkout_id": request.checkout_id,
        "customer_id": request.customer_id,
        "payment_id": request.payment_id,
        "items": [
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
            }
            for line in request.lines
        ],
        "currency": request.currency,
        "subtotal": request.subtotal,
        "discount": request.discount,
        "tax": request.tax,
        "total": request.total,
    }
    created = new_event(order_id, "order.created", response, now=now, headers=headers)
    return {
        "_id": order_id,
        "idempotency_key": key,
        "fingerprint": fingerprint,
        "status": CREATED,
        "created_at": now,
        "response": response,
        "outbox": [created],
    }


def cancelled_event(
    order: Mapping[str, Any], *, now: str, headers: Mapping[str, str]
) -> dict[str, Any]:
    """The `order.cancelled` event for a created order (carries what consumers must undo)."""
    response = order["response"]
    payload = {
        "order_id": order["_id"],
        "key": order["idempotency_key"],
        "checkout_id": response["checkout_id"],
        "customer_id": response["customer_id"],
        "total": response["total"],
        "currency": response["currency"],
    }
    return new_event(str(order["_id"]), "order.cancelled", payload, now=now, headers=headers)


def tombstone_document(key: str, *, now: str, headers: Mapping[str, str]) -> dict[str, Any]:
    """A tombstone: the key was compensated before any order existed; later creates get 409."""
    tombstone_id = f"tomb_{uuid.uuid4().hex}"
    event = new_event(
        key, f"{SERVICE}.{OPERATION}.tombstoned", {"key": key}, now=now, headers=headers
    )
    return {
        "_id": tombstone_id,
        "idempotency_key": key,
        "status": TOMBSTONE,
        "created_at": now,
        "response": None,
        "outbox": [event],
    }


def aggregate_of(document: Mapping[str, Any]) -> tuple[str, str]:
    """(aggregate type, aggregate id) of a document's events; the id is the Kafka key."""
    if document["status"] == TOMBSTONE:
        return "operation", str(document["idempotency_key"])
    return SERVICE, str(document["_id"])


def operation_record(document: Mapping[str, Any]) -> dict[str, Any]:
    """The contract's `GET /v1/orders/<key>` view of a document."""
    return {
        "key": document["idempotency_key"],
        "operation": OPERATION,
        "status": OPERATION_STATUS[document["status"]],
        "response": document.get("response"),
    }

"""Process variables <-> request and response bodies, one entry per forward task type.

Variables are camelCase (process side), bodies snake_case (services/CONTRACT.md §4). Each entry
names the variables the job fetches, builds the forward request body and maps the response back
to the variables the task completes with. Compensation handlers need no entry: they send only the
forward key (see ``workers.contract.idempotency_key``) and the ``failureReason``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "COMMON_INPUTS",
    "COMPENSATION_INPUTS",
    "PAYLOADS",
    "UNDO_FAILED_STEP_INPUTS",
    "Payload",
]

Variables = Mapping[str, Any]
JsonObject = dict[str, Any]

COMMON_INPUTS: tuple[str, ...] = ("checkoutId", "traceparent")
"""Fetched by every job: correlation ids for logs and the trace context header."""

COMPENSATION_INPUTS: tuple[str, ...] = ("failureReason",)

UNDO_FAILED_STEP_INPUTS: tuple[str, ...] = ("failedStep", "failureReason")
"""``failedStep`` is the element id of the step that threw (set by the workers' error variables)."""


@dataclass(frozen=True)
class Payload:
    """How one forward task type talks to its service."""

    inputs: tuple[str, ...]
    request: Callable[[Variables], JsonObject]
    result: Callable[[JsonObject], JsonObject]


def _items(variables: Variables) -> list[JsonObject]:
    """Line items as services expect them: sku and quantity only."""
    return [{"sku": i["sku"], "quantity": i["quantity"]} for i in variables.get("items") or []]


def _optional(**fields: Any) -> JsonObject:
    """Drop absent optional fields instead of sending JSON nulls."""
    return {name: value for name, value in fields.items() if value not in (None, "")}


def _reserve_request(v: Variables) -> JsonObject:
    return {"cart_id": v["cartId"], "checkout_id": v["checkoutId"]}


def _reserve_result(r: JsonObject) -> JsonObject:
    items = [{"sku": i["sku"], "quantity": i["quantity"]} for i in r.get("items", [])]
    return {"reservationKey": r["reservation_key"], "items": items, "currency": r.get("currency")}


def _quote_request(v: Variables) -> JsonObject:
    base = {"checkout_id": v["checkoutId"], "items": _items(v)}
    return base | _optional(coupon=v.get("coupon"), currency=v.get("currency"))


def _quote_result(r: JsonObject) -> JsonObject:
    names = {"quote_key": "quoteKey", "subtotal": "subtotal", "discount": "discount"}
    names |= {"tax": "tax", "total": "total", "currency": "currency"}
    lines = [
        {"sku": line["sku"], "quantity": line["quantity"], "unit_price": line["unit_price"]}
        for line in r.get("lines", [])
    ]
    return {variable: r.get(field) for field, variable in names.items()} | {"quoteLines": lines}


def _fraud_request(v: Variables) -> JsonObject:
    return {
        "checkout_id": v["checkoutId"],
        "customer_id": v.get("customerId"),
        "amount": v["total"],
        "currency": v.get("currency"),
    }


def _fraud_result(r: JsonObject) -> JsonObject:
    return {"fraudScore": r.get("score")}


def _capture_request(v: Variables) -> JsonObject:
    base = {"checkout_id": v["checkoutId"], "amount": v["total"], "card_token": v["cardToken"]}
    return base | _optional(currency=v.get("currency"), customer_id=v.get("customerId"))


def _capture_result(r: JsonObject) -> JsonObject:
    # "pending_confirmation" makes the process wait for the payment-confirmed message.
    return {"paymentId": r["payment_id"], "paymentStatus": r["status"]}


def _allocate_request(v: Variables) -> JsonObject:
    return {"checkout_id": v["checkoutId"], "items": _items(v)}


def _allocate_result(r: JsonObject) -> JsonObject:
    return {"allocationKey": r["allocation_key"]}


def _order_request(v: Variables) -> JsonObject:
    # Priced lines come from the quote: the order records what the customer was charged.
    names = {"checkout_id": "checkoutId", "customer_id": "customerId", "items": "quoteLines"}
    names |= {"discount": "discount", "tax": "tax", "currency": "currency"}
    return {field: v.get(variable) for field, variable in names.items()} | _optional(
        payment_id=v.get("paymentId")
    )


def _order_result(r: JsonObject) -> JsonObject:
    return {"orderId": r["order_id"]}


def _consume_request(v: Variables) -> JsonObject:
    return {"reservation_key": v["reservationKey"]}


def _consume_result(r: JsonObject) -> JsonObject:
    return {"reservationStatus": r.get("status")}


PAYLOADS: dict[str, Payload] = {
    "cart.reserve": Payload(("cartId",), _reserve_request, _reserve_result),
    "pricing.quote": Payload(("items", "coupon", "currency"), _quote_request, _quote_result),
    "fraud.check": Payload(("customerId", "total", "currency"), _fraud_request, _fraud_result),
    "payment.capture": Payload(
        ("customerId", "total", "currency", "cardToken"), _capture_request, _capture_result
    ),
    "inventory.allocate": Payload(("items",), _allocate_request, _allocate_result),
    "order.create": Payload(
        ("customerId", "quoteLines", "discount", "tax", "currency", "paymentId"),
        _order_request,
        _order_result,
    ),
    "cart.consume": Payload(("reservationKey",), _consume_request, _consume_result),
}

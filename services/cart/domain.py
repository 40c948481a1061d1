"""Cart domain: pure values, lifecycle tables and rules, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from services.common.problems import BusinessError

OPEN = "open"
CHECKED_OUT = "checked_out"
ACTIVE = "active"
RELEASED = "released"
CONSUMED = "consumed"

# Lifecycle as data: (status, action) -> new status; anything else is illegal.
CART_TRANSITIONS: Mapping[tuple[str, str], str] = {
    (OPEN, "check_out"): CHECKED_OUT,
    (CHECKED_OUT, "reopen"): OPEN,
}
RESERVATION_TRANSITIONS: Mapping[tuple[str, str], str] = {
    (ACTIVE, "release"): RELEASED,
    (ACTIVE, "consume"): CONSUMED,
    (CONSUMED, "unconsume"): ACTIVE,
    # Compensation handlers of one throw run together (zeebe-spec), so release and unconsume
    # may arrive in either order: both end in "released".
    (CONSUMED, "release"): RELEASED,
    (RELEASED, "unconsume"): RELEASED,
}


class IllegalTransitionError(ValueError):
    """An action not allowed in the current status."""


def transition(table: Mapping[tuple[str, str], str], status: str, action: str) -> str:
    """Look up the next status or raise IllegalTransitionError."""
    try:
        return table[(status, action)]
    except KeyError:
        raise IllegalTransitionError(f"cannot {action} when {status}") from None


@dataclass(frozen=True)
class CartItem:
    """One cart line; price in integer cents."""

    sku: str
    quantity: int
    unit_price: int

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"sku": self.sku, "quantity": self.quantity, "unit_price": self.unit_price}


@dataclass(frozen=True)
class Cart:
    """A customer's cart."""

    id: str
    customer_id: str
    items: tuple[CartItem, ...]
    currency: str = "EUR"
    status: str = OPEN

    def apply(self, action: str) -> Cart:
        """Next cart following CART_TRANSITIONS."""
        return replace(self, status=transition(CART_TRANSITIONS, self.status, action))

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "items": [item.to_json() for item in self.items],
            "currency": self.currency,
            "status": self.status,
        }


@dataclass(frozen=True)
class Reservation:
    """A cart held for one checkout, under one idempotency key."""

    key: str
    cart_id: str
    checkout_id: str
    status: str = ACTIVE

    def apply(self, action: str) -> Reservation:
        """Next reservation following RESERVATION_TRANSITIONS."""
        return replace(self, status=transition(RESERVATION_TRANSITIONS, self.status, action))


def items_from_json(items: Iterable[Mapping[str, Any]]) -> tuple[CartItem, ...]:
    """Rebuild items from stored JSON."""
    return tuple(
        CartItem(str(item["sku"]), int(item["quantity"]), int(item["unit_price"])) for item in items
    )


def check_reservable(cart: Cart | None, cart_id: str, active: Reservation | None) -> Cart:
    """Business rules of `reserve`: the cart exists, is open, and has no active reservation."""
    if cart is None:
        raise BusinessError("CART_NOT_FOUND", f"cart {cart_id!r} does not exist", cart_id=cart_id)
    if cart.status != OPEN:
        raise BusinessError("CART_NOT_OPEN", f"cart {cart_id!r} is {cart.status}", cart_id=cart_id)
    if active is not None:
        raise BusinessError(
            "CART_ALREADY_RESERVED",
            f"cart {cart_id!r} is reserved by {active.key!r}",
            cart_id=cart_id,
        )
    return cart


def check_consumable(reservation: Reservation | None, key: str) -> Reservation:
    """Business rule of `consume`: the reservation exists and is active."""
    if reservation is None or reservation.status != ACTIVE:
        status = reservation.status if reservation else "missing"
        raise BusinessError(
            "RESERVATION_NOT_ACTIVE", f"reservation {key!r} is {status}", reservation_key=key
        )
    return reservation

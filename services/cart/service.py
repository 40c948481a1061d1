"""Cart service layer: use cases run inside a unit of work."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from services.cart.domain import (
    CHECKED_OUT,
    Cart,
    CartItem,
    Reservation,
    check_consumable,
    check_reservable,
)
from services.cart.repository import CartRepository
from services.common.operations import StoredOperation
from services.common.problems import ProblemError, not_found_problem
from services.common.uow import UnitOfWork


class CartUoW(UnitOfWork, Protocol):
    """A unit of work with the cart repository."""

    carts: CartRepository


def create_cart(
    uow: CartUoW, *, customer_id: str, items: tuple[CartItem, ...], currency: str
) -> dict[str, Any]:
    """Create an open cart."""
    cart = Cart(id=uuid.uuid4().hex, customer_id=customer_id, items=items, currency=currency)
    with uow:
        uow.carts.add_cart(cart)
        uow.outbox.add("cart", cart.id, "cart.created", cart.to_json())
        uow.commit()
    return cart.to_json()


def get_cart(uow: CartUoW, *, cart_id: str) -> dict[str, Any]:
    """Read a cart or 404."""
    with uow:
        cart = uow.carts.get_cart(cart_id)
    if cart is None:
        raise ProblemError(not_found_problem(f"unknown cart {cart_id!r}"))
    return cart.to_json()


def reserve(uow: CartUoW, *, key: str, cart_id: str, checkout_id: str) -> dict[str, Any]:
    """Forward `reserve`: hold an open cart for one checkout."""
    cart = check_reservable(
        uow.carts.get_cart(cart_id, lock=True), cart_id, uow.carts.active_reservation(cart_id)
    )
    reservation = Reservation(key=key, cart_id=cart_id, checkout_id=checkout_id)
    uow.carts.add_reservation(reservation)
    response = {
        "reservation_key": key,
        "cart_id": cart_id,
        "checkout_id": checkout_id,
        "status": reservation.status,
        "items": [item.to_json() for item in cart.items],
        "currency": cart.currency,
    }
    uow.outbox.add("cart", cart_id, "cart.reserved", response)
    return response


def release(uow: CartUoW, stored: StoredOperation) -> None:
    """Compensation of `reserve`: release the reservation (and re-open a checked-out cart)."""
    reservation = _reservation(uow, stored.key).apply("release")
    uow.carts.save_reservation(reservation)
    _reopen(uow, reservation.cart_id)
    payload = {"reservation_key": reservation.key, "cart_id": reservation.cart_id}
    uow.outbox.add("cart", reservation.cart_id, "cart.reservation_released", payload)


def consume(uow: CartUoW, *, reservation_key: str) -> dict[str, Any]:
    """Forward `consume` (order created): the reservation is used, the cart checked out."""
    found = uow.carts.get_reservation(reservation_key)
    if found is not None:
        uow.carts.get_cart(found.cart_id, lock=True)
        found = uow.carts.get_reservation(reservation_key)  # re-read under the cart lock
    reservation = check_consumable(found, reservation_key).apply("consume")
    uow.carts.save_reservation(reservation)
    cart = _cart(uow, reservation.cart_id).apply("check_out")
    uow.carts.save_cart(cart)
    response = {"reservation_key": reservation_key, "cart_id": cart.id, "status": "consumed"}
    uow.outbox.add("cart", cart.id, "cart.consumed", response)
    return response


def unconsume(uow: CartUoW, stored: StoredOperation) -> None:
    """Compensation of `consume`: the reservation is active again and the cart open."""
    reservation_key = str((stored.response or {})["reservation_key"])
    reservation = _reservation(uow, reservation_key).apply("unconsume")
    uow.carts.save_reservation(reservation)
    _reopen(uow, reservation.cart_id)
    payload = {"reservation_key": reservation_key, "status": reservation.status}
    uow.outbox.add("cart", reservation.cart_id, "cart.consumption_reverted", payload)


def _reopen(uow: CartUoW, cart_id: str) -> None:
    cart = _cart(uow, cart_id)
    if cart.status == CHECKED_OUT:
        uow.carts.save_cart(cart.apply("reopen"))


def _reservation(uow: CartUoW, key: str) -> Reservation:
    reservation = uow.carts.get_reservation(key)
    if reservation is None:
        raise RuntimeError(f"done operation {key} has no reservation row")
    return reservation


def _cart(uow: CartUoW, cart_id: str) -> Cart:
    cart = uow.carts.get_cart(cart_id, lock=True)
    if cart is None:
        raise RuntimeError(f"reservation refers to missing cart {cart_id}")
    return cart

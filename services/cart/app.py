"""Cart HTTP entrypoint: `create_app(config=None)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, jsonify

from services.cart import service
from services.cart.domain import CartItem
from services.cart.repository import CartUnitOfWork, cart_tables
from services.common.routes import new_uow, register_operation, request_json
from services.common.validation import optional_currency, require_items, require_str
from services.common.wiring import build_sql_app

SERVICE = "cart"


def _reserve_effect(body: Mapping[str, Any], key: str) -> Any:
    cart_id = require_str(body, "cart_id")
    checkout_id = require_str(body, "checkout_id")

    def effect(uow: service.CartUoW) -> Any:
        return service.reserve(uow, key=key, cart_id=cart_id, checkout_id=checkout_id)

    return effect


def _consume_effect(body: Mapping[str, Any], key: str) -> Any:
    reservation_key = require_str(body, "reservation_key")

    def effect(uow: service.CartUoW) -> Any:
        return service.consume(uow, reservation_key=reservation_key)

    return effect


def _blueprint() -> Blueprint:
    blueprint = Blueprint(SERVICE, __name__)
    register_operation(
        blueprint,
        service=SERVICE,
        operation="reservations",
        effect_for=_reserve_effect,
        undo=service.release,
    )
    register_operation(
        blueprint,
        service=SERVICE,
        operation="consumptions",
        effect_for=_consume_effect,
        undo=service.unconsume,
    )

    @blueprint.post("/v1/carts")
    def create_cart() -> Any:
        body = request_json()
        customer_id = require_str(body, "customer_id")
        items = tuple(CartItem(*item) for item in require_items(body, with_price=True))
        currency = optional_currency(body)
        cart = service.create_cart(_uow(), customer_id=customer_id, items=items, currency=currency)
        return jsonify(cart), 201

    @blueprint.get("/v1/carts/<cart_id>")
    def get_cart(cart_id: str) -> Any:
        return jsonify(service.get_cart(_uow(), cart_id=cart_id))

    return blueprint


def _uow() -> service.CartUoW:
    return new_uow()  # type: ignore[return-value]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the cart app; config: DATABASE_URL, or UOW_FACTORY/HEALTH_CHECK fakes."""
    settings = dict(config or {})
    tables = cart_tables()
    return build_sql_app(
        SERVICE,
        settings,
        metadata=tables.metadata,
        make_uow=lambda engine, headers: CartUnitOfWork(engine, tables, dict(headers)),
        blueprint=_blueprint(),
    )

"""Inventory HTTP entrypoint: `create_app(config=None)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, jsonify

from services.common.routes import new_uow, register_operation, request_json
from services.common.validation import (
    require_int,
    require_items,
    require_path_value,
    require_str,
)
from services.common.wiring import build_sql_app
from services.inventory import service
from services.inventory.domain import merge_lines
from services.inventory.repository import InventoryUnitOfWork, inventory_tables

SERVICE = "inventory"
SKU_MAX = 100  # stock.sku is VARCHAR(100)


def _allocation_effect(body: Mapping[str, Any], key: str) -> Any:
    checkout_id = require_str(body, "checkout_id")
    lines = merge_lines((sku, quantity) for sku, quantity, _ in require_items(body))

    def effect(uow: service.InventoryUoW) -> Any:
        return service.allocate(uow, key=key, checkout_id=checkout_id, lines=lines)

    return effect


def _blueprint() -> Blueprint:
    blueprint = Blueprint(SERVICE, __name__)
    register_operation(
        blueprint,
        service=SERVICE,
        operation="allocations",
        effect_for=_allocation_effect,
        undo=service.release,
    )

    @blueprint.put("/v1/stock/<sku>")
    def put_stock(sku: str) -> Any:
        require_path_value(sku, "sku", max_len=SKU_MAX)
        on_hand = require_int(request_json(), "on_hand", minimum=0)
        return jsonify(service.set_stock(_uow(), sku=sku, on_hand=on_hand))

    @blueprint.get("/v1/stock/<sku>")
    def get_stock(sku: str) -> Any:
        require_path_value(sku, "sku", max_len=SKU_MAX)
        return jsonify(service.get_stock(_uow(), sku=sku))

    return blueprint


def _uow() -> service.InventoryUoW:
    return new_uow()  # type: ignore[return-value]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the inventory app; config: DATABASE_URL, or UOW_FACTORY/HEALTH_CHECK fakes."""
    settings = dict(config or {})
    tables = inventory_tables()
    return build_sql_app(
        SERVICE,
        settings,
        metadata=tables.metadata,
        make_uow=lambda engine, headers: InventoryUnitOfWork(engine, tables, dict(headers)),
        blueprint=_blueprint(),
    )

"""Pricing HTTP entrypoint: `create_app(config=None)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, jsonify

from services.common.routes import new_uow, register_operation, request_json
from services.common.validation import (
    invalid,
    optional_currency,
    optional_str,
    require_int,
    require_items,
    require_path_value,
    require_str,
)
from services.common.wiring import build_sql_app
from services.pricing import service
from services.pricing.domain import DISCOUNTS, PERCENT, Coupon
from services.pricing.repository import PricingUnitOfWork, pricing_tables

SERVICE = "pricing"
DEFAULT_TAX_RATE_BPS = 800


def _quote_effect_builder(tax_rate_bps: int) -> Any:
    def effect_for(body: Mapping[str, Any], key: str) -> Any:
        checkout_id = require_str(body, "checkout_id")
        items = tuple((sku, quantity) for sku, quantity, _ in require_items(body))
        coupon = optional_str(body, "coupon")
        currency = optional_currency(body)

        def effect(uow: service.PricingUoW) -> Any:
            return service.quote(
                uow,
                key=key,
                checkout_id=checkout_id,
                items=items,
                coupon_code=coupon,
                currency=currency,
                tax_rate_bps=tax_rate_bps,
            )

        return effect

    return effect_for


def _coupon_from(code: str, body: Mapping[str, Any]) -> Coupon:
    kind = require_str(body, "kind")
    if kind not in DISCOUNTS:
        raise invalid("kind", f"kind must be one of {sorted(DISCOUNTS)}")
    value = require_int(body, "value", minimum=0)
    if kind == PERCENT and value > 100:
        raise invalid("value", "a percent coupon's value must be between 0 and 100")
    return Coupon(code, kind, value, require_int(body, "usage_limit", minimum=0))


def _blueprint(tax_rate_bps: int) -> Blueprint:
    blueprint = Blueprint(SERVICE, __name__)
    register_operation(
        blueprint,
        service=SERVICE,
        operation="quotes",
        effect_for=_quote_effect_builder(tax_rate_bps),
        undo=service.revert,
    )

    @blueprint.put("/v1/prices/<sku>")
    def put_price(sku: str) -> Any:
        require_path_value(sku, "sku", max_len=100)
        unit_price = require_int(request_json(), "unit_price", minimum=0)
        return jsonify(service.set_price(_uow(), sku=sku, unit_price=unit_price))

    @blueprint.put("/v1/coupons/<code>")
    def put_coupon(code: str) -> Any:
        require_path_value(code, "code", max_len=64)
        return jsonify(service.set_coupon(_uow(), _coupon_from(code, request_json())))

    @blueprint.get("/v1/coupons/<code>")
    def get_coupon(code: str) -> Any:
        return jsonify(service.get_coupon(_uow(), code=code))

    return blueprint


def _uow() -> service.PricingUoW:
    return new_uow()  # type: ignore[return-value]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the pricing app; config: DATABASE_URL, TAX_RATE_BPS, or UOW_FACTORY fakes."""
    settings = dict(config or {})
    tax_rate_bps = int(settings.get("TAX_RATE_BPS", DEFAULT_TAX_RATE_BPS))
    tables = pricing_tables()
    return build_sql_app(
        SERVICE,
        settings,
        metadata=tables.metadata,
        make_uow=lambda engine, headers: PricingUnitOfWork(engine, tables, dict(headers)),
        blueprint=_blueprint(tax_rate_bps),
    )

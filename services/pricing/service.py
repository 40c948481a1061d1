"""Pricing service layer: use cases run inside a unit of work."""

from __future__ import annotations

from typing import Any, Protocol

from services.common.operations import StoredOperation
from services.common.problems import BusinessError, ProblemError, not_found_problem
from services.common.uow import UnitOfWork
from services.pricing.domain import REVERTED, Coupon, QuoteLine, price_quote
from services.pricing.repository import PricingRepository


class PricingUoW(UnitOfWork, Protocol):
    """A unit of work with the pricing repository."""

    pricing: PricingRepository


def quote(
    uow: PricingUoW,
    *,
    key: str,
    checkout_id: str,
    items: tuple[tuple[str, int], ...],
    coupon_code: str | None,
    currency: str,
    tax_rate_bps: int,
) -> dict[str, Any]:
    """Forward `quote`: price the items, consume one coupon use."""
    prices = uow.pricing.prices(sku for sku, _ in items)
    unknown = sorted({sku for sku, _ in items if sku not in prices})
    if unknown:
        raise BusinessError("UNKNOWN_SKU", f"no price for: {', '.join(unknown)}", skus=unknown)
    coupon = _use_coupon(uow, coupon_code) if coupon_code else None
    lines = tuple(QuoteLine(sku, quantity, prices[sku]) for sku, quantity in items)
    priced = price_quote(
        key=key,
        checkout_id=checkout_id,
        lines=lines,
        coupon=coupon,
        tax_rate_bps=tax_rate_bps,
        currency=currency,
    )
    uow.pricing.add_quote(priced)
    uow.outbox.add("quote", key, "pricing.quoted", priced.to_json())
    return priced.to_json()


def _use_coupon(uow: PricingUoW, code: str) -> Coupon:
    coupon = uow.pricing.get_coupon(code)
    if coupon is None:
        raise BusinessError("COUPON_INVALID", f"unknown coupon {code!r}", coupon=code)
    if not uow.pricing.use_coupon(code):
        raise BusinessError("COUPON_EXHAUSTED", f"coupon {code!r} is used up", coupon=code)
    return coupon


def revert(uow: PricingUoW, stored: StoredOperation) -> None:
    """Compensation of `quote`: give the coupon use back."""
    found = uow.pricing.get_quote(stored.key)
    if found is None:
        raise RuntimeError(f"done quote {stored.key} has no quote row")
    coupon, _ = found
    if coupon is not None:
        uow.pricing.return_coupon(coupon)
    uow.pricing.set_quote_status(stored.key, REVERTED)
    payload = {"quote_key": stored.key, "coupon": coupon, "status": REVERTED}
    uow.outbox.add("quote", stored.key, "pricing.quote_reverted", payload)


def set_price(uow: PricingUoW, *, sku: str, unit_price: int) -> dict[str, Any]:
    """Admin: set a catalog price."""
    body = {"sku": sku, "unit_price": unit_price}
    with uow:
        uow.pricing.set_price(sku, unit_price)
        uow.outbox.add("price", sku, "pricing.price_set", body)
        uow.commit()
    return body


def set_coupon(uow: PricingUoW, coupon: Coupon) -> dict[str, Any]:
    """Admin: define a coupon (its used count is kept)."""
    with uow:
        uow.pricing.set_coupon(coupon)
        stored = uow.pricing.get_coupon(coupon.code) or coupon
        uow.outbox.add("coupon", coupon.code, "pricing.coupon_set", stored.to_json())
        uow.commit()
    return stored.to_json()


def get_coupon(uow: PricingUoW, *, code: str) -> dict[str, Any]:
    """Read a coupon or 404."""
    with uow:
        coupon = uow.pricing.get_coupon(code)
    if coupon is None:
        raise ProblemError(not_found_problem(f"unknown coupon {code!r}"))
    return coupon.to_json()

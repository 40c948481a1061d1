"""Pricing domain: money arithmetic in integer cents, pure and exact."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

PERCENT = "percent"
AMOUNT = "amount"
QUOTED = "quoted"
REVERTED = "reverted"


def round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding halves up (inputs are non-negative cents)."""
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Coupon:
    """A discount code with a usage limit."""

    code: str
    kind: str
    value: int
    usage_limit: int
    used: int = 0

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "code": self.code,
            "kind": self.kind,
            "value": self.value,
            "usage_limit": self.usage_limit,
            "used": self.used,
        }


def _percent_off(subtotal: int, value: int) -> int:
    return round_half_up(subtotal * value, 100)


def _amount_off(subtotal: int, value: int) -> int:
    return value


# Registry of discount kinds: kind -> (subtotal, value) -> discount before capping.
DISCOUNTS: Mapping[str, Callable[[int, int], int]] = {PERCENT: _percent_off, AMOUNT: _amount_off}


def discount_for(subtotal: int, coupon: Coupon | None) -> int:
    """The discount in cents, never more than the subtotal."""
    if coupon is None:
        return 0
    return min(subtotal, DISCOUNTS[coupon.kind](subtotal, coupon.value))


@dataclass(frozen=True)
class QuoteLine:
    """A priced line."""

    sku: str
    quantity: int
    unit_price: int

    @property
    def amount(self) -> int:
        """quantity x unit price."""
        return self.quantity * self.unit_price

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "sku": self.sku,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "amount": self.amount,
        }


@dataclass(frozen=True)
class Quote:
    """The price of one checkout, under one idempotency key."""

    key: str
    checkout_id: str
    lines: tuple[QuoteLine, ...]
    subtotal: int
    discount: int
    tax: int
    total: int
    currency: str
    coupon: str | None
    status: str = QUOTED

    def to_json(self) -> dict[str, Any]:
        """Response and event payload."""
        return {
            "quote_key": self.key,
            "checkout_id": self.checkout_id,
            "lines": [line.to_json() for line in self.lines],
            "subtotal": self.subtotal,
            "discount": self.discount,
            "tax": self.tax,
            "total": self.total,
            "currency": self.currency,
            "coupon": self.coupon,
            "status": self.status,
        }


def price_quote(
    *,
    key: str,
    checkout_id: str,
    lines: tuple[QuoteLine, ...],
    coupon: Coupon | None,
    tax_rate_bps: int,
    currency: str,
) -> Quote:
    """subtotal - discount, then tax (basis points, half up) on the discounted amount."""
    subtotal = sum(line.amount for line in lines)
    discount = discount_for(subtotal, coupon)
    tax = round_half_up((subtotal - discount) * tax_rate_bps, 10_000)
    return Quote(
        key=key,
        checkout_id=checkout_id,
        lines=lines,
        subtotal=subtotal,
        discount=discount,
        tax=tax,
        total=subtotal - discount + tax,
        currency=currency,
        coupon=coupon.code if coupon else None,
    )

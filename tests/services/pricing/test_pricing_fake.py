"""Pricing on fakes, money arithmetic and coupon validation."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pricing_contract import PricingContract

from services.pricing.domain import AMOUNT, PERCENT, Coupon, QuoteLine, price_quote, round_half_up

pytestmark = pytest.mark.unit


class TestPricingOnFakes(PricingContract):
    """The contract suite on the fake unit of work."""

    @pytest.fixture
    def client(self, fake_app: Flask) -> FlaskClient:
        """Test client of the fake-backed app."""
        return fake_app.test_client()


@pytest.mark.parametrize(
    ("num", "den", "expected"), [(5, 10, 1), (4, 10, 0), (15, 10, 2), (0, 7, 0)]
)
def test_round_half_up(num: int, den: int, expected: int) -> None:
    """Money rounds half up, in integer cents."""
    assert round_half_up(num, den) == expected


def test_amount_coupon_never_exceeds_the_subtotal() -> None:
    """An amount-off coupon is capped at the subtotal: nothing is left to tax or pay."""
    quote = price_quote(
        key="k",
        checkout_id="c",
        lines=(QuoteLine("a", 1, 300),),
        coupon=Coupon("BIG", AMOUNT, 1000, 1),
        tax_rate_bps=1900,
        currency="EUR",
    )
    assert (quote.discount, quote.tax, quote.total) == (300, 0, 0)


def test_tax_applies_to_the_discounted_amount() -> None:
    """Tax in basis points on subtotal - discount, half up: 19 % of 1 799 = 341.81 -> 342."""
    quote = price_quote(
        key="k",
        checkout_id="c",
        lines=(QuoteLine("a", 1, 1999),),
        coupon=Coupon("TEN", PERCENT, 10, 1),
        tax_rate_bps=1900,
        currency="EUR",
    )
    assert (quote.subtotal, quote.discount, quote.tax, quote.total) == (1999, 200, 342, 2141)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "bogus", "value": 1, "usage_limit": 1}, "kind"),
        ({"kind": "percent", "value": 101, "usage_limit": 1}, "value"),
        ({"kind": "amount", "value": 1, "usage_limit": -1}, "usage_limit"),
    ],
)
def test_bad_coupon_is_400(fake_app: Flask, body: dict[str, object], field: str) -> None:
    """CONTRACT.md 2: validation errors name the field."""
    response = fake_app.test_client().put("/v1/coupons/X", json=body)
    assert (response.status_code, response.get_json()["field"]) == (400, field)


def test_quote_with_bad_currency_is_400(fake_app: Flask) -> None:
    """CONTRACT.md 4: currency is an ISO 4217 code."""
    response = fake_app.test_client().post(
        "/v1/quotes",
        json={"checkout_id": "c", "items": [{"sku": "a", "quantity": 1}], "currency": "euro"},
        headers={"Idempotency-Key": "k"},
    )
    assert (response.status_code, response.get_json()["field"]) == (400, "currency")

"""Cart behaviour on in-memory fakes, domain rules and entrypoint validation."""

from __future__ import annotations

import pytest
from cart_contract import CartContract
from flask import Flask
from flask.testing import FlaskClient

from services.cart.domain import (
    CART_TRANSITIONS,
    CHECKED_OUT,
    OPEN,
    IllegalTransitionError,
    transition,
)

pytestmark = pytest.mark.unit


class TestCartOnFakes(CartContract):
    """The contract suite on the fake unit of work."""

    @pytest.fixture
    def client(self, fake_app: Flask) -> FlaskClient:
        """Test client of the fake-backed app."""
        return fake_app.test_client()


def test_lifecycle_table_allows_listed_transitions_only() -> None:
    """CONVENTIONS 5: lifecycle as data; an illegal transition is refused."""
    assert transition(CART_TRANSITIONS, OPEN, "check_out") == CHECKED_OUT
    with pytest.raises(IllegalTransitionError):
        transition(CART_TRANSITIONS, CHECKED_OUT, "check_out")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": [{"sku": "a", "quantity": 1, "unit_price": 1}]}, "customer_id"),
        ({"customer_id": "c", "items": [{"sku": "a", "quantity": 1}]}, "items[0].unit_price"),
        (
            {"customer_id": "c", "items": [{"sku": "a", "quantity": 1, "unit_price": -1}]},
            "items[0].unit_price",
        ),
        (
            {
                "customer_id": "c",
                "items": [{"sku": "a", "quantity": 1, "unit_price": 1}],
                "currency": "eur",
            },
            "currency",
        ),
    ],
)
def test_bad_cart_is_400_naming_the_field(
    fake_app: Flask, body: dict[str, object], field: str
) -> None:
    """CONTRACT.md 2: validation errors name the field."""
    response = fake_app.test_client().post("/v1/carts", json=body)
    assert (response.status_code, response.get_json()["field"]) == (400, field)


def test_reserve_without_cart_id_is_400(fake_app: Flask) -> None:
    """CONTRACT.md 2: a missing field is 400 before any effect."""
    response = fake_app.test_client().post(
        "/v1/reservations", json={"checkout_id": "c"}, headers={"Idempotency-Key": "k"}
    )
    assert (response.status_code, response.get_json()["field"]) == (400, "cart_id")

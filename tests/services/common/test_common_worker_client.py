"""The workers' ServiceClient against cart, pricing and inventory: both sides of CONTRACT.md."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.cart.app import create_app as create_cart
from services.cart.fakes import FakeCartUnitOfWork
from services.common.fakes import FakeDatabase
from services.inventory.app import create_app as create_inventory
from services.inventory.fakes import FakeInventoryUnitOfWork
from services.pricing.app import create_app as create_pricing
from services.pricing.fakes import FakePricingUnitOfWork
from workers.client import ServiceClient, create_breaker
from workers.failures import PermanentServiceError, ServiceRefusedError

pytestmark = pytest.mark.unit


@dataclass  # not frozen: the client's HttpResponse protocol declares a plain attribute
class AppResponse:
    """A Flask test response seen through the client's HttpResponse protocol."""

    status_code: int
    body: Any

    def json(self) -> Any:
        """The decoded body."""
        return self.body


class FlaskTransport:
    """The client's Transport over a Flask test client: real routing, no sockets."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def post(
        self, url: str, *, json: Any, headers: Mapping[str, str], timeout: float
    ) -> AppResponse:
        """POST the path of `url` to the app."""
        response = self._client.post(urlsplit(url).path, json=json, headers=dict(headers))
        return AppResponse(response.status_code, response.get_json())


def client_for(service: str, app: Flask) -> ServiceClient:
    """A ServiceClient exactly as workers build one, on an in-process app."""
    return ServiceClient(
        service=service,
        base_url=f"http://{service}.test",
        transport=FlaskTransport(app.test_client()),
        breaker=create_breaker(service),
        sleep=lambda _seconds: None,
    )


@pytest.fixture
def inventory() -> tuple[Flask, ServiceClient]:
    """Inventory app on fakes with 2 units of sku `a`, and its client."""
    db = FakeDatabase()
    app = create_inventory({"UOW_FACTORY": lambda headers: FakeInventoryUnitOfWork(db, headers)})
    app.test_client().put("/v1/stock/a", json={"on_hand": 2})
    return app, client_for("inventory", app)


def test_forward_and_replay_return_the_service_body(inventory: tuple[Flask, ServiceClient]) -> None:
    """CONTRACT.md 1: the worker's retry with the same key gets the same body."""
    _, client = inventory
    body = {"checkout_id": "c", "items": [{"sku": "a", "quantity": 1}]}
    first = client.forward("allocations", "pi:allocate", body)
    assert client.forward("allocations", "pi:allocate", body) == first
    assert first["allocation_key"] == "pi:allocate"


def test_business_failure_reaches_the_worker_as_its_code(
    inventory: tuple[Flask, ServiceClient],
) -> None:
    """CONTRACT.md 2: 422 with `code` -> the worker's refusal carrying that code."""
    _, client = inventory
    with pytest.raises(ServiceRefusedError) as refused:
        client.forward(
            "allocations", "k", {"checkout_id": "c", "items": [{"sku": "a", "quantity": 9}]}
        )
    assert refused.value.code == "OUT_OF_STOCK"


def test_late_forward_after_compensation_is_refused_as_compensated(
    inventory: tuple[Flask, ServiceClient],
) -> None:
    """CONTRACT.md 1: compensation first tombstones; the late forward is refused (409)."""
    _, client = inventory
    assert (
        client.compensate("allocations", "k", reason="PAYMENT_DECLINED")["status"] == "tombstoned"
    )
    with pytest.raises(ServiceRefusedError) as refused:
        client.forward(
            "allocations", "k", {"checkout_id": "c", "items": [{"sku": "a", "quantity": 1}]}
        )
    assert refused.value.code == "COMPENSATED"


def test_key_reuse_is_a_permanent_worker_failure(inventory: tuple[Flask, ServiceClient]) -> None:
    """CONTRACT.md 1: same key, other body -> 422 IDEMPOTENCY_KEY_REUSED, not a BPMN error."""
    _, client = inventory
    client.forward("allocations", "k", {"checkout_id": "c", "items": [{"sku": "a", "quantity": 1}]})
    with pytest.raises(PermanentServiceError):
        client.forward(
            "allocations", "k", {"checkout_id": "c", "items": [{"sku": "a", "quantity": 2}]}
        )


def test_cart_reserve_then_pricing_quote_chain_through_the_client() -> None:
    """The reserve response carries what the quote request needs (bpmn/README.md order)."""
    cart_db, pricing_db = FakeDatabase(), FakeDatabase()
    cart_app = create_cart({"UOW_FACTORY": lambda h: FakeCartUnitOfWork(cart_db, h)})
    pricing_app = create_pricing({"UOW_FACTORY": lambda h: FakePricingUnitOfWork(pricing_db, h)})
    cart_id = (
        cart_app.test_client()
        .post(
            "/v1/carts",
            json={"customer_id": "u", "items": [{"sku": "a", "quantity": 2, "unit_price": 5}]},
        )
        .get_json()["id"]
    )
    pricing_app.test_client().put("/v1/prices/a", json={"unit_price": 500})
    reserved = client_for("cart", cart_app).forward(
        "reservations", "pi:reserve", {"cart_id": cart_id, "checkout_id": "co"}
    )
    items = [{"sku": i["sku"], "quantity": i["quantity"]} for i in reserved["items"]]
    quote = client_for("pricing", pricing_app).forward(
        "quotes",
        "pi:quote",
        {"checkout_id": "co", "items": items, "currency": reserved["currency"]},
    )
    assert (quote["subtotal"], quote["currency"]) == (1000, "EUR")

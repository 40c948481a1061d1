"""Workers against the real cart, pricing and inventory Flask apps (in-memory fakes, no sockets).

Proves the request bodies the workers build are the ones services/CONTRACT.md services accept,
and that the saga-level rules hold end to end on the HTTP boundary: business failures become
BPMN errors, compensation with the forward key undoes, a late forward call is refused.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from pyzeebe.errors import BusinessError
from worker_fakes import FakeResponse, make_deps, make_job

from workers.contract import TASKS_BY_TYPE
from workers.steps import StepDeps, run_step

pytestmark = pytest.mark.unit

services_cart = pytest.importorskip("services.cart.app")
services_pricing = pytest.importorskip("services.pricing.app")
services_inventory = pytest.importorskip("services.inventory.app")

PIK = 2251799813685249


class FlaskTransport:
    """Routes `http://<service>.test/...` to that service's Flask test client."""

    def __init__(self, apps: dict[str, Flask]) -> None:
        self._clients = {name: app.test_client() for name, app in apps.items()}

    def post(self, url: str, *, json: Any, headers: Any, timeout: float) -> FakeResponse:
        parts = urlsplit(url)
        client = self._clients[parts.hostname.removesuffix(".test")]  # type: ignore[union-attr]
        response = client.post(parts.path, json=json, headers=dict(headers))
        return FakeResponse(response.status_code, response.get_json(silent=True))


@pytest.fixture
def apps() -> dict[str, Flask]:
    from services.cart.fakes import FakeCartUnitOfWork
    from services.common.fakes import FakeDatabase
    from services.inventory.fakes import FakeInventoryUnitOfWork
    from services.pricing.fakes import FakePricingUnitOfWork

    cart_db, pricing_db, inventory_db = FakeDatabase(), FakeDatabase(), FakeDatabase()
    return {
        "cart": services_cart.create_app({"UOW_FACTORY": lambda h: FakeCartUnitOfWork(cart_db, h)}),
        "pricing": services_pricing.create_app(
            {"TAX_RATE_BPS": 1000, "UOW_FACTORY": lambda h: FakePricingUnitOfWork(pricing_db, h)}
        ),
        "inventory": services_inventory.create_app(
            {"UOW_FACTORY": lambda h: FakeInventoryUnitOfWork(inventory_db, h)}
        ),
    }


@pytest.fixture
def deps(apps: dict[str, Flask]) -> StepDeps:
    return make_deps(FlaskTransport(apps), attempts=1)  # type: ignore[arg-type]


def _admin(app: Flask, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = app.test_client().open(path, method=method, json=body)
    assert response.status_code < 300, response.get_json()
    return response.get_json()


@pytest.fixture
def variables(apps: dict[str, Flask]) -> dict[str, Any]:
    """A cart with two lines, catalog prices, and stock for only one unit of sku-b."""
    cart = _admin(apps["cart"], "POST", "/v1/carts", {
        "customer_id": "cust-1",
        "items": [{"sku": "sku-a", "quantity": 2, "unit_price": 500},
                  {"sku": "sku-b", "quantity": 3, "unit_price": 250}],
    })  # fmt: skip
    for sku, price in (("sku-a", 500), ("sku-b", 250)):
        _admin(apps["pricing"], "PUT", f"/v1/prices/{sku}", {"unit_price": price})
    _admin(apps["inventory"], "PUT", "/v1/stock/sku-a", {"on_hand": 10})
    _admin(apps["inventory"], "PUT", "/v1/stock/sku-b", {"on_hand": 1})
    return {"checkoutId": "co-1", "cartId": cart["id"], "customerId": "cust-1"}


def _step(task_type: str, variables: dict[str, Any], deps: StepDeps) -> dict[str, Any]:
    """Run a job and merge its result into the instance variables, as job completion does."""
    spec = TASKS_BY_TYPE[task_type]
    job = make_job(task_type, spec.element_id, process_instance_key=PIK)
    result = run_step(spec, job, variables, deps)
    variables.update(result)
    return result


def test_reserve_and_price_with_real_services(variables: dict[str, Any], deps: StepDeps) -> None:
    """CONTRACT §4 bodies: reserve returns the cart items, the quote prices them with tax."""
    reserved = _step("cart.reserve", variables, deps)
    priced = _step("pricing.quote", variables, deps)

    assert reserved["reservationKey"] == f"{variables['checkoutId']}:cart-reserve"
    assert reserved["items"] == [{"sku": "sku-a", "quantity": 2}, {"sku": "sku-b", "quantity": 3}]
    assert priced["subtotal"] == 1750
    assert priced["tax"] == 175
    assert priced["total"] == 1925
    assert priced["quoteLines"][0] == {"sku": "sku-a", "quantity": 2, "unit_price": 500}


def test_out_of_stock_is_a_bpmn_error_and_completed_steps_can_be_undone(
    variables: dict[str, Any], deps: StepDeps
) -> None:
    """DESIGN §4 "out of stock -> ... release reservation, revert coupon": the allocation is
    refused with OUT_OF_STOCK, then the failure path undoes the failed step (tombstone) and the
    handlers undo the completed steps by their keys."""
    _step("cart.reserve", variables, deps)
    _step("pricing.quote", variables, deps)

    with pytest.raises(BusinessError) as error:
        _step("inventory.allocate", variables, deps)
    assert error.value.error_code == "OUT_OF_STOCK"

    variables |= {"failureReason": error.value.error_code, "failedStep": "inventory-allocate"}
    _step("saga.compensate", variables, deps)  # refused step: its key is tombstoned
    _step("pricing.revert", variables, deps)
    _step("cart.release", variables, deps)
    with pytest.raises(BusinessError) as late:
        _step("inventory.allocate", variables, deps)  # e.g. a retry arriving after the undo
    assert late.value.error_code == "COMPENSATED"
    assert (
        deps.metrics.registry.get_sample_value(
            "checkout_worker_compensations_total", {"task_type": "cart.release"}
        )
        == 1
    )


def test_late_forward_call_after_compensation_is_refused(
    variables: dict[str, Any], deps: StepDeps
) -> None:
    """DESIGN §4: "a late forward call after its compensation must be rejected"; the worker
    turns the 409 into BPMN error COMPENSATED."""
    _step("cart.release", variables, deps)  # compensation first: tombstones the forward key

    with pytest.raises(BusinessError) as error:
        _step("cart.reserve", variables, deps)

    assert error.value.error_code == "COMPENSATED"

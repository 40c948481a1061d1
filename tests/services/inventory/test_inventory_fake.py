"""Inventory behaviour on in-memory fakes, plus entrypoint validation."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from inventory_contract import InventoryContract, allocate, set_stock

from services.common.fakes import FakeDatabase

pytestmark = pytest.mark.unit


class TestInventoryOnFakes(InventoryContract):
    """The contract suite on the fake unit of work."""

    @pytest.fixture
    def client(self, fake_app: Flask) -> FlaskClient:
        """Test client of the fake-backed app."""
        return fake_app.test_client()


def test_allocation_writes_an_outbox_event(fake_app: Flask, fake_db: FakeDatabase) -> None:
    """CONTRACT.md 6: every state change writes an outbox event with the trace headers."""
    client = fake_app.test_client()
    set_stock(client, "a", 2)
    client.post(
        "/v1/allocations",
        json={"checkout_id": "c", "items": [{"sku": "a", "quantity": 1}]},
        headers={"Idempotency-Key": "k", "traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01"},
    )
    event = fake_db.outbox[-1]
    assert (event.event_type, event.aggregate_id) == ("inventory.allocated", "k")
    assert event.headers["traceparent"].startswith("00-aaaa")


def test_out_of_stock_writes_no_outbox_event(fake_app: Flask, fake_db: FakeDatabase) -> None:
    """CONTRACT.md 6: the outbox row rolls back with the failed business write."""
    client = fake_app.test_client()
    set_stock(client, "a", 0)
    before = len(fake_db.outbox)
    assert allocate(client, "k", [{"sku": "a", "quantity": 1}]).status_code == 422
    assert len(fake_db.outbox) == before


@pytest.mark.parametrize(
    ("body", "headers", "field"),
    [
        ({"checkout_id": "c", "items": [{"sku": "a", "quantity": 1}]}, {}, "Idempotency-Key"),
        ({"items": [{"sku": "a", "quantity": 1}]}, {"Idempotency-Key": "k"}, "checkout_id"),
        ({"checkout_id": "c", "items": []}, {"Idempotency-Key": "k"}, "items"),
        (
            {"checkout_id": "c", "items": [{"sku": "a", "quantity": 0}]},
            {"Idempotency-Key": "k"},
            "items[0].quantity",
        ),
        (
            {"checkout_id": "c", "items": [{"sku": "", "quantity": 1}]},
            {"Idempotency-Key": "k"},
            "items[0].sku",
        ),
        ([1, 2], {"Idempotency-Key": "k"}, "body"),
    ],
)
def test_bad_input_is_400_problem_naming_the_field(
    fake_app: Flask, body: object, headers: dict[str, str], field: str
) -> None:
    """CONTRACT.md 2: validation errors -> 400 problem+json naming the field, never 500."""
    response = fake_app.test_client().post("/v1/allocations", json=body, headers=headers)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert (problem["code"], problem["field"], problem["instance"]) == (
        "VALIDATION_FAILED",
        field,
        "/v1/allocations",
    )


def test_non_json_body_is_400_problem(fake_app: Flask) -> None:
    """CONTRACT.md 2: a non-JSON body is bad input, not a server error."""
    response = fake_app.test_client().post(
        "/v1/allocations", data="{not json", headers={"Idempotency-Key": "k"}
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "body"


def test_unknown_route_and_wrong_method_are_problems(fake_app: Flask) -> None:
    """CONTRACT.md 2: 404 and 405 are problem+json too."""
    client = fake_app.test_client()
    missing = client.get("/v1/nothing-here")
    wrong = client.delete("/v1/allocations")
    assert (missing.status_code, missing.get_json()["code"]) == (404, "NOT_FOUND")
    assert (wrong.status_code, wrong.get_json()["code"]) == (405, "METHOD_NOT_ALLOWED")
    assert wrong.mimetype == "application/problem+json"


def test_health_and_metrics(fake_app: Flask) -> None:
    """CONTRACT.md 5: /health answers ok; /metrics serves Prometheus text."""
    client = fake_app.test_client()
    assert client.get("/health").get_json() == {"status": "ok", "service": "inventory"}
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert b"flask_http_request_total" in metrics.data


def test_metrics_count_forward_outcomes_and_compensations(fake_app: Flask) -> None:
    """DESIGN.md 5: per-operation outcome and compensation counters on /metrics."""
    client = fake_app.test_client()
    set_stock(client, "a", 1)
    allocate(client, "k1", [{"sku": "a", "quantity": 1}])
    allocate(client, "k1", [{"sku": "a", "quantity": 1}])
    allocate(client, "k2", [{"sku": "a", "quantity": 1}])
    client.post("/v1/allocations/k1/compensation")
    text = client.get("/metrics").data.decode()
    for line in (
        'service_forward_calls_total{operation="allocations",outcome="performed"} 1.0',
        'service_forward_calls_total{operation="allocations",outcome="replayed"} 1.0',
        'service_forward_calls_total{operation="allocations",outcome="out_of_stock"} 1.0',
        'service_compensations_total{operation="allocations",outcome="compensated"} 1.0',
    ):
        assert line in text

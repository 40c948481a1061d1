"""Inventory on PostgreSQL: the contract suite, concurrency and the transactional outbox."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient
from inventory_contract import InventoryContract, allocate, on_hand, set_stock
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

pytestmark = pytest.mark.integration

T = TypeVar("T")


class TestInventoryOnPostgres(InventoryContract):
    """The contract suite on the SQL repository."""

    @pytest.fixture
    def client(self, sql_app: Flask) -> FlaskClient:
        """Test client of the PostgreSQL-backed app."""
        return sql_app.test_client()


def _outbox(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT event_type, aggregate_id FROM outbox ORDER BY id"))
            return [(row[0], row[1]) for row in rows]
    finally:
        engine.dispose()


def _parallel(count: int, call: Callable[[int], T]) -> list[T]:
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        barrier.wait()
        return call(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_stock_never_goes_negative_under_concurrency(sql_app: Flask) -> None:
    """Brief: 20 threads allocating the last units; total allocated == initial stock."""
    set_stock(sql_app.test_client(), "last", 7)

    def call(index: int) -> tuple[int, int]:
        client = sql_app.test_client()
        response = allocate(client, f"pi-{index}:allocate", [{"sku": "last", "quantity": 1}])
        body = response.get_json()
        allocated = sum(item["quantity"] for item in body.get("items", []))
        return int(response.status_code), int(allocated)

    results = _parallel(20, call)
    assert Counter(status for status, _ in results) == Counter({200: 7, 422: 13})
    assert sum(allocated for _, allocated in results) == 7
    assert on_hand(sql_app.test_client(), "last") == 0


def test_concurrent_calls_with_one_key_have_one_effect(sql_app: Flask) -> None:
    """CONTRACT.md 1: concurrent calls with the same key are serialised: exactly one effect."""
    set_stock(sql_app.test_client(), "a", 100)

    def call(index: int) -> int:
        client = sql_app.test_client()
        return int(allocate(client, "same-key", [{"sku": "a", "quantity": 5}]).status_code)

    assert _parallel(10, call) == [200] * 10
    assert on_hand(sql_app.test_client(), "a") == 95


def test_check_constraint_refuses_negative_stock(sql_url: str, sql_app: Flask) -> None:
    """Brief: stock(on_hand) has CHECK (on_hand >= 0), a second line of defence."""
    set_stock(sql_app.test_client(), "a", 1)
    engine = create_engine(sql_url)
    try:
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE stock SET on_hand = on_hand - 2 WHERE sku = 'a'"))
    finally:
        engine.dispose()


def test_outbox_row_commits_with_the_allocation(sql_url: str, sql_app: Flask) -> None:
    """DESIGN.md 4: the business row and the event row commit together."""
    client = sql_app.test_client()
    set_stock(client, "a", 1)
    allocate(client, "k1", [{"sku": "a", "quantity": 1}])
    assert _outbox(sql_url) == [("inventory.stock_set", "a"), ("inventory.allocated", "k1")]


def test_no_outbox_row_when_the_business_write_rolls_back(sql_url: str, sql_app: Flask) -> None:
    """DESIGN.md 4: a rolled-back allocation leaves no event behind."""
    client = sql_app.test_client()
    set_stock(client, "a", 1)
    set_stock(client, "b", 0)
    items = [{"sku": "a", "quantity": 1}, {"sku": "b", "quantity": 1}]
    assert allocate(client, "k1", items).status_code == 422
    assert _outbox(sql_url) == [("inventory.stock_set", "a"), ("inventory.stock_set", "b")]
    assert on_hand(client, "a") == 1


def test_compensation_event_and_tombstone_event(sql_url: str, sql_app: Flask) -> None:
    """CONTRACT.md 6: release and tombstone are state changes with events."""
    client = sql_app.test_client()
    set_stock(client, "a", 1)
    allocate(client, "k1", [{"sku": "a", "quantity": 1}])
    client.post("/v1/allocations/k1/compensation")
    client.post("/v1/allocations/k2/compensation")
    assert _outbox(sql_url)[-2:] == [
        ("inventory.released", "k1"),
        ("inventory.allocations.tombstoned", "k2"),
    ]


def test_health_checks_the_database(sql_app: Flask) -> None:
    """CONTRACT.md 5: /health does a real database round trip."""
    assert sql_app.test_client().get("/health").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("put", "/v1/stock/" + "s" * 101, {"on_hand": 1}, "sku"),
        ("get", "/v1/stock/" + "s" * 101, None, "sku"),
        ("put", "/v1/stock/a", {"on_hand": 2**31}, "on_hand"),
        (
            "post",
            "/v1/allocations",
            {"checkout_id": "c", "items": [{"sku": "a", "quantity": 2**40}]},
            "items[0].quantity",
        ),
        (
            "post",
            "/v1/allocations",
            {"checkout_id": "c" * 201, "items": [{"sku": "a", "quantity": 1}]},
            "checkout_id",
        ),
    ],
)
def test_values_that_do_not_fit_the_columns_are_400_not_500(
    sql_app: Flask, method: str, path: str, body: object, field: str
) -> None:
    """CONTRACT.md 2: never a 500 for bad input, even where only the database would object."""
    client = sql_app.test_client()
    response = getattr(client, method)(path, json=body, headers={"Idempotency-Key": "k"})
    assert (response.status_code, response.get_json()["field"]) == (400, field)


def _race(first: Callable[[], int], second: Callable[[], int]) -> tuple[int, int]:
    barrier = threading.Barrier(2)

    def run(call: Callable[[], int]) -> int:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=2) as pool:
        one, two = pool.map(run, [first, second])
    return one, two


def _forward_status(app: Flask, key: str, items: list[dict[str, Any]]) -> int:
    return int(allocate(app.test_client(), key, items).status_code)


def _compensation_status(app: Flask, key: str) -> int:
    return int(app.test_client().post(f"/v1/allocations/{key}/compensation").status_code)


def test_forward_racing_its_compensation_never_leaks_stock(sql_app: Flask) -> None:
    """DESIGN.md 4: a forward call racing its own compensation ends either compensated or
    tombstoned-and-refused; in both cases the stock is whole again."""
    client = sql_app.test_client()
    set_stock(client, "a", 50)
    items = [{"sku": "a", "quantity": 3}]
    outcomes = set()
    for round_number in range(15):
        key = f"pi-{round_number}:allocate"
        forward_status, compensation_status = _race(
            partial(_forward_status, sql_app, key, items),
            partial(_compensation_status, sql_app, key),
        )
        assert (forward_status in (200, 409), compensation_status) == (True, 200)
        assert on_hand(client, "a") == 50
        outcomes.add(client.get(f"/v1/allocations/{key}").get_json()["status"])
    assert outcomes <= {"compensated", "tombstone"}


def test_mixed_allocations_and_releases_conserve_units(sql_url: str, sql_app: Flask) -> None:
    """Invariant: on_hand + units held by allocated allocations == initial stock, always."""
    set_stock(sql_app.test_client(), "a", 20)

    def call(index: int) -> int:
        client = sql_app.test_client()
        key = f"pi-{index}:allocate"
        status = allocate(client, key, [{"sku": "a", "quantity": 1 + index % 3}]).status_code
        if index % 2:
            client.post(f"/v1/allocations/{key}/compensation")
        return int(status)

    _parallel(24, call)
    engine = create_engine(sql_url)
    try:
        with engine.connect() as conn:
            held = conn.execute(
                text("SELECT items FROM allocations WHERE status = 'allocated'")
            ).scalars()
            units = sum(item["quantity"] for items in held for item in items)
    finally:
        engine.dispose()
    assert on_hand(sql_app.test_client(), "a") + units == 20

"""Cart on PostgreSQL: the contract suite and concurrent reservations of one cart."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from cart_contract import CartContract, new_cart, reserve
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.integration


class TestCartOnPostgres(CartContract):
    """The contract suite on the SQL repository."""

    @pytest.fixture
    def client(self, sql_app: Flask) -> FlaskClient:
        """Test client of the PostgreSQL-backed app."""
        return sql_app.test_client()


def test_concurrent_reservations_of_one_cart_leave_one_active(sql_app: Flask) -> None:
    """Brief: only one active reservation per cart, also under concurrency."""
    cart_id = new_cart(sql_app.test_client())
    barrier = threading.Barrier(8)

    def call(index: int) -> int:
        barrier.wait()
        return int(reserve(sql_app.test_client(), f"pi-{index}:reserve", cart_id).status_code)

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = Counter(pool.map(call, range(8)))
    assert statuses == Counter({200: 1, 422: 7})


def _events(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT event_type, aggregate_id FROM outbox ORDER BY id"))
            return [(row[0], row[1]) for row in rows]
    finally:
        engine.dispose()


def test_reserve_and_release_write_outbox_events_in_their_transactions(
    sql_url: str, sql_app: Flask
) -> None:
    """DESIGN.md 4: business rows and event rows commit together; a refusal writes none."""
    client = sql_app.test_client()
    cart_id = new_cart(client)
    reserve(client, "k1", cart_id)
    assert reserve(client, "k2", cart_id).status_code == 422
    client.post("/v1/reservations/k1/compensation")
    assert _events(sql_url) == [
        ("cart.created", cart_id),
        ("cart.reserved", cart_id),
        ("cart.reservation_released", cart_id),
    ]

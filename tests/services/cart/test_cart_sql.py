"""Cart on PostgreSQL: the contract suite and concurrent reservations of one cart."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from cart_contract import CartContract, new_cart, reserve
from flask import Flask
from flask.testing import FlaskClient

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

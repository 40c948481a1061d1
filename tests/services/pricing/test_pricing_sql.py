"""Pricing on PostgreSQL: the contract suite and a coupon raced by many checkouts."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pricing_contract import PricingContract, quote, setup_catalog, used
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.integration


class TestPricingOnPostgres(PricingContract):
    """The contract suite on the SQL repository."""

    @pytest.fixture
    def client(self, sql_app: Flask) -> FlaskClient:
        """Test client of the PostgreSQL-backed app."""
        return sql_app.test_client()


def test_coupon_uses_never_exceed_the_limit_under_concurrency(sql_app: Flask) -> None:
    """Brief: coupon exhausted -> 422; 12 concurrent quotes on a 5-use coupon, 5 succeed."""
    setup_catalog(sql_app.test_client(), limit=5)
    barrier = threading.Barrier(12)

    def call(index: int) -> int:
        barrier.wait()
        return int(quote(sql_app.test_client(), f"pi-{index}:quote").status_code)

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = Counter(pool.map(call, range(12)))
    assert statuses == Counter({200: 5, 422: 7})
    assert used(sql_app.test_client()) == 5


def test_quote_events_commit_with_the_coupon_use(sql_url: str, sql_app: Flask) -> None:
    """DESIGN.md 4: a quote and its event commit together; an exhausted coupon writes none."""
    client = sql_app.test_client()
    setup_catalog(client, limit=1)
    quote(client, "k1")
    assert quote(client, "k2").status_code == 422
    client.post("/v1/quotes/k1/compensation")
    engine = create_engine(sql_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT event_type, aggregate_id FROM outbox WHERE aggregate_type = 'quote'")
            )
            events = [(row[0], row[1]) for row in rows]
    finally:
        engine.dispose()
    assert events == [("pricing.quoted", "k1"), ("pricing.quote_reverted", "k1")]

"""End to end on real servers: order (FerretDB) -> in-document outbox relay -> Kafka -> loyalty."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from pymongo import MongoClient
from sqlalchemy import Engine, func, select

from services.common.outbox_relay import KafkaPublisher
from services.loyalty.consumer import LoyaltyConsumer, kafka_source
from services.loyalty.store import LoyaltyTables, points_of
from services.order.relay import OrderOutboxRelay, to_message
from services.order.service import OrderService
from services.order.store import MongoOrderStore

pytestmark = pytest.mark.integration


@pytest.fixture
def publisher(kafka_servers: str) -> Iterator[KafkaPublisher]:
    publisher = KafkaPublisher(kafka_servers, timeout_s=20)
    yield publisher
    publisher.close()


@pytest.fixture
def orders(mongo_client: MongoClient[dict[str, Any]], mongo_database: str) -> MongoOrderStore:
    store = MongoOrderStore(mongo_client, mongo_database)
    store.init()
    return store


class SpySource:
    """Wraps the real KafkaConsumer and remembers the event ids it delivered."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.delivered: list[str] = []

    def poll(self, timeout_ms: int = 0) -> Mapping[Any, list[Any]]:
        batches: Mapping[Any, list[Any]] = self.inner.poll(timeout_ms=timeout_ms)
        for records in batches.values():
            self.delivered.extend(json.loads(r.value).get("event_id", "") for r in records)
        return batches

    def commit(self) -> None:
        self.inner.commit()

    def lag(self) -> int | None:
        lag: int | None = self.inner.lag()
        return lag


@pytest.fixture
def spy(kafka_servers: str) -> Iterator[SpySource]:
    inner = kafka_source(kafka_servers, group_id=f"loyalty-test-{uuid.uuid4().hex[:8]}")
    yield SpySource(inner)
    inner.close()


@pytest.fixture
def consumer(loyalty_db: tuple[Engine, LoyaltyTables], spy: SpySource) -> LoyaltyConsumer:
    engine, tables = loyalty_db
    return LoyaltyConsumer(engine, tables, spy)


def consume_until(
    consumer: LoyaltyConsumer, done: Callable[[], bool], timeout_s: float = 60
) -> int:
    """Poll until `done()`; return how many new events were applied meanwhile."""
    applied = 0
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError("consumer did not reach the expected state in time")
        applied += consumer.poll_once(timeout_ms=500)
    return applied


def test_order_events_reach_loyalty_once_even_when_republished(
    orders: MongoOrderStore, publisher: KafkaPublisher, consumer: LoyaltyConsumer, spy: SpySource
) -> None:
    """DESIGN 4: relay at least once + idempotent consumer = points applied exactly once."""
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    body = {
        "checkout_id": "chk",
        "customer_id": customer,
        "items": [{"sku": "s", "quantity": 1, "unit_price": 4200}],
    }
    service = OrderService(orders)
    service.create(
        f"{customer}:order", body, {"traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01"}
    )
    relay = OrderOutboxRelay(orders, publisher)
    assert relay.relay_once() == 1

    def points() -> int:
        with consumer.engine.connect() as conn:
            return points_of(conn, consumer.tables, customer)

    consume_until(consumer, lambda: points() == 42)
    # A relay crash between the broker ack and the mark re-publishes the same event.
    document = orders.get(f"{customer}:order")
    assert document is not None
    publisher.publish([to_message(document, document["outbox"][0])])
    service.cancel(f"{customer}:order", {})
    assert relay.relay_once() == 1
    consume_until(consumer, lambda: points() == 0)
    created_id = document["outbox"][0]["event_id"]
    # Same key -> same partition -> the duplicate was delivered before the cancel was applied.
    assert spy.delivered.count(created_id) == 2
    processed = consumer.tables.processed
    with consumer.engine.connect() as conn:
        ours = conn.execute(
            select(func.count())
            .select_from(processed)
            .where(processed.c.event_id.like(f"order:{document['_id']}:%"))
        ).scalar_one()
    assert ours == 2  # created and cancelled, each once

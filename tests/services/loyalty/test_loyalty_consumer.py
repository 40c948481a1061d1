"""Loyalty consumer on PostgreSQL: each event applied once, offsets committed after commit."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import OperationalError

from services.common.consumer_loop import Backoff
from services.loyalty.consumer import LoyaltyConsumer
from services.loyalty.domain import OrderEvent
from services.loyalty.store import LoyaltyTables, apply_event, points_of

pytestmark = pytest.mark.integration


def value(event_type: str, order_id: str = "o1", **payload: Any) -> bytes:
    body = {
        "event_id": f"order:{order_id}:{event_type}",
        "event_type": event_type,
        "aggregate_type": "order",
        "aggregate_id": order_id,
        "occurred_at": "2026-01-01T00:00:00+00:00",
        "payload": {"order_id": order_id, "customer_id": "c1", "total": 2500, **payload},
    }
    return json.dumps(body).encode()


class Record:
    def __init__(self, raw: bytes) -> None:
        self.value = raw


class ListSource:
    """RecordSource fake: hands out queued batches, records commits and what was polled."""

    def __init__(self) -> None:
        self.queue: list[list[bytes]] = []
        self.commits = 0

    def poll(self, timeout_ms: int = 0) -> Mapping[Any, list[Any]]:
        batch = self.queue.pop(0) if self.queue else []
        return {"order.events-0": [Record(raw) for raw in batch]} if batch else {}

    def commit(self) -> None:
        self.commits += 1

    def lag(self) -> int | None:
        return sum(len(batch) for batch in self.queue)


@pytest.fixture
def source() -> ListSource:
    return ListSource()


@pytest.fixture
def consumer(loyalty_db: tuple[Engine, LoyaltyTables], source: ListSource) -> LoyaltyConsumer:
    engine, tables = loyalty_db
    return LoyaltyConsumer(engine, tables, source)


def points(consumer: LoyaltyConsumer, customer_id: str = "c1") -> int:
    with consumer.engine.connect() as conn:
        return points_of(conn, consumer.tables, customer_id)


def test_redelivered_event_is_applied_once(consumer: LoyaltyConsumer) -> None:
    """DESIGN 4: consumers are idempotent (processed-message table keyed by event_id)."""
    assert consumer.handle([value("order.created")]) == 1
    assert consumer.handle([value("order.created")]) == 0
    assert points(consumer) == 25


def test_cancel_removes_what_was_awarded_once(consumer: LoyaltyConsumer) -> None:
    """Brief: points removed on cancel; a redelivered cancel removes nothing more."""
    consumer.handle([value("order.created"), value("order.created", "o2")])
    consumer.handle([value("order.cancelled"), value("order.cancelled")])
    assert points(consumer) == 25


def test_processed_record_is_written_for_every_new_event(consumer: LoyaltyConsumer) -> None:
    """Even ignored event types are recorded, so the table mirrors what was consumed."""
    consumer.handle([value("order.orders.tombstoned"), value("order.orders.tombstoned")])
    with consumer.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(consumer.tables.processed))
        assert count.scalar_one() == 1
    assert points(consumer) == 0


def test_malformed_record_is_skipped_not_blocking(consumer: LoyaltyConsumer) -> None:
    """A poison record is logged and skipped; the records after it are applied."""
    assert consumer.handle([b"not json {", value("order.created")]) == 1
    assert points(consumer) == 25


def test_offsets_are_committed_after_the_batch_is_applied(
    consumer: LoyaltyConsumer, source: ListSource
) -> None:
    """Commit after the database transactions: a crash before it re-delivers, never loses."""
    source.queue = [[value("order.created"), value("order.created")], []]
    assert consumer.poll_once() == 1
    assert source.commits == 1
    assert consumer.poll_once() == 0
    assert source.commits == 1


def test_http_face_reports_health_and_points(pg_base_url: str) -> None:
    """CONTRACT 5 for the consumer: /health after a database round trip; points readable."""
    from services.common.testing import create_test_database, drop_test_database
    from services.loyalty import LoyaltyConfig, create_app

    url = create_test_database(pg_base_url, "loyalty")
    app = create_app(LoyaltyConfig(database_url=url))
    engine, tables = app.extensions["loyalty"]
    try:
        LoyaltyConsumer(engine, tables, ListSource()).handle([value("order.created")])
        client = app.test_client()
        assert client.get("/health").json == {"status": "ok", "service": "loyalty"}
        assert client.get("/v1/accounts/c1").json == {"customer_id": "c1", "points": 25}
        assert client.get("/metrics").status_code == 200
    finally:
        engine.dispose()
        drop_test_database(url)


def test_metrics_count_outcomes_and_report_lag(loyalty_db: tuple[Engine, LoyaltyTables]) -> None:
    """Observability (DESIGN 5): events by outcome and consumer lag for the lag alert."""
    from prometheus_client import CollectorRegistry

    from services.loyalty.consumer import ConsumerMetrics

    registry = CollectorRegistry()
    source = ListSource()
    source.queue = [[value("order.created"), value("order.created"), b"{"], [value("order.x")]]
    engine, tables = loyalty_db
    LoyaltyConsumer(engine, tables, source, ConsumerMetrics.on(registry)).poll_once()

    def sample(name: str, **labels: str) -> float | None:
        return registry.get_sample_value(name, labels)

    assert sample("loyalty_events_total", outcome="applied") == 1
    assert sample("loyalty_events_total", outcome="duplicate") == 1
    assert sample("loyalty_events_total", outcome="malformed") == 1
    assert sample("loyalty_consumer_lag") == 1


class DrainingSource(ListSource):
    """Like kafka-python, `poll` moves past what it returned; sets `stop` once drained."""

    def __init__(self, stop: threading.Event) -> None:
        super().__init__()
        self.stop = stop

    def poll(self, timeout_ms: int = 0) -> Mapping[Any, list[Any]]:
        if not self.queue:
            self.stop.set()
        return super().poll(timeout_ms)


class FailOnce:
    """An `apply` that raises the first time it sees `event_id`, like a dropped connection."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        self.calls: list[str] = []

    def __call__(self, conn: Connection, tables: LoyaltyTables, event: OrderEvent) -> bool:
        self.calls.append(event.event_id)
        if event.event_id == self.event_id and self.calls.count(event.event_id) == 1:
            raise OperationalError("UPDATE", {}, ConnectionError("server closed the connection"))
        return apply_event(conn, tables, event)


def run_until_drained(
    loyalty_db: tuple[Engine, LoyaltyTables], batches: list[list[bytes]], apply: FailOnce
) -> tuple[LoyaltyConsumer, DrainingSource]:
    stop = threading.Event()
    source = DrainingSource(stop)
    source.queue = batches
    engine, tables = loyalty_db
    consumer = LoyaltyConsumer(engine, tables, source, backoff=Backoff(0.01, 0.05), apply=apply)
    consumer.run(stop)  # returns once the source is drained
    return consumer, source


def test_a_failed_batch_is_retried_and_applied_exactly_once(
    loyalty_db: tuple[Engine, LoyaltyTables],
) -> None:
    """Review finding (message loss): the position is past the failed batch, so `run` must
    retry that batch instead of polling on; the event is then applied exactly once."""
    apply = FailOnce("order:o1:order.created")

    consumer, source = run_until_drained(loyalty_db, [[value("order.created")]], apply)

    assert apply.calls == ["order:o1:order.created", "order:o1:order.created"]
    assert points(consumer) == 25
    assert source.commits == 1


def test_a_partly_applied_batch_is_retried_without_double_effects(
    loyalty_db: tuple[Engine, LoyaltyTables],
) -> None:
    """DESIGN 4: the retry re-delivers the records applied before the failure; the
    processed-message table makes them no-ops, and the failed record is applied once."""
    batch = [value("order.created"), value("order.created", "o2"), value("order.created", "o3")]
    apply = FailOnce("order:o2:order.created")

    consumer, source = run_until_drained(loyalty_db, [batch], apply)

    assert points(consumer) == 75
    with consumer.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(consumer.tables.processed))
        assert count.scalar_one() == 3
    assert source.commits == 1

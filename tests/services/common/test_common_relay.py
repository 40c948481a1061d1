"""Outbox relay against real PostgreSQL and Kafka (CONTRACT.md 6, DESIGN.md 4)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update

from services.common.dedupe import process_once
from services.common.outbox_relay import KafkaPublisher, OutboxRelay, OutgoingMessage
from services.common.relay_health import RelayMonitor
from services.common.tables import CommonTables
from services.common.uow import SqlUnitOfWork

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
KILLED_RELAY = """
import os, signal, sys
from sqlalchemy import MetaData
from services.common.db import make_engine
from services.common.outbox_relay import KafkaPublisher, OutboxRelay
from services.common.tables import outbox_table

url, bootstrap, service = sys.argv[1:4]
def die(ids):
    os.kill(os.getpid(), signal.SIGKILL)  # killed after the broker acked, before marking
relay = OutboxRelay(make_engine(url), outbox_table(MetaData()), KafkaPublisher(bootstrap),
                    service, after_publish=die)
relay.relay_once()
"""


@pytest.fixture
def service() -> str:
    """A unique service name, hence a fresh topic `<service>.events`."""
    return f"relaytest{uuid.uuid4().hex[:10]}"


@pytest.fixture
def topic(kafka_servers: str, service: str) -> str:
    """Create the topic (3 partitions) up front."""
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=kafka_servers)
    try:
        admin.create_topics([NewTopic(f"{service}.events", 3, 1)])
    finally:
        admin.close()
    return f"{service}.events"


def service_of(topic: str) -> str:
    """The service whose relay publishes to `topic`."""
    return topic.removesuffix(".events")


def write_events(engine: Engine, tables: CommonTables, count: int) -> None:
    """`count` events on two aggregates, committed in one business transaction."""
    with SqlUnitOfWork(engine, tables, {"traceparent": TRACEPARENT}) as uow:
        for index in range(count):
            uow.outbox.add("thing", f"agg-{index % 2}", "thing.happened", {"index": index})
        uow.commit()


def unsent(engine: Engine, tables: CommonTables) -> int:
    """Rows not yet marked sent."""
    outbox = tables.outbox
    query = select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def consume(bootstrap: str, topic: str, expected: int, timeout_s: float = 90.0) -> list[Any]:
    """Read the topic from the start until `expected` records (plus a short grace period)."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    records: list[Any] = []
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
            if len(records) >= expected:
                grace = consumer.poll(timeout_ms=1500)  # would reveal unexpected extra records
                records.extend(record for batch in grace.values() for record in batch)
                break
    finally:
        consumer.close()
    return records


def relay_until_some(relay: OutboxRelay, timeout_s: float = 30.0) -> int:
    """Poll like the relay loop: a killed relay's row locks last until PostgreSQL notices."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        relayed = relay.relay_once()
        if relayed:
            return relayed
        time.sleep(0.1)
    return 0


@pytest.fixture
def publisher(kafka_servers: str) -> Iterator[KafkaPublisher]:
    """The real Kafka publisher, closed afterwards."""
    kafka = KafkaPublisher(kafka_servers)
    yield kafka
    kafka.close()


def test_relay_publishes_keyed_records_and_marks_rows_sent(
    sql_engine: Engine,
    common_tables: CommonTables,
    kafka_servers: str,
    publisher: KafkaPublisher,
    topic: str,
) -> None:
    """DESIGN.md 4: the relay publishes to Kafka and marks rows sent after the broker acks."""
    write_events(sql_engine, common_tables, 4)
    relay = OutboxRelay(sql_engine, common_tables.outbox, publisher, service_of(topic))
    assert relay.relay_once() == 4
    assert relay.relay_once() == 0
    assert unsent(sql_engine, common_tables) == 0
    records = consume(kafka_servers, topic, 4)
    values = [json.loads(record.value) for record in records]
    assert sorted(value["payload"]["index"] for value in values) == [0, 1, 2, 3]
    assert {record.key for record in records} == {b"agg-0", b"agg-1"}
    assert all(value["event_id"].startswith(f"{service_of(topic)}:") for value in values)
    headers = dict(records[0].headers)
    # Same trace; the parent is the relay's producer span when an SDK records spans
    # (test_tracing_relay.py), the stored row's span without one.
    assert headers["traceparent"].split(b"-")[1] == TRACEPARENT.split("-")[1].encode()
    assert headers["event_type"] == b"thing.happened"


def test_records_of_one_aggregate_keep_outbox_order(
    sql_engine: Engine,
    common_tables: CommonTables,
    kafka_servers: str,
    publisher: KafkaPublisher,
    topic: str,
) -> None:
    """CONTRACT.md 6: key = aggregate id, so one aggregate's events stay in order."""
    write_events(sql_engine, common_tables, 6)
    OutboxRelay(sql_engine, common_tables.outbox, publisher, service_of(topic)).relay_once()
    records = consume(kafka_servers, topic, 6)
    same_key = [json.loads(r.value)["payload"]["index"] for r in records if r.key == b"agg-0"]
    assert same_key == [0, 2, 4]


class FailingPublisher:
    """A broker that never acknowledges."""

    def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        raise TimeoutError("no ack from broker")


def test_unacknowledged_publish_leaves_rows_unsent(
    sql_engine: Engine, common_tables: CommonTables
) -> None:
    """DESIGN.md 4: rows are marked sent only after the broker acks."""
    write_events(sql_engine, common_tables, 2)
    relay = OutboxRelay(sql_engine, common_tables.outbox, FailingPublisher(), "svc")
    with pytest.raises(TimeoutError):
        relay.relay_once()
    assert unsent(sql_engine, common_tables) == 2


def test_relay_killed_between_publish_and_mark_duplicates_and_dedupe_processes_once(
    sql_engine: Engine,
    common_tables: CommonTables,
    kafka_servers: str,
    publisher: KafkaPublisher,
    topic: str,
) -> None:
    """CONTRACT.md 6: a crash between send and mark re-publishes (never loses); the
    processed-message table makes the consumer process each event once."""
    write_events(sql_engine, common_tables, 3)
    url = sql_engine.url.render_as_string(hide_password=False)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RELAY, url, kafka_servers, service_of(topic)],
        cwd=REPO,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]
    assert unsent(sql_engine, common_tables) == 3
    relay = OutboxRelay(sql_engine, common_tables.outbox, publisher, service_of(topic))
    assert relay_until_some(relay) == 3
    records = consume(kafka_servers, topic, 6)
    assert len(records) == 6, [json.loads(r.value)["event_id"] for r in records]
    processed = []
    for record in records:
        value = json.loads(record.value)
        with sql_engine.begin() as conn:
            table = common_tables.processed_messages
            if process_once(conn, table, consumer="test", event_id=value["event_id"]):
                processed.append(value["payload"]["index"])
    assert sorted(processed) == [0, 1, 2]


class CollectingPublisher:
    """A broker that acknowledges everything and remembers it."""

    def __init__(self) -> None:
        self.messages: list[OutgoingMessage] = []

    def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        self.messages.extend(messages)


def test_only_one_relay_replica_publishes_at_a_time(
    sql_engine: Engine, common_tables: CommonTables
) -> None:
    """CONTRACT.md 6: replicas take batches under a per-service advisory lock."""
    write_events(sql_engine, common_tables, 2)
    busy, idle = CollectingPublisher(), CollectingPublisher()
    holder = OutboxRelay(sql_engine, common_tables.outbox, busy, "svc")
    other = OutboxRelay(sql_engine, common_tables.outbox, idle, "svc")

    def other_relays_meanwhile(ids: Sequence[int]) -> None:
        assert other.relay_once() == 0  # the holder's batch is in flight

    holder.after_publish = other_relays_meanwhile
    assert holder.relay_once() == 2
    assert (len(busy.messages), idle.messages) == (2, [])
    write_events(sql_engine, common_tables, 1)
    assert other.relay_once() == 1


def test_purge_deletes_only_rows_sent_before_the_retention(
    sql_engine: Engine, common_tables: CommonTables
) -> None:
    """Sent rows older than the retention go; recent and unsent rows stay."""
    write_events(sql_engine, common_tables, 3)
    relay = OutboxRelay(sql_engine, common_tables.outbox, CollectingPublisher(), "svc")
    assert relay.relay_once() == 3
    write_events(sql_engine, common_tables, 1)  # unsent
    outbox = common_tables.outbox
    with sql_engine.begin() as conn:
        first_id = conn.execute(select(func.min(outbox.c.id))).scalar_one()
        conn.execute(
            update(outbox)
            .where(outbox.c.id == first_id)
            .values(sent_at=func.now() - timedelta(days=10))
        )
    assert relay.purge_sent(timedelta(days=7)) == 1
    with sql_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == 3
    assert unsent(sql_engine, common_tables) == 1


class StopAfterWaits(threading.Event):
    """Sets itself on the n-th wait: runs the relay loop for n idle rounds."""

    def __init__(self, waits: int) -> None:
        super().__init__()
        self.left = waits

    def wait(self, timeout: float | None = None) -> bool:
        self.left -= 1
        if self.left <= 0:
            self.set()
        return self.is_set()


class AckingPublisher:
    """A broker that acknowledges everything."""

    def __init__(self) -> None:
        self.published = 0

    def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        self.published += len(messages)


def test_relay_reports_backlog_and_rounds_to_its_monitor(
    sql_engine: Engine, common_tables: CommonTables
) -> None:
    """Brief H18 (outbox backlog alert): the loop sets `outbox_backlog` after every completed
    round; rounds that fail (no broker ack) do not count as healthy."""
    write_events(sql_engine, common_tables, 3)
    monitor = RelayMonitor("svc")
    failing = OutboxRelay(sql_engine, common_tables.outbox, FailingPublisher(), "svc")
    failing.run(StopAfterWaits(1), poll_interval_s=0, monitor=monitor)
    assert (failing.backlog(), monitor.healthy()) == (3, False)

    relay = OutboxRelay(sql_engine, common_tables.outbox, AckingPublisher(), "svc", batch_size=2)
    relay.run(StopAfterWaits(1), poll_interval_s=0, monitor=monitor)

    assert monitor.registry.get_sample_value("outbox_backlog", {"service": "svc"}) == 0
    assert monitor.healthy()

"""Outbox relay: publish unsent outbox rows to Kafka, mark them sent after the broker acks."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from sqlalchemy import Engine, Table, delete, func, select, update

from services.common.relay_health import RelayMonitor
from services.kit import tracing

log = structlog.get_logger("services.common.outbox_relay")


@dataclass(frozen=True)
class OutgoingMessage:
    """One Kafka record built from one outbox row."""

    topic: str
    key: str
    value: Mapping[str, Any]
    headers: Mapping[str, str]


class Publisher(Protocol):
    """Port: publish a batch and return only once every message is acknowledged (or raise)."""

    def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        """Send all messages, in order; raise if any is not acknowledged."""
        ...


def event_id(service: str, outbox_id: int) -> str:
    """Globally unique id of an outbox event: consumers dedupe on it."""
    return f"{service}:{outbox_id}"


def to_message(service: str, row: Mapping[Any, Any]) -> OutgoingMessage:
    """The Kafka record of an outbox row: topic `<service>.events`, key = aggregate id."""
    identifier = event_id(service, int(row["id"]))
    created: datetime = row["created_at"]
    value = {
        "event_id": identifier,
        "event_type": row["event_type"],
        "aggregate_type": row["aggregate_type"],
        "aggregate_id": row["aggregate_id"],
        "occurred_at": created.isoformat(),
        "payload": row["payload"],
    }
    headers = {
        **dict(row["headers"] or {}),
        "event_id": identifier,
        "event_type": row["event_type"],
    }
    return OutgoingMessage(f"{service}.events", str(row["aggregate_id"]), value, headers)


def producer_span(message: OutgoingMessage) -> Span:
    """A PRODUCER span `<topic> publish` (OpenTelemetry messaging conventions), child of the
    context stored with the outbox row; not made current: a batch holds many at once."""
    return tracing.tracer().start_span(
        f"{message.topic} publish",
        context=tracing.extract(message.headers),
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "send",
            "messaging.destination.name": message.topic,
            "messaging.kafka.message.key": message.key,
            "messaging.message.id": str(message.headers.get("event_id", "")),
        },
    )


def record_headers(message: OutgoingMessage, span: Span) -> list[tuple[str, bytes]]:
    """The Kafka headers: the row's, with the trace context replaced by the producer span's
    (unchanged when no SDK records spans), so consumers continue from the publish."""
    headers = {**message.headers, **tracing.inject(trace.set_span_in_context(span))}
    return [(name, value.encode("utf-8")) for name, value in headers.items()]


class KafkaPublisher:
    """Publisher over kafka-python's idempotent producer (acks=all)."""

    def __init__(
        self, bootstrap_servers: str, *, timeout_s: float = 30.0, producer: Any = None
    ) -> None:
        self._timeout_s = timeout_s
        self._producer = producer or self._kafka_producer(bootstrap_servers)

    @staticmethod
    def _kafka_producer(bootstrap_servers: str) -> Any:
        from kafka import KafkaProducer

        return KafkaProducer(
            bootstrap_servers=bootstrap_servers,
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
        )

    def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        """Send the batch, flush, and wait for every acknowledgement; each message's PRODUCER
        span ends at its acknowledgement (ERROR when it was not acknowledged)."""
        spans = [producer_span(message) for message in messages]
        try:
            futures = [
                self._producer.send(
                    message.topic,
                    key=message.key.encode("utf-8"),
                    value=json.dumps(message.value, separators=(",", ":")).encode("utf-8"),
                    headers=record_headers(message, span),
                )
                for message, span in zip(messages, spans, strict=True)
            ]
            self._producer.flush(timeout=self._timeout_s)
            for future, span in zip(futures, spans, strict=False):
                future.get(timeout=self._timeout_s)
                span.end()
        except Exception as error:
            for span in spans:
                if span.is_recording():
                    span.record_exception(error)
                    span.set_status(Status(StatusCode.ERROR, type(error).__name__))
                    span.end()
            raise

    def close(self) -> None:
        """Flush and close the producer."""
        self._producer.close()


@dataclass
class OutboxRelay:
    """Polls one service's outbox; a crash between publish and mark re-publishes, never loses."""

    engine: Engine
    outbox: Table
    publisher: Publisher
    service: str
    batch_size: int = 100
    # Test seam: called after the broker acked and before rows are marked sent.
    after_publish: Callable[[Sequence[int]], None] | None = None

    @property
    def lock_id(self) -> int:
        """The service's advisory lock key: a stable signed 64-bit hash of its name."""
        digest = hashlib.sha256(f"outbox-relay:{self.service}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)

    def relay_once(self) -> int:
        """Relay one batch; return how many rows were published and marked sent."""
        table = self.outbox
        query = (
            select(table)
            .where(table.c.sent_at.is_(None))
            .order_by(table.c.id)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)
        )
        with self.engine.begin() as conn:
            # One active relay per service keeps per-aggregate order even with replicas.
            if not conn.execute(select(func.pg_try_advisory_xact_lock(self.lock_id))).scalar():
                return 0
            rows = [row._mapping for row in conn.execute(query)]
            if not rows:
                return 0
            self.publisher.publish([to_message(self.service, row) for row in rows])
            ids = [int(row["id"]) for row in rows]
            if self.after_publish is not None:
                self.after_publish(ids)
            conn.execute(update(table).where(table.c.id.in_(ids)).values(sent_at=func.now()))
        log.info("outbox_relayed", service=self.service, count=len(ids), last_id=ids[-1])
        return len(ids)

    def backlog(self) -> int:
        """Rows not sent yet (the `outbox_backlog` gauge)."""
        table = self.outbox
        query = select(func.count()).select_from(table).where(table.c.sent_at.is_(None))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def purge_sent(self, retention: timedelta) -> int:
        """Delete rows sent longer than `retention` ago; unsent rows are never touched."""
        table = self.outbox
        cutoff = func.now() - retention
        statement = delete(table).where(table.c.sent_at.is_not(None), table.c.sent_at < cutoff)
        with self.engine.begin() as conn:
            return int(conn.execute(statement).rowcount)

    def run(
        self,
        stop: threading.Event,
        *,
        poll_interval_s: float = 0.5,
        retention: timedelta | None = None,
        purge_every_s: float = 300.0,
        monitor: RelayMonitor | None = None,
    ) -> None:
        """Relay until `stop` is set; drain full batches at once, sleep when idle or failing;
        with a `retention`, purge old sent rows every `purge_every_s` so the table stays small;
        a `monitor` hears of every completed round with the remaining backlog."""
        next_purge = time.monotonic()
        while not stop.is_set():
            try:
                relayed = self.relay_once()
                if retention is not None and time.monotonic() >= next_purge:
                    self.purge_sent(retention)
                    next_purge = time.monotonic() + purge_every_s
                if monitor is not None:
                    monitor.succeeded(self.backlog())
            except Exception:
                log.exception("outbox_relay_failed", service=self.service)
                relayed = 0
            if relayed < self.batch_size:
                stop.wait(poll_interval_s)

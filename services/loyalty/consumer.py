"""Kafka side of the loyalty consumer: poll `order.events`, apply each event once, commit offsets.

Offsets are committed only after the database transactions of the polled records committed, so a
crash re-delivers records; the processed-message table turns the re-delivery into a no-op. A batch
whose handling failed is retried (after a back-off) before anything else is polled, because the
consumer's position has already moved past it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlalchemy import Connection, Engine

from services.common.consumer_loop import (
    Backoff,
    Delivery,
    consumer_span,
    deliveries,
    run_batches,
)
from services.common.kafka_settings import CONSUMER_FETCH
from services.loyalty.domain import OrderEvent
from services.loyalty.store import LoyaltyTables, apply_event

log = structlog.get_logger("services.loyalty")
TOPIC = "order.events"
GROUP_ID = "loyalty"


class RecordSource(Protocol):
    """The part of kafka-python's KafkaConsumer this consumer uses."""

    def poll(self, timeout_ms: int = 0) -> Mapping[Any, list[Any]]:
        """Fetch records by partition."""
        ...

    def commit(self) -> None:
        """Commit the offsets of everything polled so far."""
        ...

    def lag(self) -> int | None:
        """Records behind the partitions' high watermarks, or None if unknown."""
        ...


class KafkaRecordSource:
    """RecordSource over kafka-python's KafkaConsumer."""

    def __init__(self, consumer: Any) -> None:
        self.consumer = consumer

    def poll(self, timeout_ms: int = 0) -> Mapping[Any, list[Any]]:
        """Fetch records by partition."""
        batches: Mapping[Any, list[Any]] = self.consumer.poll(timeout_ms=timeout_ms)
        return batches

    def commit(self) -> None:
        """Synchronous offset commit."""
        self.consumer.commit()

    def lag(self) -> int | None:
        """Sum over assigned partitions of high watermark minus position."""
        total = 0
        for partition in self.consumer.assignment():
            highwater = self.consumer.highwater(partition)
            if highwater is None:
                return None  # not fetched yet
            total += max(highwater - self.consumer.position(partition), 0)
        return total

    def close(self) -> None:
        """Leave the group."""
        self.consumer.close()


def kafka_source(bootstrap_servers: str, *, group_id: str = GROUP_ID) -> KafkaRecordSource:
    """A KafkaConsumer in a consumer group, manual commits, from the earliest offset."""
    from kafka import KafkaConsumer

    return KafkaRecordSource(
        KafkaConsumer(
            TOPIC,
            bootstrap_servers=bootstrap_servers,
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **CONSUMER_FETCH,
        )
    )


@dataclass(frozen=True)
class ConsumerMetrics:
    """Prometheus instruments of the consumer, on the app's registry."""

    events: Counter
    lag: Gauge

    @classmethod
    def on(cls, registry: CollectorRegistry) -> ConsumerMetrics:
        """Create the instruments on `registry`."""
        return cls(
            events=Counter(
                "loyalty_events_total", "Consumed events by outcome", ["outcome"], registry=registry
            ),
            lag=Gauge("loyalty_consumer_lag", "Records behind on order.events", registry=registry),
        )


@dataclass
class LoyaltyConsumer:
    """Applies order events to loyalty points, idempotently."""

    engine: Engine
    tables: LoyaltyTables
    source: RecordSource
    metrics: ConsumerMetrics | None = None
    backoff: Backoff = field(default_factory=Backoff)
    # The effect of one event (the store's `apply_event`); injectable so tests can make it fail.
    apply: Callable[[Connection, LoyaltyTables, OrderEvent], bool] = apply_event

    def handle(self, values: Iterable[bytes | Delivery]) -> int:
        """Apply Kafka records in order, one transaction each; return how many were new.

        Each record is handled in a CONSUMER span, child of the relay's PRODUCER span."""
        applied = 0
        for item in values:
            delivery = Delivery.of(item)
            with consumer_span(delivery, GROUP_ID):
                applied += self._apply(delivery.value)
        return applied

    def _apply(self, raw: bytes) -> int:
        try:
            event = OrderEvent.from_kafka_value(raw)
        except ValueError as error:
            # A poison record would block the partition forever: log it and move on.
            log.error("loyalty.malformed_event", error=str(error))
            self._count("malformed")
            return 0
        with self.engine.begin() as conn:
            new = self.apply(conn, self.tables, event)
        self._count("applied" if new else "duplicate")
        log.info("loyalty.event", event_id=event.event_id, type=event.event_type, duplicate=not new)
        return int(new)

    def poll_once(self, timeout_ms: int = 500) -> int:
        """Poll one batch, apply it, then commit the offsets."""
        return self.finish(self._poll(timeout_ms))

    def _poll(self, timeout_ms: int = 500) -> list[Delivery]:
        return deliveries(self.source.poll(timeout_ms=timeout_ms))

    def finish(self, values: Sequence[bytes | Delivery]) -> int:
        """Apply a polled batch, commit the offsets, report the lag; return how many were new."""
        applied = self.handle(values)
        if values:
            self.source.commit()
        lag = self.source.lag()
        if self.metrics is not None and lag is not None:
            self.metrics.lag.set(lag)
        return applied

    def _count(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.events.labels(outcome=outcome).inc()

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set; a failed batch is retried with back-off, never skipped."""
        run_batches(self._poll, self.finish, stop, backoff=self.backoff, name="loyalty")

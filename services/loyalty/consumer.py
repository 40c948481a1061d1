"""Kafka side of the loyalty consumer: poll `order.events`, apply each event once, commit offsets.

Offsets are committed only after the database transactions of the polled records committed, so a
crash re-delivers records; the processed-message table turns the re-delivery into a no-op.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from sqlalchemy import Engine

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


def kafka_source(bootstrap_servers: str, *, group_id: str = GROUP_ID) -> Any:
    """A KafkaConsumer in a consumer group, manual commits, from the earliest offset."""
    from kafka import KafkaConsumer

    return KafkaConsumer(
        TOPIC,
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )


@dataclass
class LoyaltyConsumer:
    """Applies order events to loyalty points, idempotently."""

    engine: Engine
    tables: LoyaltyTables
    source: RecordSource

    def handle(self, values: Iterable[bytes]) -> int:
        """Apply raw Kafka values in order, one transaction each; return how many were new."""
        applied = 0
        for raw in values:
            try:
                event = OrderEvent.from_kafka_value(raw)
            except ValueError as error:
                # A poison record would block the partition forever: log it and move on.
                log.error("loyalty.malformed_event", error=str(error))
                continue
            with self.engine.begin() as conn:
                new = apply_event(conn, self.tables, event)
            applied += int(new)
            log.info(
                "loyalty.event", event_id=event.event_id, type=event.event_type, duplicate=not new
            )
        return applied

    def poll_once(self, timeout_ms: int = 500) -> int:
        """Poll one batch, apply it, then commit the offsets."""
        batches = self.source.poll(timeout_ms=timeout_ms)
        values = [record.value for records in batches.values() for record in records]
        applied = self.handle(values)
        if values:
            self.source.commit()
        return applied

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set; failures are logged and retried after a pause."""
        while not stop.is_set():
            try:
                self.poll_once()
            except Exception:
                log.exception("loyalty.poll_failed")
                stop.wait(1.0)

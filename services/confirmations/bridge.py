"""The bridge loop: consume `payment.events`, publish each confirmation once, commit offsets.

Per event, one database transaction records the event id (processed-message table) and publishes
the message before committing: a failed publish rolls the record back and the event is retried;
a crash after the publish re-publishes with the same message id, which Zeebe refuses as a
duplicate (ALREADY_EXISTS) and the bridge treats as done.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog
from sqlalchemy import Engine, MetaData, Table

from services.common.consumer_loop import (
    Backoff,
    Delivery,
    LagReporter,
    commit_quietly,
    consumer_span,
    deliveries,
    run_batches,
)
from services.common.dedupe import process_once
from services.common.kafka_settings import CONSUMER_FETCH
from services.common.tables import processed_messages_table
from services.confirmations.mapping import DEFAULT_TTL_MS, Message, message_for

log = structlog.get_logger("services.confirmations")
TOPIC = "payment.events"
CONSUMER = "confirmations"


class Publisher(Protocol):
    """Port: publish one Zeebe message (idempotent by message id)."""

    def publish(self, message: Message) -> None:
        """Publish, treating a duplicate message id as success."""
        ...


class RecordSource(Protocol):
    """The part of kafka-python's KafkaConsumer used here."""

    def poll(self, timeout_ms: int = 0) -> Mapping[Any, list[Any]]:
        """Fetch records by partition."""
        ...

    def commit(self) -> None:
        """Commit the offsets of everything polled so far."""
        ...

    def assignment(self) -> set[Any]:
        """The partitions this consumer currently owns (empty until the group is joined)."""
        ...


def bridge_tables() -> tuple[MetaData, Table]:
    """The processed-message table of the bridge's own database."""
    metadata = MetaData()
    return metadata, processed_messages_table(metadata)


def ensure_topic(bootstrap_servers: str, topic: str = TOPIC) -> None:
    """Create the input topic if missing, so the group can be joined before the first event."""
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        if topic not in admin.list_topics():
            admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    except TopicAlreadyExistsError:
        pass  # a relay created it meanwhile
    finally:
        admin.close()


def kafka_source(bootstrap_servers: str) -> Any:
    """A consumer of `payment.events` in group `confirmations`, manual commits."""
    from kafka import KafkaConsumer

    ensure_topic(bootstrap_servers)
    return KafkaConsumer(
        TOPIC,
        bootstrap_servers=bootstrap_servers,
        group_id=CONSUMER,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        metadata_max_age_ms=5_000,
        **CONSUMER_FETCH,
    )


@dataclass
class ConfirmationBridge:
    """Maps payment events to messages and publishes each one once."""

    engine: Engine
    processed: Table
    source: RecordSource
    publisher: Publisher
    ttl_ms: int = DEFAULT_TTL_MS
    ready: bool = False
    backoff: Backoff = field(default_factory=Backoff)
    lag: LagReporter | None = None  # consumer lag gauge, set after each batch

    def handle(self, values: Iterable[bytes | Delivery]) -> int:
        """Publish the messages of new confirmation events; return how many were published.

        Each record is handled in a CONSUMER span, child of the payment relay's PRODUCER span."""
        published = 0
        for item in values:
            delivery = Delivery.of(item)
            with consumer_span(delivery, CONSUMER):
                published += self._handle_one(delivery.value)
        return published

    def _handle_one(self, raw: bytes) -> int:
        try:
            value = json.loads(raw)
        except ValueError as error:
            log.error("confirmations.malformed_event", error=str(error))
            return 0
        message = message_for(value, ttl_ms=self.ttl_ms) if isinstance(value, dict) else None
        return 0 if message is None else int(self._publish_once(message))

    def _publish_once(self, message: Message) -> bool:
        with self.engine.begin() as conn:
            if not process_once(
                conn, self.processed, consumer=CONSUMER, event_id=message.message_id
            ):
                return False
            self.publisher.publish(message)
        log.info(
            "confirmations.published",
            message=message.name,
            correlation_key=message.correlation_key,
            message_id=message.message_id,
            variables=dict(message.variables),
        )
        return True

    def poll_once(self, timeout_ms: int = 500) -> int:
        """Poll one batch, handle it, then commit the offsets."""
        return self._finish(self._poll(timeout_ms))

    def _finish(self, values: list[Delivery]) -> int:
        handled = self.handle(values)
        if values:
            self._commit()
        if self.lag is not None:
            self.lag.report()
        return handled

    def _poll(self, timeout_ms: int) -> list[Delivery]:
        batches = self.source.poll(timeout_ms=timeout_ms)
        # Ready once the group gave us partitions: confirmations from now on are seen promptly.
        self.ready = self.ready or bool(self.source.assignment())
        return deliveries(batches)

    def _commit(self) -> None:
        commit_quietly(self.source, "confirmations")

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set.

        A batch whose handling failed is retried as is, after an exponential back-off (the
        consumer's position has already moved past it, so polling again would skip it);
        per-event dedupe makes that safe.
        """
        run_batches(
            lambda: self._poll(500), self._finish, stop, backoff=self.backoff, name="confirmations"
        )

"""Kafka consumer feeding the saga status projection: service events -> `checkout_events`.

The attributable events of one polled batch are stored in one transaction (one multi-row insert),
then the newly stored ones are handed to `on_stored`, then the offsets are committed: offsets
never run ahead of the database. A redelivery is a no-op (event id primary key).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from services.checkout.projection import TOPICS, SagaEvent, attribute
from services.checkout.store import CheckoutStore
from services.common.consumer_loop import (
    Backoff,
    Delivery,
    LagReporter,
    batch_span,
    commit_quietly,
    deliveries,
    run_batches,
)
from services.common.kafka_settings import CONSUMER_FETCH

log = structlog.get_logger("services.checkout.consumer")
GROUP_ID = "checkout-status"


class RecordSource(Protocol):
    """The part of kafka-python's KafkaConsumer used here."""

    def poll(self, timeout_ms: int = 0) -> Mapping[Any, list[Any]]:
        """Fetch records by partition."""
        ...

    def commit(self) -> None:
        """Commit the offsets of everything polled so far."""
        ...


def kafka_source(bootstrap_servers: str, *, group_id: str = GROUP_ID) -> Any:
    """A consumer of every service topic, manual commits, from the earliest offset."""
    from kafka import KafkaConsumer

    return KafkaConsumer(
        *TOPICS,
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        # Topics may not exist yet when the API starts: pick them up as they appear.
        metadata_max_age_ms=5_000,
        **CONSUMER_FETCH,
    )


@dataclass
class StatusConsumer:
    """Stores every saga-attributable service event once."""

    store: CheckoutStore
    source: RecordSource
    backoff: Backoff = field(default_factory=Backoff)
    # Called once per batch with the newly stored events (the saga duration histogram), after
    # they are committed; errors are only logged.
    on_stored: Callable[[Sequence[SagaEvent]], None] | None = None
    lag: LagReporter | None = None  # consumer lag gauge, set after each batch

    def handle(self, values: Iterable[bytes | Delivery]) -> int:
        """Store the batch's attributable events in one transaction; return how many were new.

        The batch is one CONSUMER span linked to every record's PRODUCER span."""
        batch = [Delivery.of(item) for item in values]
        if not batch:
            return 0
        with batch_span(batch, GROUP_ID):
            events = [event for event in (_attributed(d.value) for d in batch) if event is not None]
            stored = self.store.add_events(events) if events else []
        if stored:
            self._notify(stored)
        return len(stored)

    def _notify(self, events: Sequence[SagaEvent]) -> None:
        if self.on_stored is None:
            return
        try:
            self.on_stored(events)
        except Exception as error:
            # A metric must not stall the projection: the events are stored, so a retry would
            # not observe them either.
            log.warning("checkout.on_stored_failed", error=str(error))

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
        return deliveries(self.source.poll(timeout_ms=timeout_ms))

    def _commit(self) -> None:
        commit_quietly(self.source, "checkout")

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set.

        A batch whose handling failed is retried as is, after an exponential back-off (the
        consumer's position has already moved past it, so polling again would skip it);
        per-event dedupe makes that safe.
        """
        run_batches(
            lambda: self._poll(500), self._finish, stop, backoff=self.backoff, name="checkout"
        )


def _attributed(raw: bytes) -> SagaEvent | None:
    """The saga event in one record value; None for a foreign or malformed record (logged)."""
    try:
        value = json.loads(raw)
    except ValueError as error:
        # A poison record must not block the partition.
        log.error("checkout.malformed_event", error=str(error))
        return None
    return attribute(value) if isinstance(value, dict) else None

"""Kafka consumer feeding the saga status projection: service events -> `saga_events`.

Offsets are committed after the events are stored; a redelivery is a no-op (event id primary key).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from services.checkout.projection import TOPICS, SagaEvent, attribute
from services.checkout.store import CheckoutStore
from services.common.consumer_loop import Backoff, LagReporter, run_batches

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
    )


@dataclass
class StatusConsumer:
    """Stores every saga-attributable service event once."""

    store: CheckoutStore
    source: RecordSource
    backoff: Backoff = field(default_factory=Backoff)
    # Called with each newly stored event (the saga duration histogram); errors only logged.
    on_stored: Callable[[SagaEvent], None] | None = None
    lag: LagReporter | None = None  # consumer lag gauge, set after each batch

    def handle(self, values: Iterable[bytes]) -> int:
        """Store attributable events; return how many were new."""
        stored = 0
        for raw in values:
            try:
                value = json.loads(raw)
            except ValueError as error:
                log.error("checkout.malformed_event", error=str(error))
                continue
            event = attribute(value) if isinstance(value, dict) else None
            if event is not None and self.store.add_event(event):
                stored += 1
                self._notify(event)
        return stored

    def _notify(self, event: SagaEvent) -> None:
        if self.on_stored is None:
            return
        try:
            self.on_stored(event)
        except Exception as error:
            # A metric must not stall the projection: the event is stored, so a retry would
            # not observe it either.
            log.warning("checkout.on_stored_failed", error=str(error))

    def poll_once(self, timeout_ms: int = 500) -> int:
        """Poll one batch, handle it, then commit the offsets."""
        return self._finish(self._poll(timeout_ms))

    def _finish(self, values: list[bytes]) -> int:
        handled = self.handle(values)
        if values:
            self._commit()
        if self.lag is not None:
            self.lag.report()
        return handled

    def _poll(self, timeout_ms: int) -> list[bytes]:
        batches = self.source.poll(timeout_ms=timeout_ms)
        return [record.value for records in batches.values() for record in records]

    def _commit(self) -> None:
        # A commit refused during a group rebalance only means the batch is delivered again,
        # which per-event dedupe turns into a no-op; raising would stall the loop instead.
        try:
            self.source.commit()
        except Exception as error:
            log.warning("checkout.commit_failed", error=str(error))

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set.

        A batch whose handling failed is retried as is, after an exponential back-off (the
        consumer's position has already moved past it, so polling again would skip it);
        per-event dedupe makes that safe.
        """
        run_batches(
            lambda: self._poll(500), self._finish, stop, backoff=self.backoff, name="checkout"
        )

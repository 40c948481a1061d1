"""Relay of the in-document outbox: publish unsent events to Kafka, then mark them sent.

`python -m services.order.relay` (with RELAY_PORT set, also `/health` and `/metrics` with
`outbox_backlog{service="order"}`, see `services.common.relay_health`). At least once: a crash
between the broker's ack and the mark re-publishes the event with the same `event_id`, which
consumers deduplicate.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from types import FrameType
from typing import Any

import structlog

from services.common.outbox_relay import KafkaPublisher, OutgoingMessage, Publisher
from services.common.relay_health import RelayMonitor, http_address, serve_health
from services.kit.tracing import configure_tracing
from services.order import domain as d
from services.order.store import OrderStore

log = structlog.get_logger("services.order.relay")
TOPIC = "order.events"


def to_message(document: Mapping[str, Any], event: Mapping[str, Any]) -> OutgoingMessage:
    """The Kafka record of one outbox entry, in the contract's value and header shape."""
    aggregate_type, aggregate_id = d.aggregate_of(document)
    value = {
        "event_id": event["event_id"],
        "event_type": event["event_type"],
        "aggregate_type": aggregate_type,
        "aggregate_id": aggregate_id,
        "occurred_at": event["occurred_at"],
        "payload": event["payload"],
    }
    headers = {
        **dict(event.get("headers") or {}),
        "event_id": event["event_id"],
        "event_type": event["event_type"],
    }
    return OutgoingMessage(TOPIC, aggregate_id, value, headers)


Pending = tuple[int, Mapping[str, Any]]


def _pending(document: Mapping[str, Any]) -> list[Pending]:
    """(index, entry) of the document's unsent outbox entries, in outbox order."""
    return [(i, e) for i, e in enumerate(document["outbox"]) if not e["sent"]]


@dataclass(frozen=True)
class RelayRound:
    """What one round did: events relayed, whether the batch was full (more may wait) and how
    many of its documents are still flagged (known only when the batch was not full)."""

    relayed: int
    full: bool
    left: int


@dataclass
class OrderOutboxRelay:
    """Scans documents with unsent events; publishes per document in outbox order."""

    store: OrderStore
    publisher: Publisher
    batch_size: int = 100

    def relay_once(self) -> int:
        """Relay one batch of documents; return how many events were published and marked."""
        return self.relay_round().relayed

    def relay_round(self) -> RelayRound:
        """Relay one batch of documents and say what is left. One publish (one broker flush)
        for the whole batch: nothing is marked unless every message of it was acknowledged."""
        documents = self.store.unsent(self.batch_size)
        plans = [(document, _pending(document)) for document in documents]
        messages = [
            to_message(document, event) for document, pending in plans for _, event in pending
        ]
        if messages:
            self.publisher.publish(messages)
        results = [self._mark_document(document, pending) for document, pending in plans]
        relayed = sum(count for count, _ in results)
        if relayed:
            log.info("order.outbox_relayed", count=relayed)
        left = sum(still_flagged for _, still_flagged in results)
        return RelayRound(relayed, len(documents) >= self.batch_size, left)

    def _mark_document(
        self, document: Mapping[str, Any], pending: list[Pending]
    ) -> tuple[int, bool]:
        """Mark a document's published events; the mark of the last one also clears its flag.
        Returns the events marked and whether the document is still flagged."""
        document_id, length = str(document["_id"]), len(document["outbox"])
        if not pending:
            return 0, not self.store.settle(document_id, length)
        relayed, settled = 0, False
        for position, (index, event) in enumerate(pending, start=1):
            settle = length if position == len(pending) else None
            # Conditional: a concurrent relay that marked it first makes this a no-op; a
            # concurrent append makes the settling mark fail, so mark without settling.
            marked = self.store.mark_sent(
                document_id, index, event["event_id"], settle_length=settle
            )
            settled = marked and settle is not None
            if not marked and settle is not None:
                marked = self.store.mark_sent(document_id, index, event["event_id"])
            relayed += marked
        return relayed, not settled

    def run(
        self,
        stop: threading.Event,
        *,
        poll_interval_s: float = 0.5,
        max_poll_interval_s: float = 5.0,
        monitor: RelayMonitor | None = None,
    ) -> None:
        """Relay until `stop` is set. Only a full batch is followed at once; otherwise sleep
        `poll_interval_s`, doubling up to `max_poll_interval_s` while rounds find nothing (each
        round reads every order on FerretDB v1, so spinning under load costs a core). A
        `monitor` hears of every completed round with the remaining backlog."""
        wait_s = poll_interval_s
        while not stop.is_set():
            try:
                result = self.relay_round()
                if monitor is not None:
                    monitor.succeeded(self.store.unsent_count() if result.full else result.left)
            except Exception:
                log.exception("order.outbox_relay_failed")
                result = RelayRound(0, False, 0)
            if result.full:
                continue
            wait_s = poll_interval_s if result.relayed else wait_s
            stop.wait(wait_s)
            wait_s = min(wait_s * 2, max_poll_interval_s)


def main(env: Mapping[str, str] = os.environ) -> int:
    """Run the relay until SIGTERM/SIGINT."""
    from services.order.app import OrderConfig, open_store

    configure_tracing("order-relay", env)  # a PRODUCER span per event, as the SQL relays do
    config = OrderConfig.from_env(env)
    store, client = open_store(config)
    publisher = KafkaPublisher(config.kafka_bootstrap_servers)
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    monitor = RelayMonitor("order")
    address = http_address(env)
    server = serve_health(monitor, *address) if address is not None else None
    try:
        OrderOutboxRelay(store, publisher).run(stop, monitor=monitor)
    finally:
        if server is not None:
            server.shutdown()
        publisher.close()
        client.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The status consumer stores attributable service events once."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import pytest

from services.checkout.consumer import StatusConsumer
from services.checkout.store import FakeCheckoutStore

pytestmark = pytest.mark.unit


@dataclass
class Record:
    """A Kafka record's value."""

    value: bytes


class ScriptedSource:
    """Returns one batch, then nothing; counts commits."""

    def __init__(self, values: list[bytes]) -> None:
        self.batches = [{"tp": [Record(v) for v in values]}]
        self.commits = 0

    def poll(self, timeout_ms: int = 0) -> dict[Any, list[Any]]:
        return self.batches.pop(0) if self.batches else {}

    def commit(self) -> None:
        self.commits += 1


def _raw(event_id: str, key: str) -> bytes:
    value = {
        "event_id": event_id,
        "event_type": "cart.consumed",
        "aggregate_id": "c",
        "payload": {"reservation_key": key},
    }
    return json.dumps(value).encode()


def test_redelivered_events_are_stored_once_and_offsets_committed() -> None:
    """At-least-once delivery: duplicates (same event id) are no-ops."""
    store = FakeCheckoutStore()
    source = ScriptedSource([_raw("cart:1", "7:cart-reserve"), _raw("cart:1", "7:cart-reserve")])

    stored = StatusConsumer(store, source).poll_once()

    assert stored == 1
    assert source.commits == 1
    assert [e.event_type for e in store.events(7)] == ["cart.consumed"]


def test_malformed_and_foreign_records_are_skipped() -> None:
    """A poison record must not block the partition."""
    store = FakeCheckoutStore()
    foreign = json.dumps(
        {"event_id": "x:1", "event_type": "inventory.stock_set", "payload": {"sku": "a"}}
    )

    stored = StatusConsumer(store, ScriptedSource([b"{not json", foreign.encode()])).poll_once()

    assert stored == 0
    assert store.saga_events == {}


class FlakyStore(FakeCheckoutStore):
    """Fails the first write, like a database that is briefly unreachable."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    def add_event(self, event: Any) -> bool:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database unreachable")
        return super().add_event(event)


def test_a_failed_batch_is_retried_not_skipped() -> None:
    """The consumer position moved past the batch: `run` retries it instead of polling on."""
    store = FlakyStore()
    source = ScriptedSource([_raw("cart:5", "8:cart-reserve")])
    stop = threading.Event()
    thread = threading.Thread(target=StatusConsumer(store, source).run, args=(stop,))

    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not store.events(8) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=5)

    assert [e.event_id for e in store.events(8)] == ["cart:5"]
    assert source.commits == 1


class RebalancingSource(ScriptedSource):
    """Refuses the commit, like kafka-python during a group rebalance."""

    def commit(self) -> None:
        raise RuntimeError("RebalanceInProgressError")


def test_a_refused_commit_does_not_stop_consumption() -> None:
    """At least once: a refused commit means redelivery (deduplicated), not a stalled loop."""
    store = FakeCheckoutStore()
    source = RebalancingSource([_raw("cart:6", "9:cart-reserve")])

    stored = StatusConsumer(store, source).poll_once()

    assert stored == 1
    assert [e.event_id for e in store.events(9)] == ["cart:6"]

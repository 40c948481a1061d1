"""The status consumer stores attributable service events once."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from services.checkout.consumer import StatusConsumer
from services.checkout.fake_store import FakeCheckoutStore
from services.checkout.projection import SagaEvent

pytestmark = pytest.mark.unit


@dataclass
class Record:
    """A Kafka record's value."""

    value: bytes


class ScriptedSource:
    """Returns its batches in turn, then nothing; counts commits."""

    def __init__(self, values: list[bytes], *more: list[bytes]) -> None:
        self.batches = [{"tp": [Record(v) for v in batch]} for batch in (values, *more)]
        self.commits = 0

    def poll(self, timeout_ms: int = 0) -> dict[Any, list[Any]]:
        return self.batches.pop(0) if self.batches else {}

    def commit(self) -> None:
        self.commits += 1


def _co(n: int) -> str:
    """A checkout id of the checkout API's form (`co_` + 24 hex digits)."""
    return f"co_{n:024x}"


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
    source = ScriptedSource(
        [_raw("cart:1", f"{_co(7)}:cart-reserve"), _raw("cart:1", f"{_co(7)}:cart-reserve")]
    )

    stored = StatusConsumer(store, source).poll_once()

    assert stored == 1
    assert source.commits == 1
    assert [e.event_type for e in store.events(_co(7))] == ["cart.consumed"]


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

    def add_events(self, events: Sequence[SagaEvent]) -> list[SagaEvent]:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database unreachable")
        return super().add_events(events)


def test_a_failed_batch_is_retried_not_skipped() -> None:
    """The consumer position moved past the batch: `run` retries it instead of polling on."""
    store = FlakyStore()
    source = ScriptedSource([_raw("cart:5", f"{_co(8)}:cart-reserve")])
    stop = threading.Event()
    thread = threading.Thread(target=StatusConsumer(store, source).run, args=(stop,))

    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not store.events(_co(8)) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=5)

    assert [e.event_id for e in store.events(_co(8))] == ["cart:5"]
    assert source.commits == 1


class RebalancingSource(ScriptedSource):
    """Refuses the commit, like kafka-python during a group rebalance."""

    def commit(self) -> None:
        raise RuntimeError("RebalanceInProgressError")


def test_a_refused_commit_does_not_stop_consumption() -> None:
    """At least once: a refused commit means redelivery (deduplicated), not a stalled loop."""
    store = FakeCheckoutStore()
    source = RebalancingSource([_raw("cart:6", f"{_co(9)}:cart-reserve")])

    stored = StatusConsumer(store, source).poll_once()

    assert stored == 1
    assert [e.event_id for e in store.events(_co(9))] == ["cart:6"]


class CountingStore(FakeCheckoutStore):
    """Counts store calls (one call = one transaction in the SQL store)."""

    def __init__(self, journal: list[str] | None = None) -> None:
        super().__init__()
        self.batches: list[int] = []
        self.journal = journal if journal is not None else []

    def add_events(self, events: Sequence[SagaEvent]) -> list[SagaEvent]:
        self.batches.append(len(events))
        self.journal.append("store")
        return super().add_events(events)


def test_a_polled_batch_is_stored_in_one_transaction() -> None:
    """h23 brief: all attributable events of one poll go to the store in one call."""
    store = CountingStore()
    values = [_raw(f"cart:{n}", f"{_co(n)}:cart-reserve") for n in range(1, 6)]

    stored = StatusConsumer(store, ScriptedSource(values)).poll_once()

    assert (stored, store.batches) == (5, [5])


def test_duplicates_inside_one_batch_are_stored_and_notified_once() -> None:
    """At-least-once delivery can repeat a record inside one fetch: first occurrence wins."""
    store = FakeCheckoutStore()
    notified: list[list[str]] = []
    values = [_raw("cart:1", f"{_co(7)}:cart-reserve"), _raw("cart:2", f"{_co(7)}:cart-reserve")]
    consumer = StatusConsumer(
        store,
        ScriptedSource([values[0], values[1], values[0]]),
        on_stored=lambda events: notified.append([e.event_id for e in events]),
    )

    stored = consumer.poll_once()

    assert stored == 2
    assert notified == [["cart:1", "cart:2"]]
    assert sorted(store.saga_events) == ["cart:1", "cart:2"]


def test_duplicates_across_batches_are_not_notified_again() -> None:
    """A redelivered batch (e.g. after a refused commit) stores and notifies only what is new."""
    store = FakeCheckoutStore()
    notified: list[list[str]] = []
    first = [_raw("cart:1", f"{_co(7)}:cart-reserve"), _raw("cart:2", f"{_co(7)}:cart-reserve")]
    second = [first[1], _raw("cart:3", f"{_co(7)}:cart-reserve")]
    consumer = StatusConsumer(
        store,
        ScriptedSource(first, second),
        on_stored=lambda events: notified.append([e.event_id for e in events]),
    )

    counts = (consumer.poll_once(), consumer.poll_once())

    assert counts == (2, 1)
    assert notified == [["cart:1", "cart:2"], ["cart:3"]]


class JournalSource(ScriptedSource):
    """Writes its commits into a shared journal."""

    def __init__(self, journal: list[str], values: list[bytes]) -> None:
        super().__init__(values)
        self.journal = journal

    def commit(self) -> None:
        self.journal.append("commit")
        super().commit()


def test_offsets_are_committed_after_the_store_and_the_notification() -> None:
    """Offsets never run ahead of the database: store, notify, then commit the batch."""
    journal: list[str] = []
    consumer = StatusConsumer(
        CountingStore(journal),
        JournalSource(journal, [_raw("cart:1", f"{_co(7)}:cart-reserve")]),
        on_stored=lambda events: journal.append("notify"),
    )

    consumer.poll_once()

    assert journal == ["store", "notify", "commit"]


def test_a_batch_without_saga_events_skips_the_store_but_commits() -> None:
    """Nothing attributable: no database round trip, yet the offsets move on."""
    store = CountingStore()
    source = ScriptedSource([b"{not json", json.dumps({"event_id": "x"}).encode()])

    stored = StatusConsumer(store, source).poll_once()

    assert (stored, store.batches, source.commits) == (0, [], 1)

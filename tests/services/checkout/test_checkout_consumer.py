"""The status consumer stores attributable service events once."""

from __future__ import annotations

import json
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

"""Saga duration histogram: observed once, when a checkout's folded status becomes terminal."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from services.checkout.consumer import StatusConsumer
from services.checkout.fake_store import FakeCheckoutStore
from services.checkout.projection import SagaEvent
from services.checkout.saga_metrics import SagaDurationObserver, saga_duration_histogram
from services.checkout.store import Checkout, Saga, Started

pytestmark = pytest.mark.unit

PIK = 2251799813685249
CO, CO2 = "co_" + "1" * 24, "co_" + "2" * 24
NAME = "checkout_saga_duration_seconds"


@dataclass
class Clock:
    """A settable clock."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


def setup(
    version: str = "v1", store: FakeCheckoutStore | None = None
) -> tuple[FakeCheckoutStore, CollectorRegistry, SagaDurationObserver, Clock]:
    store = store if store is not None else FakeCheckoutStore()
    checkout = Checkout(CO, None, "fp", {}, version, "00-" + "1" * 32 + "-" + "2" * 16 + "-01")
    stored, _ = store.create(checkout, lambda c: Started(100, PIK))
    assert stored.created_at is not None
    registry = CollectorRegistry()
    clock = Clock(stored.created_at + timedelta(seconds=3))
    observer = SagaDurationObserver(store, saga_duration_histogram(registry), clock)
    return store, registry, observer, clock


def store_event(store: FakeCheckoutStore, observer: SagaDurationObserver, event: SagaEvent) -> None:
    observer(store.add_events([event]))


def event(event_id: str, event_type: str, element: str = "cart-consume") -> SagaEvent:
    return SagaEvent(event_id, event_type, CO, element, {})


def count(registry: CollectorRegistry, outcome: str, version: str = "v1") -> float | None:
    return registry.get_sample_value(f"{NAME}_count", {"outcome": outcome, "version": version})


def test_a_completed_saga_is_observed_with_its_duration_and_version() -> None:
    """DESIGN §5 (saga p99 > 5 s): accepted POST -> completed, labelled outcome and version."""
    store, registry, observer, _ = setup("v2")

    store_event(store, observer, event("cart:1", "cart.reserved", "cart-reserve"))
    store_event(store, observer, event("cart:2", "cart.consumed"))

    assert count(registry, "completed", "v2") == 1
    assert registry.get_sample_value(f"{NAME}_sum", {"outcome": "completed", "version": "v2"}) == 3
    labels = {"outcome": "completed", "version": "v2", "le": "2.0"}
    assert registry.get_sample_value(f"{NAME}_bucket", labels) == 0


def test_events_that_do_not_end_the_saga_observe_nothing() -> None:
    """A pending saga has no duration yet."""
    store, registry, observer, _ = setup()

    store_event(store, observer, event("cart:1", "cart.reserved", "cart-reserve"))

    assert count(registry, "completed") is None
    assert count(registry, "failed") is None


def test_a_failed_saga_is_observed_once_despite_several_compensation_events() -> None:
    """The first failure event ends the saga; later compensations do not observe again."""
    store, registry, observer, clock = setup()

    store_event(store, observer, event("payment:1", "payment.declined", "payment-capture"))
    clock.now += timedelta(seconds=5)
    store_event(store, observer, event("cart:3", "cart.reservation_released", "cart-reserve"))
    store_event(store, observer, event("inventory:4", "inventory.released", "inventory-allocate"))

    assert count(registry, "failed") == 1
    assert registry.get_sample_value(f"{NAME}_sum", {"outcome": "failed", "version": "v1"}) == 3


def test_a_failure_and_its_compensations_in_one_batch_observe_the_saga_once() -> None:
    """The consumer hands over a whole stored batch: the saga was pending before the batch, so
    it is observed once, although every event of the batch can end it."""
    store, registry, observer, _ = setup()
    batch = [
        event("payment:1", "payment.declined", "payment-capture"),
        event("cart:3", "cart.reservation_released", "cart-reserve"),
    ]

    observer(store.add_events(batch))

    assert count(registry, "failed") == 1


class ReadCountingStore(FakeCheckoutStore):
    """Counts the store reads of the observer."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def sagas(self, checkout_ids: Collection[str]) -> dict[str, Saga]:
        self.reads += 1
        return super().sagas(checkout_ids)


def test_a_batch_that_ends_no_saga_reads_nothing() -> None:
    """Events that cannot end a saga skip the store reads (the consumer's hot path)."""
    store = ReadCountingStore()
    _, _, observer, _ = setup(store=store)

    observer(store.add_events([event("cart:1", "cart.reserved", "cart-reserve")]))

    assert store.reads == 0


def test_a_saga_is_read_once_per_batch() -> None:
    """Several ending events of one saga in one batch: one read, not one per event."""
    store = ReadCountingStore()
    _, registry, observer, _ = setup(store=store)
    batch = [
        event("payment:1", "payment.declined", "payment-capture"),
        event("cart:3", "cart.reservation_released", "cart-reserve"),
        event("inventory:4", "inventory.released", "inventory-allocate"),
    ]

    observer(store.add_events(batch))

    assert (store.reads, count(registry, "failed")) == (1, 1)


def test_a_batch_ending_several_sagas_reads_the_store_once_and_observes_each() -> None:
    """One read per batch, whatever the number of sagas it ends."""
    store = ReadCountingStore()
    _, registry, observer, _ = setup(store=store)
    other = Checkout(CO2, None, "fp", {}, "v1", "00-" + "3" * 32 + "-" + "4" * 16 + "-01")
    store.create(other, lambda c: Started(100, PIK + 1))
    batch = [
        event("cart:2", "cart.consumed"),
        SagaEvent("payment:5", "payment.declined", CO2, "payment-capture", {}),
    ]

    observer(store.add_events(batch))

    assert store.reads == 1
    assert (count(registry, "completed"), count(registry, "failed")) == (1, 1)


def test_events_of_an_unknown_checkout_observe_nothing() -> None:
    """No checkout row (not committed yet, or another database's): nothing to measure from."""
    store, registry, observer, _ = setup()
    foreign = SagaEvent("cart:9", "cart.consumed", "co_" + "f" * 24, "cart-consume", {})

    store_event(store, observer, foreign)

    assert count(registry, "completed") is None


class Source:
    """One batch, then nothing."""

    def __init__(self, values: list[bytes]) -> None:
        self.batches = [{"tp": [type("R", (), {"value": v})() for v in values]}]

    def poll(self, timeout_ms: int = 0) -> dict[Any, list[Any]]:
        return self.batches.pop(0) if self.batches else {}

    def commit(self) -> None:
        pass


def raw(event_id: str, event_type: str, key: str) -> bytes:
    value = {"event_id": event_id, "event_type": event_type, "payload": {"reservation_key": key}}
    return json.dumps(value).encode()


def test_the_status_consumer_observes_newly_stored_events_only() -> None:
    """The consumer hands the observer the new events only; a redelivery is not observed twice."""
    store, registry, observer, _ = setup()
    consumed = raw("cart:2", "cart.consumed", f"{CO}:cart-reserve")

    StatusConsumer(store, Source([consumed, consumed]), on_stored=observer).poll_once()

    assert count(registry, "completed") == 1


def test_a_failing_observer_does_not_stall_the_projection() -> None:
    """A metric is not worth a stuck consumer: the event is stored and offsets committed."""
    store = FakeCheckoutStore()

    def broken(events: Sequence[SagaEvent]) -> None:
        raise ConnectionError("database unreachable")

    stored = StatusConsumer(
        store, Source([raw("cart:2", "cart.consumed", f"{CO}:cart-reserve")]), on_stored=broken
    ).poll_once()

    assert stored == 1
    assert [e.event_id for e in store.events(CO)] == ["cart:2"]


class LaggingSource(Source):
    """A KafkaConsumer-like source 4 records behind on one partition."""

    def assignment(self) -> set[str]:
        return {"cart.events-0"}

    def highwater(self, partition: str) -> int:
        return 10

    def position(self, partition: str) -> int:
        return 6


def test_the_entry_point_wires_the_histogram_and_the_lag_gauge_into_metrics() -> None:
    """`python -m services.checkout` composes the consumer: both series reach `/metrics`."""
    from services.checkout.__main__ import _status_consumer
    from services.checkout.app import create_app
    from tests.services.checkout.checkout_fakes import RecordingStarter

    store = FakeCheckoutStore()
    app = create_app({"STORE": store, "STARTER": RecordingStarter()})
    created = app.test_client().post(
        "/checkouts", json={"cartId": "c", "customerId": "u", "cardToken": "tok"}
    )
    checkout_id = created.get_json()["checkoutId"]
    source = LaggingSource([raw("cart:2", "cart.consumed", f"{checkout_id}:cart-reserve")])

    _status_consumer(app, source).poll_once()

    body = app.test_client().get("/metrics").get_data(as_text=True)
    assert "checkout_status_consumer_lag 4.0" in body
    assert 'checkout_saga_duration_seconds_count{outcome="completed",version=' in body

"""One behaviour suite for the order service, run on the fake store and on FerretDB.

Subclasses provide a `store` fixture (CONVENTIONS 13: contract tests for every port).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.common.outbox_relay import OutgoingMessage
from services.common.relay_health import RelayMonitor
from services.order import create_app
from services.order.relay import OrderOutboxRelay
from services.order.store import OrderStore

BODY: dict[str, Any] = {
    "checkout_id": "chk-1",
    "customer_id": "cust-1",
    "items": [{"sku": "sku-1", "quantity": 2, "unit_price": 1000}],
    "discount": 200,
    "tax": 144,
}


class StopAfterWaits(threading.Event):
    """A stop event that sets itself on the n-th wait: runs a relay loop for n idle rounds."""

    def __init__(self, waits: int) -> None:
        super().__init__()
        self.left = waits

    def wait(self, timeout: float | None = None) -> bool:
        self.left -= 1
        if self.left <= 0:
            self.set()
        return self.is_set()


class RecordingPublisher:
    """Publisher fake: records acknowledged messages; can be told to fail."""

    def __init__(self) -> None:
        self.messages: list[OutgoingMessage] = []
        self.fail = False

    def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.messages.extend(messages)


def js(response: Any) -> Any:
    """JSON body of a test-client response."""
    return response.json


class OrderServiceContract:
    """Behaviour every OrderStore must give the service."""

    @pytest.fixture
    def client(self, store: OrderStore) -> FlaskClient:
        return create_app(store=store).test_client()

    @staticmethod
    def create(client: FlaskClient, key: str, body: dict[str, Any] | None = None) -> Any:
        return client.post("/v1/orders", json=body or BODY, headers={"Idempotency-Key": key})

    @staticmethod
    def cancel(client: FlaskClient, key: str) -> Any:
        return client.post(f"/v1/orders/{key}/compensation")

    def test_create_stores_order_with_totals_and_created_event_inside(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """Brief: order document with items, totals, checkout id; event in the same write."""
        response = self.create(client, "pi-1:order")
        assert response.status_code == 200
        body = js(response)
        assert (body["subtotal"], body["discount"], body["tax"], body["total"]) == (
            2000,
            200,
            144,
            1944,
        )
        document = store.get("pi-1:order")
        assert document is not None
        assert [(e["event_type"], e["sent"]) for e in document["outbox"]] == [
            ("order.created", False)
        ]
        assert document["outbox"][0]["payload"] == body

    def test_retried_create_replays_without_second_order(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """CONTRACT 1: same key and body -> same status and body, no second effect."""
        first, second = self.create(client, "pi-2:order"), self.create(client, "pi-2:order")
        assert (first.status_code, js(first)) == (second.status_code, js(second))
        assert len(store.unsent(100)) == 1

    def test_concurrent_creates_make_one_order(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """Brief: unique index on the idempotency key serialises concurrent creates."""
        results: list[Any] = []
        threads = [
            threading.Thread(target=lambda: results.append(js(self.create(client, "pi-3:order"))))
            for _ in range(5)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({r["order_id"] for r in results}) == 1
        assert len(store.unsent(100)) == 1

    def test_same_key_other_body_is_refused(self, client: FlaskClient) -> None:
        """CONTRACT 1: same key, different body -> 422 IDEMPOTENCY_KEY_REUSED."""
        self.create(client, "pi-4:order")
        other = self.create(client, "pi-4:order", {**BODY, "tax": 0})
        assert (other.status_code, js(other)["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")

    def test_cancel_happens_once_with_one_cancelled_event(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """CONTRACT 1: compensation undoes once; a repeat returns the same body."""
        self.create(client, "pi-5:order")
        first, second = self.cancel(client, "pi-5:order"), self.cancel(client, "pi-5:order")
        assert js(first) == js(second) == {"status": "compensated", "key": "pi-5:order"}
        document = store.get("pi-5:order")
        assert document is not None
        assert document["status"] == "cancelled"
        assert [e["event_type"] for e in document["outbox"]] == ["order.created", "order.cancelled"]

    def test_create_after_cancel_is_refused(self, client: FlaskClient) -> None:
        """CONTRACT 1: a late forward call after compensation gets 409 COMPENSATED."""
        self.create(client, "pi-6:order")
        self.cancel(client, "pi-6:order")
        late = self.create(client, "pi-6:order")
        assert (late.status_code, js(late)["code"]) == (409, "COMPENSATED")

    def test_cancel_of_unknown_key_tombstones_and_refuses_later_create(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """CONTRACT 1: compensation of nothing records a tombstone (as a document here)."""
        assert js(self.cancel(client, "pi-7:order"))["status"] == "tombstoned"
        assert js(self.cancel(client, "pi-7:order"))["status"] == "tombstoned"
        assert self.create(client, "pi-7:order").status_code == 409
        tombstone = store.get("pi-7:order")
        assert tombstone is not None
        assert tombstone["status"] == "tombstone"
        assert [e["event_type"] for e in tombstone["outbox"]] == ["order.orders.tombstoned"]

    def test_racing_create_and_cancel_never_leave_a_live_order(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """No order without its saga: whichever of create and cancel wins, the key ends
        compensated (cancelled order or tombstone) and a later create is refused."""
        for attempt in range(5):
            key = f"pi-race-{attempt}:order"
            threads = [
                threading.Thread(target=lambda k=key: self.create(client, k)),
                threading.Thread(target=lambda k=key: self.cancel(client, k)),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            document = store.get(key)
            assert document is not None
            assert document["status"] in ("cancelled", "tombstone")
            assert self.create(client, key).status_code == 409

    def test_operation_record_follows_the_contract(self, client: FlaskClient) -> None:
        """CONTRACT 1: GET /v1/<operation>/{key} returns the record or 404."""
        self.create(client, "pi-8:order")
        record = js(client.get("/v1/orders/pi-8:order"))
        assert (record["operation"], record["status"]) == ("orders", "done")
        self.cancel(client, "pi-8:order")
        assert js(client.get("/v1/orders/pi-8:order"))["status"] == "compensated"
        assert client.get("/v1/orders/unknown").status_code == 404

    def test_relay_publishes_exactly_the_unsent_events(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """Brief: the relay publishes unsent events, then marks them sent (conditional update)."""
        publisher = RecordingPublisher()
        relay = OrderOutboxRelay(store, publisher)
        self.create(client, "pi-9:a")
        self.create(client, "pi-9:b")
        assert relay.relay_once() == 2
        self.cancel(client, "pi-9:a")
        assert relay.relay_once() == 1
        assert relay.relay_once() == 0
        types = [m.value["event_type"] for m in publisher.messages]
        assert types == ["order.created", "order.created", "order.cancelled"]
        assert len({m.value["event_id"] for m in publisher.messages}) == 3
        assert store.unsent(100) == []

    def test_relay_marks_nothing_when_the_broker_does_not_ack(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """DESIGN 4: rows are marked sent only after the broker acks: at least once, never lost."""
        publisher = RecordingPublisher()
        relay = OrderOutboxRelay(store, publisher)
        self.create(client, "pi-10:order")
        publisher.fail = True
        with pytest.raises(ConnectionError):
            relay.relay_once()
        assert len(store.unsent(100)) == 1
        publisher.fail = False
        assert relay.relay_once() == 1

    def test_relay_reports_its_backlog_and_completed_rounds_to_the_monitor(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """Brief H18 (outbox backlog alert): documents with unsent events, after each round."""
        self.create(client, "pi-12:a")
        self.create(client, "pi-12:b")
        assert store.unsent_count() == 2
        publisher, monitor = RecordingPublisher(), RelayMonitor("order")
        publisher.fail = True
        stop = StopAfterWaits(1)
        OrderOutboxRelay(store, publisher).run(stop, poll_interval_s=0, monitor=monitor)
        assert not monitor.healthy()
        publisher.fail = False
        OrderOutboxRelay(store, publisher).run(
            StopAfterWaits(1), poll_interval_s=0, monitor=monitor
        )
        backlog = monitor.registry.get_sample_value("outbox_backlog", {"service": "order"})
        assert (backlog, store.unsent_count(), monitor.healthy()) == (0, 0, True)

    def test_relay_messages_are_keyed_by_order_id(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """CONTRACT 6: topic order.events, key = aggregate id, event_id and type in headers."""
        publisher = RecordingPublisher()
        order_id = js(self.create(client, "pi-11:order"))["order_id"]
        OrderOutboxRelay(store, publisher).relay_once()
        message = publisher.messages[0]
        assert (message.topic, message.key) == ("order.events", order_id)
        assert message.headers["event_type"] == "order.created"
        assert message.value["aggregate_id"] == order_id

    def test_health_is_ok(self, client: FlaskClient) -> None:
        """CONTRACT 5: /health answers after a real round trip."""
        assert js(client.get("/health")) == {"status": "ok", "service": "order"}

"""The order outbox's pending flag and the relay's idle back-off, on every OrderStore.

Issue #5 (checkout throughput): the relay queries an indexed top-level `outbox_pending` flag
instead of `{"outbox.sent": false}`, which FerretDB v1 answers by scanning every order.
Subclasses provide a `store` fixture (CONVENTIONS 13: contract tests for every port).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from flask.testing import FlaskClient
from order_service_contract import BODY, RecordingPublisher, StopAfterWaits

from services.common.outbox_relay import OutgoingMessage
from services.order import create_app
from services.order.relay import OrderOutboxRelay
from services.order.store import OrderStore


class CancelDuringPublish(RecordingPublisher):
    """A publisher during whose broker round trip the order is cancelled (a concurrent append)."""

    def __init__(self, client: FlaskClient, key: str) -> None:
        super().__init__()
        self.client, self.key, self.done = client, key, False

    def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        super().publish(messages)
        if not self.done:
            self.done = True
            assert self.client.post(f"/v1/orders/{self.key}/compensation").status_code == 200


class RecordingStop(StopAfterWaits):
    """StopAfterWaits that also records every wait's timeout."""

    def __init__(self, waits: int) -> None:
        super().__init__(waits)
        self.timeouts: list[float | None] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.timeouts.append(timeout)
        return super().wait(timeout)


class OrderOutboxContract:
    """Flag semantics every OrderStore must give the relay."""

    @pytest.fixture
    def client(self, store: OrderStore) -> FlaskClient:
        return create_app(store=store).test_client()

    @staticmethod
    def create(client: FlaskClient, key: str) -> None:
        response = client.post("/v1/orders", json=BODY, headers={"Idempotency-Key": key})
        assert response.status_code == 200

    def test_created_order_is_flagged_pending_until_relayed(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """The write that appends an event sets the flag; marking the last event clears it."""
        self.create(client, "flag-1:order")
        assert store.get("flag-1:order")["outbox_pending"] is True  # type: ignore[index]
        assert OrderOutboxRelay(store, RecordingPublisher()).relay_once() == 1
        assert store.get("flag-1:order")["outbox_pending"] is False  # type: ignore[index]
        assert (store.unsent(100), store.unsent_count()) == ([], 0)

    def test_cancel_after_relay_flags_the_document_again(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """The compensation's append sets the flag in the same write: the event is not missed."""
        self.create(client, "flag-2:order")
        relay = OrderOutboxRelay(store, RecordingPublisher())
        relay.relay_once()
        assert client.post("/v1/orders/flag-2:order/compensation").status_code == 200
        assert store.unsent_count() == 1
        assert relay.relay_once() == 1
        assert store.unsent_count() == 0

    def test_append_racing_the_relay_keeps_the_flag_and_the_new_event(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """DESIGN 4 at least once: an event appended between the relay's read and its mark
        must stay flagged, so the next round publishes it."""
        self.create(client, "flag-3:order")
        publisher = CancelDuringPublish(client, "flag-3:order")
        relay = OrderOutboxRelay(store, publisher)
        assert relay.relay_once() == 1
        document = store.get("flag-3:order")
        assert document is not None
        assert [e["sent"] for e in document["outbox"]] == [True, False]
        assert document["outbox_pending"] is True
        assert relay.relay_once() == 1
        types = [m.value["event_type"] for m in publisher.messages]
        assert (types, store.unsent_count()) == (["order.created", "order.cancelled"], 0)

    def test_settle_refuses_while_any_entry_is_unsent(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """The flag is cleared only when every entry is sent: with the first entry sent and the
        second not (FerretDB v1.24 on PostgreSQL matched `outbox.sent: {$ne: false}` here)."""
        self.create(client, "flag-4:order")
        OrderOutboxRelay(store, RecordingPublisher()).relay_once()
        assert client.post("/v1/orders/flag-4:order/compensation").status_code == 200
        document = store.get("flag-4:order")
        assert document is not None
        assert [e["sent"] for e in document["outbox"]] == [True, False]
        assert store.settle(str(document["_id"]), 2) is False
        assert store.unsent_count() == 1
        assert store.settle(str(document["_id"]), 1) is False  # the outbox grew since

    def test_idle_relay_backs_off_doubling_up_to_the_cap(self, store: OrderStore) -> None:
        """Issue #5: an idle relay polls 0.5 s, then doubles its wait up to 5 s."""
        stop = RecordingStop(6)
        OrderOutboxRelay(store, RecordingPublisher()).run(stop)
        assert stop.timeouts == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]

    def test_work_resets_the_back_off(self, client: FlaskClient, store: OrderStore) -> None:
        """Issue #5: after relaying something the next idle wait is the short one again."""
        relay = OrderOutboxRelay(store, RecordingPublisher())
        stop = RecordingStop(3)
        original_wait = stop.wait

        def wait_then_create(timeout: float | None = None) -> bool:
            if len(stop.timeouts) == 1:
                self.create(client, "flag-4:order")
            return original_wait(timeout)

        stop.wait = wait_then_create  # type: ignore[method-assign]
        relay.run(stop, poll_interval_s=0.5, max_poll_interval_s=5.0)
        assert stop.timeouts == [0.5, 1.0, 0.5]

    def test_full_batch_is_followed_at_once_and_a_partial_one_waits(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """Issue #5: only a full batch means more may be waiting; any other round sleeps, so a
        busy relay does not re-read every order back to back."""
        self.create(client, "flag-5:a")
        self.create(client, "flag-5:b")
        publisher, stop = RecordingPublisher(), RecordingStop(1)
        OrderOutboxRelay(store, publisher, batch_size=1).run(stop)
        assert (len(publisher.messages), stop.timeouts) == (2, [0.5])

    def test_round_reports_what_is_left(self, client: FlaskClient, store: OrderStore) -> None:
        """Brief H18 backlog without a second scan: a partial batch that settled leaves 0."""
        self.create(client, "flag-6:a")
        result = OrderOutboxRelay(store, RecordingPublisher()).relay_round()
        assert (result.relayed, result.full, result.left) == (1, False, 0)

    def test_a_round_publishes_its_whole_batch_in_one_broker_call(
        self, client: FlaskClient, store: OrderStore
    ) -> None:
        """Issue #5: one flush per round, not per document; none is marked before the ack."""
        self.create(client, "flag-7:a")
        self.create(client, "flag-7:b")
        calls: list[int] = []

        class CountingPublisher(RecordingPublisher):
            def publish(self, messages: Sequence[OutgoingMessage]) -> None:
                calls.append(len(messages))
                assert store.unsent_count() == 2  # nothing marked while the broker is asked
                super().publish(messages)

        assert OrderOutboxRelay(store, CountingPublisher()).relay_once() == 2
        assert (calls, store.unsent_count()) == ([2], 0)

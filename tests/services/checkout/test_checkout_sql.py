"""The PostgreSQL checkout store: one saga per Idempotency-Key under concurrency."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from checkout_fakes import RecordingStarter
from flask import Flask
from sqlalchemy import Engine, event

from services.checkout.app import create_app
from services.checkout.projection import SagaEvent
from services.checkout.store import Started
from services.common.testing import create_test_database, drop_test_database, postgres_base_url

pytestmark = pytest.mark.integration

BODY = {"cartId": "cart-1", "customerId": "cust-1", "cardToken": "tok_approve"}
CO7, CO8 = "co_" + "7" * 24, "co_" + "8" * 24


@pytest.fixture
def sql_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh checkout database on the session's PostgreSQL."""
    base = postgres_base_url(request)
    if base is None:
        pytest.skip("no PostgreSQL: load the stack plugin or set TEST_POSTGRES_URL")
    url = create_test_database(base, "checkout")
    yield url
    drop_test_database(url)


class SlowStarter(RecordingStarter):
    """Holds the first start long enough for concurrent duplicates to pile up on the key."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def start(self, version: str, variables: dict[str, object]) -> object:  # type: ignore[override]
        self.release.wait(2.0)
        return super().start(version, variables)


@pytest.fixture
def app_and_starter(sql_url: str) -> Iterator[tuple[Flask, SlowStarter]]:
    """Checkout API on PostgreSQL with a slow fake engine."""
    starter = SlowStarter()
    app = create_app({"DATABASE_URL": sql_url, "STARTER": starter})
    yield app, starter
    app.extensions["checkout_store"].engine.dispose()


def test_concurrent_posts_with_one_key_start_one_saga(
    app_and_starter: tuple[Flask, SlowStarter],
) -> None:
    """The unique index on idempotency_key serialises duplicates: one saga, one checkout id."""
    app, starter = app_and_starter

    def post(_: int) -> dict[str, object]:
        response = app.test_client().post("/checkouts", json=BODY, headers={"Idempotency-Key": "k"})
        assert response.status_code == 202
        return dict(response.get_json())

    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(post, n) for n in range(6)]
        threading.Timer(0.5, starter.release.set).start()
        bodies = [future.result() for future in futures]

    assert len({str(body["checkoutId"]) for body in bodies}) == 1
    assert len(starter.starts) == 1


def test_status_reads_events_stored_once(app_and_starter: tuple[Flask, SlowStarter]) -> None:
    """Saga events are keyed by event id; a redelivery changes nothing."""
    app, starter = app_and_starter
    starter.release.set()
    created = app.test_client().post("/checkouts", json=BODY).get_json()
    store = app.extensions["checkout_store"]
    event = SagaEvent("cart:9", "cart.consumed", created["checkoutId"], "cart-reserve", {})

    assert (store.add_event(event), store.add_event(event)) == (True, False)
    status = app.test_client().get(f"/checkouts/{created['checkoutId']}").get_json()
    assert status["status"] == "completed"


class ResetEngineStarter(RecordingStarter):
    """An engine whose data was reset between two checkouts: it hands out the same key again."""

    def start(self, version: str, variables: Mapping[str, Any]) -> Started:
        super().start(version, variables)
        return Started(process_definition_key=1, process_instance_key=2251799813685249)


def test_events_belong_to_their_checkout_even_when_instance_keys_repeat(sql_url: str) -> None:
    """Brief h25: process instance keys are unique only within one engine cluster's lifetime;
    events are attributed by checkout id, so a new saga with an old key shows none of the old
    saga's events."""
    app = create_app({"DATABASE_URL": sql_url, "STARTER": ResetEngineStarter()})
    store = app.extensions["checkout_store"]
    try:
        old, new = (app.test_client().post("/checkouts", json=BODY).get_json() for _ in "ab")
        assert old["processInstanceKey"] == new["processInstanceKey"]
        store.add_event(SagaEvent("cart:1", "cart.consumed", old["checkoutId"], "cart-consume", {}))

        statuses = [
            app.test_client().get(f"/checkouts/{body['checkoutId']}").get_json()["status"]
            for body in (old, new)
        ]
    finally:
        store.engine.dispose()

    assert statuses == ["completed", "pending"]


def test_a_batch_of_events_is_stored_once_by_event_id(
    app_and_starter: tuple[Flask, SlowStarter],
) -> None:
    """One multi-row insert: repeats inside the batch and ids stored before are skipped; the
    new events come back in input order."""
    app, _ = app_and_starter
    store = app.extensions["checkout_store"]
    a, b, c = (SagaEvent(f"cart:{n}", "cart.reserved", CO7, "cart-reserve", {}) for n in "abc")
    store.add_events([b])

    new = store.add_events([c, a, b, c, a])

    assert [event.event_id for event in new] == ["cart:c", "cart:a"]
    assert sorted(event.event_id for event in store.events(CO7)) == ["cart:a", "cart:b", "cart:c"]
    assert store.add_events([]) == []


def test_sagas_reads_checkouts_and_events_of_several_checkouts_at_once(
    app_and_starter: tuple[Flask, SlowStarter],
) -> None:
    """The consumer's one read per batch: each asked checkout id, with or without a row."""
    app, starter = app_and_starter
    starter.release.set()
    co = app.test_client().post("/checkouts", json=BODY).get_json()["checkoutId"]
    store = app.extensions["checkout_store"]
    store.add_events(
        [
            SagaEvent("cart:1", "cart.reserved", co, "cart-reserve", {}),
            SagaEvent("cart:2", "cart.consumed", co, "cart-consume", {}),
            SagaEvent("cart:3", "cart.consumed", CO7, "cart-consume", {}),
        ]
    )
    recorded = Statements(store.engine)

    sagas = store.sagas([co, CO7, CO8])

    assert recorded.checkouts == 1
    assert sagas[co].checkout is not None and sagas[co].checkout.id == co
    assert sorted(e.event_id for e in sagas[co].events) == ["cart:1", "cart:2"]
    assert (sagas[CO7].checkout, [e.event_id for e in sagas[CO7].events]) == (None, ["cart:3"])
    assert (sagas[CO8].checkout, sagas[CO8].events) == (None, ())


def test_sagas_read_the_checkout_with_its_insert_time(
    app_and_starter: tuple[Flask, SlowStarter],
) -> None:
    """The saga duration histogram needs the checkout (version, created_at) of an instance."""
    app, starter = app_and_starter
    starter.release.set()
    created = app.test_client().post("/checkouts", json=BODY).get_json()
    store = app.extensions["checkout_store"]

    found = store.sagas([created["checkoutId"]])[created["checkoutId"]]

    assert found.checkout is not None and found.checkout.id == created["checkoutId"]
    assert found.checkout.created_at is not None and found.checkout.created_at.tzinfo is not None


class Statements:
    """Records the SQL statement verbs and pool checkouts of an engine (round trips)."""

    def __init__(self, engine: Engine) -> None:
        self.verbs: list[str] = []
        self.checkouts = 0
        event.listen(engine, "before_cursor_execute", self._executed)
        event.listen(engine.pool, "checkout", self._checked_out)

    def _executed(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        self.verbs.append(statement.split(maxsplit=1)[0])

    def _checked_out(self, *args: object) -> None:
        self.checkouts += 1


def test_a_checkout_without_a_key_is_one_insert_with_its_saga_keys(
    app_and_starter: tuple[Flask, SlowStarter],
) -> None:
    """No Idempotency-Key, no duplicate to serialise on: the saga starts first and the row is
    inserted whole (no UPDATE round trip); GET reports the same keys as the 202."""
    app, starter = app_and_starter
    starter.release.set()
    recorded = Statements(app.extensions["checkout_store"].engine)

    created = app.test_client().post("/checkouts", json=BODY).get_json()

    assert recorded.verbs == ["INSERT"]
    status = app.test_client().get(f"/checkouts/{created['checkoutId']}").get_json()
    assert status["processInstanceKey"] == created["processInstanceKey"] != "0"
    assert status["processDefinitionKey"] == "101"


def test_an_unreachable_engine_without_a_key_stores_nothing(sql_url: str) -> None:
    """503 UNAVAILABLE; the start fails before the insert, so no row is left behind."""
    app = create_app({"DATABASE_URL": sql_url, "STARTER": RecordingStarter(fail=True)})
    store = app.extensions["checkout_store"]
    try:
        response = app.test_client().post("/checkouts", json=BODY)
        with store.engine.connect() as conn:
            rows = conn.execute(store.checkouts.select()).all()
    finally:
        store.engine.dispose()

    assert (response.status_code, response.get_json()["code"]) == (503, "UNAVAILABLE")
    assert rows == []


def test_status_reads_checkout_and_events_on_one_connection(
    app_and_starter: tuple[Flask, SlowStarter],
) -> None:
    """GET /checkouts/<id>: one pooled connection (one pre-ping, one transaction) for both."""
    app, starter = app_and_starter
    starter.release.set()
    created = app.test_client().post("/checkouts", json=BODY).get_json()
    recorded = Statements(app.extensions["checkout_store"].engine)

    app.test_client().get(f"/checkouts/{created['checkoutId']}")

    assert (recorded.checkouts, recorded.verbs) == (1, ["SELECT", "SELECT"])

"""`POST /checkouts` and `GET /checkouts/<id>` on fakes (store, saga starter)."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from checkout_fakes import RecordingStarter
from flask import Flask

from services.checkout.app import create_app
from services.checkout.domain import V1, V2_FRAUD_CHECK
from services.checkout.engine_view import EngineInstance
from services.checkout.fake_store import FakeCheckoutStore
from services.checkout.projection import SagaEvent
from services.checkout.store import Started

pytestmark = pytest.mark.unit

BODY = {"cartId": "cart-1", "customerId": "cust-1", "cardToken": "tok_approve"}


def _app(starter: RecordingStarter, store: FakeCheckoutStore, percent: int = 0) -> Flask:
    return create_app({"STORE": store, "STARTER": starter, "FRAUD_CHECK_PERCENT": percent})


@pytest.fixture
def starter() -> RecordingStarter:
    """Records the sagas started."""
    return RecordingStarter()


@pytest.fixture
def store() -> FakeCheckoutStore:
    """In-memory checkouts."""
    return FakeCheckoutStore()


def _post(app: Flask, body: Any, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return app.test_client().post("/checkouts", json=body, headers=headers)


def test_a_checkout_is_accepted_with_location_and_starts_one_saga(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """202 {checkoutId, processInstanceKey, status: pending} + Location; one instance started."""
    response = _post(_app(starter, store), BODY)

    body = response.get_json()
    assert response.status_code == 202
    assert body["status"] == "pending"
    assert response.headers["Location"] == f"/checkouts/{body['checkoutId']}"
    assert body["processInstanceKey"] == "2251799813685249"
    [(version, variables)] = starter.starts
    assert version == V1
    assert variables["checkoutId"] == body["checkoutId"]
    assert variables["traceparent"].startswith("00-")


def test_invalid_input_is_a_problem_naming_the_field(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """400 application/problem+json with `field`; no saga is started."""
    response = _post(_app(starter, store), {**BODY, "cardToken": 7})

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["field"] == "cardToken"
    assert starter.starts == []


def test_a_non_object_body_is_a_400(starter: RecordingStarter, store: FakeCheckoutStore) -> None:
    """The body must be a JSON object."""
    response = _post(_app(starter, store), ["x"])

    assert (response.status_code, response.get_json()["field"]) == (400, "body")


def test_a_malformed_idempotency_key_is_a_400(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """Keys are 1-200 characters of [A-Za-z0-9._:-] (services/CONTRACT.md §1)."""
    response = _post(_app(starter, store), BODY, key="has spaces")

    assert (response.status_code, response.get_json()["field"]) == (400, "Idempotency-Key")


def test_the_same_idempotency_key_returns_the_same_checkout_and_one_saga(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """Same key -> same checkout id and one saga (the replay is flagged)."""
    app = _app(starter, store)

    first, second = _post(app, BODY, key="k-1"), _post(app, BODY, key="k-1")

    assert first.get_json() == second.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(starter.starts) == 1


def test_concurrent_requests_with_one_key_start_one_saga(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """Concurrent duplicates serialise on the key: exactly one saga."""
    app = _app(starter, store)

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: _post(app, BODY, key="k-c"), range(16)))

    assert {r.get_json()["checkoutId"] for r in responses} == {
        responses[0].get_json()["checkoutId"]
    }
    assert len(starter.starts) == 1


def test_the_same_key_with_another_body_is_refused(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """services/CONTRACT.md §1: same key, different body -> 422 IDEMPOTENCY_KEY_REUSED."""
    app = _app(starter, store)
    _post(app, BODY, key="k-2")

    response = _post(app, {**BODY, "coupon": "SAVE10"}, key="k-2")

    assert (response.status_code, response.get_json()["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_without_a_key_every_request_is_a_new_checkout(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """No Idempotency-Key: no deduplication."""
    app = _app(starter, store)

    _post(app, BODY), _post(app, BODY)

    assert len(starter.starts) == 2


def test_an_unreachable_engine_stores_nothing(store: FakeCheckoutStore) -> None:
    """503 UNAVAILABLE; a failed start leaves no checkout behind, so a retry starts the saga."""
    app = _app(RecordingStarter(fail=True), store)

    response = _post(app, BODY, key="k-3")

    assert (response.status_code, response.get_json()["code"]) == (503, "UNAVAILABLE")
    assert store.checkouts == {}


def test_the_flag_at_100_percent_starts_the_fraud_check_version(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """CHECKOUT_FRAUD_CHECK_PERCENT=100 routes new checkouts to v2."""
    _post(_app(starter, store, percent=100), BODY)

    assert starter.starts[0][0] == V2_FRAUD_CHECK


def test_status_of_an_unknown_checkout_is_404(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """Unknown resource -> 404 NOT_FOUND problem."""
    response = _app(starter, store).test_client().get("/checkouts/co_missing")

    assert (response.status_code, response.get_json()["code"]) == (404, "NOT_FOUND")


def test_status_reports_the_folded_saga_events(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """GET derives status, reason and compensations from the checkout's events."""
    app = _app(starter, store)
    created = _post(app, BODY).get_json()
    co = created["checkoutId"]
    store.add_event(SagaEvent("payment:1", "payment.declined", co, "payment-capture", {}))
    store.add_event(SagaEvent("cart:2", "cart.reservation_released", co, "cart-reserve", {}))

    status = app.test_client().get(f"/checkouts/{created['checkoutId']}").get_json()

    assert status["status"] == "failed"
    assert status["reason"] == "PAYMENT_DECLINED"
    assert status["compensations"] == ["cart.release"]
    assert status["version"] == V1


class ResetEngineStarter(RecordingStarter):
    """An engine whose data was reset between checkouts: every start gets the same key."""

    def start(self, version: str, variables: Mapping[str, Any]) -> Started:
        super().start(version, variables)
        return Started(process_definition_key=1, process_instance_key=2251799813685249)


def test_a_new_saga_with_an_old_instance_key_shows_none_of_the_old_events(
    store: FakeCheckoutStore,
) -> None:
    """Brief h25: instance keys are unique only within one engine cluster's lifetime; status is
    folded from the events of the checkout id, which never repeats."""
    app = _app(ResetEngineStarter(), store)
    old, new = _post(app, BODY).get_json(), _post(app, BODY).get_json()
    store.add_event(SagaEvent("cart:1", "cart.consumed", old["checkoutId"], "cart-consume", {}))

    statuses = [
        app.test_client().get(f"/checkouts/{body['checkoutId']}").get_json()["status"]
        for body in (old, new)
    ]

    assert old["processInstanceKey"] == new["processInstanceKey"]
    assert statuses == ["completed", "pending"]


class OneInstanceEngine:
    """The engine's view of the one instance it now has: another saga's, after a reset."""

    def __init__(self, checkout_id: str) -> None:
        self.checkout_id = checkout_id

    def instance(self, process_instance_key: int) -> EngineInstance:
        return EngineInstance("COMPLETED", "PAYMENT_DECLINED", checkout_id=self.checkout_id)


def test_the_engine_view_of_another_checkouts_instance_is_ignored(
    store: FakeCheckoutStore,
) -> None:
    """After an engine reset an old checkout's instance key can name a new saga's instance:
    the engine's answer counts only when the instance's `checkoutId` is this checkout's."""
    config = {"STORE": store, "STARTER": ResetEngineStarter(), "FRAUD_CHECK_PERCENT": 0}
    app = create_app({**config, "ENGINE_VIEW": OneInstanceEngine("co_someone_else")})
    old = _post(app, BODY).get_json()
    mine = create_app({**config, "ENGINE_VIEW": OneInstanceEngine(old["checkoutId"])})

    foreign = app.test_client().get(f"/checkouts/{old['checkoutId']}").get_json()
    own = mine.test_client().get(f"/checkouts/{old['checkoutId']}").get_json()

    assert (foreign["status"], foreign["engineState"]) == ("pending", None)
    assert (own["status"], own["reason"]) == ("failed", "PAYMENT_DECLINED")


def test_health_and_metrics_are_served(starter: RecordingStarter, store: FakeCheckoutStore) -> None:
    """services/CONTRACT.md §5: /health and Prometheus /metrics."""
    client = _app(starter, store).test_client()
    client.post("/checkouts", json=BODY)

    assert client.get("/health").get_json() == {"status": "ok", "service": "checkout"}
    assert b'flask_http_request_total{method="POST",status="202"}' in client.get("/metrics").data


def test_accepted_checkouts_are_counted_by_version_and_replay(
    starter: RecordingStarter, store: FakeCheckoutStore
) -> None:
    """`checkout_submitted_total{version, replayed}` on /metrics."""
    app = _app(starter, store)
    _post(app, BODY, key="k-m"), _post(app, BODY, key="k-m")

    metrics = app.test_client().get("/metrics").data.decode()

    assert 'checkout_submitted_total{replayed="false",version="checkout.bpmn"} 1.0' in metrics
    assert 'checkout_submitted_total{replayed="true",version="checkout.bpmn"} 1.0' in metrics

"""`POST /v1/checks` follows the idempotent operation contract (services/CONTRACT.md) on fakes."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from services.common.fakes import FakeDatabase, FakeUnitOfWork
from services.fraud.app import create_app
from services.fraud.domain import FraudRules

pytestmark = pytest.mark.unit

# What the fraud.check worker sends (workers/payloads.py `_fraud_request`).
BODY = {"checkout_id": "co_1", "customer_id": "cust-1", "amount": 4_000, "currency": "EUR"}


@pytest.fixture
def db() -> FakeDatabase:
    """In-memory state."""
    return FakeDatabase()


@pytest.fixture
def app(db: FakeDatabase) -> Flask:
    """Fraud app with a 10 000 cent limit and one blocked customer."""
    rules = FraudRules(max_amount=10_000, blocked_customers=frozenset({"cust-bad"}))
    return create_app({"UOW_FACTORY": lambda headers: FakeUnitOfWork(db, headers), "RULES": rules})


def _check(app: Flask, body: Any, key: str = "1:fraud-check") -> Any:
    return app.test_client().post("/v1/checks", json=body, headers={"Idempotency-Key": key})


def test_an_approved_check_returns_the_score_the_worker_reads(app: Flask, db: FakeDatabase) -> None:
    """200 with `score` (the worker maps it to `fraudScore`) and one `fraud.checked` event."""
    response = _check(app, BODY)

    assert response.status_code == 200
    assert response.get_json()["score"] == 40
    assert [e.event_type for e in db.outbox] == ["fraud.checked"]


def test_a_repeat_with_the_same_key_replays_without_a_second_effect(
    app: Flask, db: FakeDatabase
) -> None:
    """Same key + same body -> same status and body, no second event."""
    first, second = _check(app, BODY), _check(app, BODY)

    assert first.get_json() == second.get_json()
    assert len(db.outbox) == 1


def test_a_rejected_check_is_a_422_business_problem_and_not_recorded(
    app: Flask, db: FakeDatabase
) -> None:
    """422 `FRAUD_REJECTED`; business failures are not recorded (contract §1)."""
    response = _check(app, {**BODY, "amount": 20_000})

    assert response.status_code == 422
    assert response.get_json()["code"] == "FRAUD_REJECTED"
    assert db.operations == {}


def test_a_missing_key_is_a_400(app: Flask) -> None:
    """Idempotency-Key is required."""
    response = app.test_client().post("/v1/checks", json=BODY)

    assert (response.status_code, response.get_json()["field"]) == (400, "Idempotency-Key")


def test_a_missing_amount_is_a_400_naming_it(app: Flask) -> None:
    """Validation problems name the field."""
    response = _check(app, {"checkout_id": "co_1"})

    assert (response.status_code, response.get_json()["field"]) == (400, "amount")


def test_a_check_after_compensation_is_refused(app: Flask) -> None:
    """A compensated (or tombstoned) key refuses a late forward call with 409 COMPENSATED."""
    client = app.test_client()
    tombstone = client.post("/v1/checks/9:fraud-check/compensation")

    response = _check(app, BODY, key="9:fraud-check")

    assert tombstone.get_json()["status"] == "tombstoned"
    assert (response.status_code, response.get_json()["code"]) == (409, "COMPENSATED")

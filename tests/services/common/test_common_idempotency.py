"""The idempotent operation service layer on fakes (CONTRACT.md 1)."""

from __future__ import annotations

from typing import Any

import pytest
import structlog.testing

from services.common.fakes import FakeDatabase, FakeUnitOfWork
from services.common.idempotency import compensate, forward
from services.common.operations import StoredOperation
from services.common.problems import BusinessError, ProblemError

pytestmark = pytest.mark.unit


class Counter:
    """A toy effect that counts and records events; undo counts down."""

    def __init__(self) -> None:
        self.value = 0

    def effect(self, uow: FakeUnitOfWork) -> dict[str, Any]:
        self.value += 1
        uow.outbox.add("counter", "c", "counter.incremented", {"value": self.value})
        return {"value": self.value}

    def undo(self, uow: FakeUnitOfWork, stored: StoredOperation) -> None:
        self.value -= 1


@pytest.fixture
def db() -> FakeDatabase:
    """Fresh in-memory state."""
    return FakeDatabase()


def _forward(db: FakeDatabase, counter: Counter, key: str, body: dict[str, Any]) -> Any:
    return forward(FakeUnitOfWork(db), operation="ops", key=key, body=body, effect=counter.effect)


def _compensate(db: FakeDatabase, counter: Counter, key: str) -> Any:
    return compensate(
        FakeUnitOfWork(db), service="svc", operation="ops", key=key, undo=counter.undo
    )


def test_first_call_performs_the_effect_and_replays_return_the_same_body(db: FakeDatabase) -> None:
    """CONTRACT.md 1: first call performs the effect; a repeat returns the same response."""
    counter = Counter()
    first = _forward(db, counter, "k", {"x": 1})
    second = _forward(db, counter, "k", {"x": 1})
    assert (second.status, dict(second.body)) == (first.status, dict(first.body))
    assert (first.status, dict(first.body), counter.value) == (200, {"value": 1}, 1)
    assert (first.replayed, second.replayed) == (False, True)


def test_business_error_rolls_back_claim_and_events(db: FakeDatabase) -> None:
    """CONTRACT.md 1: a business failure records nothing, not even an outbox event."""

    def failing(uow: FakeUnitOfWork) -> dict[str, Any]:
        uow.outbox.add("x", "x", "x.happened", {})
        raise BusinessError("NOPE", "no")

    with pytest.raises(BusinessError):
        forward(FakeUnitOfWork(db), operation="ops", key="k", body={}, effect=failing)
    assert (db.operations, db.outbox) == ({}, [])


def test_compensation_undoes_once(db: FakeDatabase) -> None:
    """CONTRACT.md 1: compensation undoes the effect once; repeats answer the same body."""
    counter = Counter()
    _forward(db, counter, "k", {})
    first = _compensate(db, counter, "k")
    second = _compensate(db, counter, "k")
    assert dict(first.body) == dict(second.body) == {"status": "compensated", "key": "k"}
    assert counter.value == 0


def test_tombstone_then_late_forward_is_refused(db: FakeDatabase) -> None:
    """CONTRACT.md 1: compensation before forward tombstones; the late forward gets 409."""
    counter = Counter()
    assert dict(_compensate(db, counter, "k").body) == {"status": "tombstoned", "key": "k"}
    assert dict(_compensate(db, counter, "k").body)["status"] == "tombstoned"
    with pytest.raises(ProblemError) as caught:
        _forward(db, counter, "k", {})
    assert (caught.value.problem.status, counter.value) == (409, 0)
    assert db.outbox[-1].event_type == "svc.ops.tombstoned"


def test_same_key_different_body_is_refused(db: FakeDatabase) -> None:
    """CONTRACT.md 1: same key with a different body -> 422 IDEMPOTENCY_KEY_REUSED."""
    counter = Counter()
    _forward(db, counter, "k", {"x": 1})
    with pytest.raises(ProblemError) as caught:
        _forward(db, counter, "k", {"x": 2})
    assert (caught.value.problem.code, counter.value) == ("IDEMPOTENCY_KEY_REUSED", 1)


def test_every_compensation_is_audit_logged_with_correlation_ids(db: FakeDatabase) -> None:
    """DESIGN.md 4 (Auditable): each compensation is logged with key, trace id and reason."""
    counter = Counter()
    _forward(db, counter, "pi-1:reserve", {})
    with structlog.testing.capture_logs() as logs:
        compensate(
            FakeUnitOfWork(db),
            service="svc",
            operation="ops",
            key="pi-1:reserve",
            undo=counter.undo,
            trace={"traceparent": "00-t-s-01"},
            reason="PAYMENT_DECLINED",
        )
    assert logs == [
        {
            "event": "compensation",
            "log_level": "info",
            "service": "svc",
            "operation": "ops",
            "key": "pi-1:reserve",
            "outcome": "compensated",
            "reason": "PAYMENT_DECLINED",
            "traceparent": "00-t-s-01",
        }
    ]

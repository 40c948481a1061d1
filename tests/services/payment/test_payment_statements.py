"""PaymentRepository's prebuilt statements on PostgreSQL: per-call column sets, per-key values.

`claim` and `update` bind whichever payment columns the caller names (one statement, a compiled
form per column set); each call must change only its own row and keep JSON responses intact.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine

from services.common.testing import fresh_database
from services.payment import domain as d
from services.payment.repository import PaymentRepository
from services.payment.tables import payment_tables

pytestmark = pytest.mark.integration

TABLES = payment_tables()


@pytest.fixture
def engine(pg_base_url: str) -> Iterator[Engine]:
    """An engine on a fresh payment database."""
    with fresh_database(pg_base_url, "payment_sql", TABLES.metadata) as engine:
        yield engine


def _new(amount: int, checkout_id: str) -> dict[str, Any]:
    return {
        "status": d.INITIATED,
        "fingerprint": f"f-{checkout_id}",
        "amount": amount,
        "currency": "EUR",
        "checkout_id": checkout_id,
    }


def _repo(conn: Connection) -> PaymentRepository:
    return PaymentRepository(conn, TABLES)


def test_update_changes_only_the_named_payment_and_keeps_its_json_response(
    engine: Engine,
) -> None:
    """A captured payment stores the response it replays (CONTRACT.md 1); others are untouched."""
    response = {"status": d.CAPTURED, "psp_payment_id": "psp_1", "lines": [{"n": 1}], "x": None}
    with engine.begin() as conn:
        assert _repo(conn).claim("k1", _new(100, "c1")) is None
        assert _repo(conn).claim("k2", _new(250, "c2")) is None
        _repo(conn).update("k1", status=d.CAPTURED, psp_payment_id="psp_1", response=response)
    with engine.connect() as conn:
        first, second = _repo(conn).get("k1"), _repo(conn).get("k2")
    assert first is not None and second is not None
    assert (first.status, first.amount, first.response) == (d.CAPTURED, 100, response)
    assert (second.status, second.amount, second.response) == (d.INITIATED, 250, None)
    assert first.payment_id != second.payment_id


def test_update_refuses_a_name_that_is_not_a_payment_column(engine: Engine) -> None:
    """A misspelt column is a bug: it raises instead of being dropped from the SET clause."""
    with engine.begin() as conn:
        _repo(conn).claim("k", _new(100, "c"))
        with pytest.raises(ValueError, match="statu"):
            _repo(conn).update("k", statu=d.CAPTURED)


def test_a_tombstone_claim_then_a_capture_claim_finds_the_tombstone(engine: Engine) -> None:
    """CONTRACT.md 1: a compensation before the forward call blocks that forward call."""
    with engine.begin() as conn:
        assert _repo(conn).claim_tombstone("k") is None
    with engine.begin() as conn:
        existing = _repo(conn).claim("k", _new(100, "c"))
    assert existing is not None
    assert (existing.status, existing.fingerprint, existing.amount) == (d.TOMBSTONE, None, 0)


def test_a_ledger_entry_is_written_once_per_payment_and_kind(engine: Engine) -> None:
    """Refund exactly once: the (payment_id, kind) conflict makes a repeat a no-op."""
    with engine.begin() as conn:
        repo = _repo(conn)
        added = [
            repo.add_ledger("pay_1", "capture", 100),
            repo.add_ledger("pay_1", "capture", 100),
            repo.add_ledger("pay_2", "capture", 70),
            repo.add_ledger("pay_1", "refund", 100),
        ]
        summary = repo.summary()
    assert added == [True, False, True, True]
    assert summary == {"captured": 170, "refunded": 100, "net": 70, "negative_balances": 0}

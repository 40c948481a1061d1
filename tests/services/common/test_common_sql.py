"""Shared tables on PostgreSQL: operation store contract and processed-message dedupe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from services.common.dedupe import process_once
from services.common.fakes import FakeDatabase, FakeUnitOfWork
from services.common.operations import COMPENSATED, DONE, TOMBSTONE
from services.common.tables import CommonTables
from services.common.uow import SqlUnitOfWork, UnitOfWork

pytestmark = pytest.mark.integration

UowFactory = Callable[[], UnitOfWork]


@pytest.fixture(params=["fake", "sql"])
def new_uow(request: pytest.FixtureRequest, common_tables: CommonTables) -> UowFactory:
    """The same contract on the fake and on PostgreSQL."""
    if request.param == "fake":
        db = FakeDatabase()
        return lambda: FakeUnitOfWork(db)
    engine: Engine = request.getfixturevalue("sql_engine")
    return lambda: SqlUnitOfWork(engine, common_tables)


def test_claim_then_complete_is_seen_by_later_claims(new_uow: UowFactory) -> None:
    """CONTRACT.md 1: the first claim wins; later claims see the stored response."""
    with new_uow() as uow:
        assert uow.operations.claim("op", "k", "f1") is None
        uow.operations.complete("op", "k", {"ok": True})
        uow.commit()
    with new_uow() as uow:
        stored = uow.operations.claim("op", "k", "f2")
    assert stored is not None
    assert (stored.status, stored.fingerprint, dict(stored.response or {})) == (
        DONE,
        "f1",
        {"ok": True},
    )


def test_uncommitted_claim_vanishes(new_uow: UowFactory) -> None:
    """A failed forward call leaves no record (the claim rolls back)."""
    with new_uow() as uow:
        assert uow.operations.claim("op", "k", "f1") is None
    with new_uow() as uow:
        assert uow.operations.get("op", "k") is None


def test_compensation_claim_tombstones_unknown_keys(new_uow: UowFactory) -> None:
    """CONTRACT.md 1: compensation of a never-happened forward records a tombstone."""
    with new_uow() as uow:
        assert uow.operations.claim_for_compensation("op", "k") is None
        uow.commit()
    with new_uow() as uow:
        stored = uow.operations.claim("op", "k", "f")
    assert stored is not None and stored.status == TOMBSTONE


def test_mark_compensated(new_uow: UowFactory) -> None:
    """done -> compensated is stored."""
    with new_uow() as uow:
        uow.operations.claim("op", "k", "f")
        uow.operations.complete("op", "k", {})
        uow.operations.mark_compensated("op", "k")
        uow.commit()
    with new_uow() as uow:
        stored = uow.operations.get("op", "k")
    assert stored is not None and stored.status == COMPENSATED


def test_operations_are_scoped_by_operation_name(new_uow: UowFactory) -> None:
    """One key may be used by two different operations of a service."""
    with new_uow() as uow:
        assert uow.operations.claim("reserve", "k", "f") is None
        assert uow.operations.claim("consume", "k", "f") is None
        uow.commit()


def test_process_once_is_true_only_the_first_time(
    sql_engine: Engine, common_tables: CommonTables
) -> None:
    """CONTRACT.md 6: consumers dedupe by event_id, per consumer."""
    table = common_tables.processed_messages
    with sql_engine.begin() as conn:
        assert process_once(conn, table, consumer="loyalty", event_id="order:1")
        assert not process_once(conn, table, consumer="loyalty", event_id="order:1")
        assert process_once(conn, table, consumer="audit", event_id="order:1")


def test_process_once_rolls_back_with_the_consumer_effect(
    sql_engine: Engine, common_tables: CommonTables
) -> None:
    """A consumer crash before commit lets the redelivered event be processed again."""
    table = common_tables.processed_messages
    with pytest.raises(RuntimeError), sql_engine.begin() as conn:
        process_once(conn, table, consumer="c", event_id="e")
        raise RuntimeError("crash before commit")
    with sql_engine.begin() as conn:
        assert process_once(conn, table, consumer="c", event_id="e")

"""Prebuilt statements of the shared stores on PostgreSQL: bound values never leak between calls.

The operation store, the outbox and the dedupe insert execute statements built once per table
with bind parameters (services/common/statements.py); each call's values must reach only its own
row, and JSON columns must keep their type processing.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, select

from services.common.dedupe import record_processed
from services.common.idempotency import compensate
from services.common.operations import (
    COMPENSATED,
    DONE,
    TOMBSTONE,
    StoredOperation,
    operation_statements,
)
from services.common.outbox import outbox_insert
from services.common.statements import built_once
from services.common.tables import CommonTables, add_common_tables
from services.common.uow import SqlUnitOfWork

pytestmark = pytest.mark.integration


def _stored(engine: Engine, tables: CommonTables, operation: str, key: str) -> StoredOperation:
    with SqlUnitOfWork(engine, tables) as uow:
        found = uow.operations.get(operation, key)
    assert found is not None
    return found


def test_two_keys_through_the_same_statements_keep_their_own_values(
    sql_engine: Engine, common_tables: CommonTables
) -> None:
    """CONTRACT.md 1: each key stores its own fingerprint, response and status."""
    with SqlUnitOfWork(sql_engine, common_tables) as uow:
        assert uow.operations.claim("op", "k1", "f1") is None
        assert uow.operations.claim("op", "k2", "f2") is None
        uow.operations.complete("op", "k1", {"n": 1})
        uow.operations.complete("op", "k2", {"n": 2})
        uow.operations.mark_compensated("op", "k1")
        uow.commit()
    first, second = (_stored(sql_engine, common_tables, "op", key) for key in ("k1", "k2"))
    assert (first.status, first.fingerprint, first.response) == (COMPENSATED, "f1", {"n": 1})
    assert (second.status, second.fingerprint, second.response) == (DONE, "f2", {"n": 2})


def test_a_json_response_round_trips(sql_engine: Engine, common_tables: CommonTables) -> None:
    """CONTRACT.md 1: a replay returns the stored response as it was (JSON column type kept)."""
    response: dict[str, Any] = {
        "total": 1999,
        "lines": [{"sku": "é-1", "qty": 2}, {"sku": "b", "qty": 1}],
        "coupon": None,
        "ok": True,
        "rate": 0.2,
    }
    with SqlUnitOfWork(sql_engine, common_tables) as uow:
        uow.operations.claim("quote", "k", "f")
        uow.operations.complete("quote", "k", response)
        uow.commit()
    with SqlUnitOfWork(sql_engine, common_tables) as uow:
        replayed = uow.operations.claim("quote", "k", "f")
    assert replayed is not None and replayed.response == response


def test_a_tombstone_has_no_fingerprint_and_writes_its_outbox_row(
    sql_engine: Engine, common_tables: CommonTables
) -> None:
    """CONTRACT.md 1: compensating an unknown key records a tombstone and emits one event."""
    headers = {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}
    result = compensate(
        SqlUnitOfWork(sql_engine, common_tables, headers),
        service="svc",
        operation="op",
        key="never-forwarded",
        undo=lambda uow, existing: None,
    )
    assert result.body == {"status": "tombstoned", "key": "never-forwarded"}
    stored = _stored(sql_engine, common_tables, "op", "never-forwarded")
    assert (stored.status, stored.fingerprint, stored.response) == (TOMBSTONE, None, None)
    outbox = common_tables.outbox
    with sql_engine.connect() as conn:
        rows = conn.execute(select(outbox.c.event_type, outbox.c.payload, outbox.c.headers)).all()
    assert [tuple(row) for row in rows] == [
        ("svc.op.tombstoned", {"key": "never-forwarded"}, headers)
    ]


def test_outbox_rows_of_one_unit_of_work_keep_their_own_payloads(
    sql_engine: Engine, common_tables: CommonTables
) -> None:
    """DESIGN.md outbox: every event is its own row, in insertion order, payload as given."""
    with SqlUnitOfWork(sql_engine, common_tables) as uow:
        uow.outbox.add("cart", "c1", "cart.reserved", {"items": [{"sku": "a"}]})
        uow.outbox.add("cart", "c2", "cart.released", {"items": []})
        uow.commit()
    outbox = common_tables.outbox
    query = select(outbox.c.aggregate_id, outbox.c.event_type, outbox.c.payload)
    with sql_engine.connect() as conn:
        rows = conn.execute(query.order_by(outbox.c.id)).all()
    assert [tuple(row) for row in rows] == [
        ("c1", "cart.reserved", {"items": [{"sku": "a"}]}),
        ("c2", "cart.released", {"items": []}),
    ]


def test_statements_are_built_once_per_table() -> None:
    """The point of prebuilding: one statement object per table, reused by every call."""
    tables, other = add_common_tables(MetaData()), add_common_tables(MetaData())
    assert operation_statements(tables.operations) is operation_statements(tables.operations)
    assert outbox_insert(tables.outbox) is outbox_insert(tables.outbox)
    processed = tables.processed_messages
    assert record_processed(processed) is record_processed(processed)
    # Another metadata's table of the same name gets its own statements, bound to that table.
    assert operation_statements(other.operations) is not operation_statements(tables.operations)


def test_built_once_calls_the_factory_once_per_key() -> None:
    """built_once memoises per argument; distinct arguments get distinct builds."""
    calls: list[str] = []

    @built_once
    def build(name: str) -> str:
        calls.append(name)
        return name.upper()

    assert [build("a"), build("a"), build("b")] == ["A", "A", "B"]
    assert calls == ["a", "b"]

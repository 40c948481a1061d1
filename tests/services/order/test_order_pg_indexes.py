"""The order store's filters are index scans on FerretDB's PostgreSQL backend.

FerretDB v1 pushes `{"field": value}` down as `(_jsonb -> 'field') @> value`, which its own btree
indexes cannot serve (FerretDB issue #4646); `services.order.pg_indexes` adds GIN indexes that can.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from pymongo import MongoClient

from services.order.app import OrderConfig, open_store
from services.order.pg_indexes import INDEXED_FIELDS, index_name, index_statement
from stack.config import MongoServer, PostgresServer

pytestmark = pytest.mark.integration


def _backing_url(postgres: PostgresServer) -> str:
    return f"postgresql+psycopg2://postgres@{postgres.host}:{postgres.port}/ferretdb"


def _plan(client: MongoClient[dict[str, Any]], database: str, filter_: dict[str, Any]) -> str:
    reply = client[database].command("explain", {"find": "orders", "filter": filter_})
    return json.dumps(reply["queryPlanner"])


@pytest.fixture
def indexed_store(mongo_server: MongoServer, postgres_server: PostgresServer) -> Any:
    database = f"order_{uuid.uuid4().hex[:10]}"
    config = OrderConfig(
        mongo_url=mongo_server.uri,
        database=database,
        ferretdb_postgres_url=_backing_url(postgres_server),
    )
    store, client = open_store(config)
    yield store, client, database
    client.drop_database(database)
    client.close()


def test_index_names_fit_postgres_identifier_limit() -> None:
    """PostgreSQL truncates identifiers beyond 63 bytes; names are cut, not left to collide."""
    name = index_name("orders_" + "x" * 80, "idempotency_key")
    assert len(name) == 63 and name.startswith("orders_x")


def test_index_statement_quotes_identifiers_and_the_field() -> None:
    """Schema, table and index names are quoted identifiers; the field is a string literal."""
    statement = index_statement("order", "orders_1a2b", "it's", "orders_1a2b_its_gin")
    assert statement == (
        'CREATE INDEX IF NOT EXISTS "orders_1a2b_its_gin" ON "order"."orders_1a2b" '
        "USING gin ((_jsonb -> 'it''s'))"
    )


@pytest.mark.parametrize("field", INDEXED_FIELDS)
def test_each_filtered_field_is_served_by_an_index(indexed_store: Any, field: str) -> None:
    """The relay's and the service's lookups use a bitmap index scan, not a sequential scan."""
    _store, client, database = indexed_store
    value: Any = True if field == "outbox_pending" else "some-value"
    plan = _plan(client, database, {field: value})
    assert "Bitmap Index Scan" in plan and "Seq Scan" not in plan, plan


def test_a_conditional_update_filter_uses_the_id_index(indexed_store: Any) -> None:
    """`{_id, status}` (a transition's compare-and-set) is still answered by the `_id` index."""
    _store, client, database = indexed_store
    plan = _plan(client, database, {"_id": "o-1", "status": "created"})
    assert "_id_gin" in plan, plan


def test_second_start_keeps_the_indexes(
    indexed_store: Any, mongo_server: MongoServer, postgres_server: PostgresServer
) -> None:
    """The service and its relay both open the store: the second open is a no-op, not an error."""
    _store, client, database = indexed_store
    config = OrderConfig(
        mongo_url=mongo_server.uri,
        database=database,
        ferretdb_postgres_url=_backing_url(postgres_server),
    )
    _again, second = open_store(config)
    second.close()
    assert "Bitmap Index Scan" in _plan(client, database, {"_id": "o-2"})

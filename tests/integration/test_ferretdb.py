"""FerretDB from the stack fixture speaks the MongoDB wire protocol to pymongo."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pymongo
import pytest
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from stack.config import MongoServer

pytestmark = pytest.mark.integration


@pytest.fixture
def orders(mongo_server: MongoServer) -> Iterator[Collection[dict[str, Any]]]:
    """A collection in a fresh database, dropped afterwards."""
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        mongo_server.uri, serverSelectionTimeoutMS=5000
    )
    database = client[f"it_{uuid.uuid4().hex[:10]}"]
    try:
        yield database["orders"]
    finally:
        client.drop_database(database.name)
        client.close()


def test_inserted_document_is_found_by_query(orders: Collection[dict[str, Any]]) -> None:
    """insert_one then find with a filter returns the document (MongoDB CRUD, FerretDB v1)."""
    orders.insert_one({"order_id": "o-1", "status": "CREATED", "total": 42})
    orders.insert_one({"order_id": "o-2", "status": "CANCELLED", "total": 7})
    found = list(orders.find({"status": "CREATED"}, {"_id": 0}))
    assert found == [{"order_id": "o-1", "status": "CREATED", "total": 42}]


def test_unique_index_rejects_duplicate(orders: Collection[dict[str, Any]]) -> None:
    """A unique index makes a second insert with the same key fail with DuplicateKeyError (E11000).

    infra.md: FerretDB v1 supports unique indexes; services rely on them for idempotency.
    """
    orders.create_index("order_id", unique=True)
    orders.insert_one({"order_id": "o-1"})
    with pytest.raises(DuplicateKeyError):
        orders.insert_one({"order_id": "o-1"})
    assert orders.count_documents({"order_id": "o-1"}) == 1

"""The order behaviour suite on FerretDB (MongoDB wire protocol)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from order_outbox_contract import OrderOutboxContract
from order_service_contract import OrderServiceContract
from pymongo import MongoClient

from services.order.store import MongoOrderStore

pytestmark = pytest.mark.integration


class TestOrderServiceOnFerretDB(OrderServiceContract, OrderOutboxContract):
    """Order rules with the real document store."""

    @pytest.fixture
    def store(
        self, mongo_client: MongoClient[dict[str, Any]], mongo_database: str
    ) -> Iterator[MongoOrderStore]:
        store = MongoOrderStore(mongo_client, mongo_database)
        store.init()
        yield store


def test_init_flags_unsent_documents_written_before_the_flag(
    mongo_client: MongoClient[dict[str, Any]], mongo_database: str
) -> None:
    """Issue #5 migration: a document from before `outbox_pending` keeps its unsent event
    visible to the relay, and one with everything sent stays unflagged."""
    orders = mongo_client[mongo_database]["orders"]
    event = {"event_id": "e1", "sent": False}
    orders.insert_one(
        {"_id": "old-1", "idempotency_key": "k1", "created_at": "t", "outbox": [event]}
    )
    orders.insert_one(
        {
            "_id": "old-2",
            "idempotency_key": "k2",
            "created_at": "t",
            "outbox": [{**event, "sent": True}],
        }
    )
    store = MongoOrderStore(mongo_client, mongo_database)
    store.init()
    assert [d["_id"] for d in store.unsent(10)] == ["old-1"]


def test_relay_query_uses_the_pending_index(
    mongo_client: MongoClient[dict[str, Any]], mongo_database: str
) -> None:
    """Issue #5: `outbox_pending` is indexed, so an idle poll need not read every order."""
    store = MongoOrderStore(mongo_client, mongo_database)
    store.init()
    index_keys = [list(i["key"]) for i in mongo_client[mongo_database]["orders"].list_indexes()]
    assert ["outbox_pending"] in index_keys

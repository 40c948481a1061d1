"""The order behaviour suite on FerretDB (MongoDB wire protocol)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from order_service_contract import OrderServiceContract
from pymongo import MongoClient

from services.order.store import MongoOrderStore

pytestmark = pytest.mark.integration


class TestOrderServiceOnFerretDB(OrderServiceContract):
    """Order rules with the real document store."""

    @pytest.fixture
    def store(
        self, mongo_client: MongoClient[dict[str, Any]], mongo_database: str
    ) -> Iterator[MongoOrderStore]:
        store = MongoOrderStore(mongo_client, mongo_database)
        store.init()
        yield store

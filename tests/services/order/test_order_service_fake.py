"""The order behaviour suite on the in-memory fake store."""

from __future__ import annotations

import pytest
from order_outbox_contract import OrderOutboxContract
from order_service_contract import OrderServiceContract

from services.order.store import FakeOrderStore

pytestmark = pytest.mark.unit


class TestOrderServiceOnFake(OrderServiceContract, OrderOutboxContract):
    """Order rules with the fake store."""

    @pytest.fixture
    def store(self) -> FakeOrderStore:
        return FakeOrderStore()

"""In-memory inventory repository and unit of work for unit tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.common.fakes import FakeDatabase, FakeUnitOfWork
from services.inventory.domain import Allocation
from services.inventory.repository import StockRepository


class FakeStockRepository:
    """StockRepository on FakeDatabase.tables['stock'] and ['allocations']."""

    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    def _table(self, name: str) -> dict[str, Any]:
        return self._db.tables.setdefault(name, {})  # type: ignore[no-any-return]

    def set_on_hand(self, sku: str, on_hand: int) -> None:
        """Upsert."""
        self._table("stock")[sku] = on_hand

    def get_on_hand(self, sku: str) -> int | None:
        """Read."""
        value = self._table("stock").get(sku)
        return int(value) if value is not None else None

    def take(self, sku: str, quantity: int) -> bool:
        """Conditional decrement."""
        stock = self._table("stock")
        if stock.get(sku, 0) < quantity:
            return False
        stock[sku] -= quantity
        return True

    def put_back(self, sku: str, quantity: int) -> None:
        """Increment."""
        stock = self._table("stock")
        stock[sku] = stock.get(sku, 0) + quantity

    def add_allocation(self, allocation: Allocation) -> None:
        """Insert."""
        self._table("allocations")[allocation.key] = allocation

    def get_allocation(self, key: str) -> Allocation | None:
        """Read."""
        value = self._table("allocations").get(key)
        return value if isinstance(value, Allocation) else None

    def save_status(self, allocation: Allocation) -> None:
        """Replace."""
        self._table("allocations")[allocation.key] = allocation


class FakeInventoryUnitOfWork(FakeUnitOfWork):
    """Fake unit of work exposing `stock`."""

    def __init__(self, db: FakeDatabase, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(db, headers)
        self.stock: StockRepository = FakeStockRepository(db)

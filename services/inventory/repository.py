"""Inventory persistence: the port and its PostgreSQL adapter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    Executable,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert

from services.common.statements import bound_insert, built_once
from services.common.tables import CommonTables, add_common_tables
from services.common.uow import SqlUnitOfWork
from services.inventory.domain import Allocation, lines_from_json


@dataclass(frozen=True)
class InventoryTables:
    """All tables of the inventory database."""

    metadata: MetaData
    common: CommonTables
    stock: Table
    allocations: Table


def inventory_tables() -> InventoryTables:
    """Fresh metadata with inventory and common tables."""
    metadata = MetaData()
    stock = Table(
        "stock",
        metadata,
        Column("sku", String(100), primary_key=True),
        Column("on_hand", Integer, nullable=False),
        # The database itself refuses negative stock, whatever the code does.
        CheckConstraint("on_hand >= 0", name="stock_on_hand_not_negative"),
    )
    allocations = Table(
        "allocations",
        metadata,
        Column("key", String(200), primary_key=True),
        Column("checkout_id", String(200), nullable=False, index=True),
        Column("items", JSON, nullable=False),
        Column("status", String(16), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return InventoryTables(metadata, add_common_tables(metadata), stock, allocations)


class StockRepository(Protocol):
    """Port: stock levels and allocations inside one unit of work."""

    def set_on_hand(self, sku: str, on_hand: int) -> None:
        """Upsert the stock level of a sku."""
        ...

    def get_on_hand(self, sku: str) -> int | None:
        """Current stock, None for an unknown sku."""
        ...

    def take(self, sku: str, quantity: int) -> bool:
        """Decrement if enough stock; False (and no change) otherwise."""
        ...

    def put_back(self, sku: str, quantity: int) -> None:
        """Increment stock (release)."""
        ...

    def add_allocation(self, allocation: Allocation) -> None:
        """Insert an allocation."""
        ...

    def get_allocation(self, key: str) -> Allocation | None:
        """Read an allocation."""
        ...

    def save_status(self, allocation: Allocation) -> None:
        """Persist an allocation's new status."""
        ...


@dataclass(frozen=True)
class StockStatements:
    """The stock repository's statements, built once per tables (common/statements.py)."""

    set_on_hand: Executable  # upsert to an absolute level
    read_on_hand: Executable
    take: Executable  # on_hand - b_quantity while enough
    put_back: Executable  # upsert adding on_hand
    add_allocation: Executable
    read_allocation: Executable
    set_allocation_status: Executable


@built_once
def stock_statements(tables: InventoryTables) -> StockStatements:
    """Build the statements of one inventory database's tables (memoised)."""
    stock, allocations = tables.stock, tables.allocations
    new_level = insert(stock).values(sku=bindparam("sku"), on_hand=bindparam("on_hand"))
    proposed = new_level.excluded.on_hand
    quantity = bindparam("b_quantity", type_=Integer)
    return StockStatements(
        set_on_hand=new_level.on_conflict_do_update(
            index_elements=["sku"], set_={"on_hand": proposed}
        ),
        read_on_hand=select(stock.c.on_hand).where(stock.c.sku == bindparam("b_sku")),
        take=update(stock)
        .where(stock.c.sku == bindparam("b_sku"), stock.c.on_hand >= quantity)
        .values(on_hand=stock.c.on_hand - quantity),
        # A sku deleted meanwhile is recreated with the units rather than losing them.
        put_back=new_level.on_conflict_do_update(
            index_elements=["sku"], set_={"on_hand": stock.c.on_hand + proposed}
        ),
        add_allocation=bound_insert(allocations, "key", "checkout_id", "items", "status"),
        read_allocation=select(allocations).where(allocations.c.key == bindparam("b_key")),
        set_allocation_status=update(allocations)
        .where(allocations.c.key == bindparam("b_key"))
        .values(status=bindparam("status")),
    )


class SqlStockRepository:
    """StockRepository on PostgreSQL."""

    def __init__(self, conn: Connection, tables: InventoryTables) -> None:
        self._conn = conn
        self._sql = stock_statements(tables)

    def set_on_hand(self, sku: str, on_hand: int) -> None:
        """INSERT ... ON CONFLICT DO UPDATE."""
        self._conn.execute(self._sql.set_on_hand, {"sku": sku, "on_hand": on_hand})

    def get_on_hand(self, sku: str) -> int | None:
        """Plain read."""
        value = self._conn.execute(self._sql.read_on_hand, {"b_sku": sku}).scalar_one_or_none()
        return int(value) if value is not None else None

    def take(self, sku: str, quantity: int) -> bool:
        """Conditional UPDATE: the row lock plus `on_hand >= qty` makes concurrent takes safe."""
        params = {"b_sku": sku, "b_quantity": quantity}
        return self._conn.execute(self._sql.take, params).rowcount == 1

    def put_back(self, sku: str, quantity: int) -> None:
        """Increment; a sku deleted meanwhile is recreated rather than losing the units."""
        self._conn.execute(self._sql.put_back, {"sku": sku, "on_hand": quantity})

    def add_allocation(self, allocation: Allocation) -> None:
        """Insert the allocation row."""
        self._conn.execute(
            self._sql.add_allocation,
            {
                "key": allocation.key,
                "checkout_id": allocation.checkout_id,
                "items": [line.to_json() for line in allocation.lines],
                "status": allocation.status,
            },
        )

    def get_allocation(self, key: str) -> Allocation | None:
        """Read one allocation."""
        row = self._conn.execute(self._sql.read_allocation, {"b_key": key}).first()
        if row is None:
            return None
        values = row._mapping
        return Allocation(
            key=values["key"],
            checkout_id=values["checkout_id"],
            lines=lines_from_json(values["items"]),
            status=values["status"],
        )

    def save_status(self, allocation: Allocation) -> None:
        """Update the status column."""
        params = {"b_key": allocation.key, "status": allocation.status}
        self._conn.execute(self._sql.set_allocation_status, params)


class InventoryUnitOfWork(SqlUnitOfWork):
    """SQL unit of work exposing `stock`."""

    stock: StockRepository

    def __init__(
        self, engine: Engine, tables: InventoryTables, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(engine, tables.common, headers)
        self._inventory_tables = tables

    def bind(self, conn: Connection) -> None:
        """Create the stock repository on the transaction's connection."""
        self.stock = SqlStockRepository(conn, self._inventory_tables)

"""Cart persistence: the port and its PostgreSQL adapter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    Executable,
    Index,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    select,
    text,
    update,
)

from services.cart.domain import ACTIVE, Cart, Reservation, items_from_json
from services.common.statements import bound_insert, built_once
from services.common.tables import CommonTables, add_common_tables
from services.common.uow import SqlUnitOfWork


@dataclass(frozen=True)
class CartTables:
    """All tables of the cart database."""

    metadata: MetaData
    common: CommonTables
    carts: Table
    reservations: Table


def cart_tables() -> CartTables:
    """Fresh metadata with cart and common tables."""
    metadata = MetaData()
    carts = Table(
        "carts",
        metadata,
        Column("id", String(64), primary_key=True),
        Column("customer_id", String(200), nullable=False),
        Column("items", JSON, nullable=False),
        Column("currency", String(3), nullable=False),
        Column("status", String(16), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    reservations = Table(
        "reservations",
        metadata,
        Column("key", String(200), primary_key=True),
        Column("cart_id", String(64), nullable=False, index=True),
        Column("checkout_id", String(200), nullable=False),
        Column("status", String(16), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        # At most one active reservation per cart, enforced by the database.
        Index(
            "reservations_one_active_per_cart",
            "cart_id",
            unique=True,
            postgresql_where=text(f"status = '{ACTIVE}'"),
        ),
    )
    return CartTables(metadata, add_common_tables(metadata), carts, reservations)


class CartRepository(Protocol):
    """Port: carts and reservations inside one unit of work."""

    def add_cart(self, cart: Cart) -> None:
        """Insert a cart."""
        ...

    def get_cart(self, cart_id: str, *, lock: bool = False) -> Cart | None:
        """Read a cart; `lock` serialises concurrent reservations of one cart."""
        ...

    def save_cart(self, cart: Cart) -> None:
        """Persist a cart's status."""
        ...

    def add_reservation(self, reservation: Reservation) -> None:
        """Insert a reservation."""
        ...

    def get_reservation(self, key: str) -> Reservation | None:
        """Read a reservation."""
        ...

    def active_reservation(self, cart_id: str) -> Reservation | None:
        """The active reservation of a cart, if any."""
        ...

    def save_reservation(self, reservation: Reservation) -> None:
        """Persist a reservation's status."""
        ...


@dataclass(frozen=True)
class CartStatements:
    """The cart repository's statements, built once per tables (services/common/statements.py)."""

    add_cart: Executable
    read_cart: Executable
    lock_cart: Executable
    set_cart_status: Executable
    add_reservation: Executable
    read_reservation: Executable
    read_active_reservation: Executable
    set_reservation_status: Executable


@built_once
def cart_statements(tables: CartTables) -> CartStatements:
    """Build the statements of one cart database's tables (memoised)."""
    carts, reservations = tables.carts, tables.reservations
    read_cart = select(carts).where(carts.c.id == bindparam("b_id"))
    return CartStatements(
        add_cart=bound_insert(carts, "id", "customer_id", "items", "currency", "status"),
        read_cart=read_cart,
        lock_cart=read_cart.with_for_update(),
        set_cart_status=update(carts)
        .where(carts.c.id == bindparam("b_id"))
        .values(status=bindparam("status")),
        add_reservation=bound_insert(reservations, "key", "cart_id", "checkout_id", "status"),
        read_reservation=select(reservations).where(reservations.c.key == bindparam("b_key")),
        read_active_reservation=select(reservations).where(
            reservations.c.cart_id == bindparam("b_cart_id"), reservations.c.status == ACTIVE
        ),
        set_reservation_status=update(reservations)
        .where(reservations.c.key == bindparam("b_key"))
        .values(status=bindparam("status")),
    )


class SqlCartRepository:
    """CartRepository on PostgreSQL."""

    def __init__(self, conn: Connection, tables: CartTables) -> None:
        self._conn = conn
        self._sql = cart_statements(tables)

    def add_cart(self, cart: Cart) -> None:
        """Insert."""
        self._conn.execute(
            self._sql.add_cart,
            {
                "id": cart.id,
                "customer_id": cart.customer_id,
                "items": [item.to_json() for item in cart.items],
                "currency": cart.currency,
                "status": cart.status,
            },
        )

    def get_cart(self, cart_id: str, *, lock: bool = False) -> Cart | None:
        """SELECT [FOR UPDATE]."""
        query = self._sql.lock_cart if lock else self._sql.read_cart
        row = self._conn.execute(query, {"b_id": cart_id}).first()
        return _cart(row._mapping) if row is not None else None

    def save_cart(self, cart: Cart) -> None:
        """Update status."""
        self._conn.execute(self._sql.set_cart_status, {"b_id": cart.id, "status": cart.status})

    def add_reservation(self, reservation: Reservation) -> None:
        """Insert."""
        self._conn.execute(
            self._sql.add_reservation,
            {
                "key": reservation.key,
                "cart_id": reservation.cart_id,
                "checkout_id": reservation.checkout_id,
                "status": reservation.status,
            },
        )

    def get_reservation(self, key: str) -> Reservation | None:
        """Read by key."""
        return self._one_reservation(self._sql.read_reservation, {"b_key": key})

    def active_reservation(self, cart_id: str) -> Reservation | None:
        """Read the active one."""
        return self._one_reservation(self._sql.read_active_reservation, {"b_cart_id": cart_id})

    def save_reservation(self, reservation: Reservation) -> None:
        """Update status."""
        params = {"b_key": reservation.key, "status": reservation.status}
        self._conn.execute(self._sql.set_reservation_status, params)

    def _one_reservation(self, query: Executable, params: dict[str, str]) -> Reservation | None:
        row = self._conn.execute(query, params).first()
        if row is None:
            return None
        values = row._mapping
        return Reservation(
            values["key"], values["cart_id"], values["checkout_id"], values["status"]
        )


def _cart(values: Any) -> Cart:
    return Cart(
        id=values["id"],
        customer_id=values["customer_id"],
        items=items_from_json(values["items"]),
        currency=values["currency"],
        status=values["status"],
    )


class CartUnitOfWork(SqlUnitOfWork):
    """SQL unit of work exposing `carts`."""

    carts: CartRepository

    def __init__(
        self, engine: Engine, tables: CartTables, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(engine, tables.common, headers)
        self._cart_tables = tables

    def bind(self, conn: Connection) -> None:
        """Create the cart repository on the transaction's connection."""
        self.carts = SqlCartRepository(conn, self._cart_tables)

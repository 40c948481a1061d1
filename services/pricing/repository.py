"""Pricing persistence: the port and its PostgreSQL adapter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert

from services.common.tables import CommonTables, add_common_tables
from services.common.uow import SqlUnitOfWork
from services.pricing.domain import Coupon, Quote


@dataclass(frozen=True)
class PricingTables:
    """All tables of the pricing database."""

    metadata: MetaData
    common: CommonTables
    prices: Table
    coupons: Table
    quotes: Table


def pricing_tables() -> PricingTables:
    """Fresh metadata with pricing and common tables."""
    metadata = MetaData()
    prices = Table(
        "prices",
        metadata,
        Column("sku", String(100), primary_key=True),
        Column("unit_price", Integer, nullable=False),
        CheckConstraint("unit_price >= 0", name="prices_not_negative"),
    )
    coupons = Table(
        "coupons",
        metadata,
        Column("code", String(64), primary_key=True),
        Column("kind", String(16), nullable=False),
        Column("value", Integer, nullable=False),
        Column("usage_limit", Integer, nullable=False),
        Column("used", Integer, nullable=False, server_default="0"),
        # Coupon uses can never exceed the limit nor go below zero.
        CheckConstraint("used >= 0 AND used <= usage_limit", name="coupons_used_within_limit"),
    )
    quotes = Table(
        "quotes",
        metadata,
        Column("key", String(200), primary_key=True),
        Column("checkout_id", String(200), nullable=False, index=True),
        Column("body", JSON, nullable=False),
        Column("coupon", String(64), nullable=True),
        Column("status", String(16), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return PricingTables(metadata, add_common_tables(metadata), prices, coupons, quotes)


class PricingRepository(Protocol):
    """Port: prices, coupons and quotes inside one unit of work."""

    def set_price(self, sku: str, unit_price: int) -> None:
        """Upsert a catalog price."""
        ...

    def prices(self, skus: Iterable[str]) -> dict[str, int]:
        """Known prices among `skus`."""
        ...

    def set_coupon(self, coupon: Coupon) -> None:
        """Upsert a coupon definition (keeps its `used` count)."""
        ...

    def get_coupon(self, code: str) -> Coupon | None:
        """Read a coupon."""
        ...

    def use_coupon(self, code: str) -> bool:
        """Consume one use if below the limit; False otherwise."""
        ...

    def return_coupon(self, code: str) -> None:
        """Give one use back."""
        ...

    def add_quote(self, quote: Quote) -> None:
        """Insert a quote."""
        ...

    def get_quote(self, key: str) -> tuple[str | None, str] | None:
        """(coupon, status) of a quote."""
        ...

    def set_quote_status(self, key: str, status: str) -> None:
        """Update a quote's status."""
        ...


class SqlPricingRepository:
    """PricingRepository on PostgreSQL; coupon counters use conditional UPDATEs."""

    def __init__(self, conn: Connection, tables: PricingTables) -> None:
        self._conn = conn
        self._t = tables

    def set_price(self, sku: str, unit_price: int) -> None:
        """Upsert."""
        statement = insert(self._t.prices).values(sku=sku, unit_price=unit_price)
        self._conn.execute(
            statement.on_conflict_do_update(index_elements=["sku"], set_={"unit_price": unit_price})
        )

    def prices(self, skus: Iterable[str]) -> dict[str, int]:
        """SELECT ... WHERE sku IN."""
        table = self._t.prices
        query = select(table.c.sku, table.c.unit_price).where(table.c.sku.in_(list(skus)))
        return {row[0]: int(row[1]) for row in self._conn.execute(query)}

    def set_coupon(self, coupon: Coupon) -> None:
        """Upsert the definition."""
        values = {"kind": coupon.kind, "value": coupon.value, "usage_limit": coupon.usage_limit}
        statement = insert(self._t.coupons).values(code=coupon.code, used=coupon.used, **values)
        self._conn.execute(statement.on_conflict_do_update(index_elements=["code"], set_=values))

    def get_coupon(self, code: str) -> Coupon | None:
        """Read."""
        row = self._conn.execute(select(self._t.coupons).where(self._t.coupons.c.code == code))
        found = row.first()
        return Coupon(**dict(found._mapping)) if found is not None else None

    def use_coupon(self, code: str) -> bool:
        """UPDATE ... SET used = used + 1 WHERE used < usage_limit."""
        table = self._t.coupons
        statement = (
            update(table)
            .where(table.c.code == code, table.c.used < table.c.usage_limit)
            .values(used=table.c.used + 1)
        )
        return self._conn.execute(statement).rowcount == 1

    def return_coupon(self, code: str) -> None:
        """UPDATE ... SET used = used - 1 WHERE used > 0."""
        table = self._t.coupons
        statement = update(table).where(table.c.code == code, table.c.used > 0)
        self._conn.execute(statement.values(used=table.c.used - 1))

    def add_quote(self, quote: Quote) -> None:
        """Insert."""
        self._conn.execute(
            self._t.quotes.insert().values(
                key=quote.key,
                checkout_id=quote.checkout_id,
                body=quote.to_json(),
                coupon=quote.coupon,
                status=quote.status,
            )
        )

    def get_quote(self, key: str) -> tuple[str | None, str] | None:
        """Read coupon and status."""
        table = self._t.quotes
        row = self._conn.execute(
            select(table.c.coupon, table.c.status).where(table.c.key == key)
        ).first()
        return (row[0], row[1]) if row is not None else None

    def set_quote_status(self, key: str, status: str) -> None:
        """Update."""
        table = self._t.quotes
        self._conn.execute(update(table).where(table.c.key == key).values(status=status))


class PricingUnitOfWork(SqlUnitOfWork):
    """SQL unit of work exposing `pricing`."""

    pricing: PricingRepository

    def __init__(
        self, engine: Engine, tables: PricingTables, headers: dict[str, Any] | None = None
    ) -> None:
        super().__init__(engine, tables.common, headers)
        self._pricing_tables = tables

    def bind(self, conn: Connection) -> None:
        """Create the pricing repository on the transaction's connection."""
        self.pricing = SqlPricingRepository(conn, self._pricing_tables)

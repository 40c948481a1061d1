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

from services.common.statements import bound_insert, bound_values, built_once
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


@dataclass(frozen=True)
class PricingStatements:
    """The pricing repository's statements, built once per tables (common/statements.py)."""

    upsert_price: Executable
    read_prices: Executable  # WHERE sku IN (expanding b_skus)
    upsert_coupon: Executable  # keeps `used` of an existing coupon
    read_coupon: Executable
    use_coupon: Executable  # used + 1 while below the limit
    return_coupon: Executable  # used - 1 while above zero
    add_quote: Executable
    read_quote: Executable
    set_quote_status: Executable


@built_once
def pricing_statements(tables: PricingTables) -> PricingStatements:
    """Build the statements of one pricing database's tables (memoised)."""
    prices, coupons, quotes = tables.prices, tables.coupons, tables.quotes
    coupon = coupons.c.code == bindparam("b_code")
    return PricingStatements(
        upsert_price=_upsert(prices, "sku", ["unit_price"]),
        read_prices=select(prices.c.sku, prices.c.unit_price).where(
            prices.c.sku.in_(bindparam("b_skus", expanding=True))
        ),
        upsert_coupon=_upsert(coupons, "code", ["kind", "value", "usage_limit"], "used"),
        read_coupon=select(coupons).where(coupon),
        use_coupon=update(coupons)
        .where(coupon, coupons.c.used < coupons.c.usage_limit)
        .values(used=coupons.c.used + 1),
        return_coupon=update(coupons)
        .where(coupon, coupons.c.used > 0)
        .values(used=coupons.c.used - 1),
        add_quote=bound_insert(quotes, "key", "checkout_id", "body", "coupon", "status"),
        read_quote=select(quotes.c.coupon, quotes.c.status).where(
            quotes.c.key == bindparam("b_key")
        ),
        set_quote_status=update(quotes)
        .where(quotes.c.key == bindparam("b_key"))
        .values(status=bindparam("status")),
    )


def _upsert(table: Table, key: str, updated: list[str], *inserted_only: str) -> Executable:
    """INSERT ... ON CONFLICT (key) DO UPDATE SET each of `updated` to the proposed value."""
    statement = insert(table).values(bound_values(key, *updated, *inserted_only))
    excluded = {name: statement.excluded[name] for name in updated}
    return statement.on_conflict_do_update(index_elements=[key], set_=excluded)


class SqlPricingRepository:
    """PricingRepository on PostgreSQL; coupon counters use conditional UPDATEs."""

    def __init__(self, conn: Connection, tables: PricingTables) -> None:
        self._conn = conn
        self._sql = pricing_statements(tables)

    def set_price(self, sku: str, unit_price: int) -> None:
        """Upsert."""
        self._conn.execute(self._sql.upsert_price, {"sku": sku, "unit_price": unit_price})

    def prices(self, skus: Iterable[str]) -> dict[str, int]:
        """SELECT ... WHERE sku IN."""
        rows = self._conn.execute(self._sql.read_prices, {"b_skus": list(skus)})
        return {row[0]: int(row[1]) for row in rows}

    def set_coupon(self, coupon: Coupon) -> None:
        """Upsert the definition."""
        values = {"kind": coupon.kind, "value": coupon.value, "usage_limit": coupon.usage_limit}
        params = {"code": coupon.code, "used": coupon.used, **values}
        self._conn.execute(self._sql.upsert_coupon, params)

    def get_coupon(self, code: str) -> Coupon | None:
        """Read."""
        found = self._conn.execute(self._sql.read_coupon, {"b_code": code}).first()
        return Coupon(**dict(found._mapping)) if found is not None else None

    def use_coupon(self, code: str) -> bool:
        """UPDATE ... SET used = used + 1 WHERE used < usage_limit."""
        return self._conn.execute(self._sql.use_coupon, {"b_code": code}).rowcount == 1

    def return_coupon(self, code: str) -> None:
        """UPDATE ... SET used = used - 1 WHERE used > 0."""
        self._conn.execute(self._sql.return_coupon, {"b_code": code})

    def add_quote(self, quote: Quote) -> None:
        """Insert."""
        self._conn.execute(
            self._sql.add_quote,
            {
                "key": quote.key,
                "checkout_id": quote.checkout_id,
                "body": quote.to_json(),
                "coupon": quote.coupon,
                "status": quote.status,
            },
        )

    def get_quote(self, key: str) -> tuple[str | None, str] | None:
        """Read coupon and status."""
        row = self._conn.execute(self._sql.read_quote, {"b_key": key}).first()
        return (row[0], row[1]) if row is not None else None

    def set_quote_status(self, key: str, status: str) -> None:
        """Update."""
        self._conn.execute(self._sql.set_quote_status, {"b_key": key, "status": status})


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

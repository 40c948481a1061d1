"""PostgreSQL adapter of the loyalty consumer.

Why PostgreSQL and not FerretDB: the processed-message record and the points change must commit
together. FerretDB v1 has no multi-document transactions, so a crash between the dedupe insert
and the points update could lose or double points; one PostgreSQL transaction cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    MetaData,
    String,
    Table,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert

from services.common.dedupe import process_once
from services.common.tables import processed_messages_table
from services.loyalty.domain import AWARD, OrderEvent, PointsChange, change_for

CONSUMER = "loyalty"


@dataclass(frozen=True)
class LoyaltyTables:
    """Tables of the loyalty database."""

    metadata: MetaData
    accounts: Table
    awards: Table
    processed: Table


def loyalty_tables() -> LoyaltyTables:
    """Fresh metadata with the loyalty tables."""
    metadata = MetaData()
    accounts = Table(
        "loyalty_accounts",
        metadata,
        Column("customer_id", String(200), primary_key=True),
        Column("points", BigInteger, nullable=False),
    )
    awards = Table(
        "loyalty_awards",
        metadata,
        Column("order_id", String(200), primary_key=True),
        Column("customer_id", String(200), nullable=False),
        Column("points", BigInteger, nullable=False),
        Column("revoked", Boolean, nullable=False, server_default="false"),
    )
    return LoyaltyTables(metadata, accounts, awards, processed_messages_table(metadata))


def apply_event(conn: Connection, tables: LoyaltyTables, event: OrderEvent) -> bool:
    """Apply one event inside the caller's transaction; False if it was already processed."""
    if not process_once(conn, tables.processed, consumer=CONSUMER, event_id=event.event_id):
        return False
    change = change_for(event)
    if change is not None:
        (_award if change.action == AWARD else _revoke)(conn, tables, change)
    return True


def _award(conn: Connection, tables: LoyaltyTables, change: PointsChange) -> None:
    inserted = conn.execute(
        insert(tables.awards)
        .values(order_id=change.order_id, customer_id=change.customer_id, points=change.points)
        .on_conflict_do_nothing(index_elements=["order_id"])
        .returning(tables.awards.c.order_id)
    ).first()
    if inserted is not None:
        _add_points(conn, tables, change.customer_id, change.points)


def _revoke(conn: Connection, tables: LoyaltyTables, change: PointsChange) -> None:
    awards = tables.awards
    revoked = conn.execute(
        update(awards)
        .where(awards.c.order_id == change.order_id, awards.c.revoked.is_(False))
        .values(revoked=True)
        .returning(awards.c.customer_id, awards.c.points)
    ).first()
    if revoked is not None:
        _add_points(conn, tables, revoked.customer_id, -int(revoked.points))


def _add_points(conn: Connection, tables: LoyaltyTables, customer_id: str, delta: int) -> None:
    statement = insert(tables.accounts).values(customer_id=customer_id, points=delta)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["customer_id"],
            set_={"points": tables.accounts.c.points + statement.excluded.points},
        )
    )


def points_of(conn: Connection, tables: LoyaltyTables, customer_id: str) -> int:
    """Current points of a customer (0 when unknown)."""
    accounts = tables.accounts
    row = conn.execute(
        select(accounts.c.points).where(accounts.c.customer_id == customer_id)
    ).first()
    return int(row.points) if row is not None else 0

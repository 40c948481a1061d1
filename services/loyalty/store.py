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
    Executable,
    MetaData,
    String,
    Table,
    bindparam,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert

from services.common.dedupe import process_once
from services.common.statements import bound_values, built_once
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


@dataclass(frozen=True)
class LoyaltyStatements:
    """The loyalty consumer's statements, built once per tables (common/statements.py)."""

    add_award: Executable  # INSERT ... ON CONFLICT (order_id) DO NOTHING RETURNING order_id
    revoke_award: Executable  # revoked = true once, RETURNING customer_id, points
    add_points: Executable  # upsert: points + proposed delta
    read_points: Executable


@built_once
def loyalty_statements(tables: LoyaltyTables) -> LoyaltyStatements:
    """Build the statements of one loyalty database's tables (memoised)."""
    accounts, awards = tables.accounts, tables.awards
    add_points = insert(accounts).values(bound_values("customer_id", "points"))
    return LoyaltyStatements(
        add_award=insert(awards)
        .values(bound_values("order_id", "customer_id", "points"))
        .on_conflict_do_nothing(index_elements=["order_id"])
        .returning(awards.c.order_id),
        revoke_award=update(awards)
        .where(awards.c.order_id == bindparam("b_order_id"), awards.c.revoked.is_(False))
        .values(revoked=True)
        .returning(awards.c.customer_id, awards.c.points),
        add_points=add_points.on_conflict_do_update(
            index_elements=["customer_id"],
            set_={"points": accounts.c.points + add_points.excluded.points},
        ),
        read_points=select(accounts.c.points).where(
            accounts.c.customer_id == bindparam("b_customer_id")
        ),
    )


def apply_event(conn: Connection, tables: LoyaltyTables, event: OrderEvent) -> bool:
    """Apply one event inside the caller's transaction; False if it was already processed."""
    if not process_once(conn, tables.processed, consumer=CONSUMER, event_id=event.event_id):
        return False
    change = change_for(event)
    if change is not None:
        (_award if change.action == AWARD else _revoke)(conn, loyalty_statements(tables), change)
    return True


def _award(conn: Connection, sql: LoyaltyStatements, change: PointsChange) -> None:
    award = {"order_id": change.order_id, "customer_id": change.customer_id}
    inserted = conn.execute(sql.add_award, {**award, "points": change.points}).first()
    if inserted is not None:
        _add_points(conn, sql, change.customer_id, change.points)


def _revoke(conn: Connection, sql: LoyaltyStatements, change: PointsChange) -> None:
    revoked = conn.execute(sql.revoke_award, {"b_order_id": change.order_id}).first()
    if revoked is not None:
        _add_points(conn, sql, revoked.customer_id, -int(revoked.points))


def _add_points(conn: Connection, sql: LoyaltyStatements, customer_id: str, delta: int) -> None:
    conn.execute(sql.add_points, {"customer_id": customer_id, "points": delta})


def points_of(conn: Connection, tables: LoyaltyTables, customer_id: str) -> int:
    """Current points of a customer (0 when unknown)."""
    statement = loyalty_statements(tables).read_points
    row = conn.execute(statement, {"b_customer_id": customer_id}).first()
    return int(row.points) if row is not None else 0

"""Tables every SQL service shares: idempotent operations, outbox, processed messages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    func,
    text,
)


@dataclass(frozen=True)
class CommonTables:
    """The shared tables of one service's metadata."""

    operations: Table
    outbox: Table
    processed_messages: Table


def operations_table(metadata: MetaData) -> Table:
    """Idempotency records: one row per (operation, key), including tombstones."""
    return Table(
        "operations",
        metadata,
        Column("operation", String(64), nullable=False),
        Column("key", String(200), nullable=False),
        Column("fingerprint", String(64), nullable=True),
        # pending (inside the first transaction only), done, compensated, tombstone
        Column("status", String(16), nullable=False),
        Column("response", JSON, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("operation", "key"),
    )


def outbox_table(metadata: MetaData) -> Table:
    """Transactional outbox: rows written with the business change, relayed to Kafka."""
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("aggregate_type", String(64), nullable=False),
        Column("aggregate_id", String(200), nullable=False),
        Column("event_type", String(128), nullable=False),
        Column("payload", JSON, nullable=False),
        Column("headers", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        # The relay only ever scans unsent rows in id order: keep that index small.
        Index("outbox_unsent", "id", postgresql_where=text("sent_at IS NULL")),
    )


def processed_messages_table(metadata: MetaData) -> Table:
    """Consumer-side dedupe: one row per (consumer, event_id) processed."""
    return Table(
        "processed_messages",
        metadata,
        Column("consumer", String(100), nullable=False),
        Column("event_id", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "event_id"),
    )


def add_common_tables(metadata: MetaData) -> CommonTables:
    """Register the shared tables on a service's metadata."""
    return CommonTables(
        operations=operations_table(metadata),
        outbox=outbox_table(metadata),
        processed_messages=processed_messages_table(metadata),
    )

"""Consumer-side idempotence: process each event_id once per consumer."""

from __future__ import annotations

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert


def process_once(conn: Connection, table: Table, *, consumer: str, event_id: str) -> bool:
    """Record (consumer, event_id); True the first time, False for a duplicate.

    Call it in the same transaction as the consumer's effect, so a crash before commit lets the
    redelivered message be processed again, and a duplicate after commit is skipped.
    """
    statement = (
        insert(table)
        .values(consumer=consumer, event_id=event_id)
        .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
        .returning(table.c.event_id)
    )
    return conn.execute(statement).first() is not None

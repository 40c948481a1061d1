"""Idempotency records: the port, its value type and the SQL adapter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Table, func, select, update
from sqlalchemy.dialects.postgresql import insert

PENDING = "pending"
DONE = "done"
COMPENSATED = "compensated"
TOMBSTONE = "tombstone"


@dataclass(frozen=True)
class StoredOperation:
    """What the store knows about one (operation, key)."""

    operation: str
    key: str
    status: str
    fingerprint: str | None
    response: Mapping[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        """Public view for `GET /v1/<operation>/<key>`."""
        return {
            "operation": self.operation,
            "key": self.key,
            "status": self.status,
            "response": dict(self.response) if self.response is not None else None,
        }


class OperationStore(Protocol):
    """Port: idempotency records, used inside one unit of work (transaction)."""

    def claim(self, operation: str, key: str, fingerprint: str) -> StoredOperation | None:
        """Create a pending record and return None, or lock and return the existing one."""
        ...

    def complete(self, operation: str, key: str, response: Mapping[str, Any]) -> None:
        """Mark a claimed record done with the response to replay."""
        ...

    def claim_for_compensation(self, operation: str, key: str) -> StoredOperation | None:
        """Record a tombstone and return None, or lock and return the existing record."""
        ...

    def mark_compensated(self, operation: str, key: str) -> None:
        """Mark a done record compensated."""
        ...

    def get(self, operation: str, key: str) -> StoredOperation | None:
        """Read one record without locking."""
        ...


class SqlOperationStore:
    """OperationStore on PostgreSQL; concurrent claims of one key serialise on the primary key."""

    def __init__(self, conn: Connection, table: Table) -> None:
        self._conn = conn
        self._table = table

    def claim(self, operation: str, key: str, fingerprint: str) -> StoredOperation | None:
        """INSERT ... ON CONFLICT DO NOTHING waits for a concurrent claimer; then lock its row."""
        return self._insert_or_lock(operation, key, status=PENDING, fingerprint=fingerprint)

    def complete(self, operation: str, key: str, response: Mapping[str, Any]) -> None:
        """Store the response of a successful forward call."""
        self._set(operation, key, status=DONE, response=dict(response))

    def claim_for_compensation(self, operation: str, key: str) -> StoredOperation | None:
        """Insert a tombstone unless a record exists (then it is returned locked)."""
        return self._insert_or_lock(operation, key, status=TOMBSTONE, fingerprint=None)

    def mark_compensated(self, operation: str, key: str) -> None:
        """Flip done -> compensated."""
        self._set(operation, key, status=COMPENSATED)

    def get(self, operation: str, key: str) -> StoredOperation | None:
        """Plain read."""
        row = self._conn.execute(self._where(select(self._table), operation, key)).first()
        return _to_stored(row._mapping) if row is not None else None

    def _insert_or_lock(
        self, operation: str, key: str, *, status: str, fingerprint: str | None
    ) -> StoredOperation | None:
        statement = (
            insert(self._table)
            .values(operation=operation, key=key, status=status, fingerprint=fingerprint)
            .on_conflict_do_nothing(index_elements=["operation", "key"])
            .returning(self._table.c.key)
        )
        if self._conn.execute(statement).first() is not None:
            return None
        locked = self._where(select(self._table), operation, key).with_for_update()
        return _to_stored(self._conn.execute(locked).one()._mapping)

    def _set(self, operation: str, key: str, **values: Any) -> None:
        statement = self._where(update(self._table), operation, key)
        self._conn.execute(statement.values(updated_at=func.now(), **values))

    def _where(self, statement: Any, operation: str, key: str) -> Any:
        return statement.where(self._table.c.operation == operation, self._table.c.key == key)


def _to_stored(row: Mapping[Any, Any]) -> StoredOperation:
    return StoredOperation(
        operation=row["operation"],
        key=row["key"],
        status=row["status"],
        fingerprint=row["fingerprint"],
        response=row["response"],
    )

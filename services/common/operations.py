"""Idempotency records: the port, its value type and the SQL adapter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Executable, Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert

from services.common.statements import built_once

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


@dataclass(frozen=True)
class OperationStatements:
    """The operation store's statements on one table, built once (services/common/statements.py)."""

    claim: Executable  # INSERT ... ON CONFLICT (operation, key) DO NOTHING RETURNING key
    read: Executable  # SELECT by (b_operation, b_key)
    lock: Executable  # the same, FOR UPDATE
    complete: Executable  # SET status = done, response
    mark_compensated: Executable  # SET status = compensated


@built_once
def operation_statements(table: Table) -> OperationStatements:
    """Build the statements of `table` (memoised per table)."""
    same_key = (table.c.operation == bindparam("b_operation"), table.c.key == bindparam("b_key"))
    read = select(table).where(*same_key)
    set_where = update(table).where(*same_key).values(updated_at=func.now())
    return OperationStatements(
        claim=insert(table)
        .values(
            operation=bindparam("b_operation"),
            key=bindparam("b_key"),
            status=bindparam("status"),
            fingerprint=bindparam("fingerprint"),
        )
        .on_conflict_do_nothing(index_elements=["operation", "key"])
        .returning(table.c.key),
        read=read,
        lock=read.with_for_update(),
        complete=set_where.values(status=DONE, response=bindparam("response")),
        mark_compensated=set_where.values(status=COMPENSATED),
    )


class SqlOperationStore:
    """OperationStore on PostgreSQL; concurrent claims of one key serialise on the primary key."""

    def __init__(self, conn: Connection, table: Table) -> None:
        self._conn = conn
        self._sql = operation_statements(table)

    def claim(self, operation: str, key: str, fingerprint: str) -> StoredOperation | None:
        """INSERT ... ON CONFLICT DO NOTHING waits for a concurrent claimer; then lock its row."""
        return self._insert_or_lock(operation, key, status=PENDING, fingerprint=fingerprint)

    def complete(self, operation: str, key: str, response: Mapping[str, Any]) -> None:
        """Store the response of a successful forward call."""
        self._conn.execute(self._sql.complete, {**_ids(operation, key), "response": dict(response)})

    def claim_for_compensation(self, operation: str, key: str) -> StoredOperation | None:
        """Insert a tombstone unless a record exists (then it is returned locked)."""
        return self._insert_or_lock(operation, key, status=TOMBSTONE, fingerprint=None)

    def mark_compensated(self, operation: str, key: str) -> None:
        """Flip done -> compensated."""
        self._conn.execute(self._sql.mark_compensated, _ids(operation, key))

    def get(self, operation: str, key: str) -> StoredOperation | None:
        """Plain read."""
        row = self._conn.execute(self._sql.read, _ids(operation, key)).first()
        return _to_stored(row._mapping) if row is not None else None

    def _insert_or_lock(
        self, operation: str, key: str, *, status: str, fingerprint: str | None
    ) -> StoredOperation | None:
        ids = _ids(operation, key)
        claimed = {**ids, "status": status, "fingerprint": fingerprint}
        if self._conn.execute(self._sql.claim, claimed).first() is not None:
            return None
        return _to_stored(self._conn.execute(self._sql.lock, ids).one()._mapping)


def _ids(operation: str, key: str) -> dict[str, str]:
    return {"b_operation": operation, "b_key": key}


def _to_stored(row: Mapping[Any, Any]) -> StoredOperation:
    return StoredOperation(
        operation=row["operation"],
        key=row["key"],
        status=row["status"],
        fingerprint=row["fingerprint"],
        response=row["response"],
    )

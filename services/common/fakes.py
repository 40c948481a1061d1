"""In-memory fakes of the common ports, for unit tests of service layers and apps."""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from services.common.operations import (
    COMPENSATED,
    DONE,
    PENDING,
    TOMBSTONE,
    OperationStore,
    StoredOperation,
)
from services.common.outbox import Outbox, OutboxEvent


@dataclass
class FakeDatabase:
    """Mutable in-memory state; `tables` holds service-specific dicts."""

    operations: dict[tuple[str, str], StoredOperation] = field(default_factory=dict)
    outbox: list[OutboxEvent] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)
    # One writer at a time, like a serialisable database.
    lock: threading.RLock = field(default_factory=threading.RLock)


class FakeOperationStore:
    """OperationStore on a FakeDatabase."""

    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    def claim(self, operation: str, key: str, fingerprint: str) -> StoredOperation | None:
        """Pending record, or the existing one."""
        return self._insert_or_get(StoredOperation(operation, key, PENDING, fingerprint, None))

    def complete(self, operation: str, key: str, response: Mapping[str, Any]) -> None:
        """pending -> done."""
        self._update(operation, key, status=DONE, response=dict(response))

    def claim_for_compensation(self, operation: str, key: str) -> StoredOperation | None:
        """Tombstone, or the existing record."""
        return self._insert_or_get(StoredOperation(operation, key, TOMBSTONE, None, None))

    def mark_compensated(self, operation: str, key: str) -> None:
        """done -> compensated."""
        self._update(operation, key, status=COMPENSATED)

    def get(self, operation: str, key: str) -> StoredOperation | None:
        """Plain read."""
        return self._db.operations.get((operation, key))

    def _insert_or_get(self, record: StoredOperation) -> StoredOperation | None:
        existing = self._db.operations.get((record.operation, record.key))
        if existing is None:
            self._db.operations[(record.operation, record.key)] = record
        return existing

    def _update(self, operation: str, key: str, **changes: Any) -> None:
        current = self._db.operations[(operation, key)]
        values = {**current.__dict__, **changes}
        self._db.operations[(operation, key)] = StoredOperation(**values)


class FakeOutbox:
    """Outbox appending to the FakeDatabase list."""

    def __init__(self, db: FakeDatabase, headers: Mapping[str, str]) -> None:
        self._db = db
        self._headers = dict(headers)

    def add(
        self, aggregate_type: str, aggregate_id: str, event_type: str, payload: Mapping[str, Any]
    ) -> None:
        """Append one event."""
        event = OutboxEvent(aggregate_type, aggregate_id, event_type, dict(payload), self._headers)
        self._db.outbox.append(event)


class FakeUnitOfWork:
    """UnitOfWork on a FakeDatabase: snapshot on enter, restore unless committed."""

    def __init__(self, db: FakeDatabase, headers: Mapping[str, str] | None = None) -> None:
        self.db = db
        # Annotated with the ports so the fake satisfies the UnitOfWork protocol.
        self.operations: OperationStore = FakeOperationStore(db)
        self.outbox: Outbox = FakeOutbox(db, headers or {})
        self.committed = False
        self._snapshot: tuple[Any, ...] | None = None

    def __enter__(self) -> Self:
        self.db.lock.acquire()
        self._snapshot = copy.deepcopy((self.db.operations, self.db.outbox, self.db.tables))
        self.committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self.committed and self._snapshot is not None:
                operations, outbox, tables = self._snapshot
                self.db.operations, self.db.outbox, self.db.tables = operations, outbox, tables
        finally:
            self._snapshot = None
            self.db.lock.release()

    def commit(self) -> None:
        """Keep the changes."""
        self.committed = True

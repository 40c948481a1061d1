"""Unit of work: one database transaction holding the stores a service layer call needs."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy import Connection, Engine, RootTransaction

from services.common.operations import OperationStore, SqlOperationStore
from services.common.outbox import Outbox, SqlOutbox
from services.common.tables import CommonTables


class UnitOfWork(Protocol):
    """Port: `with uow:` opens a transaction; `commit()` commits; leaving without it rolls back."""

    operations: OperationStore
    outbox: Outbox

    def __enter__(self) -> Self:
        """Begin the transaction."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back unless committed; release resources."""
        ...

    def commit(self) -> None:
        """Commit the transaction."""
        ...


class SqlUnitOfWork:
    """UnitOfWork over one SQLAlchemy connection; subclasses add repositories in `bind`."""

    operations: OperationStore
    outbox: Outbox

    def __init__(
        self, engine: Engine, tables: CommonTables, headers: Mapping[str, str] | None = None
    ) -> None:
        self._engine = engine
        self._tables = tables
        self._headers = dict(headers or {})
        self._conn: Connection | None = None
        self._txn: RootTransaction | None = None

    def __enter__(self) -> Self:
        self._conn = self._engine.connect()
        self._txn = self._conn.begin()
        self.operations = SqlOperationStore(self._conn, self._tables.operations)
        self.outbox = SqlOutbox(self._conn, self._tables.outbox, self._headers)
        self.bind(self._conn)
        return self

    def bind(self, conn: Connection) -> None:
        """Hook for subclasses: create repositories on `conn`."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._txn is not None and self._txn.is_active:
            self._txn.rollback()
        if self._conn is not None:
            self._conn.close()
        self._conn = None
        self._txn = None

    def commit(self) -> None:
        """Commit the open transaction."""
        if self._txn is None:
            raise RuntimeError("commit() outside of `with uow:`")
        self._txn.commit()

"""The append-only record log: the engine's source of truth.

Two implementations share the `LogStore` protocol: `SqliteLogStore` (durable, WAL, one
transaction and so one fsync per appended batch: group commit) and `InMemoryLogStore` (tests and
`--in-memory`). Positions are assigned by the engine; the store keeps them and returns records in
position order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, Protocol

from zeebe.records import Record
from zeebe.runtime.codec import decode_records, encode_record

Synchronous = Literal["FULL", "NORMAL"]
_READ_CHUNK = 1000


class LogStore(Protocol):
    """Append-only log of records, read back in position order."""

    def append(self, records: Sequence[Record]) -> None:
        """Persist a batch atomically: either every record is durable or none is."""
        ...

    def read_from(self, position: int) -> Iterator[Record]:
        """Records with `position >= position`, in order."""
        ...

    def read_all(self) -> Iterator[Record]:
        """Every record, in order (used to replay the engine on start)."""
        ...

    def last_position(self) -> int:
        """Position of the newest record, or 0 when empty."""
        ...

    def close(self) -> None:
        """Release resources; further appends are errors."""
        ...


class LogClosedError(RuntimeError):
    """Raised when a closed log is used."""


class InMemoryLogStore:
    """A `LogStore` that lives in a list: no durability, same contract."""

    def __init__(self) -> None:
        self._records: list[Record] = []
        self._closed = False

    def append(self, records: Sequence[Record]) -> None:
        """Append the batch (atomic trivially: list.extend cannot half-fail here)."""
        if self._closed:
            raise LogClosedError("log is closed")
        self._records.extend(records)

    def read_from(self, position: int) -> Iterator[Record]:
        """Records at or after `position`."""
        return iter([r for r in self._records if r.position >= position])

    def read_all(self) -> Iterator[Record]:
        """Every record."""
        return iter(list(self._records))

    def last_position(self) -> int:
        """Newest position or 0."""
        return self._records[-1].position if self._records else 0

    def close(self) -> None:
        """Mark closed."""
        self._closed = True


class SqliteLogStore:
    """A `LogStore` in one SQLite file in WAL mode.

    `synchronous=FULL` fsyncs the WAL at every commit, so an acknowledged batch survives power
    loss; `NORMAL` survives a process crash (kill -9) but not an OS crash. The connection is used
    by one thread at a time (the broker's writer thread), hence `check_same_thread=False`.
    """

    def __init__(self, path: Path | str, *, synchronous: Synchronous = "FULL") -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(f"PRAGMA synchronous={synchronous}")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS records (position INTEGER PRIMARY KEY, body TEXT NOT NULL)"
        )

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise LogClosedError("log is closed")
        return self._conn

    def append(self, records: Sequence[Record]) -> None:
        """One transaction per batch: the commit is the single fsync of the group."""
        if not records:
            return
        conn = self._connection()
        rows = [(r.position, encode_record(r)) for r in records]
        conn.execute("BEGIN")
        try:
            conn.executemany("INSERT INTO records (position, body) VALUES (?, ?)", rows)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def read_from(self, position: int) -> Iterator[Record]:
        """Stream records in chunks so replaying a large log does not load it all at once."""
        conn = self._connection()
        next_position = position
        while True:
            rows = conn.execute(
                "SELECT position, body FROM records WHERE position >= ? ORDER BY position LIMIT ?",
                (next_position, _READ_CHUNK),
            ).fetchall()
            yield from decode_records([body for _, body in rows])
            if len(rows) < _READ_CHUNK:
                return
            next_position = rows[-1][0] + 1

    def read_all(self) -> Iterator[Record]:
        """Every record, in order."""
        return self.read_from(0)

    def last_position(self) -> int:
        """Newest position or 0."""
        row = self._connection().execute("SELECT MAX(position) FROM records").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def close(self) -> None:
        """Checkpoint and close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

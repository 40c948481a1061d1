"""Exporters receive committed records, in log order, after each group commit."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from zeebe.records import Record

HISTORY_CHUNK = 1000


class Exporter(Protocol):
    """Receives committed records in position order, each once per broker run: on start the
    whole log (history before the latest snapshot, then the replayed tail), then every new
    commit. Exporters are in-memory views (harness, read model) that start empty each run."""

    def export(self, records: Sequence[Record]) -> None:
        """Handle a committed batch. Called on the broker loop: must not block for long."""
        ...


def export_history(
    records: Iterable[Record],
    up_to: int,
    export: Callable[[Sequence[Record]], None],
    chunk: int = HISTORY_CHUNK,
) -> int:
    """Feed `export` the records with position <= `up_to`, in chunks; returns how many.

    Used on start for the part of the log a snapshot covers: the engine does not need it, but
    the read model would otherwise lose every instance finished before the snapshot. Chunks keep
    memory flat while the log is streamed (retention in the exporters bounds what stays).
    """
    count = 0
    pending: list[Record] = []
    for record in records:
        if record.position > up_to:
            break
        pending.append(record)
        if len(pending) >= chunk:
            export(pending)
            count += len(pending)
            pending = []
    if pending:
        export(pending)
        count += len(pending)
    return count


class InMemoryExporter:
    """Keeps committed records in memory (test assertions, the dashboard).

    `max_records` bounds memory for long-running engines: the oldest records are dropped
    (the durable log keeps everything). None keeps all (the test harness).
    """

    def __init__(self, max_records: int | None = None) -> None:
        self._max = max_records
        self._records: list[Record] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    def export(self, records: Sequence[Record]) -> None:
        """Store the batch and wake readers waiting for new records."""
        with self._changed:
            self._records.extend(records)
            # trim in chunks so the copy cost is amortised over many batches
            if self._max is not None and len(self._records) > self._max + self._max // 4:
                del self._records[: len(self._records) - self._max]
            self._changed.notify_all()

    def records(self) -> list[Record]:
        """A snapshot copy of all records exported so far."""
        with self._lock:
            return list(self._records)

    def wait_for(self, predicate: Callable[[list[Record]], bool], timeout_s: float) -> bool:
        """Block (from a non-loop thread) until `predicate(records)` holds or the timeout ends."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self._records), timeout=timeout_s)

    def clear(self) -> None:
        """Forget everything (between tests)."""
        with self._lock:
            self._records.clear()

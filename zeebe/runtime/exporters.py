"""Exporters receive committed records, in log order, after each group commit."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from zeebe.records import Record


class Exporter(Protocol):
    """Receives committed records in position order, each once per broker run: on start the
    records replayed from the log (after the latest snapshot), then every new commit."""

    def export(self, records: Sequence[Record]) -> None:
        """Handle a committed batch. Called on the broker loop: must not block for long."""
        ...


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

"""Clocks the broker can run on: the wall clock, or a manual one for tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def system_clock() -> int:
    """Wall-clock time in epoch milliseconds."""
    return time.time_ns() // 1_000_000


class ManualClock:
    """A clock that only moves when told to; listeners hear every move (the broker ticks then)."""

    def __init__(self, start_ms: int | None = None) -> None:
        self._now = system_clock() if start_ms is None else start_ms
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def __call__(self) -> int:
        """Current time in epoch milliseconds."""
        with self._lock:
            return self._now

    def on_advance(self, listener: Callable[[], None]) -> None:
        """Call `listener` (from the advancing thread) after every advance."""
        self._listeners.append(listener)

    def advance(self, millis: int) -> int:
        """Move time forward by `millis` and notify listeners; returns the new time."""
        if millis < 0:
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._now += millis
            now = self._now
        for listener in list(self._listeners):
            listener()
        return now

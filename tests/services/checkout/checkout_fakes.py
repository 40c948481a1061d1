"""Fakes for checkout API tests: a recording saga starter."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from services.checkout.service import EngineUnavailableError
from services.checkout.store import Started


class RecordingStarter:
    """SagaStarter that hands out increasing keys and records every start."""

    def __init__(self, *, fail: bool = False) -> None:
        self.starts: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail
        self._lock = threading.Lock()

    def start(self, version: str, variables: Mapping[str, Any]) -> Started:
        """Record the call; raise when told to fail (engine unreachable)."""
        if self.fail:
            raise EngineUnavailableError("engine unreachable")
        with self._lock:
            self.starts.append((version, dict(variables)))
            number = len(self.starts)
        return Started(
            process_definition_key=100 + number, process_instance_key=2251799813685248 + number
        )

"""Callers waiting for a process instance to complete (CreateProcessInstanceWithResult)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from zeebe.records import Record, RecordType, ValueType

ResultFuture = asyncio.Future[dict[str, Any]]


class InstanceResults:
    """Futures keyed by process instance key, resolved by committed PROCESS_INSTANCE_RESULT."""

    def __init__(self) -> None:
        self._waiting: dict[int, ResultFuture] = {}

    def register(self, process_instance_key: int, future: ResultFuture) -> None:
        """Wait for the instance (registered in the same loop turn that created it)."""
        self._waiting[process_instance_key] = future

    def forget(self, process_instance_key: int) -> None:
        """The caller gave up (request timeout)."""
        self._waiting.pop(process_instance_key, None)

    def complete(self, records: Sequence[Record]) -> None:
        """Resolve waiters whose instance result is among the committed records."""
        if not self._waiting:
            return
        for record in records:
            if (
                record.value_type is ValueType.PROCESS_INSTANCE_RESULT
                and record.record_type is RecordType.EVENT
            ):
                key = int(record.value.get("processInstanceKey", record.key))
                future = self._waiting.pop(key, None)
                if future is not None and not future.done():
                    future.set_result(dict(record.value))

    def fail_all(self, error: BaseException) -> None:
        """Shutdown: nobody will get a result any more."""
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(error)
        self._waiting.clear()

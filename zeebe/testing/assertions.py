"""Process instance assertions over exported records, in the spirit of zeebe-process-test.

Records are Zeebe-shaped (`zeebe.records.Record`), so the same assertions read the real engine's
log. Each assertion waits (up to `timeout_s`) for the records to show the expected state, because
workers and the broker run concurrently with the test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from zeebe.records import Record, RecordType, ValueType

DEFAULT_TIMEOUT_S = 5.0


class RecordSource(Protocol):
    """Where assertions read records from (the in-memory exporter satisfies it)."""

    def records(self) -> list[Record]:
        """All exported records so far."""
        ...

    def wait_for(self, predicate: Callable[[list[Record]], bool], timeout_s: float) -> bool:
        """Block until `predicate(records)` or timeout; True if it held."""
        ...


def instance_key_of(instance: object) -> int:
    """Accept an int key, a pyzeebe response, or anything with `process_instance_key`."""
    if isinstance(instance, int):
        return instance
    for name in ("process_instance_key", "processInstanceKey"):
        if hasattr(instance, name):
            return int(getattr(instance, name))
    raise TypeError(f"cannot find a process instance key in {instance!r}")


def _element_events(records: Sequence[Record], key: int, intent: str) -> list[Record]:
    return [
        r
        for r in records
        if r.record_type is RecordType.EVENT
        and r.value_type is ValueType.PROCESS_INSTANCE
        and r.intent == intent
        and int(r.value.get("processInstanceKey", r.key)) == key
    ]


def is_completed(records: Sequence[Record], key: int) -> bool:
    """The process element itself completed."""
    return any(r.key == key for r in _element_events(records, key, "ELEMENT_COMPLETED"))


def is_terminated(records: Sequence[Record], key: int) -> bool:
    """The process element itself was terminated (cancelled)."""
    return any(r.key == key for r in _element_events(records, key, "ELEMENT_TERMINATED"))


def passed_elements(records: Sequence[Record], key: int) -> list[str]:
    """Element ids that completed, in log order (the process element itself excluded)."""
    return [
        str(r.value.get("elementId"))
        for r in _element_events(records, key, "ELEMENT_COMPLETED")
        if r.key != key and r.value.get("elementId")
    ]


def waiting_at(records: Sequence[Record], key: int) -> set[str]:
    """Element ids with an element instance activated and not yet completed or terminated."""
    state: dict[int, tuple[str, str]] = {}
    for r in records:
        if (
            r.record_type is RecordType.EVENT
            and r.value_type is ValueType.PROCESS_INSTANCE
            and int(r.value.get("processInstanceKey", -1)) == key
            and r.key != key
        ):
            state[r.key] = (str(r.value.get("elementId")), r.intent)
    return {element for element, intent in state.values() if intent == "ELEMENT_ACTIVATED"}


def incidents(records: Sequence[Record], key: int) -> list[dict[str, Any]]:
    """Values of incidents created for the instance and not resolved."""
    open_incidents: dict[int, dict[str, Any]] = {}
    for r in records:
        if r.record_type is not RecordType.EVENT or r.value_type is not ValueType.INCIDENT:
            continue
        if int(r.value.get("processInstanceKey", -1)) != key:
            continue
        if r.intent == "CREATED":
            open_incidents[r.key] = dict(r.value)
        elif r.intent == "RESOLVED":
            open_incidents.pop(r.key, None)
    return list(open_incidents.values())


def variables(records: Sequence[Record], key: int) -> dict[str, Any]:
    """Current root-scope variables of the instance (VARIABLE records carry JSON text)."""
    result: dict[str, Any] = {}
    for r in records:
        if r.record_type is not RecordType.EVENT or r.value_type is not ValueType.VARIABLE:
            continue
        value = r.value
        if (
            int(value.get("processInstanceKey", -1)) == key
            and int(value.get("scopeKey", -1)) == key
        ):
            raw = value.get("value")
            result[str(value["name"])] = json.loads(raw) if isinstance(raw, str) else raw
    return result


def _is_subsequence(expected: Sequence[str], actual: Sequence[str]) -> bool:
    remaining = iter(actual)
    return all(any(item == seen for seen in remaining) for item in expected)


class ProcessInstanceAssert:
    """Fluent assertions about one process instance; every method returns self."""

    def __init__(self, source: RecordSource, instance: object, timeout_s: float) -> None:
        self._source = source
        self.key = instance_key_of(instance)
        self._timeout_s = timeout_s

    def _check(self, holds: Callable[[list[Record]], bool], describe: Callable[[], str]) -> None:
        if not self._source.wait_for(holds, self._timeout_s):
            raise AssertionError(f"process instance {self.key}: {describe()}")

    def _summary(self) -> str:
        records = self._source.records()
        return (
            f"passed={passed_elements(records, self.key)} "
            f"waiting={sorted(waiting_at(records, self.key))} "
            f"incidents={[i.get('errorMessage') for i in incidents(records, self.key)]}"
        )

    def is_completed(self) -> ProcessInstanceAssert:
        """The instance reached its end (element PROCESS completed)."""
        self._check(
            lambda rs: is_completed(rs, self.key), lambda: f"not completed; {self._summary()}"
        )
        return self

    def is_terminated(self) -> ProcessInstanceAssert:
        """The instance was cancelled/terminated."""
        self._check(
            lambda rs: is_terminated(rs, self.key), lambda: f"not terminated; {self._summary()}"
        )
        return self

    def has_passed_elements_in_order(self, *element_ids: str) -> ProcessInstanceAssert:
        """The given elements completed in this order (others may come in between)."""
        self._check(
            lambda rs: _is_subsequence(element_ids, passed_elements(rs, self.key)),
            lambda: f"expected to pass {list(element_ids)} in order; {self._summary()}",
        )
        return self

    def is_waiting_at(self, *element_ids: str) -> ProcessInstanceAssert:
        """Each element has an active instance (e.g. a task waiting for its job)."""
        self._check(
            lambda rs: set(element_ids) <= waiting_at(rs, self.key),
            lambda: f"expected to wait at {sorted(element_ids)}; {self._summary()}",
        )
        return self

    def has_incident(self, message: str | None = None) -> ProcessInstanceAssert:
        """An open incident exists (whose errorMessage contains `message`, if given)."""
        self._check(
            lambda rs: any(
                message is None or message in str(i.get("errorMessage", ""))
                for i in incidents(rs, self.key)
            ),
            lambda: f"expected an incident matching {message!r}; {self._summary()}",
        )
        return self

    def has_variables(self, expected: Mapping[str, Any]) -> ProcessInstanceAssert:
        """Root-scope variables include `expected` (name and value)."""

        def holds(rs: list[Record]) -> bool:
            current = variables(rs, self.key)
            return all(name in current and current[name] == v for name, v in expected.items())

        self._check(
            holds,
            lambda: (
                f"expected variables {dict(expected)}, "
                f"got {variables(self._source.records(), self.key)}"
            ),
        )
        return self


def assert_that(
    instance: object, source: RecordSource, *, timeout_s: float = DEFAULT_TIMEOUT_S
) -> ProcessInstanceAssert:
    """Start an assertion about `instance` (key or pyzeebe response) over `source`'s records."""
    return ProcessInstanceAssert(source, instance, timeout_s)

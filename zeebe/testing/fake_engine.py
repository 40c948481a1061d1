"""A small event-sourced stand-in for the engine, for testing the edges (broker, gateway).

Not a BPMN engine: a deployed process is read as "the service tasks of the file, in document
order, run one after another". It honours the `EngineApi` contract that the edges rely on:
records with positions and keys, rejections with Zeebe's reasons, responses as camelCase dicts,
`activatable_job_types`, job deadlines fired by `tick()`, and `replay()` that rebuilds state from
EVENT records only (state changes happen in `APPLIERS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from zeebe.engine.api import Clock, Command, CommandResult, Rejection
from zeebe.records import Record, RecordType, RejectionType, ValueType, encode_key
from zeebe.testing.fake_processors import PROCESSORS
from zeebe.testing.fake_state import APPLIERS, FakeState


class Writer:
    """Collects the records of one command, assigning positions from the shared state."""

    def __init__(self, engine: FakeEngine, command: Command) -> None:
        self.engine = engine
        self.records: list[Record] = []
        self.types: set[str] = set()
        self.source = self._write(
            RecordType.COMMAND, command.value_type, command.intent, command.key, command.value
        )

    def _write(
        self,
        rtype: RecordType,
        vtype: ValueType,
        intent: str,
        key: int,
        value: dict[str, Any],
        *,
        rejection: Rejection | None = None,
    ) -> int:
        state = self.engine.state
        state.position += 1
        record = Record(
            position=state.position,
            key=key,
            record_type=rtype,
            value_type=vtype,
            intent=intent,
            timestamp=self.engine.clock(),
            value=value,
            source_record_position=self.source if self.records else -1,
            rejection_type=rejection.type if rejection else RejectionType.NULL_VAL,
            rejection_reason=rejection.reason if rejection else "",
        )
        self.records.append(record)
        return state.position

    def event(self, vtype: ValueType, intent: str, key: int, value: dict[str, Any]) -> None:
        """Write an EVENT and apply it to the state."""
        self._write(RecordType.EVENT, vtype, intent, key, value)
        APPLIERS[(vtype, intent)](self.engine.state, key, value)

    def reject(self, command: Command, rtype: RejectionType, reason: str) -> CommandResult:
        """Write the rejection and build the result."""
        rejection = Rejection(rtype, reason, command.intent)
        self._write(
            RecordType.COMMAND_REJECTION,
            command.value_type,
            command.intent,
            command.key,
            command.value,
            rejection=rejection,
        )
        return CommandResult(self.records, rejection=rejection)

    def done(self, response: dict[str, Any] | None) -> CommandResult:
        """Build the result of an accepted command."""
        return CommandResult(
            self.records, response=response, activatable_job_types=frozenset(self.types)
        )


class FakeEngine:
    """See module docstring. `job_timeout_ms` is not used: deadlines come from the requests."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.state = FakeState()

    def next_key(self) -> int:
        """A fresh key, partition 1 encoded as Zeebe does."""
        self.state.key += 1
        return encode_key(1, self.state.key)

    def process(self, command: Command) -> CommandResult:
        """Dispatch to the processor registered for the command."""
        writer = Writer(self, command)
        processor = PROCESSORS.get((command.value_type, command.intent))
        if processor is None:
            reason = f"Command '{command.intent}' for '{command.value_type}' is not supported"
            return writer.reject(command, RejectionType.INVALID_ARGUMENT, reason)
        return processor(self, writer, command)

    def now(self) -> int:
        """The clock's time (this stand-in has no clock pinning)."""
        return self.clock()

    def tick(self) -> Sequence[CommandResult]:
        """Time out activated jobs whose deadline passed."""
        now = self.clock()
        results = []
        for key, job in list(self.state.jobs.items()):
            if job["state"] == "ACTIVATED" and job["deadline"] <= now:
                writer = Writer(self, Command(ValueType.JOB, "TIME_OUT", {}, key=key))
                writer.event(ValueType.JOB, "TIMED_OUT", key, {})
                writer.types.add(job["type"])
                results.append(writer.done(None))
        return results

    def next_due_time(self) -> int | None:
        """Earliest job deadline."""
        deadlines = [j["deadline"] for j in self.state.jobs.values() if j["state"] == "ACTIVATED"]
        return min(deadlines) if deadlines else None

    def replay(self, records: Iterable[Record]) -> None:
        """Apply EVENT records; restore key and position counters."""
        for record in records:
            self.state.position = max(self.state.position, record.position)
            if record.key > 0:
                self.state.key = max(self.state.key, record.key - encode_key(1, 0))
            if record.record_type is RecordType.EVENT:
                APPLIERS[(record.value_type, record.intent)](self.state, record.key, record.value)

    def activatable_job_types(self) -> frozenset[str]:
        """Types with ACTIVATABLE jobs."""
        return frozenset(j["type"] for j in self.state.jobs.values() if j["state"] == "ACTIVATABLE")

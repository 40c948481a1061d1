"""The processing context: the writers a processor uses while handling one command or tick.

Every EVENT appended here is applied to state at once by its applier, so the next step of the
same command already sees it. Internal follow-ups (activate/complete/terminate an element, take
a flow, ...) are queued and run by the engine within the same `process()` call.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from zeebe.engine.api import Rejection
from zeebe.records import PARTITION_ID, Record, RecordType, RejectionType, ValueType, encode_key
from zeebe.state import EngineState

Applier = Callable[[EngineState, Record], None]
FollowUp = Callable[[], None]

# One command and its follow-ups may write at most this many records. Zeebe writes follow-ups as
# separate commands, so a loop without a wait state (e.g. gateways only) runs forever there while
# the broker stays responsive; here the follow-ups of one command run inside one call, and such
# a loop would hold the engine forever. A checkout writes ~90 records; 200,000 leaves room for
# multi-instance bodies over collections of ~20,000 items, and takes a few seconds.
MAX_RECORDS_PER_COMMAND = 200_000


class CommandTooLargeError(Exception):
    """A command's follow-ups wrote more records than `MAX_RECORDS_PER_COMMAND`."""

    def __init__(self, written: int) -> None:
        super().__init__(written)
        self.written = written


class Context:
    """Collects the records, response and rejection of one processing step."""

    def __init__(
        self,
        state: EngineState,
        appliers: Mapping[tuple[ValueType, str], Applier],
        now: int,
        *,
        partition_id: int = PARTITION_ID,
        max_records: int = MAX_RECORDS_PER_COMMAND,
    ) -> None:
        self.state = state
        self.max_records = max_records
        self.now = now
        self.partition_id = partition_id
        self.records: list[Record] = []
        self.response: dict[str, Any] | None = None
        self.rejection: Rejection | None = None
        self.activatable: set[str] = set()
        self.answer_after: int | None = None
        self.source_position = -1
        # process instance key -> (start element ids, key for the triggered start event)
        self.start_points: dict[int, tuple[tuple[str, ...], int]] = {}
        self._appliers = appliers
        self._queue: deque[FollowUp] = deque()

    def next_key(self) -> int:
        """A fresh key; replay restores the counter from the keys of EVENT records."""
        self.state.last_key += 1
        return encode_key(self.partition_id, self.state.last_key)

    def _append(self, record: Record) -> Record:
        self.records.append(record)
        return record

    def _next_position(self) -> int:
        self.state.last_position += 1
        return self.state.last_position

    def write_command(
        self, key: int, value_type: ValueType, intent: str, value: dict[str, Any]
    ) -> Record:
        """Write the incoming command itself (the source of the events that follow)."""
        record = Record(
            position=self._next_position(),
            key=key,
            record_type=RecordType.COMMAND,
            value_type=value_type,
            intent=intent,
            timestamp=self.now,
            value=value,
            partition_id=self.partition_id,
        )
        self.source_position = record.position
        return self._append(record)

    def event(self, key: int, value_type: ValueType, intent: str, value: dict[str, Any]) -> Record:
        """Append an EVENT and apply it to state immediately (the hot path: kept inline)."""
        state = self.state
        state.last_position += 1
        record = Record(
            state.last_position,
            key,
            RecordType.EVENT,
            value_type,
            intent,
            self.now,
            value,
            self.source_position,
            RejectionType.NULL_VAL,
            "",
            self.partition_id,
        )
        applier = self._appliers.get((value_type, intent))
        if applier is not None:
            applier(state, record)
        self.records.append(record)
        return record

    def reject(self, command: Record, rejection_type: RejectionType, reason: str) -> None:
        """Write a COMMAND_REJECTION for the command and remember it as the result."""
        self._append(
            Record(
                position=self._next_position(),
                key=command.key,
                record_type=RecordType.COMMAND_REJECTION,
                value_type=command.value_type,
                intent=command.intent,
                timestamp=self.now,
                value=command.value,
                source_record_position=command.position,
                rejection_type=rejection_type,
                rejection_reason=reason,
                partition_id=self.partition_id,
            )
        )
        self.rejection = Rejection(rejection_type, reason, command.intent)

    def respond(self, response: dict[str, Any]) -> None:
        """Set the response for the caller."""
        self.response = response

    def answer_when_settled(self, user_task_key: int) -> None:
        """Hold the response until the user task's transition finishes or is denied."""
        self.answer_after = user_task_key

    def jobs_available(self, job_type: str) -> None:
        """Note that a job type gained activatable jobs (the gateway wakes its waiters)."""
        self.activatable.add(job_type)

    def follow_up(self, step: FollowUp) -> None:
        """Queue an internal step; run after the current one, within the same command."""
        self._queue.append(step)

    def run_follow_ups(self) -> None:
        """Run queued internal steps until none are left; raise `CommandTooLargeError` (and drop
        the steps not run) once the command wrote more than `max_records` records."""
        queue, records, limit = self._queue, self.records, self.max_records
        while queue:
            queue.popleft()()
            if len(records) > limit:
                queue.clear()
                raise CommandTooLargeError(len(records))

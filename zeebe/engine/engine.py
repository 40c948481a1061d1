"""The engine: a deterministic state machine implementing `EngineApi` (see api.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from zeebe.engine.api import Clock, Command, CommandResult
from zeebe.engine.appliers import APPLIERS
from zeebe.engine.context import MAX_RECORDS_PER_COMMAND, CommandTooLargeError, Context
from zeebe.engine.deploy import Parser
from zeebe.engine.processors.due import next_due, pop_due
from zeebe.engine.processors.registry import PROCESSORS
from zeebe.records import KEY_BITS, PARTITION_ID, Record, RecordType, RejectionType
from zeebe.state import EngineState

_COUNTER_MASK = (1 << KEY_BITS) - 1


def _guarded(ctx: Context, command: Record, step: Callable[[], None]) -> None:
    """Run a processor and its follow-ups; an unexpected exception (an engine bug) becomes a
    PROCESSING_ERROR rejection instead of killing the caller. The events written before it stay:
    each was applied to state when written, so state and log still agree on replay."""
    try:
        step()
        ctx.run_follow_ups()
    except CommandTooLargeError as error:
        ctx.response = None
        reason = (
            f"Expected to process {command.intent} with at most {ctx.max_records} follow-up "
            f"records, but it wrote {error.written}: the process has a loop without a wait state "
            "(for example only gateways) or a collection too large to process at once; the "
            "instance stops where it was and can be canceled or modified"
        )
        ctx.reject(command, RejectionType.PROCESSING_ERROR, reason)
    except Exception as error:
        ctx.response = None
        reason = f"Unexpected error while processing {command.intent}: {error!r}"
        ctx.reject(command, RejectionType.PROCESSING_ERROR, reason)


class Engine:
    """Commands in, records out. State changes only through the event appliers."""

    def __init__(
        self, clock: Clock, *, partition_id: int = PARTITION_ID, parser: Parser | None = None
    ) -> None:
        self.clock = clock
        self.partition_id = partition_id
        self.max_records_per_command = MAX_RECORDS_PER_COMMAND
        self.state = EngineState()
        self.state.parser = parser

    def now(self) -> int:
        """The engine's time: the pinned time while the clock is pinned, else the clock's."""
        pinned = self.state.clock_pinned_at
        return self.clock() if pinned is None else pinned

    def _context(self) -> Context:
        return Context(
            self.state,
            APPLIERS,
            self.now(),
            partition_id=self.partition_id,
            max_records=self.max_records_per_command,
        )

    @staticmethod
    def _result(ctx: Context) -> CommandResult:
        return CommandResult(
            records=ctx.records,
            response=None if ctx.rejection is not None else ctx.response,
            rejection=ctx.rejection,
            activatable_job_types=frozenset(ctx.activatable),
            answer_after=None if ctx.rejection is not None else ctx.answer_after,
        )

    def process(self, command: Command) -> CommandResult:
        """Process one command: write it, run its processor and all follow-ups."""
        ctx = self._context()
        record = ctx.write_command(command.key, command.value_type, command.intent, command.value)
        if command.request_id >= 0:
            record.extra["requestId"] = command.request_id
        processor = PROCESSORS.get((command.value_type, command.intent))
        if processor is None:
            reason = f"Command '{command.intent}' for '{command.value_type}' is not supported"
            ctx.reject(record, RejectionType.INVALID_ARGUMENT, reason)
        else:
            _guarded(ctx, record, partial(processor, ctx, record))
        return self._result(ctx)

    def tick(self) -> Sequence[CommandResult]:
        """Fire everything due at `now()`, each item as its own command."""
        results: list[CommandResult] = []
        now = self.now()
        while (item := pop_due(self.state, now)) is not None:
            ctx = self._context()
            record = ctx.write_command(item.key, item.value_type, item.intent, {})
            _guarded(ctx, record, partial(item.handle, ctx, item.key))
            results.append(self._result(ctx))
        return results

    def next_due_time(self) -> int | None:
        """Epoch ms of the earliest pending timer, job deadline, back-off or message TTL."""
        return next_due(self.state)

    def replay(self, records: Iterable[Record]) -> None:
        """Apply the EVENT records of a log in order; restore key and position counters."""
        state = self.state
        for record in records:
            state.last_position = max(state.last_position, record.position)
            if record.record_type is not RecordType.EVENT:
                continue
            if record.key > 0:
                state.last_key = max(state.last_key, record.key & _COUNTER_MASK)
            applier = APPLIERS.get((record.value_type, record.intent))
            if applier is not None:
                applier(state, record)

    def activatable_job_types(self) -> frozenset[str]:
        """Job types that currently have activatable jobs."""
        return self.state.activatable_types()

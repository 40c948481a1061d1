"""CLOCK PIN / RESET (Zeebe 8.6+, `ClockProcessor`): pin the engine clock at an epoch-ms time, or
reset it to follow the real clock again. While pinned, everything the engine times (record
timestamps, timers, job deadlines and back-offs, message TTLs) reads the pinned time, so a test
can move time by pinning it later. The pin is engine state written by the PINNED / RESETTED
events (applied in zeebe/engine/appliers.py): replay and snapshots restore it, as Zeebe's clock
state survives a restart.
"""

from __future__ import annotations

from collections.abc import Callable

from zeebe.engine.context import Context
from zeebe.records import Record, RejectionType, ValueType

Processor = Callable[[Context, Record], None]


def pin(ctx: Context, command: Record) -> None:
    """PIN {time}: a negative time is rejected with Zeebe's text; else PINNED, answered."""
    time = int(command.value.get("time", 0))
    if time < 0:
        reason = f"Expected pin time to be not negative but it was {time}"
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, reason)
        return
    key = ctx.next_key()
    ctx.event(key, ValueType.CLOCK, "PINNED", {"time": time})
    ctx.respond({"key": key, "time": time})


def reset(ctx: Context, command: Record) -> None:
    """RESET: RESETTED, answered; the clock follows the real clock from the next command on."""
    key = ctx.next_key()
    ctx.event(key, ValueType.CLOCK, "RESETTED", {"time": 0})
    ctx.respond({"key": key, "time": 0})


CLOCK_PROCESSORS: dict[tuple[ValueType, str], Processor] = {
    (ValueType.CLOCK, "PIN"): pin,
    (ValueType.CLOCK, "RESET"): reset,
}

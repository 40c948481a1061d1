"""Timer values as the engine schedules them (spec 9.2), on top of `zeebe.model.timers`.

An evaluated timer expression may be a string in the ISO-8601/cron form or a FEEL temporal value
(date-time, duration); anything else is a failure that becomes an incident.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeebe.engine.expressions import Failure, type_name
from zeebe.feel import to_json_value
from zeebe.model.elements import TimerKind
from zeebe.model.timers import (
    INFINITE,
    Cycle,
    TimerFormatError,
    first_fire,
    next_fire,
    parse_cycle,
    parse_timer,
)

__all__ = ["INFINITE", "Schedule", "next_cycle_due", "schedule"]

# the result types each kind accepts, as Zeebe's timer factories: evaluateIntervalExpression,
# evaluateDateTimeExpression and, for cycles (ISO or cron text), evaluateStringExpression
_ACCEPTED: dict[TimerKind, tuple[str, ...]] = {
    TimerKind.DURATION: ("DURATION", "PERIOD", "STRING"),
    TimerKind.DATE: ("DATE_TIME", "STRING"),
    TimerKind.CYCLE: ("STRING",),
}


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a timer fires first and how often it fires in total (-1 = until canceled)."""

    due: int
    repetitions: int


def _as_text(kind: TimerKind, value: Any, expression: str) -> str | Failure:
    """The timer text of an evaluated value, or Zeebe's type-check failure."""
    accepted = _ACCEPTED[kind]
    actual = type_name(value)
    if actual in accepted:
        text = value if isinstance(value, str) else to_json_value(value)
        if isinstance(text, str):
            return text
    wanted = f"one of '[{', '.join(accepted)}]'" if len(accepted) > 1 else f"'{accepted[0]}'"
    return Failure(
        f"Expected result of the expression '{expression}' to be {wanted}, but was '{actual}'."
    )


def schedule(kind: TimerKind, value: Any, now_ms: int, source: str) -> Schedule | Failure:
    """Turn an evaluated timer value into a schedule; zero or negative durations fire now."""
    expression = source.strip()
    text = _as_text(kind, value, expression)
    if isinstance(text, Failure):
        return text
    try:
        timer = parse_timer(kind, text)
    except TimerFormatError as error:
        # The model parser names the value as its own expression (right for static values);
        # for an evaluated one Zeebe names the expression that produced it.
        reason = str(error).replace(f"for expression '{text}'", f"for expression '{expression}'")
        return Failure(reason)
    repetitions = timer.repetitions if isinstance(timer, Cycle) else 1
    return Schedule(due=first_fire(timer, now_ms), repetitions=repetitions)


def next_cycle_due(text: str, fired_at_ms: int) -> int | None:
    """The next due time of a cycle after it fired, or None if `text` is no cycle."""
    try:
        return next_fire(parse_cycle(text), fired_at_ms)
    except TimerFormatError:
        return None

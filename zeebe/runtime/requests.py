"""What callers put on the broker queue."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from zeebe.engine.api import Command, CommandResult


@dataclass(frozen=True, eq=False)
class CommandRequest:
    """Process `command`; `future` gets its result after commit.

    `result`, when set, receives the PROCESS_INSTANCE_RESULT value of the created instance.
    """

    command: Command
    future: asyncio.Future[CommandResult]
    result: asyncio.Future[dict[str, Any]] | None = None


@dataclass(frozen=True, eq=False)
class ActivateRequest:
    """Activate jobs with `value`; park for `long_poll_ms` when none (None: answer at once)."""

    value: dict[str, Any]
    long_poll_ms: int | None
    future: asyncio.Future[list[dict[str, Any]]]


@dataclass(frozen=True, eq=False)
class TickRequest:
    """Wake the loop (clock moved, or a stream of `job_type` opened)."""

    future: asyncio.Future[None]
    job_type: str | None = None


@dataclass(frozen=True, eq=False)
class QueryRequest:
    """Run a read-only engine call (e.g. EvaluateDecision) between commands, never beside one;
    `future` gets its result with the batch, so it sees only committed state."""

    call: Callable[[], CommandResult]
    future: asyncio.Future[CommandResult]


class _Stop:
    """Sentinel: finish the current batch and end the loop."""


STOP: Final = _Stop()

Request = CommandRequest | ActivateRequest | TickRequest | QueryRequest | _Stop

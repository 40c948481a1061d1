"""User task commands answered after their task listeners (Zeebe 8.7+ `UserTaskProcessor`).

A COMPLETE / ASSIGN / CLAIM / UPDATE whose transition starts task listeners is not answered when
it is processed: the engine's result names the task (`answer_after`), and the caller hears the
outcome from the committed USER_TASK event that settles the transition:

- COMPLETED, ASSIGNED, UPDATED: the command's own response (the transition happened);
- COMPLETION_DENIED, ASSIGNMENT_DENIED, UPDATE_DENIED: an INVALID_STATE rejection with Zeebe's
  text ("Completion of the User Task with key '<key>' was denied by Task Listener. Reason to
  deny: '<reason>'"), REST 409;
- CANCELED (the element was terminated meanwhile): NOT_FOUND with the text a retry would get.

Answers are held in memory only: after a restart the caller has long timed out, as a Zeebe client
does when its partition's leader changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zeebe.engine.api import CommandResult, Rejection
from zeebe.records import Record, RecordType, RejectionType, ValueType

SETTLED = frozenset({"COMPLETED", "ASSIGNED", "UPDATED"})
DENIED_VERBS = {
    "COMPLETION_DENIED": "Completion",
    "ASSIGNMENT_DENIED": "Assignment",
    "UPDATE_DENIED": "Update",
}
_VERBS = {"COMPLETE": "complete", "ASSIGN": "assign", "CLAIM": "claim", "UPDATE": "update"}


@dataclass(frozen=True)
class _Held:
    future: asyncio.Future[Any]
    result: CommandResult
    intent: str


def _rejected(intent: str, rejection_type: RejectionType, reason: str) -> CommandResult:
    return CommandResult(records=(), rejection=Rejection(rejection_type, reason, intent))


def outcome(held_intent: str, held: CommandResult, record: Record) -> CommandResult | None:
    """The answer a settling USER_TASK event gives a held command, or None if it does not settle."""
    if record.intent in SETTLED:
        return held
    verb = DENIED_VERBS.get(record.intent)
    if verb is not None:
        reason = str(record.value.get("deniedReason", ""))
        text = (
            f"{verb} of the User Task with key '{record.key}' was denied by Task Listener. "
            f"Reason to deny: '{reason}'"
        )
        return _rejected(held_intent, RejectionType.INVALID_STATE, text)
    if record.intent == "CANCELED":
        action = _VERBS.get(held_intent, held_intent.lower())
        text = (
            f"Expected to {action} user task with key '{record.key}', but no such user task "
            "was found"
        )
        return _rejected(held_intent, RejectionType.NOT_FOUND, text)
    return None


class DeferredAnswers:
    """Callers of user task commands waiting for their transition to settle, by task key."""

    def __init__(self) -> None:
        self._held: dict[int, _Held] = {}

    def hold(self, future: asyncio.Future[Any], result: CommandResult, intent: str) -> None:
        """Answer `future` when the task named by `result.answer_after` settles."""
        assert result.answer_after is not None
        self._held[result.answer_after] = _Held(future, result, intent)

    def settle(self, records: Sequence[Record]) -> None:
        """Answer the callers whose task settled among the committed records."""
        if not self._held:
            return
        for record in records:
            if record.value_type is not ValueType.USER_TASK:
                continue
            if record.record_type is not RecordType.EVENT or record.key not in self._held:
                continue
            held = self._held[record.key]
            answer = outcome(held.intent, held.result, record)
            if answer is not None:
                del self._held[record.key]
                if not held.future.done():
                    held.future.set_result(answer)

    def fail_all(self, error: BaseException) -> None:
        """Shutdown: nobody will be answered any more."""
        for held in self._held.values():
            if not held.future.done():
                held.future.set_exception(error)
        self._held.clear()

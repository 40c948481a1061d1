"""User task commands answered after their task listeners (Zeebe's UserTaskProcessor writes the
command's response or rejection when the transition settles, not when it starts)."""

from __future__ import annotations

import asyncio

import pytest

from zeebe.engine.api import CommandResult
from zeebe.records import Record, RecordType, RejectionType, ValueType
from zeebe.runtime.deferred import DeferredAnswers

pytestmark = pytest.mark.unit

TASK = 2251799813685300
HELD = CommandResult(records=(), response={"userTaskKey": TASK}, answer_after=TASK)


def user_task_event(intent: str, key: int = TASK, **value: object) -> Record:
    return Record(
        position=1,
        key=key,
        timestamp=0,
        record_type=RecordType.EVENT,
        value_type=ValueType.USER_TASK,
        intent=intent,
        value=dict(value),
    )


def answer(intent: str, *records: Record) -> CommandResult | None:
    async def run() -> CommandResult | None:
        future: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
        answers = DeferredAnswers()
        answers.hold(future, HELD, intent)
        answers.settle(records)
        return future.result() if future.done() else None

    return asyncio.run(run())


@pytest.mark.parametrize("settled", ["COMPLETED", "ASSIGNED", "UPDATED"])
def test_the_settling_event_answers_with_the_commands_response(settled: str) -> None:
    """The transition happened: the caller gets the command's own response."""
    assert answer("COMPLETE", user_task_event(settled)) is HELD


@pytest.mark.parametrize(
    ("intent", "denied", "verb"),
    [
        ("COMPLETE", "COMPLETION_DENIED", "Completion"),
        ("ASSIGN", "ASSIGNMENT_DENIED", "Assignment"),
        ("CLAIM", "ASSIGNMENT_DENIED", "Assignment"),
        ("UPDATE", "UPDATE_DENIED", "Update"),
    ],
)
def test_a_denial_rejects_the_command_with_zeebes_text(intent: str, denied: str, verb: str) -> None:
    """INVALID_STATE: "<Verb> of the User Task with key '<key>' was denied by Task Listener.
    Reason to deny: '<reason>'" on the held command's intent."""
    result = answer(intent, user_task_event(denied, deniedReason="four eyes"))
    assert result is not None and result.rejection is not None
    assert (result.rejection.type, result.rejection.intent) == (RejectionType.INVALID_STATE, intent)
    assert result.rejection.reason == (
        f"{verb} of the User Task with key '{TASK}' was denied by Task Listener. "
        "Reason to deny: 'four eyes'"
    )


def test_a_task_canceled_meanwhile_is_not_found() -> None:
    """Terminated while its listeners ran: the answer a retry would get."""
    result = answer("COMPLETE", user_task_event("CANCELED"))
    assert result is not None and result.rejection is not None
    assert result.rejection.type is RejectionType.NOT_FOUND
    assert result.rejection.reason == (
        f"Expected to complete user task with key '{TASK}', but no such user task was found"
    )


def test_other_events_and_other_tasks_do_not_answer() -> None:
    """CORRECTED (a listener corrected attributes) and another task's events leave it waiting."""
    assert answer("COMPLETE", user_task_event("CORRECTED"), user_task_event("COMPLETED", 7)) is None


def test_a_stopping_broker_fails_every_held_caller() -> None:
    """Nobody is left waiting forever when the broker stops."""

    async def run() -> BaseException | None:
        future: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
        answers = DeferredAnswers()
        answers.hold(future, HELD, "COMPLETE")
        answers.fail_all(RuntimeError("stopped"))
        return future.exception()

    assert isinstance(asyncio.run(run()), RuntimeError)

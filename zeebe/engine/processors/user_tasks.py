"""USER_TASK commands on Camunda user tasks (key: the user task key, not the element's):
COMPLETE {variables, action}, ASSIGN {assignee, action} (an empty assignee unassigns; the REST
gateway sends action "unassign" then), CLAIM {assignee, action} and UPDATE {changedAttributes,
<attributes>, action}.

Each command is checked like Zeebe's `UserTaskCommandPreconditionChecker` (NOT_FOUND, then
INVALID_STATE unless the task is CREATED) and written as <intent>ING + <intent>ED events. The
completion variables are the task's result, merged like a job's (spec 2.4: output mappings, else
propagation). PROCESS_INSTANCE COMPLETE_ELEMENT (key: the element instance key) is kept as a
stand-in that routes to COMPLETE.

With task listeners for the transition's event (`assigning` for ASSIGN and CLAIM, `updating`,
`completing`), the <intent>ING event is followed by the first listener's job instead of the
<intent>ED event; the transition finishes (`FINISH`) after the last listener job completed
(see `task_listener_jobs.py`). As in Zeebe, the command is answered only then: the result
carries `answer_after` (the task key) and the broker holds the answer until the transition
finishes, or rejects the command when a listener denies it (zeebe/runtime/deferred.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.task_listeners import start_listeners
from zeebe.engine.bpmn.user_task_cancel import finish_canceling
from zeebe.engine.bpmn.user_tasks import finish_creating
from zeebe.engine.context import Context
from zeebe.records import Record, RejectionType, ValueType
from zeebe.state import UserTask

UT = ValueType.USER_TASK
# UPDATE may change these attributes (Zeebe's `UserTaskRecord` updatable attributes).
UPDATABLE = ("candidateGroupsList", "candidateUsersList", "dueDate", "followUpDate", "priority")


def _task(ctx: Context, command: Record, verb: str, key: int) -> UserTask | None:
    """The task in state CREATED, or None after writing Zeebe's rejection."""
    task = ctx.state.user_tasks.get(key)
    if task is None:
        reason = f"Expected to {verb} user task with key '{key}', but no such user task was found"
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return None
    if task.state != "CREATED":
        reason = f"Expected to {verb} user task with key '{key}', but it is in state '{task.state}'"
        ctx.reject(command, RejectionType.INVALID_STATE, reason)
        return None
    return task


def _action(command: Record, default: str) -> str:
    return str(command.value.get("action") or default)


def _finish_completion(ctx: Context, task: UserTask, variables: dict[str, Any]) -> None:
    """Trigger the element with the variables and complete it (Zeebe: COMPLETE_ELEMENT)."""
    instance = ctx.state.instances[int(task.value["elementInstanceKey"])]
    pi = instance.value
    trigger = {
        "scopeKey": instance.key,
        "targetElementId": instance.element_id,
        "variables": variables,
        "processDefinitionKey": instance.process_definition_key,
        "processInstanceKey": instance.process_instance_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "tenantId": pi["tenantId"],
    }
    ctx.event(instance.key, ValueType.PROCESS_EVENT, "TRIGGERING", trigger)
    lifecycle.complete(ctx, instance)


def _finish_completing(ctx: Context, task: UserTask, value: dict[str, Any]) -> None:
    ctx.event(task.key, UT, "COMPLETED", value)
    _finish_completion(ctx, task, dict(value.get("variables") or {}))


def _finish_with(intent: str) -> Callable[[Context, UserTask, dict[str, Any]], None]:
    def finish(ctx: Context, task: UserTask, value: dict[str, Any]) -> None:
        ctx.event(task.key, UT, intent, value)

    return finish


FINISH: dict[str, Callable[[Context, UserTask, dict[str, Any]], None]] = {
    "CREATING": finish_creating,
    "COMPLETING": _finish_completing,
    "ASSIGNING": _finish_with("ASSIGNED"),
    "UPDATING": _finish_with("UPDATED"),
    "CANCELING": finish_canceling,
}
"""How a transition that waited for its task listeners finishes, by the task's state
(CANCELING: `user_task_cancel.py`, the element was terminated)."""


def _transition(ctx: Context, task: UserTask, intent: str, value: dict[str, Any]) -> None:
    """<intent>ING, then the first task listener's job or, without listeners, the finish."""
    ctx.event(task.key, UT, intent, value)
    ctx.respond(value)
    if start_listeners(ctx, task):
        ctx.answer_when_settled(task.key)  # as Zeebe: answered once the listeners are done
    else:
        FINISH[task.state](ctx, task, value)


def _complete(ctx: Context, command: Record, task: UserTask) -> None:
    variables = dict(command.value.get("variables") or {})
    value = task.value | {"variables": variables, "action": _action(command, "complete")}
    _transition(ctx, task, "COMPLETING", value)


def complete(ctx: Context, command: Record) -> None:
    """USER_TASK COMPLETE: COMPLETING, COMPLETED, then the element completes."""
    task = _task(ctx, command, "complete", command.key)
    if task is not None:
        _complete(ctx, command, task)


def complete_element(ctx: Context, command: Record) -> None:
    """PROCESS_INSTANCE COMPLETE_ELEMENT on a user task's element instance: as COMPLETE."""
    key = ctx.state.user_task_by_element.get(command.key)
    if key is None:
        reason = (
            f"Expected to complete user task with key '{command.key}', "
            "but no such user task was found"
        )
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return
    task = _task(ctx, command, "complete", key)
    if task is not None:
        _complete(ctx, command, task)


def assign(ctx: Context, command: Record) -> None:
    """USER_TASK ASSIGN: ASSIGNING, ASSIGNED; overrides any assignee, "" unassigns."""
    task = _task(ctx, command, "assign", command.key)
    if task is None:
        return
    value = task.value | {
        "assignee": str(command.value.get("assignee") or ""),
        "changedAttributes": ["assignee"],
        "action": _action(command, "assign"),
    }
    _transition(ctx, task, "ASSIGNING", value)


def _claim_violation(task: UserTask, assignee: str) -> str | None:
    """Zeebe's extra CLAIM checks: a non-blank assignee, and nobody else assigned."""
    prefix = f"Expected to claim user task with key '{task.key}', but"
    if not assignee.strip():
        return f"{prefix} provided assignee is empty"
    current = str(task.value.get("assignee") or "")
    if current.strip() and current != assignee:
        return f"{prefix} it has already been assigned"
    return None


def claim(ctx: Context, command: Record) -> None:
    """USER_TASK CLAIM: like ASSIGN (ASSIGNING, ASSIGNED), but rejected with INVALID_STATE when
    someone else is already assigned."""
    task = _task(ctx, command, "claim", command.key)
    if task is None:
        return
    assignee = str(command.value.get("assignee") or "")
    violation = _claim_violation(task, assignee)
    if violation is not None:
        ctx.reject(command, RejectionType.INVALID_STATE, violation)
        return
    value = task.value | {
        "assignee": assignee,
        "changedAttributes": ["assignee"],
        "action": _action(command, "claim"),
    }
    _transition(ctx, task, "ASSIGNING", value)


def update(ctx: Context, command: Record) -> None:
    """USER_TASK UPDATE: the attributes named in changedAttributes take the command's values."""
    task = _task(ctx, command, "update", command.key)
    if task is None:
        return
    requested = [str(name) for name in command.value.get("changedAttributes") or []]
    changed = [name for name in UPDATABLE if name in requested]
    value = task.value | {name: command.value[name] for name in changed}
    value |= {"changedAttributes": changed, "action": _action(command, "update")}
    _transition(ctx, task, "UPDATING", value)


USER_TASK_PROCESSORS: dict[tuple[ValueType, str], Callable[[Context, Record], None]] = {
    (UT, "COMPLETE"): complete,
    (UT, "ASSIGN"): assign,
    (UT, "CLAIM"): claim,
    (UT, "UPDATE"): update,
    (ValueType.PROCESS_INSTANCE, "COMPLETE_ELEMENT"): complete_element,
}

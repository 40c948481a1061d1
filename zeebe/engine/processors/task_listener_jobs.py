"""What completing a user task listener job (kind TASK_LISTENER) does (Zeebe 8.7+,
`JobCompleteProcessor` and `UserTaskProcessor`; docs "User task listeners").

The completion is checked first: a listener job takes no variables, a denial carries no
corrections, and only assignee, candidate groups/users, due date, follow-up date and priority
can be corrected (Zeebe's rejection texts). Then, with the job's `result`
({denied, deniedReason, correctedAttributes, corrections}):
- denied (assigning, updating and completing listeners only): the transition is rolled back
  (USER_TASK COMPLETION_DENIED / ASSIGNMENT_DENIED / UPDATE_DENIED with the persisted task and
  the reason; the task is CREATED again, earlier corrections are discarded);
- otherwise the corrections that change something are applied to the pending transition
  (USER_TASK CORRECTED), then the next listener's job is created, or, after the last one, the
  transition finishes (CREATED, COMPLETED, ASSIGNED, UPDATED; CANCELED, after which the
  terminated element's termination goes on) with the corrected values.
Creating listeners may not correct an assignee the model defines (8.8).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zeebe.engine.bpmn.task_listeners import create_listener_job, next_listener, pending_value
from zeebe.engine.context import Context
from zeebe.engine.processors.user_tasks import FINISH
from zeebe.records import ValueType
from zeebe.state import UserTask

UT = ValueType.USER_TASK

RECORD_NAMES: dict[str, str] = {
    "assignee": "assignee",
    "candidateGroups": "candidateGroupsList",
    "candidateUsers": "candidateUsersList",
    "candidateGroupsList": "candidateGroupsList",
    "candidateUsersList": "candidateUsersList",
    "dueDate": "dueDate",
    "followUpDate": "followUpDate",
    "priority": "priority",
}
"""Correctable attribute (client name or record name) -> USER_TASK record field."""

CORRECTABLE_TEXT = "[assignee, candidateGroups, candidateUsers, dueDate, followUpDate, priority]"

DENIED: dict[str, str] = {
    "COMPLETING": "COMPLETION_DENIED",
    "ASSIGNING": "ASSIGNMENT_DENIED",
    "UPDATING": "UPDATE_DENIED",
}

WITH_VARIABLES = (
    "Task Listener job completion with variables payload provided is not yet supported (job "
    "key '{key}', type '{type}', processInstanceKey '{pi}'). Support will be enabled with the "
    "resolution of issue #23702"
)
DENIED_WITH_CORRECTIONS = (
    "Expected to complete task listener job with corrections, but the job result is denied. "
    "The corrections would be reverted by the denial. Either complete the job with corrections "
    "without setting denied, or complete the job with a denied result but no corrections."
)


def normalized_result(raw: Any) -> dict[str, Any]:
    """The job result in the JOB record shape, defaults filled in."""
    result = dict(raw) if isinstance(raw, Mapping) else {}
    return {
        "type": str(result.get("type") or "USER_TASK"),
        "denied": bool(result.get("denied", False)),
        "deniedReason": str(result.get("deniedReason") or ""),
        "correctedAttributes": [str(name) for name in result.get("correctedAttributes") or []],
        "corrections": dict(result.get("corrections") or {}),
    }


def _deny_unsupported(job_key: int, job: Mapping[str, Any]) -> str:
    return (
        f"Denying result is not supported for '{job['jobListenerEventType']}' task listener "
        f"jobs (job key '{job_key}', type '{job['type']}', processInstanceKey "
        f"'{job['processInstanceKey']}'). Only the following listener event types support "
        "denying: [ASSIGNING, COMPLETING, UPDATING]."
    )


def _modelled_assignee(ctx: Context, job: Mapping[str, Any]) -> bool:
    definition = ctx.state.processes.get(int(job["processDefinitionKey"]))
    element = definition.process.elements.get(str(job["elementId"])) if definition else None
    properties = element.user_task_properties if element else None
    return properties is not None and properties.assignee is not None


def _creating_assignee(job_key: int, job: Mapping[str, Any]) -> str:
    return (
        "Expected to complete task listener job, but correcting the assignee on 'CREATING' "
        "event is not supported when the user task has an assignee defined in the model (job "
        f"key '{job_key}', type '{job['type']}', processInstanceKey "
        f"'{job['processInstanceKey']}'). Use the 'CREATING' event to set an assignee only if "
        "it was not defined. Use the 'ASSIGNING' event to correct an assignee that is already "
        "defined."
    )


def _unknown_property(name: str) -> str:
    return (
        "Expected to complete task listener job with a corrections result, but property "
        f"'{name}' cannot be corrected. Only the following properties can be corrected: "
        f"{CORRECTABLE_TEXT}."
    )


def completion_violation(
    ctx: Context, job_key: int, variables: Mapping[str, Any], result: Mapping[str, Any]
) -> str | None:
    """Zeebe's INVALID_ARGUMENT reason for a listener job completion it refuses, or None."""
    job = ctx.state.jobs[job_key].value
    if variables:
        return WITH_VARIABLES.format(key=job_key, type=job["type"], pi=job["processInstanceKey"])
    event_type = str(job.get("jobListenerEventType"))
    corrected = result["correctedAttributes"]
    if result["denied"] and event_type not in DENIED:
        return _deny_unsupported(job_key, job)
    if result["denied"] and corrected:
        return DENIED_WITH_CORRECTIONS
    if event_type == "CREATING" and "assignee" in corrected and _modelled_assignee(ctx, job):
        return _creating_assignee(job_key, job)
    unknown = [name for name in corrected if name not in RECORD_NAMES]
    return _unknown_property(unknown[0]) if unknown else None


def _corrections(result: Mapping[str, Any]) -> dict[str, Any]:
    """Record field -> corrected value, for each attribute the result corrects."""
    given = result["corrections"]
    found: dict[str, Any] = {}
    for name in result["correctedAttributes"]:
        field = RECORD_NAMES[name]
        found[field] = given.get(field, given.get(name))
    return found


def _correct(ctx: Context, task: UserTask, result: Mapping[str, Any]) -> None:
    """USER_TASK CORRECTED when a correction changes the pending transition's value."""
    pending = task.intermediate or task.value
    corrections = _corrections(result)
    changed = [field for field, value in corrections.items() if pending.get(field) != value]
    if changed:
        corrected = pending | {field: corrections[field] for field in changed}
        ctx.event(task.key, UT, "CORRECTED", corrected | {"changedAttributes": changed})


def _deny(ctx: Context, task: UserTask, reason: str) -> None:
    ctx.event(task.key, UT, DENIED[task.state], task.value | {"deniedReason": reason})


def listener_job_completed(ctx: Context, job: Mapping[str, Any], result: Mapping[str, Any]) -> None:
    """After JOB COMPLETED of a listener job: deny, or correct and run the next listener or
    finish the transition."""
    key = ctx.state.user_task_by_element.get(int(job["elementInstanceKey"]))
    task = ctx.state.user_tasks.get(key) if key is not None else None
    if task is None or task.state not in FINISH:
        return
    if result["denied"]:
        _deny(ctx, task, str(result["deniedReason"]))
        return
    _correct(ctx, task, result)
    listener = next_listener(ctx, task)
    if listener is not None:
        create_listener_job(ctx, task, listener)
        return
    FINISH[task.state](ctx, task, pending_value(task))

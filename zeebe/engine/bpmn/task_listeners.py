"""User task listener jobs (Zeebe 8.7+, docs "User task listeners"): a lifecycle transition of a
Camunda user task with listeners for its event waits in its transitional state (ASSIGNING,
UPDATING, COMPLETING; 8.8 also CREATING and CANCELING) while the listeners run one after the
other as jobs of kind TASK_LISTENER; see `processors/task_listener_jobs.py` for what their
completion does and `user_task_cancel.py` for the canceling of a terminated task.

A listener's `type` and `retries` are evaluated right before its job is created, in the user
task's scope; a failure is an incident on the task (Zeebe: EXTRACT_VALUE_ERROR), and resolving
it retries the whole transition, all its listeners again (`retry_transition`). The job
carries the task's own `zeebe:taskHeaders` (8.8) and its data as custom headers (Zeebe's
`BpmnJobBehavior`: `userTaskKey`, and when set `action`, `assignee`, `candidateGroups`,
`candidateUsers`, `dueDate`, `followUpDate`, `formKey`, `priority`, and 8.8's
`changedAttributes`, a sorted JSON list of the record fields the transition changes); its
variables are the task's visible variables (as for any job).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.jobs import job_value, listener_job_properties, write_job
from zeebe.engine.bpmn.user_task_headers import PREFIX
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure
from zeebe.model.task_listeners import TaskListener
from zeebe.records import ValueType
from zeebe.state import ElementInstance, UserTask

EVENT_OF_STATE: dict[str, str] = {
    "CREATING": "creating",
    "ASSIGNING": "assigning",
    "UPDATING": "updating",
    "COMPLETING": "completing",
    "CANCELING": "canceling",
}
"""The listener event type a transitional user task state runs listeners of."""


def listeners_for(ctx: Context, task: UserTask, event_type: str) -> tuple[TaskListener, ...]:
    """The task's listeners of one event type, in model order."""
    definition = ctx.state.processes.get(int(task.value["processDefinitionKey"]))
    if definition is None:
        return ()
    element = definition.process.elements.get(str(task.value["elementId"]))
    if element is None:
        return ()
    return tuple(item for item in element.task_listeners if item.event_type == event_type)


def next_listener(ctx: Context, task: UserTask) -> TaskListener | None:
    """The listener of the task's pending transition that runs next, if any is left."""
    event_type = EVENT_OF_STATE.get(task.state)
    if event_type is None:
        return None
    listeners = listeners_for(ctx, task, event_type)
    return listeners[task.listener_index] if task.listener_index < len(listeners) else None


CHANGEABLE = (
    "assignee",
    "candidateGroupsList",
    "candidateUsersList",
    "dueDate",
    "followUpDate",
    "priority",
)
"""USER_TASK fields a transition or a listener correction may change."""


def pending_value(task: UserTask) -> dict[str, Any]:
    """The value the pending transition finishes with; its changedAttributes name what the
    command changed plus what listeners corrected (Zeebe: the diff to the persisted task)."""
    pending = task.intermediate or task.value
    named = [str(name) for name in pending.get("changedAttributes") or []]
    diff = [f for f in CHANGEABLE if f not in named and pending.get(f) != task.value.get(f)]
    return pending | {"changedAttributes": named + diff}


def _list_header(values: Any) -> str:
    return json.dumps(list(values or []), separators=(",", ":")) if values else ""


def listener_headers(value: Mapping[str, Any]) -> dict[str, str]:
    """The user task data a listener job carries as custom headers (empty values omitted)."""
    form_key = int(value.get("formKey") or -1)
    priority = int(value.get("priority") or 0)
    candidates = {
        "userTaskKey": str(value["userTaskKey"]),
        "action": str(value.get("action") or ""),
        "changedAttributes": _list_header(sorted(value.get("changedAttributes") or [])),
        "assignee": str(value.get("assignee") or "").strip(),
        "candidateGroups": _list_header(value.get("candidateGroupsList")),
        "candidateUsers": _list_header(value.get("candidateUsersList")),
        "dueDate": str(value.get("dueDate") or "").strip(),
        "followUpDate": str(value.get("followUpDate") or "").strip(),
        "formKey": str(form_key) if form_key > 0 else "",
        "priority": str(priority) if priority > 0 else "",
    }
    return {PREFIX + name: text for name, text in candidates.items() if text}


def create_listener_job(ctx: Context, task: UserTask, listener: TaskListener) -> None:
    """Evaluate the listener and write its TASK_LISTENER job, or raise an incident on the task."""
    instance: ElementInstance = ctx.state.instances[int(task.value["elementInstanceKey"])]
    properties = listener_job_properties(
        listener.type, listener.retries, visible(ctx.state, instance.key), ctx.now
    )
    if isinstance(properties, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", properties.message)
        return
    # 8.8 copies the user task's zeebe:taskHeaders into its listener jobs (reserved names win)
    headers = dict(task.value.get("customHeaders") or {}) | listener_headers(pending_value(task))
    value = job_value(
        instance,
        properties,
        headers,
        kind="TASK_LISTENER",
        listener_event_type=listener.event_type.upper(),
    )
    write_job(ctx, value)


def start_listeners(ctx: Context, task: UserTask) -> bool:
    """After a transition event: the first listener's job; False when the transition has none
    (it then finishes at once)."""
    listener = next_listener(ctx, task)
    if listener is None:
        return False
    create_listener_job(ctx, task, listener)
    return True


def retry_transition(ctx: Context, instance: ElementInstance) -> None:
    """After a listener incident without a job is resolved: "the entire lifecycle transition is
    retried, re-executing all listeners configured for the transition" (docs). The transition
    event is written again (it restarts the listener count), then the first listener runs."""
    key = ctx.state.user_task_by_element.get(instance.key)
    task = ctx.state.user_tasks.get(key) if key is not None else None
    if task is None or task.state not in EVENT_OF_STATE:
        return
    pending = task.intermediate or task.value
    ctx.event(task.key, ValueType.USER_TASK, task.state, pending)
    start_listeners(ctx, ctx.state.user_tasks[task.key])

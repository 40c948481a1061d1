"""Canceling a Camunda user task when its element is terminated (Zeebe 8.8: docs "User task
listeners", `canceling` runs "When a canceling process instance terminates a user task" and
"When a catch event interrupts a user task"; `UserTaskProcessor.onTerminateInternal`,
`UserTaskCancelProcessor`).

The terminated element's clean-up (its job, a pending listener job of another transition
included, subscriptions, incidents) comes first; then the task, unless it is already canceling,
writes USER_TASK CANCELING with its persisted value (a pending transition is dropped). Without
`canceling` listeners CANCELED follows at once. With them the element stays
ELEMENT_TERMINATING while the listeners run one after the other as TASK_LISTENER jobs (event
type CANCELING); the completion of the last one writes CANCELED (with the listeners'
corrections, USER_TASK CORRECTED as for any transition) and continues the element's termination
(Zeebe's CONTINUE_TERMINATING_ELEMENT): ELEMENT_TERMINATED, then a pending interrupting boundary
event, or the flow scope that waited for it.

A canceling listener cannot deny (`task_listener_jobs`: INVALID_ARGUMENT); a listener job that
fails without retries raises TASK_LISTENER_NO_RETRIES on the element, and the termination waits
until the incident is resolved and the job completed. The process instance cancel command is
answered at once, as in Zeebe (its accepted answer is ELEMENT_TERMINATING, not the end).
"""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn.task_listeners import start_listeners
from zeebe.engine.context import Context
from zeebe.records import ValueType
from zeebe.state import ElementInstance, UserTask

CANCELING = "CANCELING"


def awaits_canceling_listeners(ctx: Context, instance: ElementInstance) -> bool:
    """Whether a terminating element waits for the `canceling` listeners of its user task, or
    (a call activity) for the instance it called, which waits for such listeners: the called
    instance is terminated at once unless it does."""
    key = ctx.state.user_task_by_element.get(instance.key)
    if key is not None:
        return ctx.state.user_tasks[key].state == CANCELING
    return instance.key in ctx.state.called


def cancel_user_task(ctx: Context, instance: ElementInstance) -> None:
    """CANCELING, then the first `canceling` listener's job, or CANCELED at once."""
    key = ctx.state.user_task_by_element.get(instance.key)
    if key is None or ctx.state.user_tasks[key].state == CANCELING:
        return
    ctx.event(key, ValueType.USER_TASK, CANCELING, ctx.state.user_tasks[key].value)
    task = ctx.state.user_tasks[key]
    if not start_listeners(ctx, task):
        ctx.event(key, ValueType.USER_TASK, "CANCELED", task.intermediate or task.value)


def finish_canceling(ctx: Context, task: UserTask, value: dict[str, Any]) -> None:
    """After the last `canceling` listener: CANCELED, then the element's termination goes on."""
    from zeebe.engine.bpmn import lifecycle

    ctx.event(task.key, ValueType.USER_TASK, "CANCELED", value)
    instance = ctx.state.instances.get(int(value["elementInstanceKey"]))
    if instance is None or instance.state != lifecycle.TERMINATING:
        return
    process = ctx.state.instances[instance.process_instance_key]
    lifecycle.finish_termination(ctx, instance)
    # a called instance that is now terminated lets its call activity finish terminating (Zeebe
    # waits for the called instance), and so on up the call chain
    while process.key not in ctx.state.instances:
        caller = ctx.state.instances.get(int(process.value["parentElementInstanceKey"]))
        if caller is None or caller.state != lifecycle.TERMINATING:
            return
        process = ctx.state.instances[caller.process_instance_key]
        lifecycle.finish_termination(ctx, caller)

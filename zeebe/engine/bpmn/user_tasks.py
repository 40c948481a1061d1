"""Camunda user tasks (`<zeebe:userTask/>`, spec 4.2 and 6): the engine manages them itself, so
no job is created. On activation the task is created (USER_TASK CREATING, CREATED, with its own
key), the element is ACTIVATED and a static or evaluated assignee is then assigned (ASSIGNING,
ASSIGNED, after any `assigning` task listeners); the task waits until it is completed (see
`processors/user_tasks.py`) or the element is terminated (CANCELING, then any `canceling` task
listeners, CANCELED: `user_task_cancel.py`). Without
`zeebe:userTask` a user task is job-based (job type `io.camunda.zeebe:userTask`)."""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.activities import activate_job_task, terminate_activity
from zeebe.engine.bpmn.events import boundary_targets, open_subscriptions
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.mappings import apply_inputs
from zeebe.engine.bpmn.task_listeners import listeners_for, start_listeners
from zeebe.engine.bpmn.user_task_cancel import cancel_user_task
from zeebe.engine.bpmn.user_task_record import (
    evaluate_properties,
    linked_form_key,
    user_task_value,
)
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure
from zeebe.model.elements import Element
from zeebe.records import ValueType
from zeebe.state import ElementInstance, UserTask


def activate_user_task(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """A Camunda user task: inputs, attributes, boundary events, the task, ACTIVATED, assignee."""
    if not element.is_user_task:
        activate_job_task(ctx, instance, element)
        return
    if not apply_inputs(ctx, instance, element):
        return
    attributes = evaluate_properties(element, visible(ctx.state, instance.key), ctx.now)
    if isinstance(attributes, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", attributes.message)
        return
    form_key = linked_form_key(element, ctx.state, instance.process_definition_key)
    if isinstance(form_key, Failure):
        raise_incident(ctx, instance, "FORM_NOT_FOUND", form_key.message)
        return
    attributes["formKey"] = form_key
    if element.boundary_events and not open_subscriptions(
        ctx, instance, boundary_targets(ctx, instance, element)
    ):
        return
    create_user_task(ctx, instance, element, attributes)


def create_user_task(
    ctx: Context, instance: ElementInstance, element: Element, attributes: dict[str, Any]
) -> None:
    """CREATING (with the assignee), CREATED (without), ELEMENT_ACTIVATED, then a modelled
    assignee is assigned: ASSIGNING, ASSIGNED (Zeebe's `UserTaskProcessor`). With `creating`
    task listeners (8.8) the element is ACTIVATED first and the task waits in CREATING for
    them; `finish_creating` follows the last one."""
    key = ctx.next_key()
    value = user_task_value(key, instance, element, attributes, ctx.now)
    ctx.event(key, ValueType.USER_TASK, "CREATING", value)
    task = ctx.state.user_tasks[key]
    if listeners_for(ctx, task, "creating"):
        lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
        start_listeners(ctx, task)
        return
    ctx.event(key, ValueType.USER_TASK, "CREATED", value | {"assignee": ""})
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    _assign_modelled(ctx, task, value)


def finish_creating(ctx: Context, task: UserTask, value: dict[str, Any]) -> None:
    """After the `creating` listeners: CREATED, then the (possibly corrected) assignee."""
    ctx.event(task.key, ValueType.USER_TASK, "CREATED", value | {"assignee": ""})
    _assign_modelled(ctx, task, value)


def _assign_modelled(ctx: Context, task: UserTask, value: dict[str, Any]) -> None:
    """ASSIGNING, then `assigning` task listeners (they run for this assignee too) or
    ASSIGNED."""
    if not value["assignee"]:
        return
    assigned = value | {"changedAttributes": ["assignee"]}
    ctx.event(task.key, ValueType.USER_TASK, "ASSIGNING", assigned)
    if not start_listeners(ctx, task):
        ctx.event(task.key, ValueType.USER_TASK, "ASSIGNED", assigned)


def terminate_user_task(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """The activity's clean-up (job, subscriptions, incidents), then cancel its user task
    (CANCELING, `canceling` listeners, CANCELED), in Zeebe's order."""
    terminate_activity(ctx, instance, element)
    cancel_user_task(ctx, instance)

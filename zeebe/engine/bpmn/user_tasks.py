"""Camunda user tasks (`<zeebe:userTask/>`, spec 4.2 and 6): the engine manages them itself, so
no job is created; the task waits in ELEMENT_ACTIVATED until it is completed (see
`processors/user_tasks.py`) or terminated. Without `zeebe:userTask` a user task is job-based
(job type `io.camunda.zeebe:userTask`)."""

from __future__ import annotations

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.activities import activate_job_task
from zeebe.engine.bpmn.events import boundary_targets, open_subscriptions
from zeebe.engine.bpmn.mappings import apply_inputs
from zeebe.engine.context import Context
from zeebe.model.elements import Element
from zeebe.state import ElementInstance


def activate_user_task(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """A Camunda user task: inputs, boundary events, ACTIVATED, then wait (no job)."""
    if not element.is_user_task:
        activate_job_task(ctx, instance, element)
        return
    if not apply_inputs(ctx, instance, element):
        return
    if element.boundary_events and not open_subscriptions(
        ctx, instance, boundary_targets(ctx, instance, element)
    ):
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)

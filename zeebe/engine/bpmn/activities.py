"""Element steps of activities and containers: the process, embedded subprocess, job-based tasks,
script tasks, receive tasks and pass-through tasks. Each step is a small function composing the
shared behaviours (mappings, jobs, event subscriptions, incidents)."""

from __future__ import annotations

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.event_subprocess import subscribed_starts
from zeebe.engine.bpmn.events import boundary_targets, close_subscriptions, open_subscriptions
from zeebe.engine.bpmn.execution_listeners import end_listener_pending
from zeebe.engine.bpmn.incidents import raise_incident, resolve_incidents_of
from zeebe.engine.bpmn.jobs import cancel_job, create_job, evaluate_job_properties
from zeebe.engine.bpmn.mappings import apply_inputs, apply_outputs
from zeebe.engine.bpmn.start_targets import activate_targets
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate, to_json
from zeebe.model.elements import Element, EventType
from zeebe.records import ValueType
from zeebe.state import ElementInstance


def _open_boundaries(ctx: Context, instance: ElementInstance, element: Element) -> bool:
    if not element.boundary_events:
        return True
    targets = boundary_targets(ctx, instance, element)
    return open_subscriptions(ctx, instance, targets)


def activate_job_task(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Inputs, job properties, boundary events, ACTIVATED, then the job (spec 2.1)."""
    if not apply_inputs(ctx, instance, element):
        return
    properties = evaluate_job_properties(ctx, instance, element)
    if properties is None or not _open_boundaries(ctx, instance, element):
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    create_job(ctx, instance, element, properties)


def activate_pass_through(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Manual and undefined tasks, none events: continue at once (spec 4.2)."""
    if not apply_inputs(ctx, instance, element):
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    lifecycle.complete(ctx, instance)


def activate_script_task(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """A FEEL script task evaluates its expression; the result completes the task."""
    assert element.script is not None
    if not apply_inputs(ctx, instance, element) or not _open_boundaries(ctx, instance, element):
        return
    result = evaluate(element.script.expression, visible(ctx.state, instance.key), ctx.now)
    if isinstance(result, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", result.message)
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    pi = instance.value
    trigger = {
        "scopeKey": instance.key,
        "targetElementId": element.id,
        "variables": {element.script.result_variable: to_json(result)},
        "processDefinitionKey": instance.process_definition_key,
        "processInstanceKey": instance.process_instance_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "tenantId": pi["tenantId"],
    }
    ctx.event(instance.key, ValueType.PROCESS_EVENT, "TRIGGERING", trigger)
    lifecycle.complete(ctx, instance)


def activate_catch(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Message/timer catch events and receive tasks wait on their own subscription.

    A catch event behind an event-based gateway arrives already triggered and completes at once.
    """
    if not apply_inputs(ctx, instance, element):
        return
    is_link = (
        element.event_definition is not None and element.event_definition.kind is EventType.LINK
    )
    if is_link or instance.key in ctx.state.triggers:
        lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
        lifecycle.complete(ctx, instance)
        return
    targets = [element, *boundary_targets(ctx, instance, element)]
    if open_subscriptions(ctx, instance, targets):
        lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)


def activate_subprocess(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Embedded subprocess: inputs, boundary events and event subprocess starts, then its none
    start event."""
    if not apply_inputs(ctx, instance, element):
        return
    definition = lifecycle.definition_of(ctx, instance)
    targets = [
        *boundary_targets(ctx, instance, element),
        *subscribed_starts(definition.process, element),
    ]
    if not open_subscriptions(ctx, instance, targets):
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    # nested start instructions name the elements to start with (start_targets), else the none start
    starts, _ = ctx.start_points.pop(instance.key, ((element.start_events[0],), -1))
    activate_targets(ctx, definition, instance, starts)


def complete_activity(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Outputs, close subscriptions, end listeners, ELEMENT_COMPLETED, outgoing flows."""
    if not apply_outputs(ctx, instance, element):
        return
    close_subscriptions(ctx, instance)
    if not end_listener_pending(ctx, instance, element):
        lifecycle.finish_completion(ctx, instance, element)


def terminate_activity(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Cancel the job, close subscriptions and resolve incidents of a terminating element."""
    cancel_job(ctx, instance)
    close_subscriptions(ctx, instance)
    resolve_incidents_of(ctx, instance.key)

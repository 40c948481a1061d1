"""Execution listeners (Zeebe 8.6+, docs "Execution listeners"; Zeebe's `BpmnStreamProcessor`).

"An execution listener is a blocking operation": each `zeebe:executionListener` runs as a job of
kind EXECUTION_LISTENER (listener event type START or END), one after the other in model order.

- start listeners run "after applying the variable input mappings, and before subscribing to
  events, evaluating the element's expressions, and executing the element's behavior": the
  element stays ACTIVATING (`processors.run_activate` holds its activation step back);
- end listeners run "after applying the variable output mappings and before leaving the
  element": the element stays COMPLETING (its completion step asks `end_listener_pending`).

The element instance counts the listener jobs created in the current phase (Zeebe's execution
listener index: +1 on JOB CREATED, 0 again on ELEMENT_ACTIVATED and when an EXTRACT_VALUE_ERROR
incident is resolved). A listener's `type` (a non-empty string) and `retries` (a number) are
evaluated in the element's scope right before its job is created; a failure is an
EXTRACT_VALUE_ERROR incident on the element, and resolving it runs every listener of that event
type again, as documented. A listener job without retries is an EXECUTION_LISTENER_NO_RETRIES
incident (`processors/jobs.py`); resolving it retries only that job. As in Zeebe 8.7 a
listener job has no custom headers. Listener jobs cannot throw BPMN errors (`processors/jobs.py`).

Completing a listener job with variables sets them as local variables of the element (start) or
of its flow scope (end: "propagated to the element's parent scope, like variables from the
output mappings"; the process itself keeps them). A multi-instance body runs no listeners: the
activity's listeners run for every inner instance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.jobs import job_value, listener_job_properties, write_job
from zeebe.engine.bpmn.mappings import apply_inputs
from zeebe.engine.bpmn.variables import set_locals, visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure
from zeebe.model.elements import Element, ExecutionListener
from zeebe.records import Record, ValueType
from zeebe.state import ElementInstance, Job

KIND = "EXECUTION_LISTENER"
START, END = "start", "end"


def listeners_of(element: Element, event_type: str) -> tuple[ExecutionListener, ...]:
    """The element's listeners of one event type, in model order."""
    return tuple(item for item in element.execution_listeners if item.event_type == event_type)


def _runs_listeners(instance: ElementInstance, element: Element, event_type: str) -> bool:
    if not element.execution_listeners:
        return False  # the common case, first: this runs for every element
    # the body of a multi-instance activity has none: they belong to its inner instances
    if instance.value["bpmnElementType"] == lifecycle.MULTI_INSTANCE_BODY:
        return False
    return any(item.event_type == event_type for item in element.execution_listeners)


def _waiting_for_job(ctx: Context, instance: ElementInstance) -> bool:
    job = ctx.state.jobs.get(instance.job_key)
    return job is not None and job.value.get("jobKind") == KIND


def _next_job(ctx: Context, instance: ElementInstance, element: Element, event_type: str) -> bool:
    """Create the job of the phase's next listener (or raise an incident): True; False when
    every listener of the phase has run."""
    listeners = listeners_of(element, event_type)
    index = instance.execution_listener_index
    if index >= len(listeners):
        return False
    listener = listeners[index]
    properties = listener_job_properties(
        listener.type, listener.retries, visible(ctx.state, instance.key), ctx.now
    )
    if isinstance(properties, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", properties.message)
        return True
    value = job_value(instance, properties, {}, kind=KIND, listener_event_type=event_type.upper())
    write_job(ctx, value)
    return True


def start_listener_pending(ctx: Context, instance: ElementInstance, element: Element) -> bool:
    """Before the activation step of an ACTIVATING element: True while start listeners still
    have to run (the inputs are applied before the first one); False when the element may go on
    (without applying its inputs again if it has start listeners)."""
    if not _runs_listeners(instance, element, START):
        return False
    if _waiting_for_job(ctx, instance):
        return True
    if instance.execution_listener_index == 0 and not apply_inputs(ctx, instance, element):
        return True
    return _next_job(ctx, instance, element, START)


def end_listener_pending(ctx: Context, instance: ElementInstance, element: Element) -> bool:
    """After the outputs of a COMPLETING element: True while end listeners still have to run
    (the next one's job is created now), False when the element may complete."""
    if not _runs_listeners(instance, element, END):
        return False
    if _waiting_for_job(ctx, instance):
        return True
    return _next_job(ctx, instance, element, END)


def activation_element(instance: ElementInstance, element: Element) -> Element:
    """The element for its activation step once its start listeners ran: its inputs were
    applied before the listeners and are not applied again."""
    if not element.inputs or not _runs_listeners(instance, element, START):
        return element
    cached = _WITHOUT_INPUTS.get(id(element))
    if cached is None or cached[0] is not element:  # the id of a dropped element was reused
        cached = (element, replace(element, inputs=()))
        _WITHOUT_INPUTS[id(element)] = cached
    return cached[1]


# A cache, not state: id(element) -> (element, the same element without input mappings).
_WITHOUT_INPUTS: dict[int, tuple[Element, Element]] = {}


def complete_listener_job(ctx: Context, command: Record, job: Job) -> None:
    """JOB COMPLETED, the variables merged, then the next listener or the element goes on
    (Zeebe's COMPLETE_EXECUTION_LISTENER)."""
    variables = dict(command.value.get("variables") or {})
    ctx.event(job.key, ValueType.JOB, "COMPLETED", job.value | {"variables": variables})
    ctx.respond({})
    instance = ctx.state.instances.get(int(job.value["elementInstanceKey"]))
    if instance is None:
        return
    if instance.state == lifecycle.ACTIVATING:
        _start_listener_completed(ctx, instance, variables)
    elif instance.state == lifecycle.COMPLETING:
        _end_listener_completed(ctx, instance, variables)


def _start_listener_completed(
    ctx: Context, instance: ElementInstance, variables: Mapping[str, Any]
) -> None:
    from zeebe.engine.bpmn.processors import run_activate

    set_locals(ctx, instance.key, variables)
    run_activate(ctx, instance)


def _end_listener_completed(
    ctx: Context, instance: ElementInstance, variables: Mapping[str, Any]
) -> None:
    from zeebe.engine.bpmn.processors import run_finalize_completion

    scope_key = instance.flow_scope_key
    set_locals(ctx, scope_key if scope_key in ctx.state.instances else instance.key, variables)
    element = lifecycle.element_of(ctx, instance)
    if not end_listener_pending(ctx, instance, element):
        run_finalize_completion(ctx, instance)


def cancel_listener_job(ctx: Context, instance: ElementInstance) -> None:
    """A terminating element cancels the listener job it waits for."""
    job = ctx.state.jobs.get(instance.job_key)
    if job is not None and job.value.get("jobKind") == KIND:
        ctx.event(job.key, ValueType.JOB, "CANCELED", job.value)

"""Element steps of the process itself and of events (gateway steps: gateways.py)."""

from __future__ import annotations

from zeebe.engine.bpmn import call_activity, compensation, lifecycle
from zeebe.engine.bpmn.activities import activate_job_task
from zeebe.engine.bpmn.errors import throw_error, throw_escalation
from zeebe.engine.bpmn.event_subprocess import subscribed_starts
from zeebe.engine.bpmn.events import close_subscriptions, open_subscriptions, signal_value
from zeebe.engine.bpmn.execution_listeners import end_listener_pending
from zeebe.engine.bpmn.gateways import (
    activate_event_gateway,
    activate_exclusive_gateway,
    activate_inclusive_gateway,
    activate_parallel_gateway,
    complete_event_gateway,
)
from zeebe.engine.bpmn.incidents import raise_incident, resolve_incidents_of
from zeebe.engine.bpmn.jobs import task_definition
from zeebe.engine.bpmn.mappings import apply_inputs, apply_outputs
from zeebe.engine.bpmn.start_targets import activate_targets
from zeebe.engine.bpmn.variables import set_locals, visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate_typed
from zeebe.model.elements import Element, ElementType, EventType
from zeebe.records import ValueType
from zeebe.state import ElementInstance

# the gateway steps moved to gateways.py and stay importable from here (processors uses `fn.`)
__all__ = [
    "activate_event",
    "activate_event_gateway",
    "activate_event_subprocess",
    "activate_exclusive_gateway",
    "activate_inclusive_gateway",
    "activate_parallel_gateway",
    "activate_process",
    "activate_throw",
    "complete_end_event",
    "complete_event",
    "complete_event_gateway",
    "complete_process",
    "complete_throw",
    "finalize_end_event",
    "finalize_process",
    "finalize_throw",
    "terminate_process",
    "terminate_waiting",
]


def activate_process(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Event subprocess subscriptions, ACTIVATED, then the start elements chosen at creation
    (the none start event by default)."""
    definition = lifecycle.definition_of(ctx, instance)
    process = definition.process
    if not open_subscriptions(ctx, instance, subscribed_starts(process, element)):
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    start_ids, start_key = _start_points(ctx, instance, element.start_events)
    if not start_ids and process.none_start_event is not None:
        start_ids = (process.none_start_event,)
    activate_targets(ctx, definition, instance, start_ids, start_key)


def _start_points(
    ctx: Context, instance: ElementInstance, starts: tuple[str, ...], scope_key: int = -1
) -> tuple[tuple[str, ...], int]:
    """Where a container starts: as set by whoever activated it in this command; on a re-run
    after an incident, the pending start trigger of its scope, else the start instructions of
    the creation, else (empty) the none start event."""
    if instance.key in ctx.start_points:
        return ctx.start_points.pop(instance.key)
    owner = instance.key if scope_key < 0 else scope_key
    pending = sorted(
        (t.key, t.element_id)
        for t in ctx.state.triggers.values()
        if t.scope_key == owner and t.element_id in starts and t.key not in ctx.state.instances
    )
    if pending:
        return (pending[0][1],), pending[0][0]
    if scope_key < 0:
        return ctx.state.start_instructions.get(instance.key, ()), -1
    return starts, -1


def activate_event_subprocess(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """ACTIVATED, then its start event with the trigger that started it."""
    if not apply_inputs(ctx, instance, element):
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    definition = lifecycle.definition_of(ctx, instance)
    start_ids, start_key = _start_points(
        ctx, instance, element.start_events, scope_key=instance.flow_scope_key
    )
    for start_id in start_ids:
        start = definition.process.elements[start_id]
        lifecycle.activate(ctx, definition, start, instance.key, start_key)


def complete_process(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Close subscriptions; end listeners; then `finalize_process`."""
    close_subscriptions(ctx, instance)
    if not end_listener_pending(ctx, instance, element):
        finalize_process(ctx, instance, element)


def finalize_process(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """A calling activity gets the variables; ELEMENT_COMPLETED; an awaiting
    CreateProcessInstanceWithResult gets its variables."""
    awaiting = ctx.state.awaiting.get(instance.key)
    variables = visible(ctx.state, instance.key).to_dict() if awaiting else {}
    if int(instance.value["parentElementInstanceKey"]) > 0:
        call_activity.child_completed(ctx, instance)
    lifecycle.finish_completion(ctx, instance, element)
    if awaiting is None:
        return
    if awaiting.fetch_variables:
        variables = {k: v for k, v in variables.items() if k in awaiting.fetch_variables}
    pi = instance.value
    ctx.event(
        instance.key,
        ValueType.PROCESS_INSTANCE_RESULT,
        "COMPLETED",
        {
            "processInstanceKey": instance.key,
            "bpmnProcessId": pi["bpmnProcessId"],
            "version": pi["version"],
            "processDefinitionKey": instance.process_definition_key,
            "variables": variables,
            "tenantId": pi["tenantId"],
        },
    )


def terminate_process(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Subscriptions of the process scope close; its incidents are resolved."""
    close_subscriptions(ctx, instance)
    resolve_incidents_of(ctx, instance.key)


def activate_event(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Start and boundary events arrive triggered (or are none events): complete at once.

    A boundary event's payload becomes its local variables (EventTriggerBehavior), so the
    output mappings see it; `apply_outputs` decides what propagates."""
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    trigger = ctx.state.triggers.get(instance.key)
    if element.element_type is ElementType.BOUNDARY_EVENT and trigger and trigger.variables:
        set_locals(ctx, instance.key, trigger.variables)
    lifecycle.complete(ctx, instance)


def complete_event(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Merge the event's payload (spec 5.2); end listeners; then continue."""
    if apply_outputs(ctx, instance, element) and not end_listener_pending(ctx, instance, element):
        lifecycle.finish_completion(ctx, instance, element)


def _kind(element: Element) -> EventType:
    return element.event_definition.kind if element.event_definition else EventType.NONE


def activate_throw(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Intermediate throw and end events, by event definition."""
    kind = _kind(element)
    if task_definition(element) is not None:
        activate_job_task(ctx, instance, element)
    elif kind is EventType.ERROR:
        _throw_error_event(ctx, instance, element)
    elif kind is EventType.COMPENSATION:
        if apply_inputs(ctx, instance, element):
            compensation.throw(ctx, instance, element)
    elif kind is EventType.SIGNAL:
        _throw_signal(ctx, instance, element)
    elif kind is EventType.LINK:
        _throw_link(ctx, instance, element)
    elif kind is EventType.ESCALATION:
        _throw_escalation(ctx, instance, element)
    elif kind in (EventType.NONE, EventType.TERMINATE):
        # no input mappings here: Zeebe's None/Terminate event behaviours have no onActivate
        # step (spec 5.3 lists where input mappings apply)
        lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
        lifecycle.complete(ctx, instance)
    else:
        message = f"The {kind.value} event '{element.id}' is not supported by this engine yet"
        raise_incident(ctx, instance, "UNKNOWN", message)


def _throw_signal(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """A signal throw/end event broadcasts the signal, then continues (spec 5.5)."""
    from zeebe.engine.processors.signals import broadcast

    if not apply_inputs(ctx, instance, element):
        return
    signal = signal_value(ctx, instance, element, instance.process_definition_key)
    if isinstance(signal, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", signal.message)
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    # the signal carries the throw event's local variables, i.e. its input mappings
    # (docs signal-events "Variable mappings"; Zeebe's BpmnSignalBehavior.broadcastNewSignal)
    local = {name: value for name, (_, value) in ctx.state.variables.local(instance.key).items()}
    broadcast(ctx, str(signal["signalName"]), local, str(instance.value["tenantId"]))
    lifecycle.complete(ctx, instance)


def _throw_escalation(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Escalate; continue unless an interrupting catch event ended this scope (spec 2.6)."""
    assert element.event_definition is not None
    source = element.event_definition.escalation_code
    if source is None:  # Zeebe's escalation behaviours apply no input mappings either
        return
    code = evaluate_typed(source, visible(ctx.state, instance.key), ctx.now, "STRING")
    if isinstance(code, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", code.message)
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    throw_escalation(ctx, instance, str(code))
    if ctx.state.instances.get(instance.key) is instance and instance.state == lifecycle.ACTIVATED:
        lifecycle.complete(ctx, instance)


def _throw_link(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """A link throw event continues at the catch link event of the same name and scope (after
    its output mappings and end listeners: `complete_throw`, `finalize_throw`)."""
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    lifecycle.complete(ctx, instance)


def _continue_at_link(ctx: Context, instance: ElementInstance, element: Element) -> None:
    definition = lifecycle.definition_of(ctx, instance)
    assert element.event_definition is not None
    name = element.event_definition.link_name
    catch = next(
        candidate
        for candidate in definition.process.elements.values()
        if candidate.element_type is ElementType.INTERMEDIATE_CATCH_EVENT
        and candidate.flow_scope == element.flow_scope
        and candidate.event_definition is not None
        and candidate.event_definition.kind is EventType.LINK
        and candidate.event_definition.link_name == name
    )
    lifecycle.transition(ctx, instance, lifecycle.COMPLETED)
    lifecycle.activate(ctx, definition, catch, instance.flow_scope_key)


def complete_throw(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Outputs (spec 5.2: the none, link and escalation variants propagate their mapped
    variables); end listeners; then `finalize_throw`."""
    if apply_outputs(ctx, instance, element) and not end_listener_pending(ctx, instance, element):
        finalize_throw(ctx, instance, element)


def finalize_throw(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """After the last end listener: a link throw event continues at its catch event, other
    throw events as any element."""
    if _kind(element) is EventType.LINK:
        _continue_at_link(ctx, instance, element)
    else:
        lifecycle.finish_completion(ctx, instance, element)


def _throw_error_event(ctx: Context, instance: ElementInstance, element: Element) -> None:
    assert element.event_definition is not None and element.event_definition.error_code
    code = evaluate_typed(
        element.event_definition.error_code, visible(ctx.state, instance.key), ctx.now, "STRING"
    )
    if isinstance(code, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", code.message)
        return
    unhandled = throw_error(ctx, instance, str(code), "", {})
    if unhandled is not None:
        raise_incident(ctx, instance, "UNHANDLED_ERROR_EVENT", unhandled)


def complete_end_event(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Outputs; end listeners; then `finalize_end_event`."""
    if apply_outputs(ctx, instance, element) and not end_listener_pending(ctx, instance, element):
        finalize_end_event(ctx, instance, element)


def finalize_end_event(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """A terminate end event ends its whole flow scope (spec 4.2); others just end the path."""
    if _kind(element) is not EventType.TERMINATE:
        lifecycle.finish_completion(ctx, instance, element)
        return
    lifecycle.transition(ctx, instance, lifecycle.COMPLETED)
    for sibling in ctx.state.children_of(instance.flow_scope_key):
        lifecycle.terminate(ctx, sibling)
    lifecycle.child_finished(ctx, instance.flow_scope_key)


def terminate_waiting(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Elements without jobs still close subscriptions and resolve incidents when terminated."""
    close_subscriptions(ctx, instance)
    resolve_incidents_of(ctx, instance.key)

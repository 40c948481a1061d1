"""Element instance lifecycle: a transitions table, a guard, and the generic steps around it.

ACTIVATING -> ACTIVATED -> COMPLETING -> COMPLETED, or (from any live state) TERMINATING ->
TERMINATED. Element-specific work is delegated to the processor registered for the element type
(`zeebe.engine.bpmn.processors`); this module only moves instances through the table, takes
sequence flows and decides when a scope is done.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine.context import Context
from zeebe.model.elements import Element, ElementType
from zeebe.records import ValueType
from zeebe.state import ElementInstance, ProcessDefinition

ACTIVATING = "ELEMENT_ACTIVATING"
ACTIVATED = "ELEMENT_ACTIVATED"
COMPLETING = "ELEMENT_COMPLETING"
COMPLETED = "ELEMENT_COMPLETED"
TERMINATING = "ELEMENT_TERMINATING"
TERMINATED = "ELEMENT_TERMINATED"

MULTI_INSTANCE_BODY = ElementType.MULTI_INSTANCE_BODY.value

TRANSITIONS: dict[str, frozenset[str]] = {
    ACTIVATING: frozenset({ACTIVATED, TERMINATING}),
    ACTIVATED: frozenset({COMPLETING, TERMINATING}),
    COMPLETING: frozenset({COMPLETED, TERMINATING}),
    TERMINATING: frozenset({TERMINATED}),
}


class IllegalTransitionError(RuntimeError):
    """A processor tried a transition the table forbids: a bug in the engine, not in the model."""


def transition(ctx: Context, instance: ElementInstance, intent: str) -> None:
    """Write the lifecycle event for `intent` after checking the transitions table."""
    if intent not in TRANSITIONS.get(instance.state, frozenset()):
        raise IllegalTransitionError(f"{instance.element_id}: {instance.state} -> {intent}")
    ctx.event(instance.key, ValueType.PROCESS_INSTANCE, intent, instance.value)


def definition_of(ctx: Context, instance: ElementInstance) -> ProcessDefinition:
    """The deployed process version an instance runs on."""
    return ctx.state.processes[instance.process_definition_key]


def element_of(ctx: Context, instance: ElementInstance) -> Element:
    """The model element of an instance."""
    return ctx.state.processes[instance.process_definition_key].process.elements[
        instance.element_id
    ]


def element_value(
    definition: ProcessDefinition, element: Element, process_instance_key: int, flow_scope_key: int
) -> dict[str, Any]:
    """The PROCESS_INSTANCE record value of a new element instance."""
    template = definition.value_templates.get(element.id)
    if template is None:
        template = {
            "bpmnElementType": element.element_type.value,
            "elementId": element.id,
            "bpmnProcessId": definition.bpmn_process_id,
            "version": definition.version,
            "processDefinitionKey": definition.key,
            "bpmnEventType": element.event_type.value,
            "parentProcessInstanceKey": -1,
            "parentElementInstanceKey": -1,
            "tenantId": definition.tenant_id,
        }
        definition.value_templates[element.id] = template
    value = dict(template)
    value["processInstanceKey"] = process_instance_key
    value["flowScopeKey"] = flow_scope_key
    return value


def activate(
    ctx: Context,
    definition: ProcessDefinition,
    element: Element,
    flow_scope_key: int,
    key: int = -1,
    *,
    parent: tuple[int, int] | None = None,
) -> ElementInstance:
    """Write ELEMENT_ACTIVATING for a new instance and queue its activation step.

    `parent` is (process instance key, call activity instance key) for a called process.
    """
    from zeebe.engine.bpmn.processors import run_activate

    scope = ctx.state.instances.get(flow_scope_key)
    process_instance_key = scope.process_instance_key if scope is not None else -1
    instance_key = key if key >= 0 else ctx.next_key()
    if element.element_type is ElementType.PROCESS:
        process_instance_key = instance_key
    value = element_value(definition, element, process_instance_key, flow_scope_key)
    if element.loop is not None and not (scope is not None and is_body_of(scope, element.id)):
        value["bpmnElementType"] = MULTI_INSTANCE_BODY
    if parent is not None:
        value["parentProcessInstanceKey"], value["parentElementInstanceKey"] = parent
    if element.element_type is ElementType.BOUNDARY_EVENT and instance_key in ctx.state.triggers:
        _event_triggered(ctx, instance_key, value)
    ctx.event(instance_key, ValueType.PROCESS_INSTANCE, ACTIVATING, value)
    instance = ctx.state.instances[instance_key]
    ctx.follow_up(lambda: run_activate(ctx, instance))
    return instance


def _event_triggered(ctx: Context, trigger_key: int, element_value: dict[str, Any]) -> None:
    """PROCESS_EVENT TRIGGERED before a boundary event activates (activateTriggeredEvent)."""
    trigger = ctx.state.triggers[trigger_key]
    value = {
        "scopeKey": trigger.scope_key,
        "targetElementId": trigger.element_id,
        "variables": {},
        "processDefinitionKey": element_value["processDefinitionKey"],
        "processInstanceKey": element_value["processInstanceKey"],
        "tenantId": element_value["tenantId"],
    }
    ctx.event(trigger_key, ValueType.PROCESS_EVENT, "TRIGGERED", value)


def is_body_of(scope: ElementInstance, element_id: str) -> bool:
    """Whether `scope` is the multi-instance body of the element (spec 4.2 multi-instance)."""
    return scope.element_id == element_id and scope.value["bpmnElementType"] == MULTI_INSTANCE_BODY


def is_mi_inner(ctx: Context, instance: ElementInstance) -> bool:
    """Whether the instance is one iteration inside a multi-instance body."""
    scope = ctx.state.instances.get(instance.flow_scope_key)
    return scope is not None and is_body_of(scope, instance.element_id)


def take_flows(ctx: Context, instance: ElementInstance, flow_ids: tuple[str, ...]) -> None:
    """Take sequence flows out of a completed element; activate targets (joins wait)."""
    for flow_id in flow_ids:
        take_flow(ctx, instance, flow_id)


def take_flow(ctx: Context, instance: ElementInstance, flow_id: str, target_key: int = -1) -> None:
    """Write SEQUENCE_FLOW_TAKEN and activate the target unless it is a join still waiting."""
    definition = definition_of(ctx, instance)
    process = definition.process
    scope_key = instance.flow_scope_key
    flow = process.flows[flow_id]
    flow_value = element_value(
        definition, _flow_element(flow_id), instance.process_instance_key, scope_key
    )
    ctx.event(ctx.next_key(), ValueType.PROCESS_INSTANCE, "SEQUENCE_FLOW_TAKEN", flow_value)
    target = process.elements[flow.target]
    if _join_ready(ctx, target, scope_key):
        activate(ctx, definition, target, scope_key, key=target_key)


_flow_elements: dict[str, Element] = {}


def _flow_element(flow_id: str) -> Element:
    element = _flow_elements.get(flow_id)
    if element is None:
        element = Element(id=flow_id, element_type=ElementType.SEQUENCE_FLOW)
        _flow_elements[flow_id] = element
    return element


def _join_ready(ctx: Context, target: Element, scope_key: int) -> bool:
    if target.element_type is ElementType.INCLUSIVE_GATEWAY and len(target.incoming) > 1:
        from zeebe.engine.bpmn.inclusive import join_ready

        return join_ready(ctx, target, ctx.state.instances[scope_key])
    if target.element_type is not ElementType.PARALLEL_GATEWAY or len(target.incoming) < 2:
        return True
    taken = ctx.state.instances[scope_key].taken_flows
    return all(taken.get(flow_id, 0) > 0 for flow_id in target.incoming)


def complete(ctx: Context, instance: ElementInstance) -> None:
    """Start completing an instance: ELEMENT_COMPLETING, then the element's completion step."""
    from zeebe.engine.bpmn.processors import run_complete

    transition(ctx, instance, COMPLETING)
    run_complete(ctx, instance)


def finish_completion(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Write ELEMENT_COMPLETED and continue: take all outgoing flows, or end the path.

    Compensation bookkeeping happens here for every element (spec 3.2).
    """
    from zeebe.engine.bpmn import ad_hoc_completion, compensation, multi_instance

    if is_mi_inner(ctx, instance):
        if not multi_instance.collect_output(ctx, instance, element):
            return
        condition_met = multi_instance.completion_condition_met(ctx, instance, element)
        if condition_met is None:
            return
        compensation.on_completing(ctx, instance, element)
        transition(ctx, instance, COMPLETED)
        body = ctx.state.instances[instance.flow_scope_key]
        multi_instance.inner_completed(ctx, body, element, condition_met)
        return
    path_end = not element.outgoing and element.element_type is not ElementType.PROCESS
    ad_hoc = ad_hoc_completion.before_path_end(ctx, instance) if path_end else None
    if ad_hoc is ad_hoc_completion.PathEnd.INCIDENT:
        return
    if element.element_type is ElementType.PROCESS:
        compensation.on_scope_ended(ctx, instance)
    else:
        compensation.on_completing(ctx, instance, element)
    started = ctx.state.message_started_by_instance.get(instance.key)
    transition(ctx, instance, COMPLETED)
    if started is not None:
        _next_message_start(ctx, started)
    if element.is_for_compensation:
        compensation.on_handler_completed(ctx, instance)
    if element.outgoing and element.element_type is not ElementType.PROCESS:
        take_flows(ctx, instance, element.outgoing)
        _recheck_joins(ctx, instance.flow_scope_key)
    elif ad_hoc is not None:
        ad_hoc_completion.after_path_end(ctx, instance, ad_hoc)
    else:
        child_finished(ctx, instance.flow_scope_key)


def _recheck_joins(ctx: Context, scope_key: int) -> None:
    scope = ctx.state.instances.get(scope_key)
    if scope is not None and scope.taken_flows:
        from zeebe.engine.bpmn.inclusive import recheck_joins

        recheck_joins(ctx, scope)


def terminate(ctx: Context, instance: ElementInstance) -> None:
    """Terminate an instance and, bottom-up, everything inside it."""
    from zeebe.engine.bpmn.processors import run_terminate
    from zeebe.engine.bpmn.user_task_cancel import awaits_canceling_listeners

    if instance.state == TERMINATING:
        return
    transition(ctx, instance, TERMINATING)
    run_terminate(ctx, instance)
    children = ctx.state.children_of(instance.key)
    if not children:
        if not awaits_canceling_listeners(ctx, instance):
            finish_termination(ctx, instance)
        return
    for child in children:
        terminate(ctx, child)


def finish_termination(ctx: Context, instance: ElementInstance) -> None:
    """Write ELEMENT_TERMINATED; activate a pending interrupting event; notify the scope."""
    from zeebe.engine.bpmn import compensation

    pending_event = instance.pending_event
    if ctx.state.compensations:
        compensation.on_scope_ended(ctx, instance)
    started = ctx.state.message_started_by_instance.get(instance.key)
    transition(ctx, instance, TERMINATED)
    if started is not None:
        _next_message_start(ctx, started)
    scope = ctx.state.instances.get(instance.flow_scope_key)
    trigger = ctx.state.triggers.get(pending_event)
    if trigger is not None and scope is not None and scope.state != TERMINATING:
        definition = definition_of(ctx, instance)
        event = definition.process.elements[trigger.element_id]
        # Only an interrupting boundary event continues after its activity; a pending event
        # subprocess of a scope that is itself terminated never starts.
        if event.attached_to == instance.element_id:
            activate(ctx, definition, event, instance.flow_scope_key, key=pending_event)
    child_finished(ctx, instance.flow_scope_key)


def _next_message_start(ctx: Context, started: tuple[str, str]) -> None:
    from zeebe.engine.processors.messages import after_message_started_instance

    after_message_started_instance(ctx, *started)


def child_finished(ctx: Context, scope_key: int) -> None:
    """A child of the scope completed without outgoing flows or terminated: is the scope done?"""
    scope = ctx.state.instances.get(scope_key)
    if scope is None:
        return
    _recheck_joins(ctx, scope_key)
    if scope.active_children > 0:
        return
    if scope.state == TERMINATING:
        finish_termination(ctx, scope)
    elif scope.state == ACTIVATED and not scope.taken_flows:
        from zeebe.engine.bpmn.event_subprocess import resume_interrupted

        if not resume_interrupted(ctx, scope):
            complete(ctx, scope)

"""Compensation (spec 3, Zeebe >= 8.5).

A completed activity with a compensation boundary event leaves a subscription; a completed
subprocess holding such subscriptions leaves a flow-scope one so compensation can descend into it.
A compensation throw event triggers the not-yet-triggered subscriptions of its scope (and the
enclosing scope when it sits in an event subprocess), each at most once; handlers run in the
throw event's flow scope; the throw event completes when all its handlers have completed.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.context import Context
from zeebe.model.elements import Element, ElementType, EventType
from zeebe.records import ValueType
from zeebe.state import ElementInstance

SUBSCRIPTION = ValueType.COMPENSATION_SUBSCRIPTION
CREATED, TRIGGERED, COMPLETED = "CREATED", "TRIGGERED", "COMPLETED"


def compensation_boundary(
    ctx: Context, instance: ElementInstance, element: Element
) -> Element | None:
    """The compensation boundary event attached to an element, if any."""
    if not element.boundary_events:
        return None
    elements = lifecycle.definition_of(ctx, instance).process.elements
    for boundary_id in element.boundary_events:
        boundary = elements[boundary_id]
        if boundary.event_type is EventType.COMPENSATION:
            return boundary
    return None


def _write(ctx: Context, key: int, intent: str, value: dict[str, Any]) -> None:
    ctx.event(key, SUBSCRIPTION, intent, value | {"state": intent})


def on_completing(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Record a subscription for a completing compensable activity or subprocess (spec 3.2).

    An iteration of a multi-instance subprocess only records the flow-scope subscription of its
    content: its compensation boundary event belongs to the body."""
    iteration = lifecycle.is_mi_inner(ctx, instance)
    boundary = None if iteration else compensation_boundary(ctx, instance, element)
    has_inner = bool(ctx.state.compensations_by_scope.get(instance.key))
    if boundary is None and not (has_inner and element.element_type is ElementType.SUB_PROCESS):
        return
    pi = instance.value
    value = {
        "compensableActivityId": element.id,
        "compensableActivityInstanceKey": instance.key,
        "compensableActivityScopeKey": instance.flow_scope_key,
        "compensationHandlerId": (boundary.compensation_handler or "") if boundary else "",
        "compensationBoundaryEventId": boundary.id if boundary else "",
        "processInstanceKey": instance.process_instance_key,
        "processDefinitionKey": instance.process_definition_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "tenantId": pi["tenantId"],
        "throwEventId": "",
        "throwEventInstanceKey": -1,
        "compensationHandlerInstanceKey": -1,
    }
    _write(ctx, ctx.next_key(), CREATED, value)


def on_scope_ended(ctx: Context, instance: ElementInstance) -> None:
    """Drop subscriptions inside a terminated scope, or of a whole finished process instance."""
    state = ctx.state
    if instance.flow_scope_key < 0:
        keys = sorted(state.compensations_by_instance.get(instance.key, ()))
    else:
        keys = _inside(ctx, instance.key)
    for key in keys:
        ctx.event(key, SUBSCRIPTION, "DELETED", state.compensations[key])


def _inside(ctx: Context, scope_key: int) -> list[int]:
    found: list[int] = []
    for key in sorted(ctx.state.compensations_by_scope.get(scope_key, ())):
        found.append(key)
        inner = int(ctx.state.compensations[key]["compensableActivityInstanceKey"])
        found.extend(_inside(ctx, inner))
    return found


def _scopes_of(ctx: Context, throw: ElementInstance) -> list[int]:
    scope = ctx.state.instances.get(throw.flow_scope_key)
    if scope is None:
        return [throw.flow_scope_key]
    element = lifecycle.element_of(ctx, scope)
    if element.element_type is ElementType.EVENT_SUB_PROCESS:
        return [scope.key, scope.flow_scope_key]
    return [scope.key]


def throw(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Trigger compensation from a throw event; it completes at once if nothing is to undo."""
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    assert element.event_definition is not None
    activity_ref = element.event_definition.activity_ref
    pending = False
    for scope_key in _scopes_of(ctx, instance):
        for key in sorted(ctx.state.compensations_by_scope.get(scope_key, ())):
            value = ctx.state.compensations[key]
            if value["state"] != CREATED:
                continue
            if activity_ref is not None and value["compensableActivityId"] != activity_ref:
                continue
            pending = _trigger(ctx, key, instance) or pending
    if not pending:
        lifecycle.complete(ctx, instance)


def _trigger(ctx: Context, key: int, throw_instance: ElementInstance) -> bool:
    """Trigger one subscription (descending into subprocesses); True if a handler now runs."""
    value = ctx.state.compensations[key] | {
        "throwEventId": throw_instance.element_id,
        "throwEventInstanceKey": throw_instance.key,
    }
    handler_id = str(value["compensationHandlerId"])
    pending = False
    if handler_id:
        handler_key = _start_handler(ctx, value, throw_instance)
        _write(ctx, key, TRIGGERED, value | {"compensationHandlerInstanceKey": handler_key})
        pending = True
    inner_scope = int(value["compensableActivityInstanceKey"])
    for inner in sorted(ctx.state.compensations_by_scope.get(inner_scope, ())):
        if ctx.state.compensations[inner]["state"] == CREATED:
            pending = _trigger(ctx, inner, throw_instance) or pending
    if not handler_id:
        _write(ctx, key, COMPLETED, value)
    return pending


def _start_handler(ctx: Context, value: dict[str, Any], throw_instance: ElementInstance) -> int:
    """Write the compensation boundary event's records, then activate the handler; both in the
    throw event's flow scope (spec 3.2: handlers see the throw event's variables)."""
    definition = lifecycle.definition_of(ctx, throw_instance)
    elements = definition.process.elements
    scope_key = throw_instance.flow_scope_key
    boundary = elements[str(value["compensationBoundaryEventId"])]
    boundary_value = lifecycle.element_value(
        definition, boundary, throw_instance.process_instance_key, scope_key
    )
    boundary_key = ctx.next_key()
    for intent in (lifecycle.ACTIVATING, lifecycle.ACTIVATED, lifecycle.COMPLETING):
        ctx.event(boundary_key, ValueType.PROCESS_INSTANCE, intent, boundary_value)
    ctx.event(boundary_key, ValueType.PROCESS_INSTANCE, lifecycle.COMPLETED, boundary_value)
    handler = elements[str(value["compensationHandlerId"])]
    return lifecycle.activate(ctx, definition, handler, scope_key).key


def on_handler_completed(ctx: Context, handler: ElementInstance) -> None:
    """A handler finished: its subscription completes; the throw event completes when it has
    no triggered subscription left."""
    state = ctx.state
    keys = sorted(state.compensations_by_instance.get(handler.process_instance_key, ()))
    mine = [
        k for k in keys if state.compensations[k]["compensationHandlerInstanceKey"] == handler.key
    ]
    for key in mine:
        value = state.compensations[key]
        _write(ctx, key, COMPLETED, value)
        throw_key = int(value["throwEventInstanceKey"])
        still_open = any(
            state.compensations[k]["throwEventInstanceKey"] == throw_key
            and state.compensations[k]["state"] == TRIGGERED
            for k in keys
            if k in state.compensations
        )
        throw_instance = state.instances.get(throw_key)
        waiting = throw_instance is not None and throw_instance.state == lifecycle.ACTIVATED
        if not still_open and throw_instance is not None and waiting:
            lifecycle.complete(ctx, throw_instance)

"""Inclusive gateways (spec 4.2): diverging takes every flow whose condition holds (else the
default, else an incident); converging waits until every incoming flow was taken or no active
element of the scope can still reach an untaken incoming flow."""

from __future__ import annotations

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure
from zeebe.model.elements import Element, ElementType
from zeebe.state import ElementInstance, ProcessDefinition

NO_FLOW = "Expected at least one condition to evaluate to true, or to have a default flow"


def is_join(element: Element) -> bool:
    """A converging inclusive gateway."""
    return element.element_type is ElementType.INCLUSIVE_GATEWAY and len(element.incoming) > 1


def _reachable(definition: ProcessDefinition, start: str) -> frozenset[str]:
    """Element ids reachable from `start` over sequence flows and boundary events."""
    cached = definition.reachable.get(start)
    if cached is not None:
        return cached
    process = definition.process
    seen: set[str] = set()
    stack = [start]
    while stack:
        element = process.elements[stack.pop()]
        nexts = [process.flows[f].target for f in element.outgoing] + list(element.boundary_events)
        for target in nexts:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    result = frozenset(seen)
    definition.reachable[start] = result
    return result


def join_ready(ctx: Context, gateway: Element, scope: ElementInstance) -> bool:
    """All incoming flows taken, or no active element can reach an untaken one."""
    definition = lifecycle.definition_of(ctx, scope)
    process = definition.process
    untaken = [f for f in gateway.incoming if scope.taken_flows.get(f, 0) <= 0]
    if len(untaken) == len(gateway.incoming):
        return False
    sources = {process.flows[f].source for f in untaken}
    for child in ctx.state.children_of(scope.key):
        if child.element_id in sources or sources & _reachable(definition, child.element_id):
            return False
    return True


def recheck_joins(ctx: Context, scope: ElementInstance) -> None:
    """After an element of the scope moved on or ended: fire joins that became ready."""
    if not scope.taken_flows or scope.state != lifecycle.ACTIVATED:
        return
    definition = lifecycle.definition_of(ctx, scope)
    process = definition.process
    waiting = {process.flows[f].target for f in scope.taken_flows}
    for gateway_id in sorted(waiting):
        gateway = process.elements[gateway_id]
        if is_join(gateway) and join_ready(ctx, gateway, scope):
            lifecycle.activate(ctx, definition, gateway, scope.key)


def choose_flows(
    ctx: Context, instance: ElementInstance, element: Element, holds: object
) -> tuple[str, ...] | Failure:
    """Every outgoing flow whose condition is true; else the default flow; else a failure.

    `holds(condition)` evaluates one condition to True/False or a Failure.
    """
    assert callable(holds)
    flows = lifecycle.definition_of(ctx, instance).process.flows
    chosen: list[str] = []
    for flow_id in element.outgoing:
        if flow_id == element.default_flow:
            continue
        result = holds(flows[flow_id].condition)
        if isinstance(result, Failure):
            return result
        if result is True:
            chosen.append(flow_id)
    if chosen:
        return tuple(chosen)
    if element.default_flow is not None:
        return (element.default_flow,)
    return () if not element.outgoing else Failure(NO_FLOW)

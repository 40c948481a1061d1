"""Element steps of gateways: exclusive, inclusive, parallel and event-based."""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.events import close_subscriptions, open_subscriptions
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.inclusive import choose_flows
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate, evaluate_typed
from zeebe.model.elements import Element, Expression
from zeebe.state import ElementInstance


def activate_exclusive_gateway(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Conditions in XML order, first true wins, else default, else incident (spec 4.2)."""
    chosen = _choose_flow(ctx, instance, element)
    if isinstance(chosen, Failure):
        raise_incident(ctx, instance, "CONDITION_ERROR", chosen.message)
        return
    _pass(ctx, instance, (chosen,) if chosen else ())


def _condition_holds(ctx: Context, condition: Expression | None, variables: Any) -> Any:
    """True/False, or a Failure: a condition must evaluate to a boolean (spec 2.5)."""
    if condition is None:
        return True
    result = evaluate(condition, variables, ctx.now)
    if isinstance(result, (Failure, bool)):
        return result
    return evaluate_typed(condition, variables, ctx.now, "BOOLEAN")


def _choose_flow(ctx: Context, instance: ElementInstance, element: Element) -> str | Failure:
    flows = lifecycle.definition_of(ctx, instance).process.flows
    # in the gateway's own scope (Zeebe), which holds its start listeners' variables
    variables = visible(ctx.state, instance.key)
    for flow_id in element.outgoing:
        if flow_id == element.default_flow:
            continue
        holds = _condition_holds(ctx, flows[flow_id].condition, variables)
        if isinstance(holds, Failure):
            return holds
        if holds is True:
            return flow_id
    if element.default_flow is not None or not element.outgoing:
        return element.default_flow or ""
    return Failure("Expected at least one condition to evaluate to true, or to have a default flow")


def _pass(ctx: Context, instance: ElementInstance, flows: tuple[str, ...]) -> None:
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    lifecycle.transition(ctx, instance, lifecycle.COMPLETING)
    lifecycle.transition(ctx, instance, lifecycle.COMPLETED)
    if flows:
        lifecycle.take_flows(ctx, instance, flows)
    else:
        lifecycle.child_finished(ctx, instance.flow_scope_key)


def activate_inclusive_gateway(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Take every flow whose condition holds, else the default (spec 4.2)."""
    variables = visible(ctx.state, instance.key)
    chosen = choose_flows(
        ctx, instance, element, lambda condition: _condition_holds(ctx, condition, variables)
    )
    if isinstance(chosen, Failure):
        raise_incident(ctx, instance, "CONDITION_ERROR", chosen.message)
        return
    _pass(ctx, instance, chosen)


def activate_parallel_gateway(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Fork: take all outgoing flows (the join already waited in `take_flow`)."""
    _pass(ctx, instance, element.outgoing)


def activate_event_gateway(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Open the subscriptions of all following catch events; the first trigger wins."""
    definition = lifecycle.definition_of(ctx, instance).process
    targets = [definition.elements[definition.flows[f].target] for f in element.outgoing]
    if open_subscriptions(ctx, instance, targets):
        lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)


def complete_event_gateway(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Close the other subscriptions and take the flow to the triggered catch event."""
    close_subscriptions(ctx, instance)
    pending = instance.pending_event
    trigger = ctx.state.triggers[pending]
    process = lifecycle.definition_of(ctx, instance).process
    lifecycle.transition(ctx, instance, lifecycle.COMPLETED)
    for flow_id in element.outgoing:
        if process.flows[flow_id].target == trigger.element_id:
            lifecycle.take_flow(ctx, instance, flow_id, target_key=pending)
            return

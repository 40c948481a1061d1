"""Event subscription behaviour: message subscriptions and timers opened by waiting elements,
closed when the element is left, and the triggering of catch and boundary events (spec 5.5, 9)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zeebe.engine.bpmn import event_subprocess, lifecycle
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.message_twins import subscription_closing, subscription_opened
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import (
    Failure,
    evaluate,
    evaluate_typed,
    is_number,
    to_json,
    type_name,
    warnings_suffix,
)
from zeebe.engine.timers import Schedule, schedule
from zeebe.model.elements import Element, ElementType, EventType
from zeebe.records import ValueType
from zeebe.state import ElementInstance

Opening = tuple[Element, dict[str, Any]]
SUBSCRIPTION_TYPES = {
    EventType.MESSAGE: ValueType.PROCESS_MESSAGE_SUBSCRIPTION,
    EventType.TIMER: ValueType.TIMER,
    EventType.SIGNAL: ValueType.SIGNAL_SUBSCRIPTION,
}


def correlation_key_of(value: Any, source: str) -> str | Failure:
    """Correlation keys must be strings or numbers; numbers compare as their text (spec 5.5)."""
    if isinstance(value, str):
        return value
    if is_number(value):
        number = to_json(value)
        return str(number)
    return Failure(
        f"Failed to extract the correlation key for '{source.strip()}': The value must be either "
        f"a string or a number, but was '{type_name(value)}'."
    )


def _message_opening(
    ctx: Context, instance: ElementInstance, target: Element
) -> dict[str, Any] | Failure:
    assert target.event_definition is not None and target.event_definition.message is not None
    message = target.event_definition.message
    variables = visible(ctx.state, instance.key)
    # a name expression must give a string (CatchEventBehavior: evaluateStringExpression)
    name = evaluate_typed(message.name, variables, ctx.now, "STRING") if message.name else ""
    if isinstance(name, Failure):
        return name
    if message.correlation_key is None:
        return Failure(f"Expected a correlation key for message '{name}' of '{target.id}'")
    raw_key = evaluate(message.correlation_key, variables, ctx.now)
    if isinstance(raw_key, Failure):
        return raw_key
    correlation_key = correlation_key_of(raw_key, message.correlation_key.source)
    if isinstance(correlation_key, Failure):
        suffix = warnings_suffix(message.correlation_key, variables, ctx.now)
        return Failure(correlation_key.message + suffix)
    pi = instance.value
    return {
        "messageName": str(name),
        "correlationKey": correlation_key,
        "elementInstanceKey": instance.key,
        "processInstanceKey": instance.process_instance_key,
        "processDefinitionKey": instance.process_definition_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "elementId": target.id,
        "interrupting": is_interrupting(target),
        "messageKey": -1,
        "variables": {},
        "tenantId": pi["tenantId"],
    }


def is_interrupting(event: Element) -> bool:
    """Boundary events interrupt via cancelActivity, event subprocess starts via isInterrupting."""
    if event.element_type is ElementType.BOUNDARY_EVENT:
        return event.cancel_activity
    return event.interrupting


def timer_schedule(
    ctx: Context, target: Element, scope_key: int, now: int | None = None
) -> Schedule | Failure:
    """Evaluate a timer definition in a scope (-1: no variables, e.g. start events)."""
    definition = target.event_definition
    assert definition is not None and definition.timer is not None
    assert definition.timer_kind is not None
    at = ctx.now if now is None else now
    variables: Any = visible(ctx.state, scope_key) if scope_key >= 0 else {}
    value = evaluate(definition.timer, variables, at)
    if isinstance(value, Failure):
        return value
    plan = schedule(definition.timer_kind, value, at, definition.timer.source)
    if isinstance(plan, Failure):
        return Failure(plan.message + warnings_suffix(definition.timer, variables, at))
    return plan


def timer_value(
    instance: ElementInstance | None, target: Element, plan: Schedule, definition_key: int
) -> dict[str, Any]:
    """The TIMER record value (instance None: a timer start event)."""
    return {
        "elementInstanceKey": -1 if instance is None else instance.key,
        "processInstanceKey": -1 if instance is None else instance.process_instance_key,
        "processDefinitionKey": definition_key,
        "dueDate": plan.due,
        "targetElementId": target.id,
        "repetitions": plan.repetitions,
        "tenantId": "<default>" if instance is None else instance.value["tenantId"],
    }


def signal_value(
    ctx: Context, instance: ElementInstance | None, target: Element, definition_key: int
) -> dict[str, Any] | Failure:
    """A SIGNAL_SUBSCRIPTION value; the name expression is evaluated in the instance's scope."""
    assert target.event_definition is not None
    expression = target.event_definition.signal_name
    if expression is None:
        return Failure(f"Expected a signal name for '{target.id}'")
    variables: Any = visible(ctx.state, instance.key) if instance is not None else {}
    name = evaluate(expression, variables, ctx.now)
    if isinstance(name, Failure):
        return name
    if not isinstance(name, str):
        return Failure(
            f"Expected result of the expression '{expression.source.strip()}' to be 'STRING', "
            f"but was '{type_name(name)}'." + warnings_suffix(expression, variables, ctx.now)
        )
    definition = ctx.state.processes[definition_key]
    return {
        "signalName": name,
        "catchEventId": target.id,
        "catchEventInstanceKey": -1 if instance is None else instance.key,
        "processDefinitionKey": definition_key,
        "bpmnProcessId": definition.bpmn_process_id,
        "tenantId": definition.tenant_id,
    }


def evaluate_subscription(
    ctx: Context, instance: ElementInstance, target: Element
) -> Opening | Failure | None:
    """What opening `target`'s subscription would take (evaluated names, keys, due dates), or
    the failure to report; writes nothing (migration checks it before writing anything)."""
    kind = target.event_definition.kind if target.event_definition else EventType.NONE
    if kind is EventType.MESSAGE:
        opened = _message_opening(ctx, instance, target)
    elif kind is EventType.SIGNAL:
        opened = signal_value(ctx, instance, target, instance.process_definition_key)
    elif kind is EventType.TIMER:
        plan = timer_schedule(ctx, target, instance.key)
        if isinstance(plan, Failure):
            return plan
        opened = timer_value(instance, target, plan, instance.process_definition_key)
    else:
        return None
    return opened if isinstance(opened, Failure) else (target, opened)


def open_subscriptions(ctx: Context, instance: ElementInstance, targets: Iterable[Element]) -> bool:
    """Open message subscriptions / timers for the targets; an incident (False) on failure.

    All values are evaluated before anything is written, so a failure leaves nothing open.
    """
    openings: list[Opening] = []
    for target in targets:
        opened = evaluate_subscription(ctx, instance, target)
        if isinstance(opened, Failure):
            error_type = "EXTRACT_VALUE_ERROR"
            raise_incident(ctx, instance, error_type, opened.message)
            return False
        if opened is not None:
            openings.append(opened)
    for target, value in openings:
        assert target.event_definition is not None
        value_type = SUBSCRIPTION_TYPES[target.event_definition.kind]
        key = ctx.next_key()
        if value_type is ValueType.PROCESS_MESSAGE_SUBSCRIPTION:
            subscription_opened(ctx, key, value)
        ctx.event(key, value_type, "CREATED", value)
    if ctx.state.subscriptions_by_element.get(instance.key):
        from zeebe.engine.processors.messages import correlate_buffered

        ctx.follow_up(lambda: correlate_buffered(ctx, instance.key))
    return True


def boundary_targets(ctx: Context, instance: ElementInstance, element: Element) -> list[Element]:
    """The boundary events of an element instance (a multi-instance body owns them, so its
    inner instances have none)."""
    if not element.boundary_events or lifecycle.is_mi_inner(ctx, instance):
        return []
    elements = ctx.state.processes[instance.process_definition_key].process.elements
    return [elements[b] for b in element.boundary_events]


def close_subscriptions(ctx: Context, instance: ElementInstance) -> None:
    """Close every message subscription and timer opened by an element instance."""
    state = ctx.state
    for key in sorted(state.subscriptions_by_element.get(instance.key, ())):
        subscription = state.subscriptions[key]
        subscription_closing(ctx, key, subscription.value)
        ctx.event(key, ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "DELETED", subscription.value)
    for key in sorted(state.timers_by_element.get(instance.key, ())):
        ctx.event(key, ValueType.TIMER, "CANCELED", state.timers[key].value)
    for key in sorted(state.signals_by_element.get(instance.key, ())):
        value = state.signal_subscriptions[key]
        ctx.event(key, ValueType.SIGNAL_SUBSCRIPTION, "DELETED", value)


def trigger_value(
    scope: ElementInstance, target_id: str, variables: dict[str, Any], interrupting: bool
) -> dict[str, Any]:
    """The PROCESS_EVENT TRIGGERING value: which event of which scope, with what payload."""
    pi = scope.value
    return {
        "scopeKey": scope.key,
        "targetElementId": target_id,
        "variables": variables,
        "interrupting": interrupting,
        "processDefinitionKey": scope.process_definition_key,
        "processInstanceKey": scope.process_instance_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "tenantId": pi["tenantId"],
    }


def can_trigger(ctx: Context, scope: ElementInstance, target_id: str) -> bool:
    """Appendix B: an interrupted scope accepts no further events, except that a scope running
    an interrupting event subprocess still accepts its own boundary events."""
    if scope.state != lifecycle.ACTIVATED:
        return False
    if not scope.interrupted:
        return True
    target = lifecycle.definition_of(ctx, scope).process.elements[target_id]
    return target.attached_to == scope.element_id


def trigger_event(
    ctx: Context, scope: ElementInstance, target_id: str, variables: dict[str, Any]
) -> bool:
    """Trigger a catch event of `scope`: an event subprocess start, a boundary event, an
    event-based gateway's target or its own catch. False if the scope no longer accepts events
    (Appendix B)."""
    if not can_trigger(ctx, scope, target_id):
        return False
    definition = lifecycle.definition_of(ctx, scope)
    element = definition.process.elements[scope.element_id]
    target = definition.process.elements[target_id]
    if event_subprocess.is_event_subprocess_start(definition.process, target):
        key = ctx.next_key()
        value = trigger_value(scope, target_id, variables, target.interrupting)
        ctx.event(key, ValueType.PROCESS_EVENT, "TRIGGERING", value)
        event_subprocess.trigger(ctx, scope, target, key)
    elif target.element_type is ElementType.BOUNDARY_EVENT:
        key = ctx.next_key()
        value = trigger_value(scope, target_id, variables, target.cancel_activity)
        ctx.event(key, ValueType.PROCESS_EVENT, "TRIGGERING", value)
        if target.cancel_activity:
            lifecycle.terminate(ctx, scope)
        else:
            lifecycle.activate(ctx, definition, target, scope.flow_scope_key, key=key)
    else:
        # An event-based gateway remembers the winning event (interrupting: nothing else fires).
        is_gateway = element.element_type is ElementType.EVENT_BASED_GATEWAY
        key = ctx.next_key() if is_gateway else scope.key
        value = trigger_value(scope, target_id, variables, is_gateway)
        ctx.event(key, ValueType.PROCESS_EVENT, "TRIGGERING", value)
        lifecycle.complete(ctx, scope)
    return True

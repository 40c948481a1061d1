"""Catch event subscriptions of migrated element instances (Zeebe 8.7's
`ProcessInstanceMigrationCatchEventBehaviour`).

An element instance holds the subscriptions (timers, message and signal subscriptions) of its
catch events: itself when it is an intermediate catch event or a receive task, the events after
it when it is an event-based gateway, its boundary events (a multi-instance body, not its inner
instances) and the starts of the event subprocesses it contains. Migrating it:

- subscriptions of source catch events without a mapping are closed;
- target catch events no mapping points to are subscribed anew (expressions evaluated now),
  unless the instance is interrupted or not ACTIVATED yet;
- subscriptions of mapped catch events are kept and MIGRATED: a timer keeps its due date, a
  message subscription its name and correlation key, a signal subscription its name.
"""

from __future__ import annotations

from collections.abc import Iterator

from zeebe.engine.bpmn.event_subprocess import SUBSCRIBED_KINDS, start_events

# `evaluate_subscription` evaluates a subscription without writing it: a failure must reject the
# migration before anything is written (Zeebe rejects it), not raise an incident halfway
from zeebe.engine.bpmn.events import evaluate_subscription, is_interrupting, open_subscriptions
from zeebe.engine.bpmn.message_twins import message_subscription_event, subscription_closing
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure
from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.records import ValueType
from zeebe.state import ElementInstance, EngineState

MI_BODY = ElementType.MULTI_INSTANCE_BODY.value
PMS = ValueType.PROCESS_MESSAGE_SUBSCRIPTION


def catch_events(
    state: EngineState,
    process: Process,
    element: Element,
    instance: ElementInstance,
    *,
    subscribed_only: bool = True,
) -> list[Element]:
    """The catch events an instance of `element` (in `process`) waits for; with
    `subscribed_only`, those that hold a subscription (message, timer, signal)."""
    is_body = instance.value["bpmnElementType"] == MI_BODY
    scope = state.instances.get(instance.flow_scope_key)
    is_inner = scope is not None and scope.value["bpmnElementType"] == MI_BODY
    found = _own_events(process, element)
    if not is_inner:
        found.extend(process.elements[b] for b in element.boundary_events)
    if not is_body:
        found.extend(start_events(process, element))
    if not subscribed_only:
        return found
    return [e for e in found if e.event_definition and e.event_definition.kind in SUBSCRIBED_KINDS]


def _own_events(process: Process, element: Element) -> list[Element]:
    """An intermediate catch event or receive task waits itself; an event-based gateway waits
    for the catch events after it."""
    if element.element_type in (ElementType.INTERMEDIATE_CATCH_EVENT, ElementType.RECEIVE_TASK):
        return [element]
    if element.element_type is ElementType.EVENT_BASED_GATEWAY:
        return [process.elements[process.flows[f].target] for f in element.outgoing]
    return []


def new_targets(
    state: EngineState,
    target: Process,
    element: Element,
    instance: ElementInstance,
    mapped: set[str],
) -> list[Element]:
    """Target catch events to subscribe: those no mapping instruction points to. Only an
    ACTIVATED instance holds subscriptions (one still activating opens them when it resumes)."""
    if instance.interrupted or instance.state != "ELEMENT_ACTIVATED":
        return []
    return [e for e in catch_events(state, target, element, instance) if e.id not in mapped]


def subscription_failure(ctx: Context, instance: ElementInstance, targets: list[Element]) -> str:
    """Why a new subscription cannot be opened ("" when all can): Zeebe rejects the migration."""
    for target in targets:
        opened = evaluate_subscription(ctx, instance, target)
        if isinstance(opened, Failure):
            return opened.message
    return ""


def subscribed_message_names(state: EngineState, instance: ElementInstance) -> Iterator[str]:
    """Message names of the instance's message subscriptions (mapped or not)."""
    for key in state.subscriptions_by_element.get(instance.key, ()):
        yield str(state.subscriptions[key].value["messageName"])


def message_name(ctx: Context, instance: ElementInstance, element: Element) -> str | None:
    """The evaluated message name of a message catch event (None for other events); call after
    `subscription_failure` found every subscription can be opened."""
    definition = element.event_definition
    if definition is None or definition.kind is not EventType.MESSAGE:
        return None
    opened = evaluate_subscription(ctx, instance, element)
    if opened is None or isinstance(opened, Failure):
        return None
    return str(opened[1]["messageName"])


def migrate_subscriptions(
    ctx: Context, instance: ElementInstance, targets: dict[str, str], new: list[Element]
) -> None:
    """Close unmapped subscriptions, subscribe `new` target catch events, migrate the rest.
    `instance` is already migrated (its definition key is the target's)."""
    state = ctx.state
    definition = state.processes[instance.process_definition_key]
    for key in sorted(state.timers_by_element.get(instance.key, ())):
        value = state.timers[key].value
        target_id = targets.get(str(value["targetElementId"]))
        if target_id is None:
            ctx.event(key, ValueType.TIMER, "CANCELED", value)
        else:
            changes = {"targetElementId": target_id, "processDefinitionKey": definition.key}
            ctx.event(key, ValueType.TIMER, "MIGRATED", value | changes)
    _migrate_messages(ctx, instance, targets)
    for key in sorted(state.signals_by_element.get(instance.key, ())):
        value = state.signal_subscriptions[key]
        target_id = targets.get(str(value["catchEventId"]))
        if target_id is None:
            ctx.event(key, ValueType.SIGNAL_SUBSCRIPTION, "DELETED", value)
        else:
            changes = {
                "catchEventId": target_id,
                "processDefinitionKey": definition.key,
                "bpmnProcessId": definition.bpmn_process_id,
            }
            ctx.event(key, ValueType.SIGNAL_SUBSCRIPTION, "MIGRATED", value | changes)
    if new:
        open_subscriptions(ctx, instance, new)


def _migrate_messages(ctx: Context, instance: ElementInstance, targets: dict[str, str]) -> None:
    state = ctx.state
    definition = state.processes[instance.process_definition_key]
    for key in sorted(state.subscriptions_by_element.get(instance.key, ())):
        value = state.subscriptions[key].value
        target_id = targets.get(str(value["elementId"]))
        if target_id is None:
            subscription_closing(ctx, key, value)
            ctx.event(key, PMS, "DELETED", value)
            continue
        target = definition.process.elements[target_id]
        migrated = value | {
            "elementId": target_id,
            "bpmnProcessId": definition.bpmn_process_id,
            "processDefinitionKey": definition.key,
            "interrupting": is_interrupting(target),
        }
        ctx.event(key, PMS, "MIGRATED", migrated)
        message_subscription_event(ctx, key, "MIGRATED", migrated)

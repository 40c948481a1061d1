"""Event subprocesses (spec 4.2): their message/timer starts are subscriptions of the containing
scope; error starts catch errors of that scope. Interrupting ones terminate everything else in the
scope first; non-interrupting ones run beside it. The scope completes after the triggered one."""

from __future__ import annotations

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.message_twins import subscription_closing
from zeebe.engine.context import Context
from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.records import ValueType
from zeebe.state import ElementInstance

SUBSCRIBED_KINDS = (EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL)


def start_events(process: Process, container: Element) -> list[Element]:
    """The start events of the event subprocesses directly inside a container."""
    starts: list[Element] = []
    for esp_id in container.event_sub_processes:
        esp = process.elements[esp_id]
        starts.extend(process.elements[s] for s in esp.start_events)
    return starts


def subscribed_starts(process: Process, container: Element) -> list[Element]:
    """Event subprocess starts that wait on a message or timer while the container is active."""
    return [
        start
        for start in start_events(process, container)
        if start.event_definition is not None and start.event_definition.kind in SUBSCRIBED_KINDS
    ]


def is_event_subprocess_start(process: Process, element: Element) -> bool:
    """Whether the element is the start event of an event subprocess."""
    scope = process.elements.get(element.flow_scope or "")
    return (
        element.element_type is ElementType.START_EVENT
        and scope is not None
        and scope.element_type is ElementType.EVENT_SUB_PROCESS
    )


def trigger(ctx: Context, scope: ElementInstance, start: Element, key: int) -> None:
    """After PROCESS_EVENT TRIGGERING: start the event subprocess in `scope`.

    Interrupting: close the other event subprocess starts, terminate every child of the scope;
    the event subprocess starts once the last child is gone (`lifecycle.child_finished`).
    """
    if not start.interrupting:
        activate(ctx, scope, start, key)
        return
    process = lifecycle.definition_of(ctx, scope).process
    starts = {s.id for s in start_events(process, lifecycle.element_of(ctx, scope))}
    state = ctx.state
    for sub_key in sorted(state.subscriptions_by_element.get(scope.key, ())):
        value = state.subscriptions[sub_key].value
        if value["elementId"] in starts:
            subscription_closing(ctx, sub_key, value)
            ctx.event(sub_key, ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "DELETED", value)
    for timer_key in sorted(state.timers_by_element.get(scope.key, ())):
        value = state.timers[timer_key].value
        if value["targetElementId"] in starts:
            ctx.event(timer_key, ValueType.TIMER, "CANCELED", value)
    for signal_key in sorted(state.signals_by_element.get(scope.key, ())):
        value = state.signal_subscriptions[signal_key]
        if value["catchEventId"] in starts:
            ctx.event(signal_key, ValueType.SIGNAL_SUBSCRIPTION, "DELETED", value)
    children = state.children_of(scope.key)
    if not children:
        activate(ctx, scope, start, key)
    for child in children:
        lifecycle.terminate(ctx, child)


def activate(ctx: Context, scope: ElementInstance, start: Element, key: int) -> None:
    """Activate the event subprocess of `start` in `scope`; its start event gets `key`."""
    definition = lifecycle.definition_of(ctx, scope)
    assert start.flow_scope is not None
    esp = definition.process.elements[start.flow_scope]
    instance = lifecycle.activate(ctx, definition, esp, scope.key)
    ctx.start_points[instance.key] = ((start.id,), key)


def resume_interrupted(ctx: Context, scope: ElementInstance) -> bool:
    """Called when an interrupted scope has no children left: start its pending event
    subprocess (True), or report that nothing is pending (False)."""
    trigger_ = ctx.state.triggers.get(scope.pending_event)
    if not scope.interrupted or trigger_ is None:
        return False
    process = lifecycle.definition_of(ctx, scope).process
    start = process.elements[trigger_.element_id]
    if not is_event_subprocess_start(process, start):
        return False
    activate(ctx, scope, start, scope.pending_event)
    return True

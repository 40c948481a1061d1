"""Message and timer start events: opened on deployment for the latest version, replacing those
of the previous version (spec 5.5, 9.1)."""

from __future__ import annotations

from collections.abc import Iterator

from zeebe.engine.bpmn.events import signal_value, timer_schedule, timer_value
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate, type_name
from zeebe.model.elements import Expression, ParsedResource, Process
from zeebe.model.errors import ValidationEntry, format_entries
from zeebe.records import ValueType
from zeebe.state import ProcessDefinition


def _constant_name(expression: Expression | None, what: str, now: int) -> str | None:
    """Zeebe's Process{Message,Signal}StartEventNameValidator: a start event's name must be a
    constant string expression (evaluated without variables); the violation, or None."""
    if expression is None:
        return None
    raw = f"={expression.source}" if expression.is_feel else expression.source
    value = evaluate(expression, {}, now)
    if isinstance(value, Failure):
        return (
            f"Expected constant expression but found '{raw}', which could not be evaluated "
            f"without context: {value.message}"
        )
    if not isinstance(value, str):
        return (
            f"Expected constant expression of type String for {what} name '{raw}', but was "
            f"{type_name(value)}"
        )
    return None


def _start_event_problems(ctx: Context, process: Process) -> Iterator[ValidationEntry]:
    """What Zeebe's deployment validators reject in top-level start events: names of message
    and signal starts and timer expressions, all evaluated without variables."""
    for event_id in (*process.message_start_events, *process.signal_start_events):
        definition = process.elements[event_id].event_definition
        assert definition is not None
        if definition.message is not None:
            problem = _constant_name(definition.message.name, "message", ctx.now)
        else:
            problem = _constant_name(definition.signal_name, "signal", ctx.now)
        if problem is not None:
            yield ValidationEntry(event_id, problem)
    for event_id in process.timer_start_events:
        event = process.elements[event_id]
        definition = event.event_definition
        if definition is None or definition.timer is None or not definition.timer.is_feel:
            continue  # static values are checked by the model rules
        plan = timer_schedule(ctx, event, -1)
        if isinstance(plan, Failure):
            kind = definition.timer_kind.value if definition.timer_kind else "date"
            yield ValidationEntry(event_id, f"Invalid timer {kind} expression ({plan.message})")


def invalid_start_events(ctx: Context, resource_name: str, parsed: ParsedResource) -> str | None:
    """The rejection detail of a resource whose start events cannot be opened at deployment
    (a timer start expression that yields no timer: "Invalid timer cycle expression (...)";
    a message or signal start name that is no constant string), or None."""
    entries = [
        entry for process in parsed.processes for entry in _start_event_problems(ctx, process)
    ]
    return f"'{resource_name}': {format_entries(entries)}" if entries else None


def close_start_events(ctx: Context, previous: ProcessDefinition) -> None:
    """Close the message/signal start subscriptions and start timers of a process version."""
    state = ctx.state
    for key, subscription in sorted(state.start_subscriptions.items()):
        if subscription.value["processDefinitionKey"] == previous.key:
            ctx.event(
                key, ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, "DELETED", subscription.value
            )
    for key, signal in sorted(state.signal_subscriptions.items()):
        if signal["processDefinitionKey"] == previous.key and signal["catchEventInstanceKey"] == -1:
            ctx.event(key, ValueType.SIGNAL_SUBSCRIPTION, "DELETED", signal)
    for key, timer in sorted(state.timers.items()):
        value = timer.value
        if value["processDefinitionKey"] == previous.key and value["elementInstanceKey"] == -1:
            ctx.event(key, ValueType.TIMER, "CANCELED", value)


def replace_start_events(
    ctx: Context, definition: ProcessDefinition, previous: ProcessDefinition | None
) -> None:
    """Close the previous version's start subscriptions/timers, open the new version's."""
    if previous is not None:
        close_start_events(ctx, previous)
    process = definition.process
    for event_id in process.message_start_events:
        event = process.elements[event_id]
        message = event.event_definition.message if event.event_definition else None
        if message is None or message.name is None:
            continue
        name = evaluate(message.name, {}, ctx.now)
        if isinstance(name, Failure):
            continue
        ctx.event(
            ctx.next_key(),
            ValueType.MESSAGE_START_EVENT_SUBSCRIPTION,
            "CREATED",
            {
                "processDefinitionKey": definition.key,
                "bpmnProcessId": definition.bpmn_process_id,
                "startEventId": event_id,
                "messageName": str(name),
                "tenantId": definition.tenant_id,
            },
        )
    for event_id in process.signal_start_events:
        signal = signal_value(ctx, None, process.elements[event_id], definition.key)
        if not isinstance(signal, Failure):
            ctx.event(ctx.next_key(), ValueType.SIGNAL_SUBSCRIPTION, "CREATED", signal)
    for event_id in process.timer_start_events:
        event = process.elements[event_id]
        plan = timer_schedule(ctx, event, -1)
        if isinstance(plan, Failure):
            continue
        value = timer_value(None, event, plan, definition.key)
        ctx.event(
            ctx.next_key(), ValueType.TIMER, "CREATED", value | {"tenantId": definition.tenant_id}
        )

"""Message and timer start events: opened on deployment for the latest version, replacing those
of the previous version (spec 5.5, 9.1)."""

from __future__ import annotations

from zeebe.engine.bpmn.events import signal_value, timer_schedule, timer_value
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate
from zeebe.model.elements import ParsedResource
from zeebe.model.errors import ValidationEntry, format_entries
from zeebe.records import ValueType
from zeebe.state import ProcessDefinition


def invalid_start_timers(ctx: Context, resource_name: str, parsed: ParsedResource) -> str | None:
    """Zeebe's TimerCatchEventExpressionValidator: a process's timer start events have no
    variables, so their expressions are evaluated at deployment and a failure rejects the
    resource ("Invalid timer cycle expression (...)"); the rejection detail, or None."""
    entries: list[ValidationEntry] = []
    for process in parsed.processes:
        for event_id in process.timer_start_events:
            event = process.elements[event_id]
            definition = event.event_definition
            if definition is None or definition.timer is None or not definition.timer.is_feel:
                continue  # static values are checked by the model rules
            plan = timer_schedule(ctx, event, -1)
            if isinstance(plan, Failure):
                kind = definition.timer_kind.value if definition.timer_kind else "date"
                message = f"Invalid timer {kind} expression ({plan.message})"
                entries.append(ValidationEntry(event_id, message))
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

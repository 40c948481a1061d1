"""SIGNAL BROADCAST (spec 5.5 "Signals"): every open signal subscription with the name is
triggered: signal start events create instances, catch/boundary/event-subprocess starts fire.
No correlation key, no buffering."""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn.events import trigger_event
from zeebe.engine.context import Context
from zeebe.engine.processors.instances import start_instance
from zeebe.records import DEFAULT_TENANT, Record, ValueType


def broadcast(ctx: Context, name: str, variables: dict[str, Any], tenant_id: str) -> int:
    """Write SIGNAL BROADCASTED and trigger the subscriptions; returns the signal key."""
    key = ctx.next_key()
    value = {"signalName": name, "variables": variables, "tenantId": tenant_id}
    ctx.event(key, ValueType.SIGNAL, "BROADCASTED", value)
    state = ctx.state
    for sub_key in list(state.signals_by_name.get(name, ())):
        subscription = state.signal_subscriptions.get(sub_key)
        if subscription is None:
            continue
        element_key = int(subscription["catchEventInstanceKey"])
        if element_key < 0:
            _start(ctx, subscription, variables)
            continue
        scope = state.instances.get(element_key)
        if scope is not None:
            trigger_event(ctx, scope, str(subscription["catchEventId"]), dict(variables))
    return key


def _start(ctx: Context, subscription: dict[str, Any], variables: dict[str, Any]) -> None:
    definition = ctx.state.processes[int(subscription["processDefinitionKey"])]
    instance_key, start_key = ctx.next_key(), ctx.next_key()
    trigger = {
        "scopeKey": instance_key,
        "targetElementId": subscription["catchEventId"],
        "variables": dict(variables),
        "processDefinitionKey": definition.key,
        "processInstanceKey": instance_key,
        "bpmnProcessId": definition.bpmn_process_id,
        "tenantId": definition.tenant_id,
    }
    ctx.event(start_key, ValueType.PROCESS_EVENT, "TRIGGERING", trigger)
    start_ids = (str(subscription["catchEventId"]),)
    start_instance(ctx, definition, {}, start_ids, start_key, key=instance_key)


def broadcast_signal(ctx: Context, command: Record) -> None:
    """The BroadcastSignal command: respond {key, tenantId}."""
    value = command.value
    tenant_id = str(value.get("tenantId") or DEFAULT_TENANT)
    variables = dict(value.get("variables") or {})
    key = broadcast(ctx, str(value.get("signalName", "")), variables, tenant_id)
    ctx.respond({"key": key, "tenantId": tenant_id})

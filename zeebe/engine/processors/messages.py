"""MESSAGE PUBLISH and correlation (spec 5.5): TTL buffering, messageId uniqueness, correlation
once per process id, FIFO buffer, message start events."""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn.events import can_trigger, trigger_event
from zeebe.engine.bpmn.message_twins import message_subscription_event
from zeebe.engine.context import Context
from zeebe.engine.processors.instances import start_instance
from zeebe.records import DEFAULT_TENANT, Record, RejectionType, ValueType
from zeebe.state import Message, MessageStartSubscription, Subscription


def publish(ctx: Context, command: Record) -> None:
    """Publish: reject duplicates by messageId, correlate, buffer for its TTL."""
    value = command.value
    name = str(value.get("name", ""))
    correlation_key = str(value.get("correlationKey", ""))
    message_id = str(value.get("messageId", "") or "")
    if message_id and (name, correlation_key, message_id) in ctx.state.message_ids:
        reason = (
            f"Expected to publish a new message with id '{message_id}', but a message with "
            "that id was already published"
        )
        ctx.reject(command, RejectionType.ALREADY_EXISTS, reason)
        return
    key = ctx.next_key()
    tenant_id = str(value.get("tenantId") or DEFAULT_TENANT)
    ttl = max(int(value.get("timeToLive", 0)), 0)
    published: dict[str, Any] = {
        "name": name,
        "correlationKey": correlation_key,
        "timeToLive": ttl,
        "messageId": message_id,
        "variables": dict(value.get("variables") or {}),
        "tenantId": tenant_id,
        "deadline": ctx.now + ttl,
    }
    ctx.event(key, ValueType.MESSAGE, "PUBLISHED", published)
    ctx.respond({"key": key, "tenantId": tenant_id})
    message = ctx.state.messages[key]
    _correlate_subscriptions(ctx, message)
    _correlate_start_events(ctx, message)
    if ttl <= 0:
        ctx.event(key, ValueType.MESSAGE, "EXPIRED", published)


def _correlate_subscriptions(ctx: Context, message: Message) -> None:
    state = ctx.state
    index_key = (str(message.value["name"]), str(message.value["correlationKey"]))
    for sub_key in list(state.subscriptions_by_name.get(index_key, ())):
        subscription = state.subscriptions.get(sub_key)
        if subscription is None:
            continue
        if str(subscription.value["bpmnProcessId"]) in message.correlated_processes:
            continue
        _correlate(ctx, subscription, message)


def _correlate(ctx: Context, subscription: Subscription, message: Message) -> bool:
    """Correlate one message to one subscription, if its element still accepts events."""
    state = ctx.state
    scope = state.instances.get(int(subscription.value["elementInstanceKey"]))
    target_id = str(subscription.value["elementId"])
    if scope is None or not can_trigger(ctx, scope, target_id):
        return False
    variables = dict(message.value["variables"])
    correlated = subscription.value | {"messageKey": message.key, "variables": variables}
    # the message side hands the message over first (MessageCorrelationTest: CORRELATING)
    message_subscription_event(ctx, subscription.key, "CORRELATING", correlated)
    ctx.event(subscription.key, ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CORRELATED", correlated)
    message_subscription_event(ctx, subscription.key, "CORRELATED", correlated)
    return trigger_event(ctx, scope, target_id, variables)


def correlate_buffered(ctx: Context, element_instance_key: int) -> None:
    """A newly opened subscription takes the oldest live buffered message (FIFO, spec 5.5)."""
    state = ctx.state
    for sub_key in sorted(state.subscriptions_by_element.get(element_instance_key, ())):
        subscription = state.subscriptions.get(sub_key)
        if subscription is None:
            continue
        value = subscription.value
        index_key = (str(value["messageName"]), str(value["correlationKey"]))
        for message_key in list(state.message_buffer.get(index_key, ())):
            message = state.messages[message_key]
            if message.deadline <= ctx.now:
                continue
            if str(value["bpmnProcessId"]) in message.correlated_processes:
                continue
            if _correlate(ctx, subscription, message):
                return
            break


def after_message_started_instance(ctx: Context, process_id: str, correlation_key: str) -> None:
    """An instance started by a message with this correlation key ended: the oldest buffered
    message with the same key, for any of the process's message start events, may now start the
    next instance (spec 5.5; MessageStartEventTest
    .shouldCreateNewInstanceForBufferedMessageWithMultipleStartEvents: publish order)."""
    state = ctx.state
    candidates: list[tuple[int, MessageStartSubscription]] = []
    for subscription in sorted(state.start_subscriptions.values(), key=lambda s: s.key):
        value = subscription.value
        if value["bpmnProcessId"] != process_id:
            continue
        buffered = state.message_buffer.get((str(value["messageName"]), correlation_key))
        for message_key in buffered or ():
            message = state.messages[message_key]
            if message.deadline > ctx.now and process_id not in message.correlated_processes:
                candidates.append((message_key, subscription))
                break
    if candidates:
        message_key, subscription = min(candidates, key=lambda c: c[0])
        _start_by_message(ctx, subscription, state.messages[message_key])


def _correlate_start_events(ctx: Context, message: Message) -> None:
    """Message start events create instances of the latest version, once per process id."""
    state = ctx.state
    name = str(message.value["name"])
    correlation_key = str(message.value["correlationKey"])
    for subscription in sorted(state.start_subscriptions.values(), key=lambda s: s.key):
        value = subscription.value
        process_id = str(value["bpmnProcessId"])
        if value["messageName"] != name or process_id in message.correlated_processes:
            continue
        if correlation_key and (process_id, correlation_key) in state.message_started:
            continue
        _start_by_message(ctx, subscription, message)


def _start_by_message(
    ctx: Context, subscription: MessageStartSubscription, message: Message
) -> None:
    value = subscription.value
    definition = ctx.state.processes[int(value["processDefinitionKey"])]
    instance_key = ctx.next_key()
    start_key = ctx.next_key()
    variables = dict(message.value["variables"])
    correlated = value | {
        "messageKey": message.key,
        "processInstanceKey": instance_key,
        "correlationKey": message.value["correlationKey"],
        "variables": variables,
    }
    ctx.event(
        subscription.key, ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, "CORRELATED", correlated
    )
    trigger = {
        "scopeKey": instance_key,
        "targetElementId": value["startEventId"],
        "variables": variables,
        "processDefinitionKey": definition.key,
        "processInstanceKey": instance_key,
        "bpmnProcessId": definition.bpmn_process_id,
        "tenantId": definition.tenant_id,
    }
    ctx.event(start_key, ValueType.PROCESS_EVENT, "TRIGGERING", trigger)
    start_instance(ctx, definition, {}, (str(value["startEventId"]),), start_key, key=instance_key)

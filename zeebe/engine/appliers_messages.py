"""Event appliers for messages and message subscriptions."""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Callable

from zeebe.records import Record, ValueType
from zeebe.state import EngineState, Message, MessageStartSubscription, Subscription

Applier = Callable[[EngineState, Record], None]


def _published(state: EngineState, record: Record) -> None:
    value = record.value
    deadline = record.timestamp + int(value["timeToLive"])
    state.messages[record.key] = Message(key=record.key, value=value, deadline=deadline)
    index_key = (str(value["name"]), str(value["correlationKey"]))
    state.message_buffer.setdefault(index_key, OrderedDict())[record.key] = None
    message_id = str(value.get("messageId", ""))
    if message_id:
        state.message_ids.add((index_key[0], index_key[1], message_id))
    heapq.heappush(state.message_deadlines, (deadline, record.key))


def _expired(state: EngineState, record: Record) -> None:
    state.remove_message(record.key)


def _subscription_created(state: EngineState, record: Record) -> None:
    state.put_subscription(Subscription(record.key, record.value))


def _subscription_correlated(state: EngineState, record: Record) -> None:
    value = record.value
    message = state.messages.get(int(value["messageKey"]))
    if message is not None:
        message.correlated_processes.add(str(value["bpmnProcessId"]))


def _subscription_deleted(state: EngineState, record: Record) -> None:
    state.remove_subscription(record.key)


def _start_subscription_created(state: EngineState, record: Record) -> None:
    state.start_subscriptions[record.key] = MessageStartSubscription(record.key, record.value)


def _start_subscription_deleted(state: EngineState, record: Record) -> None:
    state.start_subscriptions.pop(record.key, None)


def _start_subscription_correlated(state: EngineState, record: Record) -> None:
    value = record.value
    message = state.messages.get(int(value["messageKey"]))
    if message is not None:
        message.correlated_processes.add(str(value["bpmnProcessId"]))
    correlation_key = str(value["correlationKey"])
    if correlation_key:
        started = (str(value["bpmnProcessId"]), correlation_key)
        state.message_started_by_instance[int(value["processInstanceKey"])] = started
        state.message_started[started] = int(value["processInstanceKey"])


APPLIERS: dict[tuple[ValueType, str], Applier] = {
    (ValueType.MESSAGE, "PUBLISHED"): _published,
    (ValueType.MESSAGE, "EXPIRED"): _expired,
    (ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CREATED"): _subscription_created,
    (ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CORRELATED"): _subscription_correlated,
    (ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "DELETED"): _subscription_deleted,
    (ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, "CREATED"): _start_subscription_created,
    (ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, "CORRELATED"): _start_subscription_correlated,
    (ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, "DELETED"): _start_subscription_deleted,
}

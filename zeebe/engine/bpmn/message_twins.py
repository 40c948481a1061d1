"""MESSAGE_SUBSCRIPTION records beside PROCESS_MESSAGE_SUBSCRIPTION ones, as Zeebe writes them.

In Zeebe the message side (partition of the correlation key) keeps a MESSAGE_SUBSCRIPTION and
the process side a PROCESS_MESSAGE_SUBSCRIPTION; both write CREATED, CORRELATED and DELETED
events, and the side that starts a hand-over writes the -ING event first: the process side
CREATING and DELETING, the message side CORRELATING. This engine has one partition and one
subscription state (the process side), so these events are written for exporters only: they
carry the same key as their process subscription and have no applier.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine.context import Context
from zeebe.records import ValueType

_FIELDS = (
    "processInstanceKey",
    "elementInstanceKey",
    "bpmnProcessId",
    "messageName",
    "correlationKey",
    "messageKey",
    "variables",
    "interrupting",
    "tenantId",
)


def message_subscription_event(
    ctx: Context, key: int, intent: str, process_value: dict[str, Any]
) -> None:
    """Write MESSAGE_SUBSCRIPTION <intent> for a process message subscription value."""
    value = {name: process_value[name] for name in _FIELDS if name in process_value}
    ctx.event(key, ValueType.MESSAGE_SUBSCRIPTION, intent, value)


def subscription_opened(ctx: Context, key: int, process_value: dict[str, Any]) -> None:
    """PROCESS_MESSAGE_SUBSCRIPTION CREATING, then MESSAGE_SUBSCRIPTION CREATED (the caller
    writes PROCESS_MESSAGE_SUBSCRIPTION CREATED, which opens it)."""
    ctx.event(key, ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CREATING", process_value)
    message_subscription_event(ctx, key, "CREATED", process_value)


def subscription_closing(ctx: Context, key: int, process_value: dict[str, Any]) -> None:
    """PROCESS_MESSAGE_SUBSCRIPTION DELETING, then MESSAGE_SUBSCRIPTION DELETED (the caller
    writes PROCESS_MESSAGE_SUBSCRIPTION DELETED, which closes it)."""
    ctx.event(key, ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "DELETING", process_value)
    message_subscription_event(ctx, key, "DELETED", process_value)

"""Commands the fake engine answers without touching instances: messages, signals, decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zeebe.engine.api import Command, CommandResult
from zeebe.engine.processors.evaluate_decision import unknown_decision_reason
from zeebe.records import DEFAULT_TENANT, RejectionType, ValueType

if TYPE_CHECKING:  # the engine imports the registry; types only, no import cycle at runtime
    from zeebe.testing.fake_engine import FakeEngine, Writer


def publish_message(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Publish a message (message ids are unique)."""
    message_id = str(cmd.value.get("messageId") or "")
    if message_id and message_id in engine.state.message_ids:
        return w.reject(
            cmd,
            RejectionType.ALREADY_EXISTS,
            f"Expected to publish a new message with id '{message_id}', but a "
            "message with that id was already published",
        )
    key = engine.next_key()
    w.event(ValueType.MESSAGE, "PUBLISHED", key, dict(cmd.value))
    return w.done({"key": key, "tenantId": DEFAULT_TENANT})


def broadcast_signal(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Broadcast a signal."""
    key = engine.next_key()
    w.event(ValueType.SIGNAL, "BROADCASTED", key, dict(cmd.value))
    return w.done({"key": key, "tenantId": DEFAULT_TENANT})


def evaluate_decision(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Reject the evaluation the way Zeebe 8.7 rejects an unknown decision."""
    # This stand-in has no DMN: every decision is unknown, answered as Zeebe 8.7 answers that.
    reason = unknown_decision_reason(dict(cmd.value))
    return w.reject(cmd, RejectionType.INVALID_ARGUMENT, reason)

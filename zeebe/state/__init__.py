"""Engine state: plain dicts and indexes, changed only by the engine's event appliers."""

from __future__ import annotations

from zeebe.state.entities import (
    AwaitingResult,
    ElementInstance,
    EventTrigger,
    Incident,
    Job,
    JobState,
    Message,
    MessageStartSubscription,
    ProcessDefinition,
    Subscription,
    Timer,
    UserTask,
)
from zeebe.state.state import EngineState

__all__ = [
    "AwaitingResult",
    "ElementInstance",
    "EngineState",
    "EventTrigger",
    "Incident",
    "Job",
    "JobState",
    "Message",
    "MessageStartSubscription",
    "ProcessDefinition",
    "Subscription",
    "Timer",
    "UserTask",
]

"""State entities. Mutable on purpose: only event appliers change them, and copying on every
event would dominate the engine's cost. Everything else treats them as read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from zeebe.model.elements import Process


@dataclass(slots=True)
class ProcessDefinition:
    """A deployed process version with its parsed model."""

    key: int
    bpmn_process_id: str
    version: int
    resource_name: str
    checksum: str
    resource: bytes
    process: Process
    tenant_id: str
    deployment_key: int = -1
    # Per-element PROCESS_INSTANCE value templates (a cache, not state: rebuilt on demand).
    value_templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Elements reachable from an element (inclusive gateway joins); a cache, not state.
    reachable: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(slots=True)
class ElementInstance:
    """A live element instance. `value` is its PROCESS_INSTANCE record value (shared, read-only)."""

    key: int
    element_id: str
    state: str
    value: dict[str, Any]
    flow_scope_key: int
    process_instance_key: int
    process_definition_key: int
    active_children: int = 0
    taken_flows: dict[str, int] = field(default_factory=dict)
    interrupted: bool = False
    pending_event: int = -1
    job_key: int = -1
    loop_counter: int = 0
    completed_children: int = 0
    terminated_children: int = 0  # of a multi-instance body (numberOfTerminatedInstances)
    execution_listener_index: int = 0  # listener jobs created in this phase (execution_listeners)
    completion_condition_fulfilled: bool = False  # ad-hoc subprocess (zeebe.engine.bpmn.ad_hoc)


class JobState(StrEnum):
    """Zeebe's job states (spec 2.1); NOT_FOUND is the absence of a job."""

    ACTIVATABLE = "ACTIVATABLE"
    ACTIVATED = "ACTIVATED"
    FAILED = "FAILED"
    ERROR_THROWN = "ERROR_THROWN"


@dataclass(slots=True)
class Job:
    """A job: its state, its JOB record value and when it times out or recurs."""

    key: int
    state: JobState
    value: dict[str, Any]
    deadline: int = -1
    recur_at: int = -1


@dataclass(frozen=True, slots=True)
class EventTrigger:
    """What a triggered event carries into the element it completes or activates."""

    element_id: str
    variables: dict[str, Any]
    key: int = -1
    scope_key: int = -1


@dataclass(frozen=True, slots=True)
class Incident:
    """An open incident and its INCIDENT record value."""

    key: int
    value: dict[str, Any]


@dataclass(slots=True)
class Message:
    """A buffered message, with the process ids it was correlated to (spec 5.5)."""

    key: int
    value: dict[str, Any]
    deadline: int
    correlated_processes: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Subscription:
    """A process message subscription opened by a waiting element instance."""

    key: int
    value: dict[str, Any]


@dataclass(frozen=True, slots=True)
class MessageStartSubscription:
    """A message start event subscription of the latest process version."""

    key: int
    value: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Timer:
    """A scheduled timer and its TIMER record value."""

    key: int
    value: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AwaitingResult:
    """A CreateProcessInstanceWithResult waiting for its instance to complete."""

    process_instance_key: int
    fetch_variables: tuple[str, ...]
    request_id: int


@dataclass(slots=True)
class UserTask:
    """A Camunda user task: its lifecycle state (the last USER_TASK intent that is a state,
    e.g. CREATED, ASSIGNING, COMPLETING) and its USER_TASK record value.

    While a transition waits for its task listeners, `intermediate` holds the value the
    transition will finish with (the command's data plus listener corrections) and
    `listener_index` counts the listeners of that transition that completed (Zeebe's
    intermediate state and element instance task listener index)."""

    key: int
    state: str
    value: dict[str, Any]
    intermediate: dict[str, Any] | None = None
    listener_index: int = 0

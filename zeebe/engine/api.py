"""The contract between the pure engine and its edges (runtime, gateway, harness).

The engine is a deterministic state machine: `process(command)` validates a command against the
current state and returns the records it wrote (the command itself, then events, or a rejection)
plus the response for the caller. State changes only happen in event appliers, so `replay(records)`
of a log rebuilds the same state. The engine never reads a wall clock or does I/O: time comes from
the `Clock` it is given, and the runtime decides when to call `tick()`.

Command value dicts use Zeebe's camelCase names. The commands an edge sends (value type, intent):

- DEPLOYMENT CREATE (key: -1):
  resources: [{resourceName: str, resource: bytes}], tenantId
- PROCESS_INSTANCE_CREATION CREATE (key: -1):
  bpmnProcessId, version (-1 latest), processDefinitionKey (-1 none), variables: dict,
  startInstructions: [{elementId}], tenantId
- PROCESS_INSTANCE_CREATION CREATE_WITH_AWAITING_RESULT (key: -1):
  as CREATE + fetchVariables: [str]
- PROCESS_INSTANCE CANCEL (key: processInstanceKey):
  {}
- USER_TASK COMPLETE (key: userTaskKey): variables: dict, action (default "complete")
- USER_TASK ASSIGN (key: userTaskKey): assignee ("" unassigns), action
- USER_TASK CLAIM (key: userTaskKey): assignee (INVALID_STATE when someone else has the task)
- USER_TASK UPDATE (key: userTaskKey): changeset {dueDate, followUpDate, candidateUsersList,
  candidateGroupsList, priority}, changedAttributes, action
- PROCESS_INSTANCE COMPLETE_ELEMENT (key: element instance key of a Camunda user task):
  variables: dict  (older stand-in, now routed through USER_TASK COMPLETE)
- JOB_BATCH ACTIVATE (key: -1):
  type, worker, timeout (ms), maxJobsToActivate, variables: [fetch names], tenantIds
- JOB COMPLETE (key: jobKey):
  variables: dict
- JOB FAIL (key: jobKey):
  retries, errorMessage, retryBackoff (ms), variables: dict
- JOB THROW_ERROR (key: jobKey):
  errorCode, errorMessage, variables: dict
- JOB UPDATE_RETRIES (key: jobKey):
  retries
- JOB UPDATE_TIMEOUT (key: jobKey):
  timeout (ms from now)
- INCIDENT RESOLVE (key: incidentKey):
  {}
- VARIABLE_DOCUMENT UPDATE (key: -1):
  scopeKey, variables: dict, updateSemantics: "LOCAL" or "PROPAGATE"
- MESSAGE PUBLISH (key: -1):
  name, correlationKey, timeToLive (ms), messageId, variables: dict, tenantId
- SIGNAL BROADCAST (key: -1):
  signalName, variables: dict, tenantId
- PROCESS_INSTANCE_MODIFICATION MODIFY (key: processInstanceKey):
  activateInstructions, terminateInstructions (part 2)
- PROCESS_INSTANCE_MIGRATION MIGRATE (key: processInstanceKey):
  processInstanceKey, targetProcessDefinitionKey,
  mappingInstructions: [{sourceElementId, targetElementId}]
- RESOURCE_DELETION DELETE (key: -1):
  resourceKey (part 2)
- CLOCK PIN (key: -1): time (epoch ms, not negative); CLOCK RESET (key: -1): {}
- DECISION_EVALUATION EVALUATE (key: -1): decisionId, decisionKey, variables: dict, tenantId;
  answers the EvaluateDecisionResponse fields (`decisionOutput` and evaluated input/output values
  as JSON values, `decisionInstanceKey` = the DECISION_EVALUATION record's key), or an
  INVALID_ARGUMENT rejection when no decision matches (Zeebe 8.7)
- AD_HOC_SUB_PROCESS_INSTRUCTION ACTIVATE (key: -1): adHocSubProcessInstanceKey (str),
  activateElements: [{elementId, variables: dict}]; answers the ACTIVATED value (8.8)

Responses (`CommandResult.response`) are plain dicts with the gRPC response fields in camelCase,
e.g. CREATE -> {processDefinitionKey, bpmnProcessId, version, processInstanceKey, tenantId};
JOB_BATCH ACTIVATE -> {jobs: [ActivatedJob dicts with variables/customHeaders as dicts]};
PUBLISH -> {key, tenantId}. A rejection sets `rejection` and leaves `response` None.

CREATE_WITH_AWAITING_RESULT responds like CREATE at once; when the instance completes the engine
writes a PROCESS_INSTANCE_RESULT / COMPLETED event whose value is {processInstanceKey,
bpmnProcessId, version, processDefinitionKey, variables (fetched root variables), tenantId}; the
gateway waits for that record. Awaiting requests live in engine state, so they survive replay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from zeebe.records import Record, RejectionType, ValueType

Clock = Callable[[], int]
"""Returns the current time in epoch milliseconds."""


@dataclass(frozen=True, slots=True)
class Command:
    """A request to the engine. `request_id` lets an edge match the result to its caller."""

    value_type: ValueType
    intent: str
    value: dict[str, Any]
    key: int = -1
    request_id: int = -1


@dataclass(frozen=True, slots=True)
class Rejection:
    type: RejectionType
    reason: str
    intent: str

    def message(self) -> str:
        """The text Zeebe's gateway puts in the gRPC status of a rejected command."""
        return f"Command '{self.intent}' rejected with code '{self.type.value}': {self.reason}"


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What processing one command (or one `tick`) produced.

    `records` are in log order and already carry positions and keys. `activatable_job_types` names
    job types that gained activatable jobs (the gateway wakes long polls / pushes to streams).
    `answer_after` is the key of a user task whose transition answers the command later: task
    listeners run first, and the caller hears the outcome when the transition finishes
    (COMPLETED / ASSIGNED / UPDATED) or is denied (see zeebe/runtime/deferred.py).
    """

    records: Sequence[Record]
    response: dict[str, Any] | None = None
    rejection: Rejection | None = None
    activatable_job_types: frozenset[str] = field(default_factory=frozenset)
    answer_after: int | None = None


class EngineApi(Protocol):
    """What every edge may rely on. Implemented by `zeebe.engine.engine.Engine`."""

    def process(self, command: Command) -> CommandResult:
        """Process one command; all records it produced are returned, none are persisted here."""
        ...

    def now(self) -> int:
        """The engine's current time in epoch ms: its clock's, unless the clock is pinned."""
        ...

    def tick(self) -> Sequence[CommandResult]:
        """Fire everything due at `now()`: timers, job timeouts, retry back-offs, message TTLs."""
        ...

    def next_due_time(self) -> int | None:
        """Epoch ms of the earliest pending timer/deadline/back-off/TTL, or None."""
        ...

    def replay(self, records: Iterable[Record]) -> None:
        """Rebuild state from a log: apply EVENTs in order, restore key and position counters."""
        ...

    def activatable_job_types(self) -> frozenset[str]:
        """Job types with activatable jobs (used when a stream or long poll opens)."""
        ...

"""The executable process model: what the BPMN parser produces and the engine reads.

Frozen dataclasses, no behaviour. One flat `Element` type carries the optional facets an element
kind may have (task definition, event definition, loop characteristics, ...); `element_type` and
`event_type` say what it is, with the same names Zeebe writes into records (`bpmnElementType`,
`bpmnEventType`). Ids are BPMN ids; containment is by id (`flow_scope`), so the model is plain data
that pickles and compares cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zeebe.model.task_listeners import TaskListener


class ElementType(StrEnum):
    """Zeebe's `BpmnElementType` names, as written into PROCESS_INSTANCE records."""

    PROCESS = "PROCESS"
    SUB_PROCESS = "SUB_PROCESS"
    EVENT_SUB_PROCESS = "EVENT_SUB_PROCESS"
    AD_HOC_SUB_PROCESS = "AD_HOC_SUB_PROCESS"
    START_EVENT = "START_EVENT"
    INTERMEDIATE_CATCH_EVENT = "INTERMEDIATE_CATCH_EVENT"
    INTERMEDIATE_THROW_EVENT = "INTERMEDIATE_THROW_EVENT"
    BOUNDARY_EVENT = "BOUNDARY_EVENT"
    END_EVENT = "END_EVENT"
    SERVICE_TASK = "SERVICE_TASK"
    SEND_TASK = "SEND_TASK"
    SCRIPT_TASK = "SCRIPT_TASK"
    BUSINESS_RULE_TASK = "BUSINESS_RULE_TASK"
    USER_TASK = "USER_TASK"
    RECEIVE_TASK = "RECEIVE_TASK"
    MANUAL_TASK = "MANUAL_TASK"
    TASK = "TASK"
    EXCLUSIVE_GATEWAY = "EXCLUSIVE_GATEWAY"
    PARALLEL_GATEWAY = "PARALLEL_GATEWAY"
    EVENT_BASED_GATEWAY = "EVENT_BASED_GATEWAY"
    INCLUSIVE_GATEWAY = "INCLUSIVE_GATEWAY"
    CALL_ACTIVITY = "CALL_ACTIVITY"
    MULTI_INSTANCE_BODY = "MULTI_INSTANCE_BODY"
    SEQUENCE_FLOW = "SEQUENCE_FLOW"


class EventType(StrEnum):
    """Zeebe's `BpmnEventType` names."""

    UNSPECIFIED = "UNSPECIFIED"
    NONE = "NONE"
    MESSAGE = "MESSAGE"
    TIMER = "TIMER"
    ERROR = "ERROR"
    SIGNAL = "SIGNAL"
    ESCALATION = "ESCALATION"
    COMPENSATION = "COMPENSATION"
    TERMINATE = "TERMINATE"
    LINK = "LINK"


class TimerKind(StrEnum):
    DATE = "date"
    DURATION = "duration"
    CYCLE = "cycle"


@dataclass(frozen=True, slots=True)
class Expression:
    """An attribute value that is either static or FEEL (`=` prefix, stripped into `source`).

    Static: `is_feel=False`, `source` is the literal text. FEEL: `is_feel=True`, `source` is the
    expression text after the leading `=` (whitespace kept as written, minus the `=`).
    """

    source: str
    is_feel: bool

    @staticmethod
    def of(raw: str) -> Expression:
        """Classify raw attribute text the way Zeebe does: a leading `=` means FEEL."""
        stripped = raw.lstrip()
        if stripped.startswith("="):
            return Expression(source=stripped[1:], is_feel=True)
        return Expression(source=raw, is_feel=False)


@dataclass(frozen=True, slots=True)
class VariableMapping:
    """One `zeebe:input` / `zeebe:output`: `source` expression, `target` (dotted) variable path."""

    source: Expression
    target: str


@dataclass(frozen=True, slots=True)
class ExecutionListener:
    """`zeebe:executionListener` (8.6+): a job of `type` that runs before the element activates
    (`event_type` "start") or before it completes ("end"), in document order."""

    event_type: str
    type: Expression
    retries: Expression = Expression("3", False)


@dataclass(frozen=True, slots=True)
class TaskDefinition:
    """`zeebe:taskDefinition`: job type (string) and retries (number); each static or FEEL."""

    type: Expression
    retries: Expression = Expression("3", False)


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A `bpmn:message`: name (static or FEEL) and the `zeebe:subscription` correlation key."""

    id: str
    name: Expression | None
    correlation_key: Expression | None = None


@dataclass(frozen=True, slots=True)
class EventDefinition:
    """The single event definition of an event. Only the fields of its `kind` are set.

    - MESSAGE: `message`
    - TIMER: `timer_kind` + `timer`
    - ERROR: `error_code` (None on a catch event = catch-all; an Expression on throw events)
    - SIGNAL: `signal_name`
    - ESCALATION: `escalation_code` (None on a catch event = catch-all)
    - COMPENSATION: `activity_ref` (None = whole scope), `wait_for_completion`
    - LINK: `link_name`
    - TERMINATE / NONE: nothing
    """

    kind: EventType
    message: MessageRef | None = None
    timer_kind: TimerKind | None = None
    timer: Expression | None = None
    error_code: Expression | None = None
    signal_name: Expression | None = None
    escalation_code: Expression | None = None
    activity_ref: str | None = None
    wait_for_completion: bool = True
    link_name: str | None = None


@dataclass(frozen=True, slots=True)
class LoopCharacteristics:
    """`bpmn:multiInstanceLoopCharacteristics` + `zeebe:loopCharacteristics`."""

    is_sequential: bool
    input_collection: Expression
    input_element: str | None = None
    output_collection: str | None = None
    output_element: Expression | None = None
    completion_condition: Expression | None = None


@dataclass(frozen=True, slots=True)
class CalledElement:
    """`zeebe:calledElement` on a call activity."""

    process_id: Expression
    propagate_all_child_variables: bool = True
    propagate_all_parent_variables: bool = True
    binding_type: str = "latest"
    version_tag: str | None = None


@dataclass(frozen=True, slots=True)
class UserTaskProperties:
    """`zeebe:assignmentDefinition`, `zeebe:taskSchedule`, `zeebe:formDefinition` and
    `zeebe:priorityDefinition` of a user task (each attribute static or FEEL, None if absent)."""

    assignee: Expression | None = None
    candidate_groups: Expression | None = None
    candidate_users: Expression | None = None
    due_date: Expression | None = None
    follow_up_date: Expression | None = None
    form_key: str | None = None
    form_id: str | None = None
    external_reference: Expression | None = None
    priority: Expression | None = None


@dataclass(frozen=True, slots=True)
class AdHoc:
    """An ad-hoc subprocess: `zeebe:adHoc` (the FEEL list of inner element ids to activate, the
    8.8 output collection), the BPMN completion condition and cancelRemainingInstances (read and
    checked in `zeebe.model.ad_hoc`)."""

    active_elements_collection: Expression | None = None
    completion_condition: Expression | None = None
    cancel_remaining_instances: bool = True
    output_collection: str | None = None
    output_element: Expression | None = None
    documentation: tuple[tuple[str, str], ...] = ()  # (inner element id, bpmn:documentation)


@dataclass(frozen=True, slots=True)
class CalledDecision:
    """`zeebe:calledDecision` on a business rule task (engine-evaluated DMN, no job)."""

    decision_id: Expression
    result_variable: str
    binding_type: str = "latest"
    version_tag: str | None = None


@dataclass(frozen=True, slots=True)
class Script:
    """`zeebe:script` on a script task (engine-evaluated FEEL, no job)."""

    expression: Expression
    result_variable: str


@dataclass(frozen=True, slots=True)
class Element:
    """A flow node (or the process itself, or a sequence flow's owner scope) of a process.

    `flow_scope` is the id of the containing process / subprocess / event subprocess (None for the
    process element). For containers, `children` lists the ids of directly contained flow nodes,
    `start_events` the ids of their (non-event-subprocess) start events, and `event_sub_processes`
    the ids of directly contained event subprocesses. `boundary_events` lists boundary events
    attached to this activity. A boundary event has `attached_to` and `cancel_activity`
    (interrupting). An event subprocess start event has `interrupting`. A compensation boundary
    event names its handler in `compensation_handler`; the handler has `is_for_compensation`.
    """

    id: str
    element_type: ElementType
    name: str | None = None
    event_type: EventType = EventType.UNSPECIFIED
    flow_scope: str | None = None
    incoming: tuple[str, ...] = ()
    outgoing: tuple[str, ...] = ()
    default_flow: str | None = None
    event_definition: EventDefinition | None = None
    task_definition: TaskDefinition | None = None
    task_headers: tuple[tuple[str, str], ...] = ()
    inputs: tuple[VariableMapping, ...] = ()
    outputs: tuple[VariableMapping, ...] = ()
    boundary_events: tuple[str, ...] = ()
    attached_to: str | None = None
    cancel_activity: bool = True
    interrupting: bool = True
    children: tuple[str, ...] = ()
    start_events: tuple[str, ...] = ()
    event_sub_processes: tuple[str, ...] = ()
    loop: LoopCharacteristics | None = None
    called_element: CalledElement | None = None
    script: Script | None = None
    is_for_compensation: bool = False
    compensation_handler: str | None = None
    is_user_task: bool = False
    properties: tuple[tuple[str, str], ...] = ()
    called_decision: CalledDecision | None = None
    ad_hoc: AdHoc | None = None
    user_task_properties: UserTaskProperties | None = None
    execution_listeners: tuple[ExecutionListener, ...] = ()
    task_listeners: tuple[TaskListener, ...] = ()


@dataclass(frozen=True, slots=True)
class SequenceFlow:
    id: str
    source: str
    target: str
    condition: Expression | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Process:
    """One executable `bpmn:process`, indexed for the engine.

    `elements` includes the process element itself under the process id, with element_type PROCESS;
    `none_start_event` is the id of the top-level none start event (None if there is none).
    `message_start_events`, `timer_start_events`, `signal_start_events` list top-level start
    events of those kinds (not event-subprocess starts).
    """

    id: str
    name: str | None
    elements: dict[str, Element]
    flows: dict[str, SequenceFlow]
    none_start_event: str | None = None
    message_start_events: tuple[str, ...] = ()
    timer_start_events: tuple[str, ...] = ()
    signal_start_events: tuple[str, ...] = ()
    version_tag: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def element(self, element_id: str) -> Element:
        return self.elements[element_id]


@dataclass(frozen=True, slots=True)
class ParsedResource:
    """A parsed BPMN resource: its executable processes in document order."""

    processes: tuple[Process, ...]

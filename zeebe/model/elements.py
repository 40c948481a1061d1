"""The executable process model: what the BPMN parser produces and the engine reads.

Frozen dataclasses, no behaviour. One flat `Element` type carries the optional facets an element
kind may have (task definition, event definition, loop characteristics, ...); `element_type` and
`event_type` say what it is, with the same names Zeebe writes into records (`bpmnElementType`,
`bpmnEventType`). Ids are BPMN ids; containment is by id (`flow_scope`), so the model is plain data
that pickles and compares cheaply.

The kinds live in `element_types`, the facet dataclasses in `element_facets`; every name of the
model is importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from zeebe.model.element_facets import (
    AdHoc,
    CalledDecision,
    CalledElement,
    EventDefinition,
    ExecutionListener,
    Expression,
    LoopCharacteristics,
    MessageRef,
    Script,
    TaskDefinition,
    UserTaskProperties,
    VariableMapping,
)
from zeebe.model.element_types import ElementType, EventType, TimerKind

if TYPE_CHECKING:
    from zeebe.model.task_listeners import TaskListener

__all__ = [
    "AdHoc",
    "CalledDecision",
    "CalledElement",
    "Element",
    "ElementType",
    "EventDefinition",
    "EventType",
    "ExecutionListener",
    "Expression",
    "LoopCharacteristics",
    "MessageRef",
    "ParsedResource",
    "Process",
    "Script",
    "SequenceFlow",
    "TaskDefinition",
    "TimerKind",
    "UserTaskProperties",
    "VariableMapping",
]


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

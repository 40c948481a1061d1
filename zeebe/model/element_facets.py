"""The optional facets of a process element: expressions, mappings and extension settings.

Frozen dataclasses, no behaviour, one per BPMN / `zeebe:` extension an element kind may carry;
`zeebe.model.elements.Element` holds them and re-exports every name.
"""

from __future__ import annotations

from dataclasses import dataclass

from zeebe.model.element_types import EventType, TimerKind


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
    # a `zeebe:subscription` whose correlationKey is missing or empty: Zeebe's
    # ZeebeElementValidator on ZeebeSubscription rejects it wherever the message is used
    empty_subscription: bool = False


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
    # `zeebe:formDefinition bindingType` / `versionTag` of a linked form (`formId`, 8.6+)
    form_binding_type: str = "latest"
    form_version_tag: str | None = None


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

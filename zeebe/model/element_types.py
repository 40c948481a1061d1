"""What a process element is: Zeebe's element and event type names, and timer kinds.

`ElementType` and `EventType` carry the names Zeebe writes into records (`bpmnElementType`,
`bpmnEventType`); re-exported by `zeebe.model.elements`.
"""

from __future__ import annotations

from enum import StrEnum


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

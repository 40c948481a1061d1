"""Shared vocabulary of the validation rules: rule signatures and small model queries."""

from __future__ import annotations

from collections.abc import Callable

from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.model.errors import ValidationEntry

ElementRule = Callable[[Element, Process], list[ValidationEntry]]
"""Checks one element of a process; returns one entry per broken rule."""

ProcessRule = Callable[[Process], list[ValidationEntry]]
"""Checks a whole process (rules spanning several elements)."""

RuleTable = dict[ElementType, list[ElementRule]]

ACTIVITY_TYPES = frozenset(
    {
        ElementType.SERVICE_TASK,
        ElementType.SEND_TASK,
        ElementType.SCRIPT_TASK,
        ElementType.BUSINESS_RULE_TASK,
        ElementType.USER_TASK,
        ElementType.RECEIVE_TASK,
        ElementType.MANUAL_TASK,
        ElementType.TASK,
        ElementType.SUB_PROCESS,
        ElementType.AD_HOC_SUB_PROCESS,
        ElementType.CALL_ACTIVITY,
    }
)


def entry(element: Element, message: str) -> list[ValidationEntry]:
    """A single-entry result for `element`."""
    return [ValidationEntry(element.id, message)]


def is_in_event_sub_process(element: Element, process: Process) -> bool:
    """Whether the element's direct flow scope is an event subprocess."""
    scope = process.elements.get(element.flow_scope or "")
    return scope is not None and scope.element_type == ElementType.EVENT_SUB_PROCESS


def is_event_sub_process_start(element: Element, process: Process) -> bool:
    """Whether the element is the start event of an event subprocess."""
    return element.element_type == ElementType.START_EVENT and is_in_event_sub_process(
        element, process
    )


def is_top_level_start(element: Element, process: Process) -> bool:
    """Whether the element is a start event directly inside the process."""
    return element.element_type == ElementType.START_EVENT and element.flow_scope == process.id


def event_kind_name(kind: EventType) -> str:
    """Lower-case event kind as used in messages ("message", "timer", ...)."""
    return kind.value.lower()

"""Uniqueness of catch events per scope (spec 2.6, 5.5; Zeebe `ModelUtil`).

Four groups of catch events are checked, each reported on the element that owns the group: the
boundary events of an activity, the start events of a container's event subprocesses, the
start events of a process, and the catch events after an event-based gateway. Within a group,
message and signal names are unique, error and escalation codes are unique, and there is at
most one catch-all error / escalation event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from zeebe.model.elements import Element, ElementType, EventType, Expression, Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import ProcessRule


def _groups(process: Process) -> Iterator[tuple[str, list[Element]]]:
    for element in process.elements.values():
        if element.boundary_events:
            yield element.id, [process.elements[b] for b in element.boundary_events]
        event_starts = [
            process.elements[start]
            for sub in element.event_sub_processes
            for start in process.elements[sub].start_events
        ]
        if event_starts:
            yield element.id, event_starts
        if element.element_type == ElementType.PROCESS:
            yield element.id, [process.elements[s] for s in element.start_events]
        if element.element_type == ElementType.EVENT_BASED_GATEWAY:
            targets = (process.flows[f].target for f in element.outgoing)
            yield element.id, [process.elements[t] for t in targets if t in process.elements]


def _source(expression: Expression | None) -> str | None:
    return expression.source if expression is not None else None


def _name(event: Element) -> str | None:
    definition = event.event_definition
    if definition is None:
        return None
    if definition.kind == EventType.MESSAGE:
        return _source(definition.message.name) if definition.message else None
    return _source(definition.signal_name)


def _code(event: Element) -> str | None:
    definition = event.event_definition
    if definition is None:
        return None
    if definition.kind == EventType.ERROR:
        return _source(definition.error_code)
    return _source(definition.escalation_code)


def _duplicate_names(owner: str, events: list[Element], kind: EventType) -> list[ValidationEntry]:
    names = Counter(_name(e) for e in events if e.event_type == kind)
    label = kind.value.lower()
    return [
        ValidationEntry(
            owner,
            f"Multiple {label} event definitions with the same name '{name}' are not allowed.",
        )
        for name, count in names.items()
        if name and count > 1
    ]


def _duplicate_codes(owner: str, events: list[Element], kind: EventType) -> list[ValidationEntry]:
    label = kind.value.lower()
    codes = Counter(_code(e) for e in events if e.event_type == kind)
    found: list[ValidationEntry] = []
    for code, count in codes.items():
        if count < 2:
            continue
        found.append(
            ValidationEntry(
                owner,
                f"Multiple {label} catch events with the same {label} code '{code}' are not "
                "supported on the same scope."
                if code is not None
                else f"The same scope can not contain more than one {label} catch event without "
                f"{label} code. An {label} catch event without {label} code catches all "
                f"{label}s.",
            )
        )
    return found


def unique_catch_events(process: Process) -> list[ValidationEntry]:
    """Spec 2.6 / 5.5: unique names and codes, one catch-all per group of catch events."""
    found: list[ValidationEntry] = []
    for owner, events in _groups(process):
        for kind in (EventType.MESSAGE, EventType.SIGNAL):
            found += _duplicate_names(owner, events, kind)
        for kind in (EventType.ERROR, EventType.ESCALATION):
            found += _duplicate_codes(owner, events, kind)
    return found


def receive_task_message(process: Process) -> list[ValidationEntry]:
    """A receive task and its message boundary events wait for different messages."""
    found: list[ValidationEntry] = []
    for task in process.elements.values():
        if task.element_type != ElementType.RECEIVE_TASK or not task.boundary_events:
            continue
        boundaries = [process.elements[b] for b in task.boundary_events]
        names = {_name(b) for b in boundaries if b.event_type == EventType.MESSAGE}
        if _name(task) is not None and _name(task) in names:
            found.append(
                ValidationEntry(
                    task.id, "Cannot reference the same message name as a boundary event"
                )
            )
    return found


def static_catch_codes(process: Process) -> list[ValidationEntry]:
    """Spec 7.1: error and escalation codes of catch events must be static values."""
    found: list[ValidationEntry] = []
    for element in process.elements.values():
        definition = element.event_definition
        catches = element.element_type in (ElementType.BOUNDARY_EVENT, ElementType.START_EVENT)
        if not catches or definition is None:
            continue
        for code in (definition.error_code, definition.escalation_code):
            if code is not None and code.is_feel:
                found.append(
                    ValidationEntry(element.id, "The code of a catch event must be a static value")
                )
    return found


PROCESS_RULES: list[ProcessRule] = [unique_catch_events, receive_task_message, static_catch_codes]

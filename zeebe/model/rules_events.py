"""Rules on events (spec 2.6, 4.1, 4.2, 5.5, 9).

Allowed event kinds per position, boundary events, message references, timer values, error
catch uniqueness and thrown codes. Link events are in `rules_links`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from zeebe.model.elements import Element, ElementType, EventType, Process, TimerKind
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import (
    ACTIVITY_TYPES,
    ElementRule,
    ProcessRule,
    RuleTable,
    entry,
    is_event_sub_process_start,
    is_top_level_start,
)
from zeebe.model.timers import TimerFormatError, parse_timer

BOUNDARY_KINDS = frozenset(
    {
        EventType.TIMER,
        EventType.MESSAGE,
        EventType.ERROR,
        EventType.SIGNAL,
        EventType.ESCALATION,
        EventType.COMPENSATION,
    }
)
CATCH_KINDS = frozenset({EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL, EventType.LINK})
THROW_KINDS = frozenset(
    {
        EventType.NONE,
        EventType.MESSAGE,
        EventType.SIGNAL,
        EventType.ESCALATION,
        EventType.COMPENSATION,
        EventType.LINK,
    }
)
END_KINDS = (THROW_KINDS - {EventType.LINK}) | {EventType.ERROR, EventType.TERMINATE}
MESSAGE_CATCHERS = frozenset(
    {
        ElementType.START_EVENT,
        ElementType.INTERMEDIATE_CATCH_EVENT,
        ElementType.BOUNDARY_EVENT,
        ElementType.RECEIVE_TASK,
    }
)


def _kind_in(allowed: frozenset[EventType], message: str) -> ElementRule:
    def check(element: Element, process: Process) -> list[ValidationEntry]:
        if element.event_type == EventType.NONE and EventType.NONE not in allowed:
            return entry(element, "Must have exactly one event definition")
        return [] if element.event_type in allowed else entry(element, message)

    return check


def boundary_event(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 4.2: attached to an activity, no incoming, >= 1 outgoing (compensation: none)."""
    found: list[ValidationEntry] = []
    host = process.elements.get(element.attached_to or "")
    if host is None or host.element_type not in ACTIVITY_TYPES:
        found += entry(element, "Must be attached to an activity")
    if element.incoming:
        found += entry(element, "Must not have incoming sequence flows")
    kind = element.event_type
    if kind != EventType.COMPENSATION and not element.outgoing:
        found += entry(element, "Must have at least one outgoing sequence flow")
    if kind == EventType.ERROR and not element.cancel_activity:
        found += entry(element, "Error boundary events must be interrupting")
    if kind == EventType.TIMER and element.cancel_activity:
        definition = element.event_definition
        if definition is not None and definition.timer_kind == TimerKind.CYCLE:
            found += entry(element, "Interrupting timer event with time cycle is not allowed")
    return found


def _message_name(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 5.5: catch events need a named message and (except start events) a correlation key."""
    definition = element.event_definition
    if element.event_type != EventType.MESSAGE and element.element_type != ElementType.RECEIVE_TASK:
        return []
    if definition is None or definition.message is None:
        return entry(element, "Must reference a message")
    message = definition.message
    if message.name is None:
        return [ValidationEntry(message.id, "Name must be present and not empty")]
    needs_key = element.element_type != ElementType.START_EVENT or is_event_sub_process_start(
        element, process
    )
    if needs_key and message.correlation_key is None:
        return [
            ValidationEntry(
                message.id, "Must have exactly one 'zeebe:subscription' extension element"
            )
        ]
    return []


def message_catch(element: Element, process: Process) -> list[ValidationEntry]:
    """Message catch events and receive tasks reference a usable message."""
    if element.element_type not in MESSAGE_CATCHERS:
        return []
    return _message_name(element, process)


_TIMER_KINDS_BY_POSITION = {
    ElementType.INTERMEDIATE_CATCH_EVENT: (
        {TimerKind.DURATION, TimerKind.DATE},
        "Intermediate timer catch events must have a time duration or a time date",
    ),
}


def _misplaced_timer(element: Element, process: Process, kind: TimerKind) -> list[ValidationEntry]:
    if is_top_level_start(element, process) and kind == TimerKind.DURATION:
        return entry(element, "Timer start events must have a time date or a time cycle")
    allowed = _TIMER_KINDS_BY_POSITION.get(element.element_type)
    if allowed is not None and kind not in allowed[0]:
        return entry(element, allowed[1])
    return []


def timer_value(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 9.1/9.2: allowed timer kinds per position; static values must parse."""
    definition = element.event_definition
    if definition is None or definition.kind != EventType.TIMER or definition.timer_kind is None:
        return []
    kind = definition.timer_kind
    misplaced = _misplaced_timer(element, process, kind)
    if misplaced:
        return misplaced
    timer = definition.timer
    if timer is None:
        return entry(element, f"Timer {kind.value} must be present and not empty")
    if timer.is_feel:
        return []
    try:
        parse_timer(kind, timer.source)
    except TimerFormatError as exc:
        return entry(element, str(exc))
    return []


def thrown_codes(element: Element, process: Process) -> list[ValidationEntry]:
    """Error end events need an errorCode; escalation and signal throws need code / name."""
    definition = element.event_definition
    if definition is None:
        return []
    if definition.kind == EventType.ERROR and definition.error_code is None:
        return entry(element, "Must reference an error with an errorCode")
    if definition.kind == EventType.ESCALATION and definition.escalation_code is None:
        return entry(element, "Must reference an escalation with an escalationCode")
    return []


def signal_name(element: Element, process: Process) -> list[ValidationEntry]:
    """Signal catch and throw events reference a signal with a name (spec 6)."""
    definition = element.event_definition
    is_signal = definition is not None and definition.kind == EventType.SIGNAL
    if is_signal and definition is not None and definition.signal_name is None:
        return entry(element, "Must reference a signal with a name")
    return []


def _catch_code(element: Element) -> str | None:
    definition = element.event_definition
    code = definition.error_code if definition is not None else None
    return code.source if code is not None else None


def _error_catchers(process: Process) -> Iterable[tuple[str, list[Element]]]:
    """Error catch events grouped by scope: per activity, and per container's event subprocesses."""
    for element in process.elements.values():
        catchers = [process.elements[b] for b in element.boundary_events]
        for sub_id in element.event_sub_processes:
            catchers.extend(process.elements[s] for s in process.elements[sub_id].start_events)
        errors = [c for c in catchers if c.event_type == EventType.ERROR]
        if errors:
            yield element.id, errors


def unique_error_catches(process: Process) -> list[ValidationEntry]:
    """Spec 2.6: no two catch events of a scope share an errorCode; at most one catch-all."""
    found: list[ValidationEntry] = []
    for scope_id, catchers in _error_catchers(process):
        codes = Counter(_catch_code(c) for c in catchers)
        for code, count in codes.items():
            if count < 2:
                continue
            message = (
                "Multiple error catch events without errorCode are not allowed."
                if code is None
                else "Multiple error catch events with the same errorCode "
                f"'{code}' are not allowed."
            )
            found.append(ValidationEntry(scope_id, message))
        for catcher in catchers:
            definition = catcher.event_definition
            expression = definition.error_code if definition is not None else None
            if expression is not None and expression.is_feel:
                found.append(
                    ValidationEntry(catcher.id, "The errorCode of a catch event must be static")
                )
    return found


def _message_names(events: Iterable[Element]) -> list[str]:
    names: list[str] = []
    for event in events:
        definition = event.event_definition
        message = definition.message if definition is not None else None
        if event.event_type == EventType.MESSAGE and message and message.name:
            names.append(message.name.source)
    return names


def _duplicates(scope_id: str, names: list[str]) -> list[ValidationEntry]:
    return [
        ValidationEntry(
            scope_id,
            f"Multiple message event definitions with the same name '{name}' are not allowed.",
        )
        for name, count in Counter(names).items()
        if count > 1
    ]


def unique_message_names(process: Process) -> list[ValidationEntry]:
    """Spec 5.5: unique message names per activity's boundary events and for start events."""
    found: list[ValidationEntry] = []
    for element in process.elements.values():
        boundaries = (process.elements[b] for b in element.boundary_events)
        found += _duplicates(element.id, _message_names(boundaries))
        starts = [process.elements[s] for s in element.start_events]
        for sub_id in element.event_sub_processes:
            starts.extend(process.elements[s] for s in process.elements[sub_id].start_events)
        found += _duplicates(element.id, _message_names(starts))
    return found


RULES: RuleTable = {
    ElementType.BOUNDARY_EVENT: [
        _kind_in(
            BOUNDARY_KINDS,
            "Boundary events must be one of: timer, message, error, signal, escalation or "
            "compensation",
        ),
        boundary_event,
    ],
    ElementType.INTERMEDIATE_CATCH_EVENT: [
        _kind_in(
            CATCH_KINDS, "Intermediate catch events must be one of: message, timer, signal or link"
        ),
    ],
    ElementType.INTERMEDIATE_THROW_EVENT: [
        _kind_in(
            THROW_KINDS,
            "Intermediate throw events must be one of: none, message, signal, escalation, "
            "compensation or link",
        ),
        thrown_codes,
    ],
    ElementType.END_EVENT: [
        _kind_in(
            END_KINDS,
            "End events must be one of: none, message, error, signal, escalation, "
            "compensation or terminate",
        ),
        thrown_codes,
    ],
}
EVERY_ELEMENT: list[ElementRule] = [message_catch, timer_value, signal_name]
PROCESS_RULES: list[ProcessRule] = [unique_error_catches, unique_message_names]

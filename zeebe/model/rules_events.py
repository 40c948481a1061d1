"""Rules on events (spec 2.6, 4.1, 4.2, 5.5, 9).

Allowed event kinds per position, boundary events, interrupting/non-interrupting kinds, message
references, timer values and thrown codes. Per-scope uniqueness is in `rules_scopes`, link
events in `rules_links`.
"""

from __future__ import annotations

from zeebe.model.elements import Element, ElementType, EventType, Process, TimerKind
from zeebe.model.errors import ValidationEntry, extension_path
from zeebe.model.rules_base import (
    ACTIVITY_TYPES,
    ElementRule,
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


# Zeebe's ModelUtil checks `SubProcess.class.isInstance(host)`: an ad-hoc subprocess is a
# SubProcess in the model API, so it may host an escalation boundary event too
_ESCALATION_HOSTS = frozenset(
    {ElementType.SUB_PROCESS, ElementType.AD_HOC_SUB_PROCESS, ElementType.CALL_ACTIVITY}
)


def boundary_event(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 4.2: attached to an activity, no incoming, >= 1 outgoing (compensation: none)."""
    found: list[ValidationEntry] = []
    host = process.elements.get(element.attached_to or "")
    if host is None or host.element_type not in ACTIVITY_TYPES:
        found += entry(element, "Must be attached to an activity")
    if element.incoming:
        found += entry(element, "Cannot have incoming sequence flows")
    kind = element.event_type
    if kind != EventType.COMPENSATION and not element.outgoing:
        found += entry(element, "Must have at least one outgoing sequence flow or association")
    if (
        kind == EventType.ESCALATION
        and host is not None
        and host.element_type not in _ESCALATION_HOSTS
    ):
        found += entry(
            element,
            "An escalation boundary event should only be attached to a subprocess, or a call "
            "activity.",
        )
    return found + interruption(element, element.cancel_activity)


NON_INTERRUPTING_KINDS = frozenset(
    {EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL, EventType.ESCALATION}
)


def interruption(element: Element, interrupting: bool) -> list[ValidationEntry]:
    """Zeebe ModelUtil: only message/timer/signal/escalation events may be non-interrupting;
    an interrupting timer must not be a cycle. Reported on `element`."""
    definition = element.event_definition
    if definition is None:
        return []
    if not interrupting and definition.kind not in NON_INTERRUPTING_KINDS:
        return entry(element, "Non-Interrupting event of this type is not allowed")
    if interrupting and definition.timer_kind == TimerKind.CYCLE:
        return entry(element, "Interrupting timer event with time cycle is not allowed.")
    return []


_EMPTY_KEY = "Attribute 'correlationKey' must be present and not empty"


def _message_name(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 5.5: catch events need a named message and (except start events) a correlation key."""
    definition = element.event_definition
    if element.event_type != EventType.MESSAGE and element.element_type != ElementType.RECEIVE_TASK:
        return []
    if definition is None or definition.message is None:
        return entry(element, "Must reference a message")
    message = definition.message
    found: list[ValidationEntry] = []
    if message.name is None:
        found.append(ValidationEntry(message.id, "Name must be present and not empty"))
    if message.empty_subscription:
        # reported on the subscription itself (ZeebeDesignTimeValidators: ZeebeSubscription)
        found.append(ValidationEntry(message.id, _EMPTY_KEY, extension_path("subscription")))
    needs_key = element.element_type != ElementType.START_EVENT or is_event_sub_process_start(
        element, process
    )
    if needs_key and message.correlation_key is None and not message.empty_subscription:
        found.append(
            ValidationEntry(
                message.id, "Must have exactly one 'zeebe:subscription' extension element"
            )
        )
    return found


def message_catch(element: Element, process: Process) -> list[ValidationEntry]:
    """Message catch events and receive tasks reference a usable message."""
    if element.element_type not in MESSAGE_CATCHERS:
        return []
    return _message_name(element, process)


_TIMER_KINDS_BY_POSITION = {
    ElementType.INTERMEDIATE_CATCH_EVENT: (
        {TimerKind.DURATION, TimerKind.DATE},
        # Zeebe's IntermediateCatchEventValidator text (8.7/8.8)
        "Intermediate timer catch event must have either a time duration or a time date.",
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
        return entry(element, f"Invalid timer {kind.value} expression ({exc})")
    return []


def end_without_outgoing(element: Element, process: Process) -> list[ValidationEntry]:
    """Zeebe's EndEventValidator: an end event ends its path, so it has no outgoing flow."""
    if element.outgoing:
        return entry(element, "End events must not have outgoing sequence flows to other elements.")
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


RULES: RuleTable = {
    ElementType.BOUNDARY_EVENT: [
        _kind_in(
            BOUNDARY_KINDS,
            "Boundary events must be one of: timer, message, error, signal, escalation",
        ),
        boundary_event,
    ],
    ElementType.INTERMEDIATE_CATCH_EVENT: [
        # Zeebe's IntermediateCatchEventValidator text before 8.9 added conditional events
        _kind_in(CATCH_KINDS, "Event definition must be one of: message, timer, signal, or link"),
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
        end_without_outgoing,
        _kind_in(
            END_KINDS,
            # Zeebe's EndEventValidator text and order
            "End events must be one of: none, error, message, terminate, signal, escalation "
            "or compensation",
        ),
        thrown_codes,
    ],
}
EVERY_ELEMENT: list[ElementRule] = [message_catch, timer_value, signal_name]

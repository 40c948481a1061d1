"""Root-level BPMN definitions (messages, errors, signals, escalations) and event definitions.

Event definitions reference root elements by id; `read_root_refs` indexes those once per file and
`read_event_definitions` resolves the references of one event through a registry keyed by tag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element as XmlElement

from zeebe.model.elements import EventDefinition, EventType, Expression, MessageRef, TimerKind
from zeebe.model.errors import ValidationEntry
from zeebe.model.xmlns import bool_attr, bpmn, bpmn_children, extension, local_name, text_of


@dataclass(frozen=True, slots=True)
class RootRefs:
    """Root elements of one `bpmn:definitions`, by id. Codes/names are raw attribute text."""

    messages: dict[str, MessageRef]
    errors: dict[str, str | None]
    signals: dict[str, str | None]
    escalations: dict[str, str | None]


def _read_message(node: XmlElement) -> MessageRef:
    name = node.get("name")
    subscription = extension(node, "subscription")
    key = subscription.get("correlationKey") if subscription is not None else None
    return MessageRef(
        id=node.get("id", ""),
        name=Expression.of(name) if name and name.strip() else None,
        correlation_key=Expression.of(key) if key and key.strip() else None,
        empty_subscription=subscription is not None and not key,
    )


def read_root_refs(definitions: XmlElement) -> RootRefs:
    """Index messages, errors, signals and escalations declared under `bpmn:definitions`."""
    refs = RootRefs(messages={}, errors={}, signals={}, escalations={})
    attribute_of = {"error": "errorCode", "signal": "name", "escalation": "escalationCode"}
    tables = {"error": refs.errors, "signal": refs.signals, "escalation": refs.escalations}
    for tag, node in bpmn_children(definitions):
        node_id = node.get("id")
        if node_id is None:
            continue
        if tag == "message":
            refs.messages[node_id] = _read_message(node)
        elif tag in tables:
            value = node.get(attribute_of[tag])
            tables[tag][node_id] = value if value and value.strip() else None
    return refs


@dataclass(frozen=True, slots=True)
class _Source:
    """What a definition reader needs: the XML node, its owner id, refs, and the issue sink."""

    node: XmlElement
    element_id: str
    refs: RootRefs
    issues: list[ValidationEntry]

    def issue(self, message: str) -> None:
        """Record a broken rule of this element."""
        self.issues.append(ValidationEntry(self.element_id, message))


def _expression(raw: str | None) -> Expression | None:
    return Expression.of(raw) if raw is not None else None


def _message(src: _Source) -> EventDefinition:
    ref = src.node.get("messageRef")
    message = src.refs.messages.get(ref) if ref else None
    if ref and message is None:
        src.issue(f"Referenced message '{ref}' does not exist")
    return EventDefinition(kind=EventType.MESSAGE, message=message)


_TIMER_TAGS = {"timeDate": TimerKind.DATE, "timeDuration": TimerKind.DURATION}
_TIMER_TAGS["timeCycle"] = TimerKind.CYCLE


def _timer(src: _Source) -> EventDefinition:
    found = [(tag, child) for tag, child in bpmn_children(src.node) if tag in _TIMER_TAGS]
    if len(found) != 1:
        src.issue("Must be exactly one type of timer: timeDuration, timeDate or timeCycle")
        return EventDefinition(kind=EventType.TIMER)
    tag, child = found[0]
    text = text_of(child)
    return EventDefinition(
        kind=EventType.TIMER, timer_kind=_TIMER_TAGS[tag], timer=_expression(text)
    )


def _coded(
    src: _Source, ref_attr: str, table: dict[str, str | None], what: str
) -> tuple[bool, str | None]:
    """Resolve an error/escalation reference: (reference given, code or None)."""
    ref = src.node.get(ref_attr)
    if not ref:
        return False, None
    if ref not in table:
        src.issue(f"Referenced {what} '{ref}' does not exist")
        return True, None
    return True, table[ref]


def _error(src: _Source) -> EventDefinition:
    _, code = _coded(src, "errorRef", src.refs.errors, "error")
    return EventDefinition(kind=EventType.ERROR, error_code=_expression(code))


def _escalation(src: _Source) -> EventDefinition:
    _, code = _coded(src, "escalationRef", src.refs.escalations, "escalation")
    return EventDefinition(kind=EventType.ESCALATION, escalation_code=_expression(code))


def _signal(src: _Source) -> EventDefinition:
    _, name = _coded(src, "signalRef", src.refs.signals, "signal")
    return EventDefinition(kind=EventType.SIGNAL, signal_name=_expression(name))


def _compensation(src: _Source) -> EventDefinition:
    return EventDefinition(
        kind=EventType.COMPENSATION,
        activity_ref=src.node.get("activityRef") or None,
        wait_for_completion=bool_attr(src.node, "waitForCompletion", True),
    )


def _link(src: _Source) -> EventDefinition:
    name = src.node.get("name")
    return EventDefinition(kind=EventType.LINK, link_name=name.strip() if name else None)


def _terminate(src: _Source) -> EventDefinition:
    return EventDefinition(kind=EventType.TERMINATE)


_READERS: dict[str, Callable[[_Source], EventDefinition]] = {
    "messageEventDefinition": _message,
    "timerEventDefinition": _timer,
    "errorEventDefinition": _error,
    "escalationEventDefinition": _escalation,
    "signalEventDefinition": _signal,
    "compensateEventDefinition": _compensation,
    "linkEventDefinition": _link,
    "terminateEventDefinition": _terminate,
}

_UNSUPPORTED = {"conditionalEventDefinition", "cancelEventDefinition"}
UNSUPPORTED_EVENT_DEFINITION = "Event definition of this type is not supported"


def read_event_definitions(
    node: XmlElement, element_id: str, refs: RootRefs, issues: list[ValidationEntry]
) -> tuple[EventDefinition, ...]:
    """All event definitions of an event in document order (unsupported kinds are reported)."""
    result: list[EventDefinition] = []
    for child in node:
        tag = local_name(child.tag) if isinstance(child.tag, str) else ""
        if child.tag == bpmn(tag) and tag in _READERS:
            result.append(_READERS[tag](_Source(child, element_id, refs, issues)))
        elif child.tag == bpmn(tag) and tag in _UNSUPPORTED:
            # Zeebe's EventDefinitionValidator reports on the definition itself: its id, else
            # the event's id and the tag (ValidationErrorFormatter's "parent > type" chain)
            where = child.get("id") or f"{element_id} > {tag}"
            issues.append(ValidationEntry(where, UNSUPPORTED_EVENT_DEFINITION))
            # it still counts as the event's definition (an UNSPECIFIED kind no position
            # allows), so the event's own rules name the allowed kinds, as Zeebe's do
            result.append(EventDefinition(kind=EventType.UNSPECIFIED))
    return tuple(result)

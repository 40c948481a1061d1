"""Compensation rules (spec 3.3): handlers, compensation boundary events, throw events."""

from __future__ import annotations

from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import ACTIVITY_TYPES, ElementRule, entry, is_in_event_sub_process


def compensation_handler(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 3.3: a handler has no incoming/outgoing sequence flows and no boundary events."""
    if not element.is_for_compensation:
        return []
    # no task-kind check: spec 3.1 (compensation-handler docs) lists receive and business rule
    # tasks as handlers too, where Zeebe's CompensationTaskValidator rejects them; the spec wins
    found: list[ValidationEntry] = []
    if element.incoming:
        found += entry(element, "A compensation handler should have no incoming sequence flows")
    if element.outgoing:
        found += entry(element, "A compensation handler should have no outgoing sequence flows")
    if element.boundary_events:
        found += entry(element, "A compensation handler should have no boundary events")
    return found


def compensation_boundary(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 3.3: no outgoing flow, but an association to an `isForCompensation` handler."""
    if element.element_type != ElementType.BOUNDARY_EVENT:
        return []
    if element.event_type != EventType.COMPENSATION:
        return []
    handler = process.elements.get(element.compensation_handler or "")
    if element.outgoing or handler is None:
        return entry(
            element,
            "Compensation boundary events must have a compensation association and no outgoing "
            "sequence flows",
        )
    if not handler.is_for_compensation:
        return entry(
            element,
            f"The compensation handler '{handler.id}' must be marked with isForCompensation",
        )
    return []


def _ref_scopes(thrower: Element, process: Process) -> set[str | None]:
    """The scopes an activityRef may point into: the throw's own, and from an event subprocess
    the enclosing one too."""
    scopes = {thrower.flow_scope}
    if is_in_event_sub_process(thrower, process):
        scopes.add(process.elements[thrower.flow_scope or ""].flow_scope)
    return scopes


def _activity_ref(thrower: Element, ref: str, process: Process) -> list[ValidationEntry]:
    target = process.elements.get(ref)
    if target is None or target.element_type not in ACTIVITY_TYPES:
        return entry(thrower, f"The referenced compensation activity '{ref}' doesn't exist")
    found: list[ValidationEntry] = []
    has_boundary = any(
        process.elements[b].event_type == EventType.COMPENSATION for b in target.boundary_events
    )
    if not has_boundary and target.element_type != ElementType.SUB_PROCESS:
        found += entry(
            thrower,
            f"The referenced compensation activity '{ref}' must have either a compensation "
            "boundary event or be a subprocess",
        )
    if target.flow_scope not in _ref_scopes(thrower, process):
        found += entry(
            thrower,
            f"The referenced compensation activity '{ref}' must be in the same scope as the "
            "compensation throw event",
        )
    return found


_WAIT_MESSAGES = {
    ElementType.INTERMEDIATE_THROW_EVENT: "A compensation intermediate throwing event "
    "waitForCompletion attribute must be true or not present",
    ElementType.END_EVENT: "A compensation end event waitForCompletion attribute must be true "
    "or not present",
}


def compensation_throw(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 3.3: `waitForCompletion` true or absent; `activityRef` valid and in scope."""
    definition = element.event_definition
    if element.element_type not in _WAIT_MESSAGES:
        return []
    if definition is None or definition.kind != EventType.COMPENSATION:
        return []
    found: list[ValidationEntry] = []
    if not definition.wait_for_completion:
        found += entry(element, _WAIT_MESSAGES[element.element_type])
    if definition.activity_ref is not None:
        found += _activity_ref(element, definition.activity_ref, process)
    return found


EVERY_ELEMENT: list[ElementRule] = [
    compensation_handler,
    compensation_boundary,
    compensation_throw,
]

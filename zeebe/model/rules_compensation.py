"""Compensation rules (spec 3.3): handlers, compensation boundary events, throw events."""

from __future__ import annotations

from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import ACTIVITY_TYPES, ElementRule, entry, is_in_event_sub_process


def compensation_handler(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 3.3: a handler has no incoming/outgoing sequence flows and no boundary events."""
    if not element.is_for_compensation:
        return []
    found: list[ValidationEntry] = []
    if element.incoming or element.outgoing:
        found += entry(
            element, "A compensation handler must not have incoming or outgoing sequence flows"
        )
    if element.boundary_events:
        found += entry(element, "A compensation handler must not have boundary events")
    return found


def compensation_boundary(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 3.3: no outgoing flow, but an association to an `isForCompensation` handler."""
    if element.element_type != ElementType.BOUNDARY_EVENT:
        return []
    if element.event_type != EventType.COMPENSATION:
        return []
    found: list[ValidationEntry] = []
    if element.outgoing:
        found += entry(
            element, "A compensation boundary event must not have outgoing sequence flows"
        )
    handler = process.elements.get(element.compensation_handler or "")
    if handler is None:
        found += entry(
            element,
            "A compensation boundary event must be associated with a compensation handler",
        )
    elif not handler.is_for_compensation:
        found += entry(
            element,
            f"The compensation handler '{handler.id}' must be marked with isForCompensation",
        )
    return found


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
        return entry(thrower, f"The activityRef '{ref}' must reference an existing activity")
    if target.flow_scope not in _ref_scopes(thrower, process):
        return entry(
            thrower,
            f"The activityRef '{ref}' must reference an activity in the same scope as the "
            "compensation throw event",
        )
    has_boundary = any(
        process.elements[b].event_type == EventType.COMPENSATION for b in target.boundary_events
    )
    if not has_boundary and target.element_type != ElementType.SUB_PROCESS:
        return entry(
            thrower,
            f"The activityRef '{ref}' must reference an activity with a compensation boundary "
            "event or an embedded subprocess",
        )
    return []


def compensation_throw(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 3.3: `waitForCompletion` true or absent; `activityRef` valid and in scope."""
    definition = element.event_definition
    if element.element_type not in (
        ElementType.INTERMEDIATE_THROW_EVENT,
        ElementType.END_EVENT,
    ):
        return []
    if definition is None or definition.kind != EventType.COMPENSATION:
        return []
    found: list[ValidationEntry] = []
    if not definition.wait_for_completion:
        found += entry(element, "The waitForCompletion attribute must be true or not present")
    if definition.activity_ref is not None:
        found += _activity_ref(element, definition.activity_ref, process)
    return found


EVERY_ELEMENT: list[ElementRule] = [
    compensation_handler,
    compensation_boundary,
    compensation_throw,
]

"""Where execution listeners may run (Zeebe's element validators, via
`ModelUtil.validateExecutionListenersDefinitionForElement`): start events and boundary events
have no `start` listeners, gateways, error end events and escalation throw events no `end`
listeners, and compensation boundary events none at all."""

from __future__ import annotations

from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import RuleTable, entry

GATEWAYS = (
    ElementType.EXCLUSIVE_GATEWAY,
    ElementType.PARALLEL_GATEWAY,
    ElementType.INCLUSIVE_GATEWAY,
    ElementType.EVENT_BASED_GATEWAY,
)


def _has(element: Element, event_type: str) -> bool:
    return any(listener.event_type == event_type for listener in element.execution_listeners)


def start_event(element: Element, process: Process) -> list[ValidationEntry]:
    """StartEventValidator: a start event has nothing to run before it activates."""
    if _has(element, "start"):
        return entry(
            element, "Execution listeners of type 'start' are not supported by start events"
        )
    return []


def boundary_event(element: Element, process: Process) -> list[ValidationEntry]:
    """BoundaryEventValidator: compensation boundary events take no listeners; others no
    `start` listeners."""
    if element.event_type == EventType.COMPENSATION and element.execution_listeners:
        return entry(
            element,
            "Execution listeners of type 'start' and 'end' are not supported by [compensation] "
            "boundary events",
        )
    if _has(element, "start"):
        return entry(
            element, "Execution listeners of type 'start' are not supported by boundary events"
        )
    return []


def gateway(element: Element, process: Process) -> list[ValidationEntry]:
    """GatewayValidator: a gateway completes as soon as it decides, so no `end` listeners."""
    if _has(element, "end"):
        return entry(
            element, "Execution listeners of type 'end' are not supported by gateway element"
        )
    return []


def end_event(element: Element, process: Process) -> list[ValidationEntry]:
    """EndEventValidator: an error end event never completes, so no `end` listeners."""
    if element.event_type == EventType.ERROR and _has(element, "end"):
        return entry(
            element, "Execution listeners of type 'end' are not supported by [error] end events"
        )
    return []


def throw_event(element: Element, process: Process) -> list[ValidationEntry]:
    """IntermediateThrowEventValidator: no `end` listeners on escalation throw events."""
    if element.event_type == EventType.ESCALATION and _has(element, "end"):
        return entry(
            element,
            "Execution listeners of type 'end' are not supported by [escalation] intermediate "
            "throw events",
        )
    return []


RULES: RuleTable = {
    ElementType.START_EVENT: [start_event],
    ElementType.BOUNDARY_EVENT: [boundary_event],
    ElementType.END_EVENT: [end_event],
    ElementType.INTERMEDIATE_THROW_EVENT: [throw_event],
    **{gateway_type: [gateway] for gateway_type in GATEWAYS},
}

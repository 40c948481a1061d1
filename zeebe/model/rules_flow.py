"""Rules on sequence flows, gateways, subprocesses and start events (spec 2.4, 4.2)."""

from __future__ import annotations

from zeebe.model.ad_hoc import ad_hoc_attributes
from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import ProcessRule, RuleTable, entry
from zeebe.model.rules_events import interruption

CONDITIONAL_SOURCES = frozenset({ElementType.EXCLUSIVE_GATEWAY, ElementType.INCLUSIVE_GATEWAY})
EVENT_GATEWAY_TARGETS = frozenset({EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL})
EVENT_SUB_PROCESS_STARTS = frozenset(
    {EventType.MESSAGE, EventType.TIMER, EventType.ERROR, EventType.SIGNAL, EventType.ESCALATION}
)
PROCESS_STARTS = frozenset({EventType.NONE, EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL})


def flow_references(process: Process) -> list[ValidationEntry]:
    """Both ends of a sequence flow are flow nodes of one and the same scope."""
    found: list[ValidationEntry] = []
    for flow in process.flows.values():
        ends = [process.elements.get(flow.source), process.elements.get(flow.target)]
        for end, ref, element in zip(
            ("source", "target"), (flow.source, flow.target), ends, strict=True
        ):
            if ref and element is None:
                found.append(ValidationEntry(flow.id, f"Referenced {end} '{ref}' does not exist"))
        source, target = ends
        if source and target and source.flow_scope != target.flow_scope:
            found.append(
                ValidationEntry(flow.id, "Source and target must be in the same flow scope")
            )
    return found


def conditions_only_at_gateways(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 2.4: conditions only on flows leaving exclusive or inclusive gateways."""
    if element.element_type in CONDITIONAL_SOURCES:
        return []
    if any(process.flows[f].condition is not None for f in element.outgoing):
        return entry(
            element,
            "Conditional sequence flows are only supported at exclusive or inclusive gateway",
        )
    return []


_MISSING_CONDITION = {
    ElementType.EXCLUSIVE_GATEWAY: "Must have a condition or be default flow",
    ElementType.INCLUSIVE_GATEWAY: "Must have a condition",
}


def conditions_or_default(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 4.2: non-default flows of a splitting gateway need a condition; the default flow
    starts at the gateway and has no condition."""
    found: list[ValidationEntry] = []
    default = process.flows.get(element.default_flow or "")
    if default is not None and default.condition is not None:
        found += entry(element, "Default flow must not have a condition")
    if element.default_flow is not None and element.default_flow not in element.outgoing:
        found += entry(element, "Default flow must start at gateway")
    if len(element.outgoing) < 2:
        return found
    for flow_id in element.outgoing:
        if flow_id != element.default_flow and process.flows[flow_id].condition is None:
            found.append(ValidationEntry(flow_id, _MISSING_CONDITION[element.element_type]))
    return found


def event_based_gateway(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 4.2: >= 2 outgoing flows, each to a message, timer or signal catch event."""
    found: list[ValidationEntry] = []
    if len(element.outgoing) < 2:
        found += entry(element, "Event-based gateway must have at least 2 outgoing sequence flows.")
    for flow_id in element.outgoing:
        target = process.elements.get(process.flows[flow_id].target)
        if target is None:
            continue
        if (
            target.element_type != ElementType.INTERMEDIATE_CATCH_EVENT
            or target.event_type not in EVENT_GATEWAY_TARGETS
        ):
            found += entry(
                element,
                "Event-based gateway must not have an outgoing sequence flow to other elements "
                "than message/timer/signal intermediate catch events.",
            )
            break
    return found


def embedded_sub_process(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 4.2: an embedded subprocess has exactly one start event, which is a none start."""
    if len(element.start_events) != 1:
        return entry(element, "Must have exactly one start event")
    start = process.elements[element.start_events[0]]
    if start.event_type != EventType.NONE:
        return entry(element, "Start events in subprocesses must be of type none")
    return []


def ad_hoc_sub_process(element: Element, process: Process) -> list[ValidationEntry]:
    """Zeebe's AdHocSubProcessValidator: at least one inner element, no start or end event
    (the inner elements are activated by `activeElementsCollection`, not by a start)."""
    if not element.children:
        return entry(element, "Must have at least one activity.")
    kinds = {process.elements[child].element_type for child in element.children}
    found: list[ValidationEntry] = []
    if ElementType.START_EVENT in kinds:
        found += entry(element, "Must not contain a start event.")
    if ElementType.END_EVENT in kinds:
        found += entry(element, "Must not contain an end event.")
    return found


def event_sub_process(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 3.3/4.2: one message/timer/error/signal/escalation start event; no flows."""
    found: list[ValidationEntry] = []
    if element.incoming or element.outgoing:
        found += entry(element, "Event subprocesses must not have incoming or outgoing flows")
    if len(element.start_events) != 1:
        return [*found, *entry(element, "Must have exactly one start event")]
    start = process.elements[element.start_events[0]]
    if start.event_type not in EVENT_SUB_PROCESS_STARTS:
        found += entry(
            element,
            "Start events in event subprocesses must be one of: message, timer, error, "
            "signal or escalation",
        )
    # Zeebe reports the start event's interruption problems on the event subprocess.
    return found + [
        ValidationEntry(element.id, e.message) for e in interruption(start, start.interrupting)
    ]


def process_start_events(process: Process) -> list[ValidationEntry]:
    """A process needs a start event; at most one none start; kinds none/message/timer/signal."""
    root = process.elements[process.id]
    found: list[ValidationEntry] = []
    if not root.start_events:
        found.append(ValidationEntry(process.id, "Must have at least one start event"))
    nones = [s for s in root.start_events if process.elements[s].event_type == EventType.NONE]
    if len(nones) > 1:
        found.append(ValidationEntry(process.id, "Multiple none start events are not allowed"))
    for start_id in root.start_events:
        start = process.elements[start_id]
        if start.event_type not in PROCESS_STARTS:
            found.append(
                ValidationEntry(
                    start_id, "Start event must be one of: none, message, timer, signal"
                )
            )
    return found


RULES: RuleTable = {
    ElementType.EXCLUSIVE_GATEWAY: [conditions_or_default],
    ElementType.INCLUSIVE_GATEWAY: [conditions_or_default],
    ElementType.EVENT_BASED_GATEWAY: [event_based_gateway],
    ElementType.SUB_PROCESS: [embedded_sub_process],
    ElementType.AD_HOC_SUB_PROCESS: [ad_hoc_sub_process, ad_hoc_attributes],
    ElementType.EVENT_SUB_PROCESS: [event_sub_process],
}
EVERY_ELEMENT = [conditions_only_at_gateways]
PROCESS_RULES: list[ProcessRule] = [flow_references, process_start_events]

"""Second parsing pass: derive the structural indexes of a process from its flat parts.

The XML walk yields elements, sequence flows and associations; here they are linked: incoming and
outgoing flows, container children, boundary events per activity, compensation handlers, and the
process-level start event indexes the engine looks up on instance creation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from zeebe.model.elements import Element, ElementType, EventType, Process, SequenceFlow


@dataclass(frozen=True, slots=True)
class RawProcess:
    """The flat output of the XML walk for one process (all mutable during the walk)."""

    process: Element
    version_tag: str | None
    elements: dict[str, Element]
    flows: dict[str, SequenceFlow]
    children: dict[str, list[str]]
    declared_outgoing: dict[str, list[str]]
    associations: list[tuple[str, str]]
    errors: dict[str, str]


def _flow_links(raw: RawProcess) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for flow in raw.flows.values():
        outgoing.setdefault(flow.source, []).append(flow.id)
        incoming.setdefault(flow.target, []).append(flow.id)
    for node_id, flows in outgoing.items():
        # Zeebe evaluates gateway conditions in the order of the node's <bpmn:outgoing> children.
        declared = [f for f in raw.declared_outgoing.get(node_id, []) if f in flows]
        outgoing[node_id] = declared + [f for f in flows if f not in declared]
    return incoming, outgoing


def _container_fields(element: Element, raw: RawProcess) -> Element:
    children = raw.children.get(element.id)
    if children is None:
        return element
    kinds = {child: raw.elements[child].element_type for child in children}
    return replace(
        element,
        children=tuple(children),
        start_events=tuple(c for c in children if kinds[c] == ElementType.START_EVENT),
        event_sub_processes=tuple(c for c in children if kinds[c] == ElementType.EVENT_SUB_PROCESS),
    )


def _boundaries(raw: RawProcess) -> dict[str, list[str]]:
    by_activity: dict[str, list[str]] = {}
    for element in raw.elements.values():
        if element.element_type == ElementType.BOUNDARY_EVENT and element.attached_to:
            by_activity.setdefault(element.attached_to, []).append(element.id)
    return by_activity


def _handlers(raw: RawProcess) -> dict[str, str]:
    """Compensation boundary event id -> handler id, from `bpmn:association`s."""
    handlers: dict[str, str] = {}
    for source, target in raw.associations:
        boundary = raw.elements.get(source)
        if boundary is not None and boundary.event_type == EventType.COMPENSATION:
            handlers.setdefault(source, target)
    return handlers


_Links = tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]], dict[str, str]]
"""(incoming, outgoing, boundary events, compensation handlers) by element id."""


def _linked(element: Element, raw: RawProcess, links: _Links) -> Element:
    incoming, outgoing, boundaries, handlers = links
    linked = replace(
        element,
        incoming=tuple(incoming.get(element.id, ())),
        outgoing=tuple(outgoing.get(element.id, ())),
        boundary_events=tuple(boundaries.get(element.id, ())),
        compensation_handler=handlers.get(element.id),
    )
    return _container_fields(linked, raw)


def _start_index(
    process: Element, elements: dict[str, Element], kind: EventType
) -> tuple[str, ...]:
    return tuple(s for s in process.start_events if elements[s].event_type == kind)


def build_process(raw: RawProcess) -> Process:
    """Link the flat parts of a walked process into an indexed `Process`."""
    incoming, outgoing = _flow_links(raw)
    links: _Links = (incoming, outgoing, _boundaries(raw), _handlers(raw))
    elements = {
        element_id: _linked(element, raw, links) for element_id, element in raw.elements.items()
    }
    process = _container_fields(raw.process, raw)
    elements = {process.id: process, **elements}
    nones = _start_index(process, elements, EventType.NONE)
    return Process(
        id=process.id,
        name=process.name,
        elements=elements,
        flows=dict(raw.flows),
        none_start_event=nones[0] if nones else None,
        message_start_events=_start_index(process, elements, EventType.MESSAGE),
        timer_start_events=_start_index(process, elements, EventType.TIMER),
        signal_start_events=_start_index(process, elements, EventType.SIGNAL),
        version_tag=raw.version_tag,
        errors=dict(raw.errors),
    )

"""Structural links of a process, read from its XML before any element is built.

Sequence flows, boundary attachments and associations are scanned once per process, so that
each `Element` is constructed once with its incoming/outgoing flows, boundary events and
compensation handler (no second pass copying frozen elements). `build_process` then adds the
process-level start event indexes the engine looks up on instance creation.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element as XmlElement

from zeebe.model.elements import Element, EventType, Process, SequenceFlow
from zeebe.model.xmlns import bpmn, text_of

_SEQUENCE_FLOW = bpmn("sequenceFlow")
_BOUNDARY_EVENT = bpmn("boundaryEvent")
_ASSOCIATION = bpmn("association")
_ARTIFACTS = frozenset(
    bpmn(tag) for tag in ("textAnnotation", "dataObjectReference", "dataStoreReference", "group")
)
_OUTGOING = bpmn("outgoing")


@dataclass(frozen=True, slots=True)
class Links:
    """Flow ids by node (document order), boundary event ids by activity, association targets."""

    incoming: dict[str, list[str]]
    outgoing: dict[str, list[str]]
    boundaries: dict[str, list[str]]
    associations: dict[str, str]


def scan_links(process: XmlElement) -> Links:
    """Collect the links of every flow node of a process, subprocesses included."""
    links = Links(incoming={}, outgoing={}, boundaries={}, associations={})
    # Associations to annotations/data are documentation, never a compensation handler link.
    artifacts = {node.get("id") for node in process.iter() if node.tag in _ARTIFACTS}
    for node in process.iter():
        tag = node.tag
        if tag == _SEQUENCE_FLOW:
            flow_id, source, target = node.get("id"), node.get("sourceRef"), node.get("targetRef")
            if flow_id and source:
                links.outgoing.setdefault(source, []).append(flow_id)
            if flow_id and target:
                links.incoming.setdefault(target, []).append(flow_id)
        elif tag == _BOUNDARY_EVENT:
            host, boundary_id = node.get("attachedToRef"), node.get("id")
            if host and boundary_id:
                links.boundaries.setdefault(host, []).append(boundary_id)
        elif tag == _ASSOCIATION:
            source, target = node.get("sourceRef"), node.get("targetRef")
            if source and target and target not in artifacts:
                links.associations.setdefault(source, target)
    return links


def ordered_outgoing(node: XmlElement, element_id: str, links: Links) -> tuple[str, ...]:
    """Outgoing flows in the order of the node's `<bpmn:outgoing>` children (Zeebe evaluates
    gateway conditions in that order), then any undeclared ones in document order."""
    flows = links.outgoing.get(element_id)
    if not flows:
        return ()
    declared = [ref for ref in (text_of(o) for o in node.findall(_OUTGOING)) if ref in flows]
    return (*declared, *(f for f in flows if f not in declared))


def _start_index(
    process: Element, elements: dict[str, Element], kind: EventType
) -> tuple[str, ...]:
    return tuple(s for s in process.start_events if elements[s].event_type == kind)


def build_process(
    process_id: str,
    elements: dict[str, Element],
    flows: dict[str, SequenceFlow],
    *,
    version_tag: str | None,
    errors: dict[str, str],
) -> Process:
    """An indexed `Process` from its elements (the process element included) and flows."""
    process = elements[process_id]
    nones = _start_index(process, elements, EventType.NONE)
    return Process(
        id=process_id,
        name=process.name,
        elements=elements,
        flows=flows,
        none_start_event=nones[0] if nones else None,
        message_start_events=_start_index(process, elements, EventType.MESSAGE),
        timer_start_events=_start_index(process, elements, EventType.TIMER),
        signal_start_events=_start_index(process, elements, EventType.SIGNAL),
        version_tag=version_tag,
        errors=errors,
    )

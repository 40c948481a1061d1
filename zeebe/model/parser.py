"""`parse_bpmn`: BPMN 2.0 XML (as Camunda Modeler writes it) -> validated executable processes.

The XML is read with defusedxml (no entity expansion, no external entities). Each executable
`bpmn:process` is scanned for its links (flows, boundary attachments, associations), walked once
to build each element, indexed into a `Process`, and validated; every problem found is reported
at once, in Zeebe's deployment rejection format. Collaboration, lanes, annotations, data objects
and diagram interchange are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element as XmlElement
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from zeebe.model.definitions import RootRefs, read_root_refs
from zeebe.model.elements import (
    Element,
    ElementType,
    Expression,
    ParsedResource,
    Process,
    SequenceFlow,
)
from zeebe.model.errors import BpmnValidationError, ValidationEntry
from zeebe.model.execution_listeners import read_execution_listeners
from zeebe.model.indexing import Links, build_process, scan_links
from zeebe.model.loops import loop_failures
from zeebe.model.nodes import (
    CONTAINER_TAGS,
    NODE_KINDS,
    UNSUPPORTED_NODES,
    read_containment,
    read_flow_node,
    unsupported_node_message,
)
from zeebe.model.validation import validate_process
from zeebe.model.xmlns import bool_attr, bpmn, bpmn_children, extension, text_of

NO_EXECUTABLE_PROCESS = "Must contain at least one executable process"
ENDS = ("source", "target")


def _read_xml(data: bytes, resource_name: str) -> XmlElement:
    try:
        root: XmlElement = SafeET.fromstring(data)
    except ParseError as exc:
        # expat's message already ends with "line N, column M".
        raise BpmnValidationError(resource_name, f"Failed to parse BPMN XML: {exc}") from exc
    except DefusedXmlException as exc:
        raise BpmnValidationError(
            resource_name, f"Failed to parse BPMN XML: forbidden XML construct: {exc}"
        ) from exc
    if root.tag != bpmn("definitions"):
        raise BpmnValidationError(
            resource_name, "Failed to parse BPMN XML: root element must be 'bpmn:definitions'"
        )
    return root


def _read_flow(node: XmlElement, issues: list[ValidationEntry]) -> SequenceFlow:
    flow_id = node.get("id", "")
    condition = text_of(node.find(bpmn("conditionExpression")))
    source, target = node.get("sourceRef"), node.get("targetRef")
    if not source or not target:
        issues.append(ValidationEntry(flow_id, "Must have a sourceRef and a targetRef"))
    return SequenceFlow(
        id=flow_id,
        source=source or "",
        target=target or "",
        condition=Expression.of(condition) if condition is not None else None,
        name=node.get("name") or None,
    )


@dataclass(frozen=True, slots=True)
class _Walk:
    """What the walk of one process reads from and collects into."""

    refs: RootRefs
    issues: list[ValidationEntry]
    links: Links
    elements: dict[str, Element]
    flows: dict[str, SequenceFlow]
    unsupported: set[str] = field(default_factory=set)

    def issue(self, element_id: str, message: str) -> None:
        """Record a broken rule of `element_id`."""
        self.issues.append(ValidationEntry(element_id, message))


def _add_node(tag: str, node: XmlElement, scope: str, walk: _Walk) -> None:
    element = read_flow_node(tag, node, scope, (walk.refs, walk.issues, walk.links))
    if not element.id:
        walk.issue(scope, f"A '{tag}' element has no id")
        return
    if element.id in walk.elements or element.id in walk.flows:
        walk.issue(element.id, "Duplicate element id")
    walk.elements[element.id] = element
    if tag in CONTAINER_TAGS:
        _walk(node, element.id, walk)


def _walk(container: XmlElement, scope: str, walk: _Walk) -> None:
    """Read the flow nodes and sequence flows directly inside one container."""
    for tag, node in bpmn_children(container):
        if tag in NODE_KINDS:
            _add_node(tag, node, scope, walk)
        elif tag == "sequenceFlow":
            flow = _read_flow(node, walk.issues)
            if flow.id in walk.flows or flow.id in walk.elements:
                walk.issue(flow.id, "Duplicate element id")
            walk.flows[flow.id] = flow
        elif tag in UNSUPPORTED_NODES:
            walk.issue(node.get("id", scope), unsupported_node_message(tag))
            walk.unsupported.add(node.get("id", ""))


def _read_process(
    node: XmlElement, refs: RootRefs, issues: list[ValidationEntry], unsupported: set[str]
) -> Process:
    process_id = node.get("id", "")
    children, starts, event_subs = read_containment(node)
    process = Element(
        id=process_id,
        element_type=ElementType.PROCESS,
        name=node.get("name") or None,
        children=children,
        start_events=starts,
        event_sub_processes=event_subs,
        execution_listeners=read_execution_listeners(node, process_id, issues),
    )
    walk = _Walk(refs, issues, scan_links(node), {process_id: process}, {}, unsupported)
    _walk(node, process_id, walk)
    version_tag = extension(node, "versionTag")
    return build_process(
        process_id,
        walk.elements,
        walk.flows,
        version_tag=version_tag.get("value") if version_tag is not None else None,
        errors={k: v for k, v in refs.errors.items() if v is not None},
    )


def _known_ends(found: list[ValidationEntry], unsupported: set[str]) -> list[ValidationEntry]:
    """Drop "Referenced source/target does not exist" for rejected elements: in Zeebe's model the
    flow's end exists, only the element itself is reported (FlowElementValidator)."""
    dangling = {f"Referenced {end} '{i}' does not exist" for i in unsupported for end in ENDS}
    return [issue for issue in found if issue.message not in dangling]


def parse_bpmn(data: bytes, resource_name: str) -> ParsedResource:
    """Parse and validate one BPMN resource; raise `BpmnValidationError` if Zeebe would reject it.

    Only processes with `isExecutable="true"` are returned (in document order); a resource without
    any is rejected with "Must contain at least one executable process".
    """
    root = _read_xml(data, resource_name)
    refs = read_root_refs(root)
    issues: list[ValidationEntry] = []
    unsupported: set[str] = set()
    processes = tuple(
        _read_process(node, refs, issues, unsupported)
        for tag, node in bpmn_children(root)
        if tag == "process" and bool_attr(node, "isExecutable", False)
    )
    if not processes:
        raise BpmnValidationError(resource_name, NO_EXECUTABLE_PROCESS)
    for process in processes:
        issues.extend(_known_ends(validate_process(process), unsupported))
    if issues:
        raise BpmnValidationError.from_entries(resource_name, issues)
    loops = loop_failures(resource_name, processes)
    if loops:
        raise BpmnValidationError.preformatted(resource_name, "".join(loops))
    return ParsedResource(processes=processes)

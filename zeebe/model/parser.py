"""`parse_bpmn`: BPMN 2.0 XML (as Camunda Modeler writes it) -> validated executable processes.

The XML is read with defusedxml (no entity expansion, no external entities). Each executable
`bpmn:process` is walked once into flat parts (`RawProcess`), linked into an indexed `Process`,
and validated; every problem found is reported at once, in Zeebe's deployment rejection format.
Collaboration, lanes, annotations, data objects and diagram interchange are ignored.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element as XmlElement
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from zeebe.model.definitions import RootRefs, read_root_refs
from zeebe.model.elements import Element, ElementType, Expression, ParsedResource, SequenceFlow
from zeebe.model.errors import BpmnValidationError, ValidationEntry
from zeebe.model.indexing import RawProcess, build_process
from zeebe.model.nodes import CONTAINER_TAGS, NODE_KINDS, UNSUPPORTED_NODES, read_flow_node
from zeebe.model.validation import validate_process
from zeebe.model.xmlns import bool_attr, bpmn, bpmn_children, extension, text_of

NO_EXECUTABLE_PROCESS = "Must contain at least one executable process"


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


def _add_node(tag: str, node: XmlElement, scope: str, raw: RawProcess, ctx: _WalkContext) -> None:
    refs, issues = ctx
    element = read_flow_node(tag, node, scope, refs, issues)
    if not element.id:
        issues.append(ValidationEntry(scope, f"A '{tag}' element has no id"))
        return
    if element.id in raw.elements or element.id in raw.flows or element.id == raw.process.id:
        issues.append(ValidationEntry(element.id, "Duplicate element id"))
    raw.elements[element.id] = element
    raw.children.setdefault(scope, []).append(element.id)
    raw.declared_outgoing[element.id] = [
        ref for ref in (text_of(o) for o in node.findall(bpmn("outgoing"))) if ref
    ]
    if tag in CONTAINER_TAGS:
        raw.children.setdefault(element.id, [])
        _walk(node, element.id, raw, ctx)


_WalkContext = tuple[RootRefs, list[ValidationEntry]]


def _walk(container: XmlElement, scope: str, raw: RawProcess, ctx: _WalkContext) -> None:
    """Collect the flow nodes, flows and associations directly inside one container."""
    for tag, node in bpmn_children(container):
        if tag in NODE_KINDS:
            _add_node(tag, node, scope, raw, ctx)
        elif tag == "sequenceFlow":
            flow = _read_flow(node, ctx[1])
            if flow.id in raw.flows or flow.id in raw.elements:
                ctx[1].append(ValidationEntry(flow.id, "Duplicate element id"))
            raw.flows[flow.id] = flow
        elif tag == "association":
            source, target = node.get("sourceRef"), node.get("targetRef")
            if source and target:
                raw.associations.append((source, target))
        elif tag in UNSUPPORTED_NODES:
            ctx[1].append(ValidationEntry(node.get("id", scope), f"'{tag}' is not supported"))


def _read_process(node: XmlElement, refs: RootRefs, issues: list[ValidationEntry]) -> RawProcess:
    process_id = node.get("id", "")
    version_tag = extension(node, "versionTag")
    raw = RawProcess(
        process=Element(
            id=process_id, element_type=ElementType.PROCESS, name=node.get("name") or None
        ),
        version_tag=version_tag.get("value") if version_tag is not None else None,
        elements={},
        flows={},
        children={process_id: []},
        declared_outgoing={},
        associations=[],
        errors={k: v for k, v in refs.errors.items() if v is not None},
    )
    _walk(node, process_id, raw, (refs, issues))
    return raw


def parse_bpmn(data: bytes, resource_name: str) -> ParsedResource:
    """Parse and validate one BPMN resource; raise `BpmnValidationError` if Zeebe would reject it.

    Only processes with `isExecutable="true"` are returned (in document order); a resource without
    any is rejected with "Must contain at least one executable process".
    """
    root = _read_xml(data, resource_name)
    refs = read_root_refs(root)
    issues: list[ValidationEntry] = []
    raws = [
        _read_process(node, refs, issues)
        for tag, node in bpmn_children(root)
        if tag == "process" and bool_attr(node, "isExecutable", False)
    ]
    if not raws:
        raise BpmnValidationError(resource_name, NO_EXECUTABLE_PROCESS)
    processes = tuple(build_process(raw) for raw in raws)
    for process in processes:
        issues.extend(validate_process(process))
    if issues:
        raise BpmnValidationError.from_entries(resource_name, issues)
    return ParsedResource(processes=processes)

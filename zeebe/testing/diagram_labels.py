"""The label and flow-reference edits of `with_diagram`, made textually on start tags."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

from zeebe.testing.diagram_tags import BPMN_NS, FLOW_NODES, LANES, is_bpmn, local_name


def _needs_name(element: ET.Element) -> bool:
    """What bpmnlint's `label-required` checks (we name every flow node; harmless for the rest)."""
    if element.get("id") is None or (element.get("name") or "").strip():
        return False
    if is_bpmn(element, "sequenceFlow"):
        return any(is_bpmn(child, "conditionExpression") for child in element)
    return is_bpmn(element, *FLOW_NODES, "participant", *LANES)


def _flow_refs(root: ET.Element) -> dict[str, list[tuple[str, str]]]:
    """(`incoming`|`outgoing`, flow id) per flow node, as Modeler writes them; bpmnlint's
    connection rules read these child elements, not the flows' source and target."""
    refs: dict[str, list[tuple[str, str]]] = {}
    for flow in root.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        flow_id = flow.get("id", "")
        refs.setdefault(flow.get("sourceRef", ""), []).append(("outgoing", flow_id))
        refs.setdefault(flow.get("targetRef", ""), []).append(("incoming", flow_id))
    return refs


def _missing_refs(element: ET.Element, refs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """References of a kind the element declares none of: the engine orders outgoing flows as
    declared ones first, then the rest in document order, which adding all of them (in document
    order) keeps, while adding only some could reorder them."""
    declared = {local_name(child) for child in element}
    return [(kind, flow) for kind, flow in refs if kind not in declared]


def _rewrite_start_tag(
    text: str, element: ET.Element, label: str, refs: list[tuple[str, str]]
) -> str:
    """Add ` name=...` to the element's start tag and `incoming`/`outgoing` children after it."""
    element_id = element.get("id", "")
    start_tag = re.compile(
        rf"<(?P<p>(?:[\w.-]+:)?){local_name(element)}\b(?P<a>[^>]*?\sid\s*=\s*([\"'])"
        rf"{re.escape(element_id)}\3)(?P<r>[^>]*?)(?P<s>/?)>"
    )
    match = start_tag.search(text)
    if match is None:
        return text
    prefix, tag = match.group("p"), f"{match.group('p')}{local_name(element)}"
    children = "".join(f"<{prefix}{kind}>{flow}</{prefix}{kind}>" for kind, flow in refs)
    opened = f"<{tag}{match.group('a')}{label}{match.group('r')}>{children}"
    closing = f"</{tag}>" if match.group("s") else ""
    return text[: match.start()] + opened + closing + text[match.end() :]


def annotate(text: str, root: ET.Element) -> str:
    """Names where `label-required` wants them, flow references on flow nodes that lack them."""
    flow_refs = _flow_refs(root)
    for element in root.iter():
        if not element.get("id"):
            continue
        # a blank name stays: a second name attribute would be malformed XML
        named = element.get("name") is None and _needs_name(element)
        label = f" name={quoteattr(element.get('id', ''))}" if named else ""
        refs = flow_refs.get(element.get("id", ""), []) if is_bpmn(element, *FLOW_NODES) else []
        missing = _missing_refs(element, refs)
        if label or missing:
            text = _rewrite_start_tag(text, element, label, missing)
    return text

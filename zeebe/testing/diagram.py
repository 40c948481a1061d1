"""`with_diagram`: give a semantic BPMN document a complete `bpmndi` diagram and missing labels.

Camunda Modeler lays out a diagram-less file when it opens it; tests write BPMN inline without
one, and bpmnlint's `no-bpmndi` and `label-required` rules then reject them. This module does the
same as Modeler, deterministically: every flow node (boundary events, subprocess contents),
artifact, data reference, participant and lane gets a shape, every sequence flow, association and
message flow an edge, from a simple layered layout (a column per BFS depth along sequence flows).
Flow nodes, conditional sequence flows, participants and lanes without a `name` get `name = id`,
and flow nodes without `<incoming>`/`<outgoing>` children get them (Modeler writes them; bpmnlint's
`no-disconnected` and `no-implicit-*` rules read them, not the flows' sourceRef/targetRef).

The rest of the XML is kept byte for byte: edits are textual (start tags of those elements; the
diagram inserted before `</definitions>`, replacing any existing one), so parsing the output
yields the same model as parsing the input, apart from the added names. Data associations are not
drawn (bpmnlint does not require it).

The parts: `diagram_tags` (which elements, what sizes), `diagram_layout` (the layered layout),
`diagram_planes` (pools, lanes, planes) and `diagram_labels` (names and flow references); this
module writes the diagram XML and re-exports their public names.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

from zeebe.testing.diagram_labels import annotate
from zeebe.testing.diagram_layout import Box, Layout, layout
from zeebe.testing.diagram_planes import Plane, planes
from zeebe.testing.diagram_tags import (
    BPMN_NS,
    DIAGRAM_NAMESPACES,
    EDGE_HOSTS,
    EDGES,
    EVENTS,
    EXTRAS,
    FLOW_NODES,
    GAP_X,
    GAP_Y,
    GATEWAYS,
    LANES,
    ORIGIN_X,
    ORIGIN_Y,
    PAD,
    POOL_LABEL,
    SCOPES,
    SIZES,
    TASKS,
)

__all__ = [
    "BPMN_NS",
    "DEFINITIONS_END",
    "DIAGRAM_NAMESPACES",
    "EDGES",
    "EDGE_HOSTS",
    "EVENTS",
    "EXISTING_DIAGRAM",
    "EXTRAS",
    "FLOW_NODES",
    "GAP_X",
    "GAP_Y",
    "GATEWAYS",
    "LANES",
    "ORIGIN_X",
    "ORIGIN_Y",
    "PAD",
    "POOL_LABEL",
    "SCOPES",
    "SIZES",
    "TASKS",
    "Box",
    "Layout",
    "Plane",
    "diagrammed",
    "layout",
    "planes",
    "with_diagram",
]


def _waypoints(source: Box, target: Box) -> list[tuple[int, int]]:
    """Right-middle to left-middle going forward; bottom to bottom for back edges."""
    if target.x >= source.x + source.w:
        return [
            (source.x + source.w, source.y + source.h // 2),
            (target.x, target.y + target.h // 2),
        ]
    return [
        (source.x + source.w // 2, source.y + source.h),
        (target.x + target.w // 2, target.y + target.h),
    ]


def _shape(element_id: str, box: Box, flag: str) -> str:
    return (
        f"<bpmndi:BPMNShape id={quoteattr(element_id + '_di')} bpmnElement={quoteattr(element_id)}"
        f'{flag}><dc:Bounds x="{box.x}" y="{box.y}" width="{box.w}" height="{box.h}"/>'
        "</bpmndi:BPMNShape>"
    )


def _edge(element: ET.Element, boxes: dict[str, Box]) -> str:
    source = boxes.get(element.get("sourceRef", ""), Box(0, 0, 0, 0))
    target = boxes.get(element.get("targetRef", ""), Box(0, 0, 0, 0))
    points = "".join(f'<di:waypoint x="{x}" y="{y}"/>' for x, y in _waypoints(source, target))
    element_id = element.get("id", "")
    return (
        f"<bpmndi:BPMNEdge id={quoteattr(element_id + '_di')} bpmnElement={quoteattr(element_id)}>"
        f"{points}</bpmndi:BPMNEdge>"
    )


def _diagram_xml(plane: Plane, index: int) -> str:
    shapes = "".join(_shape(k, b, plane.flags.get(k, "")) for k, b in plane.boxes.items())
    edges = "".join(_edge(edge, plane.boxes) for edge in plane.edges)
    return (
        f'<bpmndi:BPMNDiagram{DIAGRAM_NAMESPACES} id="BPMNDiagram_{index}">'
        f'<bpmndi:BPMNPlane id="BPMNPlane_{index}" bpmnElement={quoteattr(plane.element_id)}>'
        f"{shapes}{edges}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
    )


EXISTING_DIAGRAM = re.compile(
    r"<(?P<p>(?:[\w.-]+:)?)BPMNDiagram\b.*?</(?P=p)BPMNDiagram\s*>", re.DOTALL
)
DEFINITIONS_END = re.compile(r"</(?:[\w.-]+:)?definitions\s*>\s*$")


def with_diagram(xml: bytes) -> bytes:
    """`xml` with a complete generated `bpmndi` diagram (replacing any) and labels where
    bpmnlint's `label-required` wants them; the semantic content is otherwise unchanged."""
    root = ET.fromstring(xml)
    diagrams = "".join(_diagram_xml(p, i) for i, p in enumerate(planes(root), start=1))
    text = EXISTING_DIAGRAM.sub("", annotate(xml.decode("utf-8"), root))
    end = DEFINITIONS_END.search(text)
    if end is None:
        raise ValueError("not a BPMN document: no closing definitions tag")
    return (text[: end.start()] + diagrams + text[end.start() :]).encode("utf-8")


def diagrammed(xml: bytes) -> bytes:
    """`with_diagram(xml)`, or `xml` unchanged when it is not well-formed BPMN XML (helpers that
    build inline models also build deliberately broken documents for rejection tests)."""
    try:
        return with_diagram(xml)
    except (ET.ParseError, ValueError, UnicodeDecodeError):
        return xml

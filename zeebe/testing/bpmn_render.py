"""Rendering of the test BPMN builder's graph: process XML plus a `bpmndi` plane per scope.

Nodes sit on the grid cells `bpmn_graph.place` gave them, left to right; boundary events on
their host's bottom edge; subprocesses are collapsed, each on its own plane (Modeler 5 style).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from zeebe.testing.bpmn_graph import Graph, Node
from zeebe.testing.bpmn_xml import HEADER, attrs, extensions, safe_id

SIZES = {"event": (36, 36), "task": (100, 80), "gateway": (50, 50)}
COLUMN_WIDTH, ROW_HEIGHT, ORIGIN_X, ORIGIN_Y = 150, 130, 150, 120


def render(graph: Graph, name: str | None, version_tag: str | None) -> bytes:
    """The BPMN document (UTF-8), with diagram interchange for every plane."""
    version = (
        extensions(f"<zeebe:versionTag{attrs({'value': version_tag})} />") if version_tag else ""
    )
    process_attrs = attrs({"id": graph.process_id, "name": name})
    diagrams = "".join(_diagram(graph, scope_id) for scope_id in graph.scopes)
    text = (
        f'{HEADER}<bpmn:process{process_attrs} isExecutable="true">{version}'
        f"{_scope_xml(graph, graph.process_id)}</bpmn:process>{graph.refs.to_xml()}"
        f"{diagrams}</bpmn:definitions>\n"
    )
    return text.encode()


def _node_xml(graph: Graph, node: Node) -> str:
    flows = "".join(f"<bpmn:incoming>{f}</bpmn:incoming>" for f in node.incoming)
    flows += "".join(f"<bpmn:outgoing>{f}</bpmn:outgoing>" for f in node.outgoing)
    children = _scope_xml(graph, node.id) if node.id in graph.scopes else ""
    return (
        f"<bpmn:{node.tag}{attrs(node.attrs)}>{node.head}{flows}{node.tail}{children}"
        f"</bpmn:{node.tag}>"
    )


def _scope_xml(graph: Graph, scope_id: str) -> str:
    parts = [_node_xml(graph, graph.nodes[n]) for n in graph.scopes[scope_id].nodes]
    for flow in graph.flows:
        if flow.scope != scope_id:
            continue
        flow_attrs = attrs(
            {
                "id": flow.id,
                "name": flow.name,
                "sourceRef": flow.source,
                "targetRef": flow.target,
            }
        )
        condition = (
            '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
            f"{escape(flow.condition)}</bpmn:conditionExpression>"
            if flow.condition
            else ""
        )
        parts.append(f"<bpmn:sequenceFlow{flow_attrs}>{condition}</bpmn:sequenceFlow>")
    # Associations are process-level artifacts even for nodes inside subprocesses, as
    # bpmn-js writes them (and bpmnlint looks for them there).
    if scope_id == graph.process_id:
        for assoc_id, source, target in graph.associations:
            assoc_attrs = attrs({"id": assoc_id, "sourceRef": source, "targetRef": target})
            parts.append(f'<bpmn:association{assoc_attrs} associationDirection="One" />')
    return "".join(parts)


def _bounds(graph: Graph, node: Node) -> tuple[int, int, int, int]:
    width, height = SIZES[node.kind]
    if node.tag == "boundaryEvent":
        host = graph.nodes[node.attrs["attachedToRef"] or ""]
        hx, hy, hw, hh = _bounds(graph, host)
        index = [n for n in graph.nodes.values() if n.attrs.get("attachedToRef") == host.id]
        offset = index.index(node) * 40
        return hx + hw - 56 - offset, hy + hh - 18, width, height
    center_x = ORIGIN_X + node.col * COLUMN_WIDTH
    center_y = ORIGIN_Y + node.row * ROW_HEIGHT
    return center_x - width // 2, center_y - height // 2, width, height


def _shape(graph: Graph, node: Node) -> str:
    x, y, w, h = _bounds(graph, node)
    expanded = ' isExpanded="false"' if node.tag == "subProcess" else ""
    return (
        f'<bpmndi:BPMNShape id="{node.id}_di" bpmnElement="{node.id}"{expanded}>'
        f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" /></bpmndi:BPMNShape>'
    )


def _waypoints(graph: Graph, source: Node, target: Node) -> list[tuple[int, int]]:
    sx, sy, sw, sh = _bounds(graph, source)
    tx, ty, _, th = _bounds(graph, target)
    end = (tx, ty + th // 2)
    if source.tag == "boundaryEvent":
        start = (sx + sw // 2, sy + sh)
        return [start, (start[0], end[1]), end]
    start = (sx + sw, sy + sh // 2)
    if start[1] == end[1]:
        return [start, end]
    bend = start[0] + (end[0] - start[0]) // 2
    return [start, (bend, start[1]), (bend, end[1]), end]


def _edge(element_id: str, points: list[tuple[int, int]]) -> str:
    waypoints = "".join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in points)
    return (
        f'<bpmndi:BPMNEdge id="{element_id}_di" bpmnElement="{element_id}">'
        f"{waypoints}</bpmndi:BPMNEdge>"
    )


def _association_edges(graph: Graph, scope_id: str) -> list[str]:
    edges = []
    for assoc_id, source, target in graph.associations:
        if graph.nodes[source].scope == scope_id:
            bx, by, bw, bh = _bounds(graph, graph.nodes[source])
            hx, hy, _, _ = _bounds(graph, graph.nodes[target])
            points = [(bx + bw // 2, by + bh), (bx + bw // 2, hy + 40), (hx, hy + 40)]
            edges.append(_edge(assoc_id, points))
    return edges


def _diagram(graph: Graph, scope_id: str) -> str:
    nodes = [graph.nodes[n] for n in graph.scopes[scope_id].nodes]
    parts = [_shape(graph, n) for n in nodes if n.tag != "boundaryEvent"]
    parts += [_shape(graph, n) for n in nodes if n.tag == "boundaryEvent"]
    parts += [
        _edge(f.id, _waypoints(graph, graph.nodes[f.source], graph.nodes[f.target]))
        for f in graph.flows
        if f.scope == scope_id
    ]
    parts += _association_edges(graph, scope_id)
    suffix = "1" if scope_id == graph.process_id else safe_id(scope_id)
    return (
        f'<bpmndi:BPMNDiagram id="BPMNDiagram_{suffix}">'
        f'<bpmndi:BPMNPlane id="BPMNPlane_{suffix}" bpmnElement="{scope_id}">'
        f"{''.join(parts)}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
    )

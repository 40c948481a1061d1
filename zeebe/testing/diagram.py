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
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DIAGRAM_NAMESPACES = (
    ' xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"'
    ' xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"'
    ' xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)
EVENTS = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent")
GATEWAYS = ("exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway")
SCOPES = ("subProcess", "transaction", "adHocSubProcess")
TASKS = (
    *("task", "serviceTask", "sendTask", "receiveTask", "userTask", "manualTask"),
    *("businessRuleTask", "scriptTask", "callActivity"),
)
SIZES: dict[str, tuple[int, int]] = {
    **{tag: (36, 36) for tag in (*EVENTS, "boundaryEvent")},
    **{tag: (50, 50) for tag in (*GATEWAYS, "complexGateway")},
    **{tag: (100, 80) for tag in TASKS},
    "dataObjectReference": (36, 50),
    "dataStoreReference": (50, 50),
    "textAnnotation": (100, 30),
    "group": (150, 100),
}
"""Modeler's default shape sizes; a scope's size comes from its contents."""
FLOW_NODES = frozenset((*EVENTS, "boundaryEvent", *GATEWAYS, "complexGateway", *TASKS, *SCOPES))
EXTRAS = frozenset(("dataObjectReference", "dataStoreReference", "textAnnotation", "group"))
EDGES = frozenset(("sequenceFlow", "association", "messageFlow"))
EDGE_HOSTS = frozenset(("boundaryEvent",))
LANES = frozenset(("lane",))
GAP_X, GAP_Y, PAD, ORIGIN_X, ORIGIN_Y, POOL_LABEL = 50, 60, 30, 150, 80, 30


@dataclass(frozen=True, slots=True)
class Box:
    """A shape's bounds."""

    x: int
    y: int
    w: int
    h: int

    def moved(self, dx: int, dy: int) -> Box:
        """The same box shifted by (dx, dy)."""
        return Box(self.x + dx, self.y + dy, self.w, self.h)


@dataclass(frozen=True, slots=True)
class Layout:
    """Boxes of a scope's contents relative to the scope's origin, and the scope's extent."""

    width: int
    height: int
    boxes: dict[str, Box]
    expanded: frozenset[str]


def _local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _is_bpmn(element: ET.Element, *names: str) -> bool:
    return element.tag.startswith(f"{{{BPMN_NS}}}") and _local(element) in names


def _children(scope: ET.Element, names: frozenset[str]) -> list[ET.Element]:
    return [c for c in scope if c.get("id") and _is_bpmn(c, *names)]


def _levels(nodes: list[ET.Element], scope: ET.Element) -> dict[str, int]:
    """BFS depth of each node along the scope's sequence flows (boundary events count as their
    host); nodes only reachable through a cycle start a new search at depth 0."""
    host = {c.get("id", ""): c.get("attachedToRef", "") for c in _children(scope, EDGE_HOSTS)}
    targets: dict[str, list[str]] = {}
    for flow in _children(scope, frozenset(("sequenceFlow",))):
        source = flow.get("sourceRef", "")
        targets.setdefault(host.get(source, source), []).append(flow.get("targetRef", ""))
    has_incoming = {t for ts in targets.values() for t in ts}
    ids = [n.get("id", "") for n in nodes]
    roots = [i for i in ids if i not in has_incoming] + ids
    level: dict[str, int] = {}
    for root in roots:
        if root in level:
            continue
        level[root] = 0
        queue = [root]
        while queue:
            current = queue.pop(0)
            for target in targets.get(current, []):
                if target in ids and target not in level:
                    level[target] = level[current] + 1
                    queue.append(target)
    return level


def _size(node: ET.Element, nested: dict[str, Layout]) -> tuple[int, int]:
    inner = nested.get(node.get("id", ""))
    if inner is not None:
        return inner.width + 2 * PAD, inner.height + 2 * PAD
    return SIZES.get(_local(node), (100, 80))


def _grid(nodes: list[ET.Element], scope: ET.Element, nested: dict[str, Layout]) -> dict[str, Box]:
    """Place nodes in columns by depth, rows by document order within a column."""
    level = _levels(nodes, scope)
    columns: dict[int, list[ET.Element]] = {}
    for node in nodes:
        columns.setdefault(level[node.get("id", "")], []).append(node)
    sizes = {n.get("id", ""): _size(n, nested) for n in nodes}
    row_height = max((h for _, h in sizes.values()), default=80) + GAP_Y
    boxes: dict[str, Box] = {}
    x = PAD
    for depth in sorted(columns):
        width = max(sizes[n.get("id", "")][0] for n in columns[depth])
        for row, node in enumerate(columns[depth]):
            w, h = sizes[node.get("id", "")]
            cx, cy = x + width // 2, PAD + row * row_height + row_height // 2
            boxes[node.get("id", "")] = Box(cx - w // 2, cy - h // 2, w, h)
        x += width + GAP_X
    return boxes


def _attach(boxes: dict[str, Box], scope: ET.Element) -> None:
    """Boundary events sit on the bottom edge of their host, left to right."""
    count: dict[str, int] = {}
    for event in _children(scope, EDGE_HOSTS):
        host = boxes.get(event.get("attachedToRef", ""))
        if host is None:
            continue
        host_id = event.get("attachedToRef", "")
        index = count[host_id] = count.get(host_id, -1) + 1
        boxes[event.get("id", "")] = Box(host.x + 10 + 46 * index, host.y + host.h - 18, 36, 36)


def layout(scope: ET.Element) -> Layout:
    """Lay out a process or subprocess: a grid of flow nodes, then a row of artifacts below."""
    nodes = [n for n in _children(scope, FLOW_NODES) if _local(n) != "boundaryEvent"]
    nested = {n.get("id", ""): layout(n) for n in nodes if _local(n) in SCOPES}
    boxes = _grid(nodes, scope, nested)
    _attach(boxes, scope)
    expanded = set(nested)
    for scope_id, inner in nested.items():
        outer = boxes[scope_id]
        boxes.update({k: b.moved(outer.x + PAD, outer.y + PAD) for k, b in inner.boxes.items()})
        expanded |= inner.expanded
    bottom = max((b.y + b.h for b in boxes.values()), default=0) + GAP_Y
    x = PAD
    for extra in _children(scope, EXTRAS):
        w, h = SIZES[_local(extra)]
        boxes[extra.get("id", "")] = Box(x, bottom, w, h)
        x += w + GAP_X
    width = max((b.x + b.w for b in boxes.values()), default=0) + PAD
    height = max((b.y + b.h for b in boxes.values()), default=0) + PAD
    return Layout(width, height, boxes, frozenset(expanded))


def _edges(root: ET.Element) -> Iterator[ET.Element]:
    for element in root.iter():
        if _is_bpmn(element, *EDGES) and element.get("id"):
            yield element


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


@dataclass(frozen=True, slots=True)
class Plane:
    """One diagram plane: absolute boxes, shape flags (expanded / horizontal) and its edges."""

    element_id: str
    boxes: dict[str, Box]
    flags: dict[str, str]
    edges: tuple[ET.Element, ...]


def _lanes(process: ET.Element, pool: Box) -> dict[str, Box]:
    """Lanes split their pool's height evenly (bpmnlint needs a shape, not a faithful one)."""
    lanes = [lane for ls in process if _is_bpmn(ls, "laneSet") for lane in _children(ls, LANES)]
    height = pool.h // max(len(lanes), 1)
    return {
        lane.get("id", ""): Box(
            pool.x + POOL_LABEL, pool.y + i * height, pool.w - POOL_LABEL, height
        )
        for i, lane in enumerate(lanes)
    }


def _place(
    process: ET.Element | None, at: Box, boxes: dict[str, Box], flags: dict[str, str]
) -> Box:
    """Lay out `process` inside a pool whose top-left is `at`; returns the pool's bounds."""
    inner = layout(process) if process is not None else Layout(600, 100, {}, frozenset())
    pool = Box(at.x, at.y, inner.width + POOL_LABEL, max(inner.height, 100))
    boxes.update({k: b.moved(pool.x + POOL_LABEL, pool.y) for k, b in inner.boxes.items()})
    flags.update(dict.fromkeys(inner.expanded, ' isExpanded="true"'))
    if process is not None:
        lanes = _lanes(process, pool)
        boxes.update(lanes)
        flags.update(dict.fromkeys(lanes, ' isHorizontal="true"'))
    return pool


def _collaboration_plane(collaboration: ET.Element, processes: dict[str, ET.Element]) -> Plane:
    """Participants stacked top to bottom, each with its process inside."""
    boxes: dict[str, Box] = {}
    flags: dict[str, str] = {}
    y = ORIGIN_Y
    edge_roots = [collaboration]
    for participant in _children(collaboration, frozenset(("participant",))):
        process = processes.get(participant.get("processRef", ""))
        pool = _place(process, Box(ORIGIN_X, y, 0, 0), boxes, flags)
        boxes[participant.get("id", "")] = pool
        flags[participant.get("id", "")] = ' isHorizontal="true"'
        edge_roots += [process] if process is not None else []
        y += pool.h + GAP_Y
    for x, extra in enumerate(_children(collaboration, EXTRAS)):
        w, h = SIZES[_local(extra)]
        boxes[extra.get("id", "")] = Box(ORIGIN_X + x * (150 + GAP_X), y, w, h)
    edges = tuple(edge for root in edge_roots for edge in _edges(root))
    return Plane(collaboration.get("id", ""), boxes, flags, edges)


def _process_plane(process: ET.Element) -> Plane:
    boxes: dict[str, Box] = {}
    flags: dict[str, str] = {}
    _place(process, Box(ORIGIN_X - POOL_LABEL, ORIGIN_Y, 0, 0), boxes, flags)
    return Plane(process.get("id", ""), boxes, flags, tuple(_edges(process)))


def planes(root: ET.Element) -> list[Plane]:
    """A plane per collaboration (with its participants' processes) and per other process."""
    processes = {p.get("id", ""): p for p in _children(root, frozenset(("process",)))}
    result: list[Plane] = []
    for collaboration in _children(root, frozenset(("collaboration",))):
        result.append(_collaboration_plane(collaboration, processes))
        for participant in _children(collaboration, frozenset(("participant",))):
            processes.pop(participant.get("processRef", ""), None)
    return result + [_process_plane(process) for process in processes.values()]


def _diagram_xml(plane: Plane, index: int) -> str:
    shapes = "".join(_shape(k, b, plane.flags.get(k, "")) for k, b in plane.boxes.items())
    edges = "".join(_edge(edge, plane.boxes) for edge in plane.edges)
    return (
        f'<bpmndi:BPMNDiagram{DIAGRAM_NAMESPACES} id="BPMNDiagram_{index}">'
        f'<bpmndi:BPMNPlane id="BPMNPlane_{index}" bpmnElement={quoteattr(plane.element_id)}>'
        f"{shapes}{edges}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
    )


def _needs_name(element: ET.Element) -> bool:
    """What bpmnlint's `label-required` checks (we name every flow node; harmless for the rest)."""
    if element.get("id") is None or (element.get("name") or "").strip():
        return False
    if _is_bpmn(element, "sequenceFlow"):
        return any(_is_bpmn(child, "conditionExpression") for child in element)
    return _is_bpmn(element, *FLOW_NODES, "participant", *LANES)


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
    declared = {_local(child) for child in element}
    return [(kind, flow) for kind, flow in refs if kind not in declared]


def _rewrite_start_tag(
    text: str, element: ET.Element, label: str, refs: list[tuple[str, str]]
) -> str:
    """Add ` name=...` to the element's start tag and `incoming`/`outgoing` children after it."""
    element_id = element.get("id", "")
    start_tag = re.compile(
        rf"<(?P<p>(?:[\w.-]+:)?){_local(element)}\b(?P<a>[^>]*?\sid\s*=\s*([\"'])"
        rf"{re.escape(element_id)}\3)(?P<r>[^>]*?)(?P<s>/?)>"
    )
    match = start_tag.search(text)
    if match is None:
        return text
    prefix, tag = match.group("p"), f"{match.group('p')}{_local(element)}"
    children = "".join(f"<{prefix}{kind}>{flow}</{prefix}{kind}>" for kind, flow in refs)
    opened = f"<{tag}{match.group('a')}{label}{match.group('r')}>{children}"
    closing = f"</{tag}>" if match.group("s") else ""
    return text[: match.start()] + opened + closing + text[match.end() :]


def _annotate(text: str, root: ET.Element) -> str:
    """Names where `label-required` wants them, flow references on flow nodes that lack them."""
    flow_refs = _flow_refs(root)
    for element in root.iter():
        if not element.get("id"):
            continue
        # a blank name stays: a second name attribute would be malformed XML
        named = element.get("name") is None and _needs_name(element)
        label = f" name={quoteattr(element.get('id', ''))}" if named else ""
        refs = flow_refs.get(element.get("id", ""), []) if _is_bpmn(element, *FLOW_NODES) else []
        missing = _missing_refs(element, refs)
        if label or missing:
            text = _rewrite_start_tag(text, element, label, missing)
    return text


EXISTING_DIAGRAM = re.compile(
    r"<(?P<p>(?:[\w.-]+:)?)BPMNDiagram\b.*?</(?P=p)BPMNDiagram\s*>", re.DOTALL
)
DEFINITIONS_END = re.compile(r"</(?:[\w.-]+:)?definitions\s*>\s*$")


def with_diagram(xml: bytes) -> bytes:
    """`xml` with a complete generated `bpmndi` diagram (replacing any) and labels where
    bpmnlint's `label-required` wants them; the semantic content is otherwise unchanged."""
    root = ET.fromstring(xml)
    diagrams = "".join(_diagram_xml(p, i) for i, p in enumerate(planes(root), start=1))
    text = EXISTING_DIAGRAM.sub("", _annotate(xml.decode("utf-8"), root))
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

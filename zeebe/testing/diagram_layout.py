"""The layered layout of `with_diagram`: a column per BFS depth along a scope's sequence flows.

Boundary events sit on their host's bottom edge; subprocesses are drawn expanded around their own
layout; artifacts go in a row below the flow nodes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from zeebe.testing.diagram_tags import (
    EDGE_HOSTS,
    EXTRAS,
    FLOW_NODES,
    GAP_X,
    GAP_Y,
    PAD,
    SCOPES,
    SIZES,
    children_of,
    local_name,
)


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


def _levels(nodes: list[ET.Element], scope: ET.Element) -> dict[str, int]:
    """BFS depth of each node along the scope's sequence flows (boundary events count as their
    host); nodes only reachable through a cycle start a new search at depth 0."""
    host = {c.get("id", ""): c.get("attachedToRef", "") for c in children_of(scope, EDGE_HOSTS)}
    targets: dict[str, list[str]] = {}
    for flow in children_of(scope, frozenset(("sequenceFlow",))):
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
    return SIZES.get(local_name(node), (100, 80))


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
    for event in children_of(scope, EDGE_HOSTS):
        host = boxes.get(event.get("attachedToRef", ""))
        if host is None:
            continue
        host_id = event.get("attachedToRef", "")
        index = count[host_id] = count.get(host_id, -1) + 1
        boxes[event.get("id", "")] = Box(host.x + 10 + 46 * index, host.y + host.h - 18, 36, 36)


def layout(scope: ET.Element) -> Layout:
    """Lay out a process or subprocess: a grid of flow nodes, then a row of artifacts below."""
    nodes = [n for n in children_of(scope, FLOW_NODES) if local_name(n) != "boundaryEvent"]
    nested = {n.get("id", ""): layout(n) for n in nodes if local_name(n) in SCOPES}
    boxes = _grid(nodes, scope, nested)
    _attach(boxes, scope)
    expanded = set(nested)
    for scope_id, inner in nested.items():
        outer = boxes[scope_id]
        boxes.update({k: b.moved(outer.x + PAD, outer.y + PAD) for k, b in inner.boxes.items()})
        expanded |= inner.expanded
    bottom = max((b.y + b.h for b in boxes.values()), default=0) + GAP_Y
    x = PAD
    for extra in children_of(scope, EXTRAS):
        w, h = SIZES[local_name(extra)]
        boxes[extra.get("id", "")] = Box(x, bottom, w, h)
        x += w + GAP_X
    width = max((b.x + b.w for b in boxes.values()), default=0) + PAD
    height = max((b.y + b.h for b in boxes.values()), default=0) + PAD
    return Layout(width, height, boxes, frozenset(expanded))

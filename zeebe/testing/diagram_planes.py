"""The diagram planes of `with_diagram`: a plane per collaboration (pools, lanes) or process."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from zeebe.testing.diagram_layout import Box, Layout, layout
from zeebe.testing.diagram_tags import (
    EDGES,
    EXTRAS,
    GAP_X,
    GAP_Y,
    LANES,
    ORIGIN_X,
    ORIGIN_Y,
    POOL_LABEL,
    SIZES,
    children_of,
    is_bpmn,
    local_name,
)


def _edges(root: ET.Element) -> Iterator[ET.Element]:
    for element in root.iter():
        if is_bpmn(element, *EDGES) and element.get("id"):
            yield element


@dataclass(frozen=True, slots=True)
class Plane:
    """One diagram plane: absolute boxes, shape flags (expanded / horizontal) and its edges."""

    element_id: str
    boxes: dict[str, Box]
    flags: dict[str, str]
    edges: tuple[ET.Element, ...]


def _lanes(process: ET.Element, pool: Box) -> dict[str, Box]:
    """Lanes split their pool's height evenly (bpmnlint needs a shape, not a faithful one)."""
    lanes = [lane for ls in process if is_bpmn(ls, "laneSet") for lane in children_of(ls, LANES)]
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
    for participant in children_of(collaboration, frozenset(("participant",))):
        process = processes.get(participant.get("processRef", ""))
        pool = _place(process, Box(ORIGIN_X, y, 0, 0), boxes, flags)
        boxes[participant.get("id", "")] = pool
        flags[participant.get("id", "")] = ' isHorizontal="true"'
        edge_roots += [process] if process is not None else []
        y += pool.h + GAP_Y
    for x, extra in enumerate(children_of(collaboration, EXTRAS)):
        w, h = SIZES[local_name(extra)]
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
    processes = {p.get("id", ""): p for p in children_of(root, frozenset(("process",)))}
    result: list[Plane] = []
    for collaboration in children_of(root, frozenset(("collaboration",))):
        result.append(_collaboration_plane(collaboration, processes))
        for participant in children_of(collaboration, frozenset(("participant",))):
            processes.pop(participant.get("processRef", ""), None)
    return result + [_process_plane(process) for process in processes.values()]

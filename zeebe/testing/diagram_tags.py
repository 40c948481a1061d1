"""The BPMN vocabulary of `with_diagram`: which elements get shapes and edges, and their sizes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

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


def local_name(element: ET.Element) -> str:
    """The tag without its namespace."""
    return element.tag.rsplit("}", 1)[-1]


def is_bpmn(element: ET.Element, *names: str) -> bool:
    """Whether `element` is a BPMN element with one of the local `names`."""
    return element.tag.startswith(f"{{{BPMN_NS}}}") and local_name(element) in names


def children_of(scope: ET.Element, names: frozenset[str]) -> list[ET.Element]:
    """The direct children of `scope` that have an id and one of the local `names`."""
    return [c for c in scope if c.get("id") and is_bpmn(c, *names)]

"""XML vocabulary of BPMN files as Camunda Modeler writes them, and tiny lookup helpers.

ElementTree spells qualified names as `{namespace}local`; these helpers keep that out of the
parsing code.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element as XmlElement

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
MODELER_NS = "http://camunda.org/schema/modeler/1.0"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def bpmn(local: str) -> str:
    """Qualified ElementTree tag of a BPMN element."""
    return f"{{{BPMN_NS}}}{local}"


def zeebe(local: str) -> str:
    """Qualified ElementTree tag of a Zeebe extension element."""
    return f"{{{ZEEBE_NS}}}{local}"


def local_name(tag: str) -> str:
    """The tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def is_bpmn(node: XmlElement) -> bool:
    """Whether the node is in the BPMN model namespace."""
    return isinstance(node.tag, str) and node.tag.startswith(f"{{{BPMN_NS}}}")


def bpmn_children(node: XmlElement) -> Iterator[tuple[str, XmlElement]]:
    """BPMN child elements of `node` as (local name, node), in document order."""
    for child in node:
        if is_bpmn(child):
            yield local_name(child.tag), child


def extensions(node: XmlElement, local: str) -> list[XmlElement]:
    """All `zeebe:<local>` elements inside the node's `bpmn:extensionElements`."""
    found: list[XmlElement] = []
    for ext in node.findall(bpmn("extensionElements")):
        found.extend(ext.findall(zeebe(local)))
    return found


def extension(node: XmlElement, local: str) -> XmlElement | None:
    """The first `zeebe:<local>` extension element of the node, if any."""
    found = extensions(node, local)
    return found[0] if found else None


def bool_attr(node: XmlElement, name: str, default: bool) -> bool:
    """A boolean XML attribute (`true`/`false`, case-insensitive, surrounding blanks ignored)."""
    raw = node.get(name)
    if raw is None:
        return default
    return raw.strip().lower() == "true"


def text_of(node: XmlElement | None) -> str | None:
    """The stripped text of a node, None when the node or its text is missing or blank."""
    if node is None or node.text is None:
        return None
    text = node.text.strip()
    return text or None

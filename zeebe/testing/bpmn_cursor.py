"""The cursor model of the test BPMN builder: where the next element goes and what it joins.

`CursorBuilder` is the base of `ProcessBuilder`: it owns the graph, the open (event) subprocess
scopes and the pending flow settings (`condition`, `default_flow`); the element families add
nodes through `_add`.
"""

from __future__ import annotations

from typing import Self

from zeebe.testing.bpmn_events import EventDefinition
from zeebe.testing.bpmn_graph import Flow, Graph, Node, Scope, place
from zeebe.testing.bpmn_xml import XML_ID, safe_id


class CursorBuilder:
    """Builds the graph of one executable process; see `zeebe.testing.bpmn_builder`."""

    def __init__(
        self, process_id: str, *, name: str | None = None, version_tag: str | None = None
    ) -> None:
        self.process_id = process_id
        self.name = name
        self.version_tag = version_tag
        self._graph = Graph(process_id)
        self._stack: list[tuple[str, str | None]] = [(process_id, None)]
        self._condition: str | None = None
        self._flow_name: str | None = None
        self._default = False

    @property
    def _scope(self) -> Scope:
        return self._graph.scopes[self._stack[-1][0]]

    def move_to(self, element_id: str) -> Self:
        """Continue from an existing node (e.g. a gateway, to add its next branch)."""
        self._graph.scopes[self._graph.nodes[element_id].scope].cursor = element_id
        return self

    def connect_to(self, element_id: str) -> Self:
        """Add a flow from the cursor to an existing node (a join) and move there."""
        self._connect(self._cursor(), element_id)
        self._scope.cursor = element_id
        return self

    def condition(self, expression: str, *, name: str | None = None) -> Self:
        """Give the next flow out of the cursor this condition (`= ...`) and a label
        (default: the expression text, since bpmnlint wants conditional flows labelled)."""
        self._condition = expression
        self._flow_name = name or expression.lstrip("= ").strip()
        return self

    def default_flow(self) -> Self:
        """Make the next flow out of the cursor (a gateway) its default flow."""
        self._default = True
        return self

    def sub_process_end(self) -> Self:
        """Close the innermost (event) subprocess and continue in its parent scope."""
        if len(self._stack) == 1:
            raise ValueError("no open subprocess")
        _, resume = self._stack.pop()
        self._scope.cursor = resume
        return self

    def _open(self, element_id: str, *, resume: str | None) -> Self:
        self._graph.scopes[element_id] = Scope(element_id)
        self._stack.append((element_id, resume))
        return self

    def _cursor(self) -> str:
        cursor = self._scope.cursor
        if cursor is None:
            raise ValueError("no current element: add a start event or use move_to()")
        return cursor

    def _connect(self, source: str, target: str) -> None:
        nodes, flows = self._graph.nodes, self._graph.flows
        flow_id = f"Flow_{safe_id(source)}_{safe_id(target)}"
        while any(f.id == flow_id for f in flows):
            flow_id += "_"
        scope = nodes[source].scope
        flows.append(Flow(flow_id, source, target, scope, self._condition, self._flow_name))
        if self._default:
            nodes[source].attrs["default"] = flow_id
        self._condition, self._flow_name, self._default = None, None, False
        nodes[source].outgoing.append(flow_id)
        nodes[target].incoming.append(flow_id)

    def _add(self, node: Node, *, connect: bool = True, below: Node | None = None) -> Self:
        nodes = self._graph.nodes
        if node.id in nodes or node.id == self.process_id:
            raise ValueError(f"duplicate element id {node.id!r}")
        if not XML_ID.match(node.id):
            raise ValueError(f"{node.id!r} is not a valid XML id (letters, digits, _ . -)")
        scope = self._scope
        source = scope.cursor if connect else None
        if node.tag == "boundaryEvent":
            host = nodes[node.attrs["attachedToRef"] or ""]
            node.col, node.row = host.col, host.row + 1
        else:
            place(node, scope, nodes[source] if source else None, below)
        nodes[node.id] = node
        scope.nodes.append(node.id)
        if source is not None:
            self._connect(source, node.id)
        scope.cursor = node.id
        return self

    def _node(
        self, element_id: str, tag: str, kind: str, name: str | None, **attrs: str | None
    ) -> Node:
        return Node(
            id=element_id,
            tag=tag,
            kind=kind,
            scope=self._scope.id,
            attrs={"id": element_id, "name": name or element_id, **attrs},
        )

    def _event(
        self,
        element_id: str,
        tag: str,
        name: str | None,
        event: EventDefinition | None,
        head: str = "",
        **attrs: str | None,
    ) -> Node:
        node = self._node(element_id, tag, "event", name, **attrs)
        node.head = head
        if event is not None:
            node.tail = event.render(self._graph.refs, f"{safe_id(element_id)}_definition")
        return node

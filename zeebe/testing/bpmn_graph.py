"""The graph the test BPMN builder records: flow nodes, sequence flows, scopes and their grid.

Mutable on purpose: `ProcessBuilder` fills in flows and layout positions as elements are added,
and renders the finished graph once (`bpmn_render.render`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zeebe.testing.bpmn_events import Refs


@dataclass(slots=True)
class Node:
    """A flow node being built (mutable: the builder fills flows and layout in later)."""

    id: str
    tag: str
    kind: str
    scope: str
    attrs: dict[str, str | None]
    head: str = ""
    tail: str = ""
    col: int = 0
    row: int = 0
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Flow:
    """A sequence flow, drawn on the plane of `scope`."""

    id: str
    source: str
    target: str
    scope: str
    condition: str | None = None
    name: str | None = None


@dataclass(slots=True)
class Scope:
    """A process or subprocess plane: its nodes in order and the layout grid."""

    id: str
    nodes: list[str] = field(default_factory=list)
    taken: set[tuple[int, int]] = field(default_factory=set)
    cursor: str | None = None


@dataclass(slots=True)
class Graph:
    """Everything one process is built from; `scopes` starts with the process's own plane."""

    process_id: str
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    associations: list[tuple[str, str, str]] = field(default_factory=list)
    scopes: dict[str, Scope] = field(default_factory=dict)
    refs: Refs = field(default_factory=Refs)

    def __post_init__(self) -> None:
        self.scopes.setdefault(self.process_id, Scope(self.process_id))


def place(node: Node, scope: Scope, after: Node | None, below: Node | None) -> None:
    """Put `node` on the first free grid cell: under `below`, right of `after` (a row lower
    per outgoing flow it already has), or else at the start of a new row."""
    if below is not None:
        col, row = below.col, below.row + 1
    elif after is not None:
        col, row = after.col + 1, after.row + len(after.outgoing)
    else:
        col, row = 0, max((r for _, r in scope.taken), default=-1) + 1
    while (col, row) in scope.taken:
        row += 1
    node.col, node.row = col, row
    scope.taken.add((col, row))

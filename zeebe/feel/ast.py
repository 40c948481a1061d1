"""FEEL abstract syntax tree: frozen dataclasses produced by the parser."""

from __future__ import annotations

import collections.abc
import dataclasses
from dataclasses import dataclass
from typing import Any


class Node:
    """Base class of all AST nodes."""


@dataclass(frozen=True)
class Literal(Node):
    """A constant: null, boolean, number, string or temporal literal."""

    value: Any


@dataclass(frozen=True)
class Name(Node):
    """A variable reference."""

    name: str


@dataclass(frozen=True)
class Path(Node):
    """`base.key`: context entry, temporal property, or projection over a list."""

    base: Node
    key: str


@dataclass(frozen=True)
class Filter(Node):
    """`base[condition]`: index (number) or filter (boolean per item)."""

    base: Node
    condition: Node


@dataclass(frozen=True)
class Call(Node):
    """A function call; `callee` is a Name for built-ins or any expression yielding a function."""

    callee: Node
    args: tuple[Node, ...]
    named: tuple[tuple[str, Node], ...] | None


@dataclass(frozen=True)
class Negate(Node):
    """Unary minus."""

    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    """Arithmetic or comparison operator."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Logical(Node):
    """Three-valued `and` / `or`."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Between(Node):
    """`value between low and high`."""

    value: Node
    low: Node
    high: Node


@dataclass(frozen=True)
class UnaryTest(Node):
    """One test of an `in` right-hand side: `op` is `<`, `<=`, `>`, `>=`, `=`, `!=` or `value`."""

    op: str
    operand: Node


@dataclass(frozen=True)
class In(Node):
    """`value in tests`: true if any test matches."""

    value: Node
    tests: tuple[UnaryTest, ...]


@dataclass(frozen=True)
class RangeLit(Node):
    """An interval `[a..b]`, `(a..b)`, `]a..b[` ..."""

    start: Node
    end: Node
    start_closed: bool
    end_closed: bool


@dataclass(frozen=True)
class InstanceOf(Node):
    """`value instance of type`."""

    value: Node
    type_name: str


@dataclass(frozen=True)
class If(Node):
    """`if c then a else b`."""

    condition: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True)
class Iterator(Node):
    """`name in start` or `name in start..end` in for/some/every."""

    name: str
    start: Node
    end: Node | None


@dataclass(frozen=True)
class For(Node):
    """`for i in xs, j in ys return body` (cross product; `partial` = results so far)."""

    iterators: tuple[Iterator, ...]
    body: Node


@dataclass(frozen=True)
class Quantified(Node):
    """`some|every x in xs satisfies condition`."""

    kind: str
    iterators: tuple[Iterator, ...]
    condition: Node


@dataclass(frozen=True)
class ListLit(Node):
    """`[a, b, c]`."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class ContextLit(Node):
    """`{a: 1, b: a + 1}`; later entries see earlier ones."""

    entries: tuple[tuple[str, Node], ...]


@dataclass(frozen=True)
class FunctionDef(Node):
    """`function(x, y) body`."""

    params: tuple[str, ...]
    body: Node


def walk(node: Any) -> collections.abc.Iterator[Node]:
    """All AST nodes below (and including) node, depth first."""
    if isinstance(node, Node):
        yield node
        for field in dataclasses.fields(node):  # type: ignore[arg-type]
            yield from walk(getattr(node, field.name))
    elif isinstance(node, tuple):
        for item in node:
            yield from walk(item)

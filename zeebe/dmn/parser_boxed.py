"""Any decision logic element -> model: tables and literal expressions (parser_logic) and the
boxed expressions dmn-scala evaluates (`context`, `list`, `relation`, `invocation`,
`functionDefinition`), nested in each other as DMN allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from xml.etree.ElementTree import Element as XmlElement

from zeebe.dmn.model import (
    BoxedContext,
    BoxedList,
    FunctionDefinition,
    Invocation,
    Logic,
    Relation,
)
from zeebe.dmn.parser_logic import (
    LogicError,
    Tag,
    read_decision_table,
    read_literal_expression,
    read_text_expression,
)

Reader = Callable[[XmlElement, Tag], Logic]


def _local(node: XmlElement) -> str:
    return node.tag.rsplit("}", 1)[-1]


def find_logic(parent: XmlElement, tag: Tag) -> XmlElement | None:
    """The first child of `parent` that holds decision logic, or None."""
    return next((child for child in parent if _local(child) in READERS), None)


def read_logic(node: XmlElement, tag: Tag) -> Logic:
    """The logic element `node` (one of READERS' names); raises LogicError."""
    return READERS[_local(node)](node, tag)


def _required_logic(parent: XmlElement, tag: Tag, what: str) -> Logic:
    node = find_logic(parent, tag)
    if node is None:
        raise LogicError(f"{what} has no expression")
    return read_logic(node, tag)


def _variable_name(entry: XmlElement, tag: Tag) -> str | None:
    variable = entry.find(tag("variable"))
    return variable.get("name") if variable is not None else None


def _read_context(node: XmlElement, tag: Tag) -> BoxedContext:
    entries = node.findall(tag("contextEntry"))
    named: list[tuple[str, Logic]] = []
    result: Logic | None = None
    for index, entry in enumerate(entries):
        name = _variable_name(entry, tag)
        logic = _required_logic(entry, tag, "a context entry")
        if name is not None:
            named.append((name, logic))
        elif index == len(entries) - 1:  # dmn-scala: only the last entry may be unnamed
            result = logic
        else:
            raise LogicError("a context entry other than the last has no variable name")
    return BoxedContext(tuple(named), result)


def _read_list(node: XmlElement, tag: Tag) -> BoxedList:
    return BoxedList(tuple(read_logic(item, tag) for item in node if _local(item) in READERS))


def _read_relation(node: XmlElement, tag: Tag) -> Relation:
    columns = [column.get("name") or "" for column in node.findall(tag("column"))]
    rows = []
    for row in node.findall(tag("row")):
        cells = [read_logic(cell, tag) for cell in row if _local(cell) in READERS]
        if len(cells) != len(columns):
            raise LogicError(
                f"expected row with '{len(columns)}' elements but found '{len(cells)}'"
            )
        rows.append(tuple(zip(columns, cells, strict=True)))
    return Relation(tuple(rows))


def _read_invocation(node: XmlElement, tag: Tag) -> Invocation:
    target = node.find(tag("literalExpression"))
    name = read_text_expression(target, tag) if target is not None else None
    if not name:
        raise LogicError("expected invocation with literal expression")
    bindings = []
    for binding in node.findall(tag("binding")):
        parameter = binding.find(tag("parameter"))
        expression = binding.find(tag("literalExpression"))
        if parameter is None or expression is None:
            raise LogicError("expected binding with literal expression")
        literal = read_literal_expression(expression, tag)
        bindings.append((parameter.get("name") or "", literal.expression))
    return Invocation(name, tuple(bindings))


def _read_function(node: XmlElement, tag: Tag) -> FunctionDefinition:
    body = node.find(tag("literalExpression"))
    if body is None:
        raise LogicError("expected literal expression in function definition")
    parameters = tuple(
        (p.get("name") or "", p.get("typeRef")) for p in node.findall(tag("formalParameter"))
    )
    return FunctionDefinition(parameters, read_literal_expression(body, tag).expression)


READERS: dict[str, Reader] = {
    "decisionTable": read_decision_table,
    "literalExpression": read_literal_expression,
    "context": _read_context,
    "list": _read_list,
    "relation": _read_relation,
    "invocation": _read_invocation,
    "functionDefinition": _read_function,
}


def invocations(logic: Logic) -> Iterator[Invocation]:
    """Every invocation in the logic, nested ones included."""
    if isinstance(logic, Invocation):
        yield logic
    elif isinstance(logic, BoxedContext):
        for _, entry in logic.entries:
            yield from invocations(entry)
        if logic.result is not None:
            yield from invocations(logic.result)
    elif isinstance(logic, BoxedList):
        for item in logic.items:
            yield from invocations(item)
    elif isinstance(logic, Relation):
        for row in logic.rows:
            for _, cell in row:
                yield from invocations(cell)

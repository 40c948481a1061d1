"""Decision logic (`decisionTable`, `literalExpression`) -> model, with FEEL compiled up front."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast, get_args
from xml.etree.ElementTree import Element as XmlElement

from zeebe.dmn.model import (
    Aggregation,
    DecisionTable,
    HitPolicy,
    Input,
    LiteralExpression,
    Output,
    Rule,
)
from zeebe.dmn.unary import UnaryTest, compile_unary_tests
from zeebe.feel import CompiledExpression, FeelSyntaxError, compile_expression

Tag = Callable[[str], str]


class LogicError(ValueError):
    """A problem inside one decision's logic; the parser prefixes resource and decision."""


def _text(node: XmlElement | None, tag: Tag) -> str | None:
    """The `<text>` child of a node (None when the node or its text is absent).

    Only FEEL is supported (dmn-scala rejects other `expressionLanguage`s, e.g. JUEL).
    """
    if node is None:
        return None
    language = node.get("expressionLanguage")
    if language is not None and "feel" not in language.lower():
        raise LogicError(f"Expression language '{language}' is not supported")
    text = node.find(tag("text"))
    return None if text is None or text.text is None else text.text.strip()


def read_text_expression(node: XmlElement, tag: Tag) -> str | None:
    """The FEEL text of an element with a `<text>` child (None when absent)."""
    return _text(node, tag)


# dmn-scala prefixes its parse failures so: "FEEL expression: failed to parse expression '...'"
def _feel(source: str, what: str) -> CompiledExpression:
    try:
        return compile_expression(source)
    except FeelSyntaxError as exc:
        raise LogicError(f"{what}: FEEL expression: {exc}") from None


def _literal_feel(
    node: XmlElement | None, tag: Tag, expression_id: str, what: str
) -> CompiledExpression:
    """A literal expression as dmn-scala's parseFeelExpression reads it: without a `<text>`
    child it is "The expression '<id>' must not be empty.", an empty `<text>` is parsed as
    FEEL like any other and fails ("FEEL expression: failed to parse expression ''")."""
    source = _text(node, tag)
    if source is None and (node is None or node.find(tag("text")) is None):
        raise LogicError(f"The expression '{expression_id}' must not be empty.")
    return _feel(source or "", what)


def _unary(source: str, what: str) -> UnaryTest:
    try:
        return compile_unary_tests(source)
    except FeelSyntaxError as exc:
        raise LogicError(f"{what}: FEEL unary-tests: {exc}") from None


def _input_variable(node: XmlElement) -> str | None:
    """`inputVariable` in any namespace (Camunda writes `camunda:inputVariable`)."""
    return next(
        (v for k, v in node.attrib.items() if k.rsplit("}", 1)[-1] == "inputVariable"), None
    )


def _read_input(node: XmlElement, tag: Tag) -> Input:
    input_id = node.get("id", "")
    expression = node.find(tag("inputExpression"))
    expression_id = expression.get("id", "") if expression is not None else input_id
    return Input(
        id=input_id,
        label=node.get("label") or "",
        expression=_literal_feel(expression, tag, expression_id, f"input '{input_id}'"),
        type_ref=expression.get("typeRef") if expression is not None else None,
        input_variable=_input_variable(node),
    )


def _read_output(node: XmlElement, tag: Tag) -> Output:
    output_id = node.get("id", "")
    values = _text(node.find(tag("outputValues")), tag)
    default = _text(node.find(tag("defaultOutputEntry")), tag)
    return Output(
        id=output_id,
        name=node.get("name") or "",
        label=node.get("label") or "",
        type_ref=node.get("typeRef"),
        priorities=tuple(_priorities(values or "")),
        default=_feel(default, f"default output of '{output_id}'") if default else None,
    )


def _priorities(values: str) -> list[str]:
    """`"high","medium","low"` -> ["high", "medium", "low"] (quotes dropped, as dmn-scala does)."""
    if not values:
        return []
    # dmn-scala: split at every comma, trim, drop all quote characters
    return [item.strip().replace('"', "").replace("'", "") for item in values.split(",")]


def _read_rule(node: XmlElement, tag: Tag, table: tuple[int, int]) -> Rule:
    rule_id = node.get("id", "")
    entries = [_text(entry, tag) or "" for entry in node.findall(tag("inputEntry"))]
    outputs = [_text(entry, tag) or "" for entry in node.findall(tag("outputEntry"))]
    if (len(entries), len(outputs)) != table:
        raise LogicError(
            f"rule '{rule_id}' has {len(entries)} input and {len(outputs)} output entries, "
            f"but the table has {table[0]} inputs and {table[1]} outputs"
        )
    return Rule(
        id=rule_id,
        input_entries=tuple(_unary(e, f"input entry '{e}' of rule '{rule_id}'") for e in entries),
        # dmn-scala parses every output entry as a FEEL expression: an empty one fails to parse
        # ("FEEL expression: failed to parse expression ''"), so Zeebe rejects the deployment
        output_entries=tuple(_feel(o, f"output entry '{o}' of rule '{rule_id}'") for o in outputs),
    )


def read_decision_table(node: XmlElement, tag: Tag) -> DecisionTable:
    """A `decisionTable` element; raises LogicError naming the broken part."""
    hit_policy = node.get("hitPolicy", "UNIQUE")
    if hit_policy not in get_args(HitPolicy):
        raise LogicError(f"unsupported hit policy '{hit_policy}'")
    aggregation = node.get("aggregation")
    if aggregation is not None and (
        aggregation not in get_args(Aggregation) or hit_policy != "COLLECT"
    ):
        raise LogicError(f"aggregation '{aggregation}' needs the COLLECT hit policy")
    inputs = tuple(_read_input(n, tag) for n in node.findall(tag("input")))
    outputs = tuple(_read_output(n, tag) for n in node.findall(tag("output")))
    if not outputs:
        raise LogicError("a decision table needs at least one output")
    unnamed = [o.label or o.id for o in outputs if not o.name]
    if len(outputs) > 1 and unnamed:
        raise LogicError(f"no output name defined for `{unnamed[0]}`")
    if aggregation is not None and len(outputs) > 1:
        raise LogicError("hit policy 'COLLECT' with aggregator is not defined for compound output")
    shape = (len(inputs), len(outputs))
    return DecisionTable(
        inputs=inputs,
        outputs=outputs,
        rules=tuple(_read_rule(n, tag, shape) for n in node.findall(tag("rule"))),
        hit_policy=cast(HitPolicy, hit_policy),
        aggregation=cast(Aggregation | None, aggregation),
    )


def read_literal_expression(node: XmlElement, tag: Tag) -> LiteralExpression:
    """A `literalExpression` element."""
    return LiteralExpression(
        expression=_literal_feel(node, tag, node.get("id", ""), "literal expression")
    )

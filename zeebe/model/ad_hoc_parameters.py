"""`fromAi()` parameters of ad-hoc activities (8.8 `adHocSubProcessElements[].parameters`; Zeebe's
AdHocActivityParameterExtractor and FromAiFeelFunctionCallParameterExtractor).

Every `fromAi(value, description, type, schema, options)` call in an activity's input mappings
(positional or named arguments, in mapping order, not looking inside a fromAi call) describes
one parameter: `name` is the referenced path (`toolCall.city`), `description` and `type` string
constants, `schema` and `options` constant contexts; absent or null ones are left out. Anything
else is a deployment error with Zeebe's texts. The FEEL parser is imported lazily, as the other
model rules do, so the model works without `zeebe.feel`.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from zeebe.model.elements import Element

FUNCTION = "fromAi"
ARGUMENTS = ("value", "description", "type", "schema", "options")


class ParameterError(ValueError):
    """A fromAi() call Zeebe cannot turn into a parameter (message: Zeebe's text)."""


def activity_parameters(element: Element) -> list[dict[str, Any]]:
    """The parameters of one ad-hoc activity; raises ParameterError (Zeebe's full message)."""
    try:
        from zeebe.feel import FeelSyntaxError, compile_expression
    except ImportError:
        return []
    found: list[dict[str, Any]] = []
    try:
        for mapping in element.inputs:
            if mapping.source.is_feel:
                try:
                    tree = compile_expression(mapping.source.source.strip()).tree
                except FeelSyntaxError:
                    continue  # reported by the FEEL syntax rule
                found.extend(_parameter(call) for call in _calls(tree))
    except ParameterError as error:
        raise ParameterError(
            f"Failed to extract ad-hoc activity parameters for element '{element.id}'. {error}"
        ) from None
    return found


def _calls(node: Any) -> list[Any]:
    """fromAi calls below node, depth first; their own arguments are not searched."""
    from zeebe.feel import ast

    if isinstance(node, ast.Call) and _is_from_ai(node.callee):
        return [node]
    if isinstance(node, tuple):
        return [call for item in node for call in _calls(item)]
    if not isinstance(node, ast.Node):
        return []
    fields = dataclasses.fields(node)  # type: ignore[arg-type]
    return [call for f in fields for call in _calls(getattr(node, f.name))]


def _is_from_ai(callee: Any) -> bool:
    from zeebe.feel import ast

    return isinstance(callee, ast.Name) and callee.name == FUNCTION


def _parameter(call: Any) -> dict[str, Any]:
    # positional arguments by index, as Zeebe reads them (extra ones are ignored)
    positional = dict(zip(ARGUMENTS, call.args, strict=False))
    args = dict(call.named) if call.named is not None else positional
    parameter: dict[str, Any] = {"name": _name(args.get("value"))}
    for key in ("description", "type"):
        text = _string(args.get(key), key)
        if text is not None:
            parameter[key] = text
    for key in ("schema", "options"):
        context = _context(args.get(key), key)
        if context:
            parameter[key] = context
    return parameter


def _name(node: Any) -> str:
    from zeebe.feel import ast

    names: list[str] = []
    while isinstance(node, ast.Path):
        names.insert(0, node.key)
        node = node.base
    if isinstance(node, ast.Name):
        return ".".join([node.name, *names])
    received = f"string '{node.value}'" if _is_string(node) else _shown(node)
    raise ParameterError(
        "Expected fromAi() parameter 'value' to be a reference (e.g. "
        f"'toolCall.customParameter'), but received {received}."
    )


def _is_string(node: Any) -> bool:
    from zeebe.feel import ast

    return isinstance(node, ast.Literal) and isinstance(node.value, str)


def _is_null(node: Any) -> bool:
    from zeebe.feel import ast

    return node is None or (isinstance(node, ast.Literal) and node.value is None)


def _string(node: Any, key: str) -> str | None:
    if _is_null(node):
        return None
    if not _is_string(node):
        raise ParameterError(
            f"Expected fromAi() parameter '{key}' to be a string, but received '{_shown(node)}'."
        )
    return str(node.value)


def _context(node: Any, key: str) -> dict[str, Any] | None:
    from zeebe.feel import ast

    if _is_null(node):
        return None
    if not isinstance(node, ast.ContextLit):
        raise ParameterError(
            f"Expected fromAi() parameter '{key}' to be a context (map), but received "
            f"'{_shown(node)}'."
        )
    return {name: _constant(value) for name, value in node.entries}


def _constant(node: Any) -> Any:
    from zeebe.feel import ast

    if isinstance(node, ast.ContextLit):
        return {name: _constant(value) for name, value in node.entries}
    if isinstance(node, ast.ListLit):
        return [_constant(item) for item in node.items]
    if isinstance(node, ast.Literal) and isinstance(node.value, (str, bool, int, Decimal)):
        return _json_number(node.value)
    if _is_null(node):
        return None
    raise ParameterError(
        f"Unsupported expression value in fromAi() function invocation: {type(node).__name__}"
    )


def _json_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _shown(node: Any) -> str:
    """A constant as Zeebe prints it in these messages (other expressions by node type)."""
    from zeebe.feel import ast

    if node is None:
        return "null"
    if isinstance(node, ast.Literal) and isinstance(node.value, bool):
        return str(node.value).lower()
    if isinstance(node, ast.Literal) and isinstance(node.value, (int, Decimal, str)):
        return str(node.value)
    return type(node).__name__

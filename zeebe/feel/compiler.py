"""AST -> Python closures, compiled once per expression text (one function per node type)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from zeebe.feel import ast
from zeebe.feel.compiler_calls import compile_call
from zeebe.feel.compiler_loops import compile_filter, compile_for, compile_quantified
from zeebe.feel.compiler_unary import compile_in
from zeebe.feel.operators import arithmetic, compare, negate
from zeebe.feel.runtime import MISSING, Evaluator, Scope, user_function
from zeebe.feel.suppressed import (
    arithmetic_failed,
    lookup_path,
    no_variable,
    not_a_number,
    not_boolean,
    not_comparable,
)
from zeebe.feel.values import Range, finite, kind

Compiler = Callable[[Any], Evaluator]
COMPILERS: dict[type, Compiler] = {}


def compile_node(node: ast.Node) -> Evaluator:
    """Compile one AST node (and its children) into an evaluator closure."""
    return COMPILERS[type(node)](node)


def _compiles(node_type: type) -> Callable[[Compiler], Compiler]:
    def register(fn: Compiler) -> Compiler:
        COMPILERS[node_type] = fn
        return fn

    return register


@_compiles(ast.Literal)
def _literal(node: ast.Literal) -> Evaluator:
    value = node.value
    return lambda scope: value


@_compiles(ast.Name)
def _name(node: ast.Name) -> Evaluator:
    name = node.name

    def run(scope: Scope) -> Any:
        value = scope.lookup(name)
        if value is MISSING:
            no_variable(name, scope.state)
            return None
        return finite(value)

    return run


def _ref_names(node: ast.Path) -> list[str] | None:
    """`a.b.c` as FEEL-Scala's Ref(a, b, c): the names, if the path starts at a variable."""
    keys: list[str] = []
    base: ast.Node = node
    while isinstance(base, ast.Path):
        keys.append(base.key)
        base = base.base
    return [base.name, *reversed(keys)] if isinstance(base, ast.Name) else None


@_compiles(ast.Path)
def _path(node: ast.Path) -> Evaluator:
    names = _ref_names(node)
    if names is not None:
        return _ref(names[0], names[1:])
    base, key = compile_node(node.base), node.key

    def run(scope: Scope) -> Any:
        value = base(scope)
        if type(value) is dict:
            found = value.get(key, MISSING)
            if found is not MISSING:
                return finite(found)
        return lookup_path(value, key, scope.state)

    return run


def _ref(root: str, keys: list[str]) -> Evaluator:
    """A missing variable ends the path with one warning (null); entries found go on."""
    if len(keys) == 1:
        return _ref1(root, keys[0])

    def run(scope: Scope) -> Any:
        value = scope.lookup(root)
        if value is MISSING:
            no_variable(root, scope.state)
            return None
        value = finite(value)
        for key in keys:
            if type(value) is dict:
                found = value.get(key, MISSING)
                if found is not MISSING:
                    value = finite(found)
                    continue
            value = lookup_path(value, key, scope.state)
        return value

    return run


def _ref1(root: str, key: str) -> Evaluator:
    """`a.b`, the most common path, without the loop."""

    def run(scope: Scope) -> Any:
        value = scope.lookup(root)
        if type(value) is dict:
            found = value.get(key, MISSING)
            if found is not MISSING:
                return finite(found)
        if value is MISSING:
            no_variable(root, scope.state)
            return None
        return lookup_path(finite(value), key, scope.state)

    return run


@_compiles(ast.Negate)
def _negate(node: ast.Negate) -> Evaluator:
    operand = compile_node(node.operand)

    def run(scope: Scope) -> Any:
        value = operand(scope)
        result = negate(value)
        if result is None:
            not_a_number(value, scope.state)
        return result

    return run


_FAST_TYPES = frozenset({int, Decimal, str})
_NUMERIC = frozenset({int, Decimal})
_NATIVE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@_compiles(ast.Binary)
def _binary(node: ast.Binary) -> Evaluator:
    left, right, op = compile_node(node.left), compile_node(node.right), node.op
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return _comparison(op, left, right)

    def run(scope: Scope) -> Any:
        a, b = left(scope), right(scope)
        if op == "+" and type(a) is int and type(b) is int:
            return a + b
        result = arithmetic(op, a, b)
        if result is None:
            arithmetic_failed(op, a, b, scope.state)
        return result

    return run


def _comparison(op: str, left: Evaluator, right: Evaluator) -> Evaluator:
    """Comparison with a fast path for the common same-type int/Decimal/str operands."""
    native = _NATIVE[op]

    def run(scope: Scope) -> Any:
        a, b = left(scope), right(scope)
        ta, tb = type(a), type(b)
        if (ta is tb and ta in _FAST_TYPES) or (ta in _NUMERIC and tb in _NUMERIC):
            return native(a, b)
        result = compare(op, a, b)
        if result is None:
            not_comparable(op, a, b, scope.state)
        return result

    return run


@_compiles(ast.Logical)
def _logical(node: ast.Logical) -> Evaluator:
    left, right = compile_node(node.left), compile_node(node.right)
    # `and` stops at false, `or` at true; the other value keeps the three-valued result.
    stop = node.op == "or"

    go = not stop

    def run(scope: Scope) -> Any:
        a = left(scope)
        if a is stop:
            return stop
        if a is not go:  # FEEL-Scala checks the first operand, the second only after a boolean
            not_boolean(a, scope.state)
        b = right(scope)
        if b is stop:
            return stop
        if a is go:
            if b is go:
                return go
            not_boolean(b, scope.state)
        return None

    return run


@_compiles(ast.Between)
def _between(node: ast.Between) -> Evaluator:
    # FEEL-Scala parses `x between a and b` as `x >= a and x <= b` (x evaluated for each)
    above = ast.Binary(">=", node.value, node.low)
    below = ast.Binary("<=", node.value, node.high)
    return compile_node(ast.Logical("and", above, below))


@_compiles(ast.RangeLit)
def _range(node: ast.RangeLit) -> Evaluator:
    start, end = compile_node(node.start), compile_node(node.end)
    closed = (node.start_closed, node.end_closed)
    return lambda scope: Range(start(scope), end(scope), *closed)


@_compiles(ast.InstanceOf)
def _instance_of(node: ast.InstanceOf) -> Evaluator:
    value, type_name = compile_node(node.value), node.type_name
    if type_name == "Any":
        return lambda scope: value(scope) is not None
    return lambda scope: kind(value(scope)) == type_name


@_compiles(ast.If)
def _if(node: ast.If) -> Evaluator:
    condition, then = compile_node(node.condition), compile_node(node.then)
    otherwise = compile_node(node.otherwise)

    def run(scope: Scope) -> Any:
        met = condition(scope)
        if met is True:
            return then(scope)
        if met is not False:
            not_boolean(met, scope.state)
        return otherwise(scope)

    return run


@_compiles(ast.ListLit)
def _list(node: ast.ListLit) -> Evaluator:
    items = [compile_node(item) for item in node.items]
    return lambda scope: [item(scope) for item in items]


@_compiles(ast.ContextLit)
def _context(node: ast.ContextLit) -> Evaluator:
    entries = [(key, compile_node(value)) for key, value in node.entries]

    def run(scope: Scope) -> Any:
        result: dict[str, Any] = {}
        inner = scope.child(result)  # later entries (and functions) see earlier ones
        for key, value in entries:
            result[key] = value(inner)
        return result

    return run


@_compiles(ast.FunctionDef)
def _function(node: ast.FunctionDef) -> Evaluator:
    body, params = compile_node(node.body), node.params
    return lambda scope: user_function(params, body, scope)


COMPILERS[ast.Call] = lambda node: compile_call(node, compile_node)
COMPILERS[ast.Filter] = lambda node: compile_filter(node, compile_node)
COMPILERS[ast.For] = lambda node: compile_for(node, compile_node)
COMPILERS[ast.Quantified] = lambda node: compile_quantified(node, compile_node)
COMPILERS[ast.In] = lambda node: compile_in(node, compile_node)

"""AST -> Python closures, compiled once per expression text (one function per node type)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from zeebe.feel import ast
from zeebe.feel.ast import walk
from zeebe.feel.compiler_loops import compile_filter, compile_for, compile_quantified
from zeebe.feel.library import BUILTINS, invoke_builtin
from zeebe.feel.operators import arithmetic, compare, equal, in_range, negate
from zeebe.feel.properties import get_path
from zeebe.feel.runtime import MISSING, Builtin, Evaluator, Scope, bind_named, user_function
from zeebe.feel.values import FeelFunction, Range, finite, kind

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
        return None if value is MISSING else finite(value)

    return run


@_compiles(ast.Path)
def _path(node: ast.Path) -> Evaluator:
    base, key = compile_node(node.base), node.key

    def run(scope: Scope) -> Any:
        value = base(scope)
        if type(value) is dict:
            return finite(value.get(key))
        return get_path(value, key)

    return run


@_compiles(ast.Negate)
def _negate(node: ast.Negate) -> Evaluator:
    operand = compile_node(node.operand)
    return lambda scope: negate(operand(scope))


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
        return arithmetic(op, a, b)

    return run


def _comparison(op: str, left: Evaluator, right: Evaluator) -> Evaluator:
    """Comparison with a fast path for the common same-type int/Decimal/str operands."""
    native = _NATIVE[op]

    def run(scope: Scope) -> Any:
        a, b = left(scope), right(scope)
        ta, tb = type(a), type(b)
        if (ta is tb and ta in _FAST_TYPES) or (ta in _NUMERIC and tb in _NUMERIC):
            return native(a, b)
        return compare(op, a, b)

    return run


@_compiles(ast.Logical)
def _logical(node: ast.Logical) -> Evaluator:
    left, right = compile_node(node.left), compile_node(node.right)
    # `and` stops at false, `or` at true; the other value keeps the three-valued result.
    stop = node.op == "or"

    def run(scope: Scope) -> Any:
        a = left(scope)
        if a is stop:
            return stop
        b = right(scope)
        if b is stop:
            return stop
        return (not stop) if (a is not stop and type(a) is bool and type(b) is bool) else None

    return run


@_compiles(ast.Between)
def _between(node: ast.Between) -> Evaluator:
    value, low, high = compile_node(node.value), compile_node(node.low), compile_node(node.high)

    def run(scope: Scope) -> Any:
        # FEEL-Scala parses `x between a and b` as `x >= a and x <= b` (three-valued and)
        subject = value(scope)
        above, below = compare(">=", subject, low(scope)), compare("<=", subject, high(scope))
        if above is False or below is False:
            return False
        return True if above is True and below is True else None

    return run


def _unary_test(test: ast.UnaryTest) -> Callable[[Any, Scope], bool | None]:
    operand, op = compile_node(test.operand), test.op
    if op != "value":
        return lambda value, scope: compare(op, value, operand(scope))

    if any(isinstance(n, ast.Name) and n.name == "?" for n in walk(test.operand)):
        # `x in (? > 5)`: the input value is bound to `?` and a boolean result decides.
        def matches_input(value: Any, scope: Scope) -> bool | None:
            result = operand(scope.child({"?": value}))
            return result if result is None or type(result) is bool else _matches(value, result)

        return matches_input

    def matches(value: Any, scope: Scope) -> bool | None:
        return _matches(value, operand(scope))

    return matches


def _matches(value: Any, expected: Any) -> bool | None:
    """A value test: interval containment, list membership, boolean result, or equality."""
    if isinstance(expected, Range):
        return in_range(value, expected)
    if isinstance(expected, list):
        return any(_matches(value, item) is True for item in expected)
    return equal(value, expected)


@_compiles(ast.In)
def _in(node: ast.In) -> Evaluator:
    value, tests = compile_node(node.value), [_unary_test(t) for t in node.tests]

    def run(scope: Scope) -> Any:
        subject = value(scope)
        results = [test(subject, scope) for test in tests]
        if True in results:
            return True
        return None if None in results else False

    return run


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
    return lambda scope: then(scope) if condition(scope) is True else otherwise(scope)


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


@_compiles(ast.Call)
def _call(node: ast.Call) -> Evaluator:
    args = [compile_node(arg) for arg in node.args]
    named = [(key, compile_node(value)) for key, value in node.named or ()]
    resolve = _resolver(node.callee)

    def run(scope: Scope) -> Any:
        target = resolve(scope)
        if target is None:
            return None
        if named:
            values = {key: value(scope) for key, value in named}
            return call_named(target, values, scope)
        return call(target, [arg(scope) for arg in args], scope)

    return run


def _resolver(callee: ast.Node) -> Callable[[Scope], FeelFunction | Any]:
    """Functions bound in scope shadow built-ins; other callee expressions are evaluated."""
    if not isinstance(callee, ast.Name):
        return compile_node(callee)
    name, builtin = callee.name, BUILTINS.get(callee.name)

    def resolve(scope: Scope) -> Any:
        bound = scope.lookup(name)
        if isinstance(bound, FeelFunction):
            return bound
        return builtin

    return resolve


def call(target: Any, args: list[Any], scope: Scope) -> Any:
    """Invoke a built-in or FEEL function value with positional arguments."""
    if isinstance(target, FeelFunction):
        return target.invoke(args)
    return invoke_builtin(target, args, scope.state)


def call_named(target: Any, named: dict[str, Any], scope: Scope) -> Any:
    """Invoke with named arguments, mapped onto the declared parameter names."""
    if isinstance(target, FeelFunction):
        args = bind_named(target.params or (), named)
    else:
        args = target.bind(named) if isinstance(target, Builtin) else None
    return None if args is None else call(target, args, scope)


COMPILERS[ast.Filter] = lambda node: compile_filter(node, compile_node)
COMPILERS[ast.For] = lambda node: compile_for(node, compile_node)
COMPILERS[ast.Quantified] = lambda node: compile_quantified(node, compile_node)

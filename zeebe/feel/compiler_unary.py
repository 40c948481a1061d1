"""Compiler for `x in <unary tests>`: comparisons, intervals, lists, `?` tests and equality."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zeebe.feel import ast
from zeebe.feel.ast import walk
from zeebe.feel.operators import compare, equal, in_range
from zeebe.feel.runtime import Evaluator, Scope
from zeebe.feel.suppressed import not_comparable, not_in_range
from zeebe.feel.values import Range

CompileNode = Callable[[ast.Node], Evaluator]


def _unary_test(
    test: ast.UnaryTest, compile_node: CompileNode
) -> Callable[[Any, Scope], bool | None]:
    operand, op = compile_node(test.operand), test.op
    if op != "value":

        def compares(value: Any, scope: Scope) -> bool | None:
            bound = operand(scope)
            result = compare(op, value, bound)
            if result is None:
                not_comparable(op, value, bound, scope.state)
            return result

        return compares

    if any(isinstance(n, ast.Name) and n.name == "?" for n in walk(test.operand)):
        # `x in (? > 5)`: the input value is bound to `?` and a boolean result decides.
        def matches_input(value: Any, scope: Scope) -> bool | None:
            result = operand(scope.child({"?": value}))
            return result if result is None or type(result) is bool else _matches(value, result)

        return matches_input

    def matches(value: Any, scope: Scope) -> bool | None:
        expected = operand(scope)
        result = _matches(value, expected)
        if result is None and isinstance(expected, Range):
            not_in_range(value, expected.start, expected.end, scope.state)
        return result

    return matches


def _matches(value: Any, expected: Any) -> bool | None:
    """A value test: interval containment, list membership, boolean result, or equality."""
    if isinstance(expected, Range):
        return in_range(value, expected)
    if isinstance(expected, list):
        return any(_matches(value, item) is True for item in expected)
    return equal(value, expected)


def compile_in(node: ast.In, compile_node: CompileNode) -> Evaluator:
    """`x in t1, t2, ...`: true if any unary test holds, null if none holds and one was null."""
    value = compile_node(node.value)
    tests = [_unary_test(t, compile_node) for t in node.tests]

    def run(scope: Scope) -> Any:
        subject = value(scope)
        results = [test(subject, scope) for test in tests]
        if True in results:
            return True
        return None if None in results else False

    return run

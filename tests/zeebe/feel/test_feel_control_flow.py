"""FEEL control flow (zeebe-spec §7.2): if/then/else, for, some/every, user functions."""

from __future__ import annotations

from typing import Any

import pytest

from zeebe.feel import evaluate

pytestmark = pytest.mark.unit

VARIABLES: dict[str, Any] = {"n": 4, "xs": [3, 1, 2], "orders": [{"amount": 5}, {"amount": 20}]}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('if n > 3 then "big" else "small"', "big"),
        ('if n > 9 then "big" else "small"', "small"),
        ("if null then 1 else 2", 2),
        ("if missing > 1 then 1 else 2", 2),
        ('if "yes" then 1 else 2', 2),
        ("if 1 then 1 else 2", 2),
    ],
)
def test_if_then_else(source: str, expected: Any) -> None:
    """§7.2: "If the condition c doesn't evaluate to a boolean value (e.g. null), it executes
    the expression b" (the else branch)."""
    assert evaluate(source, VARIABLES) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("for x in [1, 2, 3] return x * 2", [2, 4, 6]),
        ("for i in 1..n return i", [1, 2, 3, 4]),
        ("for i in 3..1 return i", [3, 2, 1]),
        ("for i in [1, 2], j in [10, 20] return i + j", [11, 21, 12, 22]),
        ("for i in 1..2, j in i..2 return [i, j]", [[1, 1], [1, 2], [2, 2]]),
        ("for i in 1..5 return if i = 1 then 1 else i * partial[-1]", [1, 2, 6, 24, 120]),
        ("for o in orders return o.amount", [5, 20]),
        ("for x in [] return x", []),
        ("for x in null return x", None),
        ('for x in "abc" return x', None),
    ],
)
def test_for(source: str, expected: Any) -> None:
    """§7.2: `for x in xs return e`; ranges `1..n` also count down; multiple iterators are a
    cross product; `partial` holds the previous results; a non-list collection gives null."""
    assert evaluate(source, VARIABLES) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("some x in xs satisfies x > 2", True),
        ("some x in xs satisfies x > 3", False),
        ("every x in xs satisfies x > 0", True),
        ("every x in xs satisfies x > 1", False),
        ("some x in [] satisfies x > 0", False),
        ("every x in [] satisfies x > 0", True),
        ("some o in orders satisfies o.amount > 10", True),
        ("some x in [1, 2], y in [2, 3] satisfies x * y = 6", True),
        ("every x in null satisfies x > 0", None),
    ],
)
def test_quantifiers(source: str, expected: Any) -> None:
    """§7.2: `some x in xs satisfies c` is true if one element satisfies c; `every` if all do."""
    assert evaluate(source, VARIABLES) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{add: function(a, b) a + b, r: add(1, 2)}.r", 3),
        ("{add: function(a, b) a + b, r: add(b: 1, a: 5)}.r", 6),
        ("{inc: function(x) x + 1}.inc(41)", 42),
        ("(function(x) x * 2)(21)", 42),
        ("{fac: function(k) if k <= 1 then 1 else k * fac(k - 1), r: fac(5)}.r", 120),
        ("{f: function(a) a, r: f(1, 2)}.r", None),
        ("{count: function(l) 99, r: count([1])}.r", 99),
        ("{scale: 3, f: function(x) x * scale, r: f(2)}.r", 6),
        ("undefinedFunction(1)", None),
    ],
)
def test_user_functions(source: str, expected: Any) -> None:
    """§7.2 "Functions (user-defined): `function(x, y) x + y` inside contexts"; a function value
    in scope shadows a built-in; calling an unknown function or with wrong arity gives null."""
    assert evaluate(source, VARIABLES) == expected


def test_functions_created_in_a_loop_keep_their_own_iteration_value() -> None:
    """Each `for` iteration has its own bindings, so functions created in the body close over
    that iteration's value."""
    adders = evaluate("for i in 1..3 return function(x) x + i", {})
    assert [adder.invoke([10]) for adder in adders] == [11, 12, 13]


def test_sort_with_a_user_function_and_named_arguments() -> None:
    """§7.3 `sort(list, precedes)` orders by the given function; named arguments map by name."""
    source = "sort(list: [3, 1, 4, 5, 2], precedes: function(x, y) x < y)"
    assert evaluate(source, {}) == [1, 2, 3, 4, 5]

"""The public API of zeebe.feel as the engine uses it: compile/evaluate, errors, JSON values."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from zeebe.feel import (
    CompiledExpression,
    DaysTimeDuration,
    FeelEvaluationError,
    FeelSyntaxError,
    YearsMonthsDuration,
    compile_expression,
    evaluate,
    feel_type_name,
    to_json_value,
    variable_names,
)

pytestmark = pytest.mark.unit


class LookupOnlyScope(Mapping[str, Any]):
    """A variables mapping that fails if FEEL iterates it (the engine's scope chain is lazy)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("FEEL must not iterate the variables")

    def __len__(self) -> int:
        raise AssertionError("FEEL must not size the variables")


def test_compile_is_cached_per_source() -> None:
    """The same text is parsed once: compile_expression returns the cached object."""
    assert compile_expression("a + 1") is compile_expression("a + 1")


def test_compiled_expression_is_reusable_with_different_variables() -> None:
    """A CompiledExpression evaluates many times against different variables."""
    expression = compile_expression('order.total > 100 and customer.tier = "gold"')
    assert isinstance(expression, CompiledExpression)
    assert expression.source == 'order.total > 100 and customer.tier = "gold"'
    gold = {"order": {"total": 150}, "customer": {"tier": "gold"}}
    assert expression.evaluate(gold) is True
    assert expression.evaluate({"order": {"total": 50}, "customer": {"tier": "gold"}}) is False
    assert expression.evaluate({}) is False


def test_compiled_expression_is_immutable() -> None:
    """A CompiledExpression is shared between callers, so it cannot be changed."""
    expression = compile_expression("1 + 1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        expression.source = "2 + 2"  # type: ignore[misc]


def test_variables_are_only_looked_up() -> None:
    """`variables` may be a lazy Mapping: FEEL only calls get/__getitem__/__contains__."""
    scope = LookupOnlyScope({"a": 1, "b": {"c": 2}})
    assert evaluate("a + b.c + count([missing])", scope) == 4


def test_json_floats_are_decimals_in_feel() -> None:
    """§7.2 numbers are decimals: a JSON float variable compares equal to the FEEL literal."""
    assert evaluate("price * 3 = 0.3", {"price": 0.1}) is True


@pytest.mark.parametrize(
    ("source", "position", "expected"),
    [
        ("x >", 3, "expected an expression"),
        ("(1 + 2", 6, "expected ')'"),
        ("[1, 2", 5, "expected ',' or ']'"),
        ("{a: 1 b: 2}", 6, "expected ',' or '}'"),
        ("f(1, 2", 6, "expected ',' or ')'"),
        ("if x then 1", 11, "expected 'else'"),
        ("1 2", 2, "expected end of input"),
        ('"open', 0, "unterminated string"),
        ("a # b", 2, "unexpected character"),
        ("for x in return 1", 9, "expected an expression"),
        ("x instance of 5", 14, "expected a type name"),
    ],
)
def test_syntax_errors_name_position_and_expectation(
    source: str, position: int, expected: str
) -> None:
    """Parse errors raise FeelSyntaxError naming the expression, what was expected and where."""
    with pytest.raises(FeelSyntaxError) as error:
        compile_expression(source)
    message = str(error.value)
    assert message.startswith(f"failed to parse expression '{source}': {expected}")
    assert f" at {position}" in message


def test_syntax_error_is_a_value_error() -> None:
    """FeelSyntaxError subclasses ValueError so callers can treat it as bad input."""
    assert issubclass(FeelSyntaxError, ValueError)


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    """Pathological nesting is rejected by the parser instead of exhausting the stack."""
    with pytest.raises(FeelSyntaxError, match="nested too deeply"):
        compile_expression("(" * 500 + "1" + ")" * 500)


@pytest.mark.parametrize(
    "source",
    [
        "for i in 1..100000000 return i",
        "count(for i in 1..1000, j in 1..1000, k in 1..10 return 1)",
        "{f: function(n) f(n + 1), r: f(1)}.r",
        "count(for i in 1..100000 return partial)",
    ],
)
def test_evaluation_budget_is_bounded(source: str) -> None:
    """Huge ranges, cross products and unbounded recursion exhaust a bounded budget and raise
    FeelEvaluationError (Zeebe raises an incident) instead of hanging."""
    with pytest.raises(FeelEvaluationError):
        evaluate(source, {})


def _doubling(seed: str, step: str) -> str:
    entries = "".join(f", a{i + 1}: {step.format(p=f'a{i}')}" for i in range(40))
    return f"{{a0: {seed}{entries}}}"


@pytest.mark.parametrize(
    "source",
    [
        _doubling('"xxxxxxxxxx"', "{p} + {p}"),
        _doubling("[1, 2, 3, 4]", "concatenate({p}, {p})"),
        'replace(string join(for i in 1..9999 return "ab"), "", '
        'string join(for i in 1..999 return "c"))',
    ],
)
def test_memory_is_bounded(source: str) -> None:
    """Strings and lists that double per context entry stop at a size limit with
    FeelEvaluationError instead of exhausting memory."""
    with pytest.raises(FeelEvaluationError, match=r"exceeds|too large"):
        evaluate(source, {})


def test_now_defaults_to_the_current_utc_time() -> None:
    """Without `now`, `now()` is the current time in UTC."""
    before = datetime.now(UTC)
    result = evaluate("now()", {})
    assert before <= result <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "NULL"),
        (True, "BOOLEAN"),
        (1, "NUMBER"),
        (1.5, "NUMBER"),
        (Decimal("1.5"), "NUMBER"),
        ("a", "STRING"),
        ([1], "LIST"),
        ({"a": 1}, "CONTEXT"),
        (date(2020, 1, 1), "DATE"),
        (datetime(2020, 1, 1, tzinfo=UTC), "DATE_TIME"),
        (DaysTimeDuration(1), "DAYS_TIME_DURATION"),
        (YearsMonthsDuration(1), "YEARS_MONTHS_DURATION"),
    ],
)
def test_feel_type_name(value: Any, expected: str) -> None:
    """Zeebe names value types in incident messages (e.g. "but was 'STRING'")."""
    assert feel_type_name(value) == expected


def test_feel_type_name_of_time_and_function() -> None:
    """Times and function values have their own type names."""
    assert feel_type_name(evaluate('time("10:00:00")', {})) == "TIME"
    assert feel_type_name(evaluate("function(x) x", {})) == "FUNCTION"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.0"), 2),
        (Decimal("2.5"), 2.5),
        (2.0, 2),
        (True, True),
        ({"a": [Decimal("0.1"), None]}, {"a": [0.1, None]}),
        (date(2017, 3, 10), "2017-03-10"),
        (DaysTimeDuration.of(days=4), "P4D"),
    ],
)
def test_to_json_value(value: Any, expected: Any) -> None:
    """FEEL values become JSON values: integral numbers as int, others as float, temporal
    values as ISO strings, contexts as dicts and lists as lists."""
    result = to_json_value(value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2**63 - 1, 2**63 - 1),
        (2**63, float(2**63)),
        (Decimal("1E+80"), 1e80),
        (Decimal("1E+999"), None),
    ],
)
def test_to_json_value_of_large_numbers(value: Any, expected: Any) -> None:
    """Zeebe writes whole numbers as a long, others as a double: whole numbers outside int64
    become floats, numbers beyond double range null."""
    result = to_json_value(value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [("v = null", True), ("v > 1", None), ("-v", None), ("ctx.v + 1", None), ("string(v)", None)],
)
def test_non_finite_float_variables_read_as_null(source: str, expected: Any) -> None:
    """§7.2: FEEL numbers are decimals; "NaN/±∞ become null"."""
    nan = float("nan")
    assert evaluate(source, {"v": nan, "ctx": {"v": float("inf")}}) == expected


def test_results_are_plain_python_values() -> None:
    """Integral results are int, non-integral numbers Decimal, lists list, contexts dict."""
    assert type(evaluate("4 / 2", {})) is int
    assert evaluate("1 / 4", {}) == Decimal("0.25")
    assert evaluate("{a: [1]}", {}) == {"a": [1]}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('order.total > 100 and customer.tier = "gold"', {"order", "customer"}),
        ("for x in items return x.price * rate", {"items", "rate"}),
        ("{a: 1, b: a + c}", {"c"}),
        ("(function(p) p + q)(1)", {"q"}),
        ("xs[item > limit]", {"xs", "limit"}),
        ("string length(name)", {"name"}),
        ("`tracking-id`", {"tracking-id"}),
        ("1 + 2", set()),
    ],
)
def test_variable_names(source: str, expected: set[str]) -> None:
    """variable_names lists the top-level variables an expression reads (not locals)."""
    assert variable_names(source) == frozenset(expected)

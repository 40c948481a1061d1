"""FEEL built-in functions (zeebe-spec §7.3), with the documented examples of the Camunda FEEL
built-in function pages (list, string, numeric, boolean, context, conversion)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zeebe.feel import FeelEvaluationError, evaluate

pytestmark = pytest.mark.unit


def check(source: str, expected: Any) -> None:
    """Evaluate without variables and compare value and (for numbers) exactness."""
    result = evaluate(source, {})
    assert result == expected
    if isinstance(expected, bool | None):
        assert result is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("list contains([1, 2, 3], 2)", True),
        ("list contains([1, 2, 3], 5)", False),
        ("list contains([1, null], null)", True),
        ("count([1, 2, 3])", 3),
        ("count([1, [2, 3]])", 2),
        ('count("abc")', None),
        ("min([1, 2, 3])", 1),
        ("min(1, 2, 3)", 1),
        ("max([])", None),
        ('max("a", "c", "b")', "c"),
        ('min(1, "a")', None),
        ("sum([1, 2, 3])", 6),
        ("sum(1, 2, 3)", 6),
        ("sum([])", None),
        ("sum([1, 2.5])", Decimal("3.5")),
        ('sum([1, "a"])', None),
        ("product([2, 3, 4])", 24),
        ("mean([1, 2, 3])", 2),
        ("mean(1, 2, 3, 4)", Decimal("2.5")),
        ("median(8, 2, 5, 3, 4)", 4),
        ("median([6, 1, 2, 3])", Decimal("2.5")),
        ("mode(6, 3, 9, 6, 6)", [6]),
        ("mode([6, 1, 9, 6, 1])", [1, 6]),
        ("and([true, false])", False),
        ("and([false, null, true])", False),
        ("and([true, null, true])", None),
        ("and([])", True),
        ("all(true, true)", True),
        ("or([false, true])", True),
        ("or([false, null, false])", None),
        ("any([])", False),
        ("sublist([1, 2, 3], 2)", [2, 3]),
        ("sublist([1, 2, 3], 1, 2)", [1, 2]),
        ("append([1], 2, 3)", [1, 2, 3]),
        ("concatenate([1, 2], [3])", [1, 2, 3]),
        ("insert before([1, 3], 1, 2)", [2, 1, 3]),
        ("remove([1, 2, 3], 2)", [1, 3]),
        ("reverse([1, 2, 3])", [3, 2, 1]),
        ("index of([1, 2, 3, 2], 2)", [2, 4]),
        ("union([1, 2], [2, 3])", [1, 2, 3]),
        ("distinct values([1, 2, 3, 2, 1])", [1, 2, 3]),
        ("flatten([[1, 2], [[3]], 4])", [1, 2, 3, 4]),
        ("sort([3, 1, 4, 5, 2])", [1, 2, 3, 4, 5]),
        ("sort([3, 1, 4], function(x, y) x > y)", [4, 3, 1]),
        ('string join(["a", "b", "c"], ", ")', "a, b, c"),
        ('string join(["a", null, "c"])', "ac"),
        ('string join(["a", "b"], "-", "[", "]")', "[a-b]"),
        ("is empty([])", True),
        ("is empty([1])", False),
        ("duplicate values([1, 2, 3, 2, 1])", [1, 2]),
        ("partition([1, 2, 3, 4, 5], 2)", [[1, 2], [3, 4], [5]]),
        ("partition([1, 2], 0)", None),
    ],
)
def test_list_functions(source: str, expected: Any) -> None:
    """§7.3 List functions: varargs or list forms, 1-based positions, null items ignored by
    `string join`, non-list arguments -> null."""
    check(source, expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('substring("foobar", 3)', "obar"),
        ('substring("foobar", 3, 3)', "oba"),
        ('substring("foobar", -2, 1)', "a"),
        ('substring(string: "foobar", start position: 3)', "obar"),
        ('string length("foo")', 3),
        ("string length(1)", None),
        ('upper case("aBc4")', "ABC4"),
        ('lower case("aBc4")', "abc4"),
        ('substring before("foobar", "bar")', "foo"),
        ('substring before("foobar", "xyz")', ""),
        ('substring after("foobar", "ob")', "ar"),
        ('contains("foobar", "of")', False),
        ('contains("foobar", "oba")', True),
        ('starts with("foobar", "fo")', True),
        ('ends with("foobar", "r")', True),
        ('matches("foobar", "^fo*bar")', True),
        ('matches("FooBar", "foobar", "i")', True),
        ('matches("foo", "[")', None),
        ('replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', "[1=ab][2=]cd"),
        ('replace("a.b", ".", "-", "q")', "a-b"),
        ('split("John Doe", "\\s")', ["John", "Doe"]),
        ('split("a;b;c;;", ";")', ["a", "b", "c", "", ""]),
        ('extract("references are 1234, 1256, 1378", "12[0-9]*")', ["1234", "1256"]),
        ('trim("  hello world  ")', "hello world"),
        ('is blank("")', True),
        ('is blank(" a ")', False),
        ('to base64("FEEL")', "RkVFTA=="),
    ],
)
def test_string_functions(source: str, expected: Any) -> None:
    """§7.3 String functions: 1-based substring (negative from end), regex functions with
    `$1` group references and flags, invalid arguments -> null."""
    check(source, expected)


def test_uuid_is_random_and_well_formed() -> None:
    """§7.3 `uuid()` returns a new random UUID string each call."""
    first, second = evaluate("uuid()", {}), evaluate("uuid()", {})
    assert len(first) == 36 and first.count("-") == 4
    assert first != second


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("decimal(1/3, 2)", Decimal("0.33")),
        ("decimal(1.5, 0)", 2),
        ("decimal(2.5, 0)", 2),
        ("floor(1.5)", 1),
        ("floor(-1.5)", -2),
        ("floor(1.567, 2)", Decimal("1.56")),
        ("ceiling(1.5)", 2),
        ("ceiling(-1.5)", -1),
        ("round up(5.5)", 6),
        ("round up(-5.5)", -6),
        ("round up(1.121, 2)", Decimal("1.13")),
        ("round down(5.5)", 5),
        ("round down(-5.5)", -5),
        ("round half up(5.5)", 6),
        ("round half up(-5.5)", -6),
        ("round half up(1.125, 2)", Decimal("1.13")),
        ("round half down(5.5)", 5),
        ("round half down(-5.5)", -5),
        ("abs(-10)", 10),
        ("abs(1.5)", Decimal("1.5")),
        ('abs("a")', None),
        ("modulo(12, 5)", 2),
        ("modulo(-12, 5)", 3),
        ("modulo(12, -5)", -3),
        ("modulo(-12, -5)", -2),
        ("modulo(10.1, 4.5)", Decimal("1.1")),
        ("modulo(1, 0)", None),
        ("sqrt(16)", 4),
        ("sqrt(-1)", None),
        ("odd(5)", True),
        ("even(5)", False),
        ("even(2.5)", False),
    ],
)
def test_numeric_functions(source: str, expected: Any) -> None:
    """§7.3 Numeric functions: `decimal` rounds HALF_EVEN, explicit rounding modes, modulo
    takes the sign of the divisor."""
    check(source, expected)


def test_random_number_is_a_number_in_the_unit_interval() -> None:
    """FEEL built-in numeric functions: `random number()` "Returns a random number between 0
    and 1"; FEEL-Scala draws a double in [0, 1). Models use it inside other calls, e.g.
    `round down(random number() * 100000, 0)` (multi-word name with no arguments)."""
    draws = [evaluate("random number()", {}) for _ in range(50)]
    assert all(isinstance(d, Decimal) and 0 <= d < 1 for d in draws)
    assert len(set(draws)) > 1
    scaled = evaluate("round down(random number() * 100000, 0)", {})
    assert isinstance(scaled, int) and 0 <= scaled < 100000


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("log(10)", 2.302585092994046),
        ("exp(5)", 148.4131591025766),
        ("stddev(2, 4, 7, 5)", 2.0816659994661326),
    ],
)
def test_irrational_results_match_the_documented_double(source: str, expected: float) -> None:
    """§7.3 `log`, `exp`, `stddev`: the documented results, to double precision."""
    assert float(evaluate(source, {})) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("not(true)", False),
        ("not(null)", None),
        ("is defined(1)", True),
        ("is defined(null)", False),
        ("is defined(missing)", False),
        ("is defined({a: 1}.b)", False),
        ('get or else("this", "default")', "this"),
        ('get or else(null, "default")', "default"),
        ("assert(1, 1 > 0)", 1),
    ],
)
def test_boolean_and_null_functions(source: str, expected: Any) -> None:
    """§7.3 Boolean/null: `is defined(v)` is false for null or missing; `get or else`."""
    check(source, expected)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("assert(1, 1 < 0)", "The condition is not fulfilled"),
        ('assert(1, null, "x is null")', "x is null"),
    ],
)
def test_failed_assert_raises(source: str, message: str) -> None:
    """§7.2: "`assert(value, condition[, cause])` fails evaluation on purpose (-> incident)"."""
    with pytest.raises(FeelEvaluationError, match=message):
        evaluate(source, {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('get value({a: 1}, "a")', 1),
        ('get value({a: {b: 2}}, ["a", "b"])', 2),
        ('get value({a: 1}, "b")', None),
        ('get entries({key1: "value1"})', [{"key": "key1", "value": "value1"}]),
        ('context put({x: 1}, "y", 2)', {"x": 1, "y": 2}),
        ('context put({x: 1}, "x", 2)', {"x": 2}),
        ('context put({x: {y: 1}}, ["x", "z"], 2)', {"x": {"y": 1, "z": 2}}),
        ("context merge([{x: 1}, {y: 2}])", {"x": 1, "y": 2}),
        ("context merge([{x: 1}, {x: 2}])", {"x": 2}),
        ('context([{key: "a", value: 1}, {key: "b", value: 2}])', {"a": 1, "b": 2}),
        ('put({x: 1}, "y", 2)', {"x": 1, "y": 2}),
        ('put({x: 1}, ["y"], 2)', None),
        ("put all([{x: 1}, {y: 2}])", {"x": 1, "y": 2}),
        ("put all({x: 1}, {x: 2})", {"x": 2}),
        ("context([{value: 1}])", None),
    ],
)
def test_context_functions(source: str, expected: Any) -> None:
    """§7.3 Context functions: `get value(ctx, key | keys)`, `get entries` -> [{key, value}],
    `context put`, `context merge`, `context(entries)`; FEEL-Scala still accepts the deprecated
    names `put` (one string key) and `put all` (= `context merge`)."""
    check(source, expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("string(1)", "1"),
        ("string(1.5)", "1.5"),
        ("string(1.50)", "1.5"),
        ("string(1/4)", "0.25"),
        ("string(null)", None),
        ("string(true)", "true"),
        ('string("a")', "a"),
        ('string(date("2012-12-25"))', "2012-12-25"),
        ('string(duration("P1DT2H"))', "P1DT2H"),
        ('number("1500.5")', Decimal("1500.5")),
        ('number("1,500.5", ",", ".")', Decimal("1500.5")),
        ('number("1 500,5", " ", ",")', Decimal("1500.5")),
        ('number("1,500", ",")', 1500),
        ('number("12")', 12),
        ('number("abc")', None),
        ('from json("{\\"a\\": 1.5, \\"b\\": [1, null]}")', {"a": Decimal("1.5"), "b": [1, None]}),
        ('from json("not json")', None),
        ('to json({a: 1, b: "x", c: [true, null]})', '{"a":1,"b":"x","c":[true,null]}'),
        ('to json(date("2020-01-01"))', '"2020-01-01"'),
    ],
)
def test_conversion_functions(source: str, expected: Any) -> None:
    """§7.3 Conversion: `string(x)` in FEEL-Scala style ("1", "1.5", "null"), `number(s[,
    grouping[, decimal]])` null if not a number, `from json`/`to json`."""
    check(source, expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("fromAi(toolCall.city)", "Berlin"),
        ('fromAi(toolCall.city, "The city to look up")', "Berlin"),
        ('fromAi(value: toolCall.days, description: "Days ahead", type: "number")', 3),
        ("fromAi(toolCall.missing)", None),
    ],
)
def test_from_ai_is_its_value_at_run_time(source: str, expected: Any) -> None:
    """Camunda 8.8 `fromAi(value, description, type, schema, options)` in ad-hoc tool input
    mappings: the AI agent's argument, evaluated as `value` (the rest describes it)."""
    assert evaluate(source, {"toolCall": {"city": "Berlin", "days": 3}}) == expected

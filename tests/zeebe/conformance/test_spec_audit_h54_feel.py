"""Spec audit (h54), section 7: FEEL as Zeebe models use it (7.1 expression contract, 7.2
language subset, 7.3 built-in functions). Each group quotes its spec lines; values are compared
in their JSON form, as a process variable would hold them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.zeebe.engine.engine_support import Driver, bpmn, chain
from zeebe.feel import FeelAssertionError, evaluate, to_json_value

pytestmark = pytest.mark.unit

VARIABLES: dict[str, Any] = {
    "missing_is_absent": None,
    "tracking-id": "t-1",
    "order": {"total price": 10},
    "orders": [{"id": 1, "amount": 5}, {"id": 2, "amount": 20}],
}


def _value(expression: str) -> Any:
    return to_json_value(evaluate(expression, VARIABLES))


def _check(cases: list[tuple[str, Any]]) -> None:
    wrong = [(e, _value(e), want) for e, want in cases if _value(e) != want]
    assert not wrong, wrong


def test_literals_and_paths() -> None:
    """Spec 7.2: numbers `.5`, `-2`; "NaN/±∞ become null"; string escapes `\\" \\\\ \\n \\r \\t
    \\uXXXX`; contexts where "later entries may reference earlier ones: `{a: 2, b: a * 2}`";
    "If no variable exists with the given name, the expression returns `null`"; backticks
    `` `tracking-id` ``, `` order.`total price` ``."""
    _check(
        [
            (".5 + 1", 1.5),
            ("-2", -2),
            ('"a\\tb" + "\\u0041"', "a\tbA"),
            ("{a: 2, b: a * 2}.b", 4),
            ("nowhere", None),
            ("nowhere.deeper", None),
            ("`tracking-id`", "t-1"),
            ("order.`total price`", 10),
            ('get value(order, "total price")', 10),
        ]
    )


def test_arithmetic_and_comparison() -> None:
    """Spec 7.2: "string concatenation with `+` only between strings ... otherwise a type
    mismatch yields `null`"; `x between a and b`; "`x = null` is true if x is null *or does not
    exist*; `is defined(x)` distinguishes"."""
    _check(
        [
            ('"order-" + string(123)', "order-123"),
            ('"a" + 1', None),
            ("2 ** 3", 8),
            ("10 / 0", None),
            ("2 between 1 and 3", True),
            ("nowhere = null", True),
            ("missing_is_absent = null", True),
            ("is defined(nowhere)", False),
            ('"a" < 1', None),
        ]
    )


def test_three_valued_boolean_logic() -> None:
    """Spec 7.2: "`true and null` -> null, `false and null` -> false"; `or` "true if one true,
    false if all false, else null"; `not(x)`."""
    _check(
        [
            ("true and null", None),
            ("false and null", False),
            ("true or null", True),
            ("false or null", None),
            ("not(true)", False),
            ("not(null)", None),
        ]
    )


def test_membership_conditionals_and_iteration() -> None:
    """Spec 7.2: `5 in (3..7)`, `5 in [2,4,6,8]`; "If the condition `c` doesn't evaluate to a
    boolean value (e.g. `null`), it executes the expression `b`"; ranges "also count down";
    "multiple iterators = cross product; `partial` holds previous results"; some/every."""
    _check(
        [
            ("5 in (3..7)", True),
            ("5 in (5..7)", False),
            ("5 in [5..7]", True),
            ("5 in [2,4,6,8]", False),
            ('"a" in ("a","b")', True),
            ("if null then 1 else 2", 2),
            ("for i in 3..1 return i", [3, 2, 1]),
            ("for x in [1,2], y in [3,4] return x * y", [3, 4, 6, 8]),
            ("for i in 1..4 return if i <= 2 then i else partial[-1] + partial[-2]", [1, 2, 3, 5]),
            ("some x in [1,2] satisfies x > 1", True),
            ("every x in [1,2] satisfies x > 1", False),
        ]
    )


def test_lists_contexts_and_functions() -> None:
    """Spec 7.2: "index is **1-based** ..., negative from end ..., out of range -> null; filter
    `xs[item > 2]`"; "filter by field `orders[amount > 10]` and projection `orders.amount`";
    user functions `function(x, y) x + y` inside contexts; `instance of`."""
    _check(
        [
            ("[1,2,3,4][1]", 1),
            ("[1,2,3,4][-1]", 4),
            ("[1,2][5]", None),
            ("[1,2,3][item > 1]", [2, 3]),
            ("orders[amount > 10].id", [2]),
            ("orders.amount", [5, 20]),
            ("{f: function(x, y) x + y}.f(1, 2)", 3),
            ("1 instance of number", True),
            ('@"PT6H" instance of days and time duration', True),
        ]
    )


def test_errors_yield_null_but_assert_fails() -> None:
    """Spec 7.2: "if something goes wrong, return `null`" (missing function, bad arguments);
    "`assert(value, condition[, cause])` fails evaluation on purpose"."""
    _check([("nosuchfunction(1)", None), ('sqrt("x")', None), ("NaN", None)])
    with pytest.raises(FeelAssertionError, match="no order"):
        evaluate('assert(order2, order2 != null, "no order")', {})


def test_list_and_string_builtins() -> None:
    """Spec 7.3: `index of` "(1-based positions)", `string join` "(null items ignored)",
    `substring` "(1-based; negative from end)", `replace` "(`$1` groups)", `split`, `extract`,
    `to base64`, `is blank`, list aggregates."""
    _check(
        [
            ("index of([1,2,3,2], 2)", [2, 4]),
            ('string join(["a",null,"b"], "-")', "a-b"),
            ('string join(["a","b"], "-", "[", "]")', "[a-b]"),
            ('substring("foobar", -2, 1)', "a"),
            ('substring("foobar", 3)', "obar"),
            ('replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', "[1=ab][2=]cd"),
            ('matches("FooBar", "foo", "i")', True),
            ('split("John Doe", "\\s")', ["John", "Doe"]),
            ('extract("references are 1234, 1256, 1378", "12[0-9]*")', ["1234", "1256"]),
            ('to base64("FEEL")', "RkVFTA=="),
            ('is blank("  ")', True),
            ("sort([3,1,2], function(x, y) x < y)", [1, 2, 3]),
            ("median(8, 2, 5, 3, 4)", 4),
            ("sublist([1,2,3], 2)", [2, 3]),
            ("insert before([1,3], 2, 2)", [1, 2, 3]),
            ("distinct values([1,2,1])", [1, 2]),
            ("flatten([[1,[2]],3])", [1, 2, 3]),
        ]
    )


def test_numeric_boolean_context_and_conversion_builtins() -> None:
    """Spec 7.3: `decimal(n, scale[, mode])` "(default HALF_EVEN)", rounding functions, `modulo`;
    `get or else`; context functions; `number(s[, grouping[, decimal]])` "(null if not a
    number)"; `from json` / `to json`."""
    _check(
        [
            ("decimal(2.5, 0)", 2),
            ("decimal(3.5, 0)", 4),
            ("round half down(5.5, 0)", 5),
            ("round half up(-5.5, 0)", -6),
            ("modulo(-12, 5)", 3),
            ("get or else(null, 3)", 3),
            ("get entries({a: 1})", [{"key": "a", "value": 1}]),
            ('context put({x: {y: 1}}, ["x", "z"], 2)', {"x": {"y": 1, "z": 2}}),
            ("context merge([{a: 1}, {b: 2}])", {"a": 1, "b": 2}),
            ('number("1,000.5", ",", ".")', 1000.5),
            ('number("x")', None),
            ('from json("{\\"a\\": 1}")', {"a": 1}),
            ("to json({a: [1, null]})", '{"a":[1,null]}'),
        ]
    )


def test_temporal_builtins_and_arithmetic() -> None:
    """Spec 7.3: `day of week(d)` / `month of year` (English names), `week of year`; "date -
    date -> days-time duration; duration x number; duration / duration -> number; mixing zoned
    and local values -> null"; properties `.weekday (1=Monday)`, `.time offset`, `.timezone`;
    docs example `(now() - @"1970-01-01T00:00Z") / @"PT1S" * 1000`."""
    _check(
        [
            ('day of week(date("2019-09-17"))', "Tuesday"),
            ('month of year(date("2019-09-17"))', "September"),
            ('week of year(date("2019-09-17"))', 38),
            ('string(date("2020-01-31") - date("2020-01-01"))', "P30D"),
            ('string(@"PT1H" * 2)', "PT2H"),
            ('@"P1D" / @"PT1H"', 24),
            (
                'date and time("2020-01-01T00:00:00") - date and time("2020-01-01T00:00:00Z")',
                None,
            ),
            ('date("2019-09-17").weekday', 2),
            ('date and time("2020-04-06T08:00:00+02:00").time offset', "PT2H"),
            ('string(date and time("2015-09-18T10:31:10@Europe/Paris").timezone)', "Europe/Paris"),
            ('(@"1970-01-01T00:00:10Z" - @"1970-01-01T00:00Z") / @"PT1S" * 1000', 10000),
            ('years and months duration(date("2011-12-22"), date("2013-08-24"))', "P1Y8M"),
        ]
    )


def test_a_runaway_expression_raises_an_incident() -> None:
    """Spec 7.1: evaluations time out ("five seconds by default") and "an incident is raised".
    The embedded engine bounds evaluation by a step budget instead of wall-clock time."""
    expression = "=count(for i in 1..2000 return for j in 1..2000 return j)"
    body = (
        '<bpmn:startEvent id="s"/><bpmn:scriptTask id="t"><bpmn:extensionElements>'
        f'<zeebe:script expression="{expression}" resultVariable="r"/></bpmn:extensionElements>'
        '</bpmn:scriptTask><bpmn:endEvent id="e"/>' + chain("s", "t", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    driver.create("p")
    [incident] = driver.incidents()
    assert incident["elementId"] == "t"


def test_a_non_boolean_condition_raises_an_incident() -> None:
    """Spec 7.1: "conditions must yield boolean (else incident "A condition doesn't return true
    or false")" - here no flow's condition holds and there is no default flow."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/><bpmn:endEvent id="e"/>'
        + chain("s", "g")
        + '<bpmn:sequenceFlow id="f_g_e" sourceRef="g" targetRef="e">'
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    driver.create("p", {"amount": 5})
    [incident] = driver.incidents()
    assert (incident["errorType"], incident["elementId"]) == ("CONDITION_ERROR", "g")

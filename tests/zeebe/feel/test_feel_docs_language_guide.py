"""Documented examples of Camunda's FEEL language guide (docs.camunda.io,
components/modeler/feel/language-guide/*, Camunda 8.8 = FEEL-Scala 1.19): one table per
page, each row an expression and its documented result as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from feel_docs_support import expected_json, result_json

pytestmark = pytest.mark.unit

# feel-boolean-expressions
BOOLEAN_EXPRESSIONS = [
    ("5 = 5", "true"),
    ("5 != 5", "false"),
    ('date("2020-04-05") < date("2020-04-06")', "true"),
    ('time("08:00:00") <= time("08:00:00")', "true"),
    ('duration("P1D") > duration("P5D")', "false"),
    ('duration("P1Y") >= duration("P6M")', "true"),
    ("5 between 3 and 7", "true"),
    ('date("2020-04-06") between date("2020-04-05") and date("2020-04-09")', "true"),
    ("null = null", "true"),
    ('"foo" = null', "false"),
    ("{x: null}.x = null", "true"),
    ("{}.y = null", "true"),
    ("true and true", "true"),
    ("true and false", "false"),
    ("true and null", "null"),
    ('true and "otherwise"', "null"),
    ("false and null", "false"),
    ('false and "otherwise"', "false"),
    ("true or false", "true"),
    ("false or false", "false"),
    ("true or null", "true"),
    ('true or "otherwise"', "true"),
    ("false or null", "null"),
    ('false or "otherwise"', "null"),
    ("1 instance of number", "true"),
    ("1 instance of string", "false"),
    ("1 instance of Any", "true"),
    ("null instance of Any", "false"),
    ('duration("P3M") instance of years and months duration', "true"),
    ('duration("PT4H") instance of days and time duration', "true"),
    ("true instance of boolean", "true"),
    ('"a" instance of string', "true"),
    ('date("2020-04-06") instance of date', "true"),
    ('time("08:00:00") instance of time', "true"),
    ('date and time("2020-04-06T08:00:00") instance of date and time', "true"),
    ("[1] instance of list", "true"),
    ("{a: 1} instance of context", "true"),
    ("(function(x) x) instance of function", "true"),
    ("5 in (3..7)", "true"),
    ('date("2021-06-04") in [date("2021-05-01")..date("2021-05-31")]', "false"),
    ("5 in (3,5,7)", "true"),
    ("5 in [2,4,6,8]", "false"),
]

# feel-numeric-expressions
NUMERIC_EXPRESSIONS = [
    ("1", "1"),
    ("0.5", "0.5"),
    (".5", "0.5"),
    ("-2", "-2"),
    ("01", "1"),
    ("-0002", "-2"),
    ("2 + 3", "5"),
    ("5 - 3", "2"),
    ("5 * 3", "15"),
    ("6 / 2", "3"),
    ("2 ** 3", "8"),
]

# feel-string-expressions
STRING_EXPRESSIONS = [
    ('"valid"', '"valid"'),
    ('"foo" + "bar"', '"foobar"'),
    ('"order-" + string(123)', '"order-123"'),
]

# feel-list-expressions
LIST_EXPRESSIONS = [
    ("[1,2,3,4]", "[1, 2, 3, 4]"),
    ("[[1,2], [3,4], [5,6]]", "[[1, 2], [3, 4], [5, 6]]"),
    ("[1,2,3,4][1]", "1"),
    ("[1,2,3,4][2]", "2"),
    ("[1,2,3,4][4]", "4"),
    ("[1,2,3,4][5]", "null"),
    ("[1,2,3,4][0]", "null"),
    ("[1,2,3,4][-1]", "4"),
    ("[1,2,3,4][-2]", "3"),
    ("[1,2,3,4][-5]", "null"),
    ("[1,2,3,4][item > 2]", "[3, 4]"),
    ("[1,2,3,4][item > 10]", "[]"),
    ("[1,2,3,4][even(item)]", "[2, 4]"),
    ("some x in [1,2,3] satisfies x > 2", "true"),
    ("some x in [1,2,3] satisfies x > 5", "false"),
    ("some x in [1,2,3] satisfies even(x)", "true"),
    ("some x in [1,2], y in [2,3] satisfies x < y", "true"),
    ("every x in [1,2,3] satisfies x >= 1", "true"),
    ("every x in [1,2,3] satisfies x >= 2", "false"),
    ("every x in [1,2,3] satisfies even(x)", "false"),
    ("every x in [1,2], y in [2,3] satisfies x < y", "false"),
]

# feel-context-expressions
CONTEXT_EXPRESSIONS = [
    ("{ a: 1, b: 2 }", '{"a": 1, "b": 2}'),
    ('{ "a": 1, "b": 2 }', '{"a": 1, "b": 2}'),
    ("{ a: 2, b: a * 2 }", '{"a": 2, "b": 4}'),
    ("{ a: 1, b: { c: 2 } }", '{"a": 1, "b": {"c": 2}}'),
    ("{ a: 2 }.a", "2"),
    ("{ a: { b: 3 } }.a", '{"b": 3}'),
    ("{ a: { b: 3 } }.a.b", "3"),
    ('[ { a: "p1", b: 5 }, { a: "p2", b: 10 } ][b > 7]', '[{"a": "p2", "b": 10}]'),
    ('[ { a: "p1", b: 5 }, { a: "p2", b: 10 } ].a', '["p1", "p2"]'),
]

# feel-control-flow
CONTROL_FLOW = [
    ('if 5 < 10  then "low" else "high"', '"low"'),
    ('if 12 < 10 then "low" else "high"', '"high"'),
    ('if null then "low" else "high"', '"high"'),
    ("for x in [1,2,3] return x * 2", "[2, 4, 6]"),
    ("for x in [1,2], y in [3,4] return x * y", "[3, 4, 6, 8]"),
    (
        "for i in 1..10 return if (i <= 2) then 1 else partial[-1] + partial[-2]",
        "[1, 1, 2, 3, 5, 8, 13, 21, 34, 55]",
    ),
    (
        'for x in ["a","b","c"] return {value: x, index: count(partial) + 1}',
        '[{"value":"a","index":1},{"value":"b","index":2},{"value":"c","index":3}]',
    ),
    ("for x in 0..8 return 2 ** x", "[1, 2, 4, 8, 16, 32, 64, 128, 256]"),
    ("for x in 3..1 return 2 * x", "[6, 4, 2]"),
]

# feel-error-handling
ERROR_HANDLING = [
    ("a.b > 10", "null"),
    ("[{a: 1}, {b: 2}].a", "[1, null]"),
    ("[{a: 1}, {b: 2}][a < 10]", '[{"a": 1}]'),
    ("a != null and a.b > 10", "false"),
    ('get or else(a, "prio-99")', '"prio-99"'),
]

# feel-functions
FUNCTIONS = [
    ('contains("me@camunda.com", ".com")', "true"),
    ('contains(string: "me@camunda.com", match: ".de")', "false"),
    ("unknownFunction(1)", "null"),
    ('contains(1, ".com")', "null"),
    ('{ age: function(birthday) (today() - birthday).years }.age(@"1990-01-01")', "null"),
    ("{ f: function(a,b) a + b }.f(1, 2)", "3"),
    ("{ f: function(a,b) a + b }.f(b: 2, a: 1)", "3"),
]

# feel-expressions-introduction: comments and parentheses
INTRODUCTION = [
    ("// returns the last item\n[1,2,3,4][-1]", "4"),
    ("/* returns the last item */\n[1,2,3,4][-1]", "4"),
    ("/*\n * returns the last item\n */\n[1,2,3,4][-1]", "4"),
    ("(5 - 3) * (4 / 2)", "4"),
    ('if (5 < 10) then "low" else "high"', '"low"'),
]

PAGES = {
    "expressions introduction": INTRODUCTION,
    "boolean expressions": BOOLEAN_EXPRESSIONS,
    "numeric expressions": NUMERIC_EXPRESSIONS,
    "string expressions": STRING_EXPRESSIONS,
    "list expressions": LIST_EXPRESSIONS,
    "context expressions": CONTEXT_EXPRESSIONS,
    "control flow": CONTROL_FLOW,
    "error handling": ERROR_HANDLING,
    "functions": FUNCTIONS,
}
ROWS = [(page, expr, result) for page, rows in PAGES.items() for expr, result in rows]


@pytest.mark.parametrize(("page", "expression", "result"), ROWS)
def test_language_guide_example(page: str, expression: str, result: str) -> None:
    """Each documented language-guide example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result), page


# Examples of the pages that read variables: (expression, variables, documented result).
WITH_VARIABLES: list[tuple[str, dict[str, Any], str]] = [
    ("a + b", {"a": 1, "b": 2}, "3"),
    ("a.b", {"a": {"b": "x"}}, '"x"'),
    ("a + b", {"a": 1}, "null"),
    ("a != null and a.b > 10", {"a": {"b": 11}}, "true"),
    ("x < 5 and (y > 10 or z > 20)", {"x": 1, "y": 1, "z": 30}, "true"),
    ("`first name`", {"first name": "Ada"}, '"Ada"'),
    ("`tracking-id`", {"tracking-id": "T-1"}, '"T-1"'),
    ("order.`total price`", {"order": {"total price": 10}}, "10"),
    ('get value(order, "total price")', {"order": {"total price": 10}}, "10"),
    (
        'data.attribute.packaging[unit = "Palette"][1]',
        {"data": {"attribute": {"packaging": [{"unit": "Box"}, {"unit": "Palette", "n": 2}]}}},
        '{"unit": "Palette", "n": 2}',
    ),
    (
        "for p in distinct values(invoices.person) return invoices[person = p]",
        {
            "invoices": [
                {"id": 1, "person": "A", "amount": 10},
                {"id": 2, "person": "A", "amount": 20},
                {"id": 3, "person": "A", "amount": 30},
                {"id": 4, "person": "A", "amount": 40},
                {"id": 5, "person": "B", "amount": 15},
                {"id": 6, "person": "B", "amount": 25},
            ]
        },
        '[[{"id": 1, "person": "A", "amount": 10}, {"id": 2, "person": "A", "amount": 20},'
        ' {"id": 3, "person": "A", "amount": 30}, {"id": 4, "person": "A", "amount": 40}],'
        ' [{"id": 5, "person": "B", "amount": 15}, {"id": 6, "person": "B", "amount": 25}]]',
    ),
    (
        "{ ids: union(x.files.id,y.files.id),"
        " getById: function (files,fileId) get or else(files[id=fileId][1], {}),"
        " merge: for id in ids return context merge(getById(x.files, id), getById(y.files, id))"
        " }.merge",
        {
            "x": {"files": [{"id": 1, "content": "a"}, {"id": 2, "content": "b"}]},
            "y": {"files": [{"id": 1, "content": "a2"}, {"id": 3, "content": "c"}]},
        },
        '[{"id": 1, "content": "a2"}, {"id": 2, "content": "b"}, {"id": 3, "content": "c"}]',
    ),
    (
        "for d in dates return { date: date(date and time(d)), day: string(date.day),"
        " month: substring(month of year(date), 1, 3), year: string(date.year),"
        ' formatted: day + "-" + month + "-" + year }.formatted',
        {"dates": ["2021-04-21T07:25:06.000Z", "2021-04-22T07:25:06.000Z"]},
        '["21-Apr-2021", "22-Apr-2021"]',
    ),
    ('date1 < date2 + @"P6M"', {"date1": "x", "date2": None}, "null"),
]


@pytest.mark.parametrize(("expression", "variables", "result"), WITH_VARIABLES)
def test_example_with_variables(expression: str, variables: dict[str, Any], result: str) -> None:
    """Examples of the variables, list and temporal pages, with their evaluation context."""
    assert result_json(expression, variables) == expected_json(result)


# feel-unary-tests: the documented meaning of each test, checked through `in`.
UNARY_TESTS = [
    ('"valid" in ("valid")', "true"),
    ("5 in (< 10)", "true"),
    ('date("2020-04-05") in (<= date("2020-04-06"))', "true"),
    ('time("09:00:00") in (> time("08:00:00"))', "true"),
    ('duration("P4D") in (>= duration("P5D"))', "false"),
    ("5 in (2..5)", "false"),
    ("5 in ]2..5[", "false"),
    ("5 in [2..5]", "true"),
    ("5 in (2..5]", "true"),
    ("2 in (2..5]", "false"),
    ("3 in (2, 3, 4)", "true"),
    ("5 in (2, 3, 4)", "false"),
    ("60 in (< 10, > 50)", "true"),
    ("20 in (< 10, > 50)", "false"),
]


@pytest.mark.parametrize(("expression", "result"), UNARY_TESTS)
def test_unary_test_example(expression: str, result: str) -> None:
    """A unary test applied to an input value with `in` gives the documented truth value."""
    assert result_json(expression) == expected_json(result)

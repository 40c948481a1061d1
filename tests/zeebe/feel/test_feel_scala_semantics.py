"""Behaviours the docs leave open, pinned to FEEL-Scala 1.19 (Camunda 8.8): each row is an
expression and the result FEEL-Scala's own test suite (src/test/.../builtin, interpreter)
expects, as JSON."""

from __future__ import annotations

import pytest
from feel_docs_support import expected_json, result_json

pytestmark = pytest.mark.unit

EXAMPLES = [
    # string(): null stays null, zero-length durations read P0D / P0Y
    ("string(null)", "null"),
    ('string(@"PT0S")', '"P0D"'),
    ('string(@"-PT0S")', '"P0D"'),
    ('string(@"P0Y0M")', '"P0Y"'),
    ('string(date("2020-04-07") - date("2020-04-01"))', '"P6D"'),
    ("string({a:1,b:2})", '"{a:1, b:2}"'),
    # doubles: Math.log/exp/sqrt/pow results keep their shortest decimal text
    ("log(10) = 2.302585092994046", "true"),
    ("stddev(2, 4, 7, 5) = 2.0816659994661326", "true"),
    ("2 ** 3.1", "8.574187700290345"),
    ("2 ** 3", "8"),
    # between is `x >= a and x <= b`
    ("1 between x and 3", "null"),
    ("5 between x and 3", "false"),
    # context() and get value() with incomplete arguments
    ('context([{"key":"a", "value":1}, {"key":"b"}])', "null"),
    ("get value({x: {y: {z:1}}}, [])", "null"),
    # varargs passed by name
    ("union(lists: [[1,2],[2,3]])", "[1, 2, 3]"),
    ("sum(list: [1,2,3])", "6"),
    ("duplicate values(list: [1,2,3,2,1])", "[1, 2]"),
    ("duplicate values([{a:1},{a:2},{a:1},{a:2},{b:3}])", '[{"a": 1}, {"a": 2}]'),
    ("concatenate([1], 2, [3])", "[1, 2, 3]"),
    ("union([1, 2], 2, 3)", "[1, 2, 3]"),
    ("mode([])", "[]"),
    ("sum([])", "null"),
    # positions: intValue of the number, out of range clamped as Scala's slice/take/drop
    ("sublist([1,2,3], 5)", "[]"),
    ("sublist([1,2,3], -5, 3)", "[1]"),
    ("sublist([1,2,3], 0)", "null"),
    ("insert before([1,2,3], 5, 9)", "[1, 2, 3, 9]"),
    ("insert before([1,3], -1, 2)", "[1, 2, 3]"),
    ("remove([1,2,3], 5)", "[1, 2, 3]"),
    ("remove([1,2,3], -1)", "[1, 2]"),
    ("remove([1,2,3], 1.5)", "[2, 3]"),
    ("remove([1,2,3], 0)", "null"),
    # substring: java String.substring, out of range is null
    ('substring("foobar", 2.7)', '"oobar"'),
    ('substring("foobar", 8)', "null"),
    ('substring("foobar", -7)', "null"),
    ('substring("foobar", 3, -1)', "null"),
    ('substring("foobar", 0)', '""'),
    # named arguments by each overload's names
    ("date(year: 2012, month: 12, day: 25)", '"2012-12-25"'),
    ("time(hour: 23, minute: 59, second: 0)", '"23:59:00"'),
    ('decimal(n: 2.5, scale: 0, mode: "UP")', "3"),
    ("abs(number: -10)", "10"),
    ("abs(n: -10)", "10"),
    ('get value(m: {a: 1}, key: "a")', "1"),
    ('context put(context: {x:1}, keys: ["y", "z"], value: 2)', '{"x": 1, "y": {"z": 2}}'),
    ('extract(input: "a1b22", pattern: "[0-9]+")', '["1", "22"]'),
    ("sublist(list: [1,2,3], start: 2)", "[2, 3]"),
    # rounding modes of decimal() (java.math.RoundingMode)
    ('decimal(5.5, 0, "DOWN")', "5"),
    ('decimal(2.5, 0, "HALF_EVEN")', "2"),
    ('decimal(5.5, 0, "UNNECESSARY")', "null"),
    ('decimal(5, 0, "UNNECESSARY")', "5"),
    ('decimal(5.5, 0, "sideways")', "null"),
    # odd/even of fractions
    ("odd(2.5)", "false"),
    ("even(2.5)", "false"),
    # range functions compare numbers, temporal values and durations only
    ('before("a", "b")', "null"),
    ('before("a", [1..5])', "null"),
    ('before(duration("P3M"), [duration("P1M")..duration("P6M")])', "false"),
    # temporal values
    ('time(date("2020-01-01"))', '"00:00:00Z"'),
    ('@"2020-04-06T08:00:00+02:00".timezone', "null"),
    ('@"2020-04-06T08:00:00".time offset', "null"),
    ('time("11:45:30+02:00").time offset', '"PT2H"'),
    ('@"2020-04-06T08:00:00+02:00".offset', "null"),
    # filters: a context item's entries shadow `item`; only lists filter
    ("[ {item:1}, {item:2}, {item:3} ][item >= 2]", '[{"item": 2}, {"item": 3}]'),
    ("2[item > 1]", "null"),
    ("[1,2,3,4][-1]", "4"),
    # java.time reads a sign per duration component
    ('duration("PT-5M")', '"-PT5M"'),
    ('duration("P-1Y-2M")', '"-P1Y2M"'),
    ('duration("PT-3M-4S")', '"-PT3M4S"'),
    # a time with a zone id has the zone's standard offset (FEEL-Scala ZonedTime.parse)
    ('time("10:30:00@Europe/Berlin").time offset', '"PT1H"'),
    ('time("10:30:00@Europe/Berlin").timezone', '"Europe/Berlin"'),
    ('time("10:30:00@Europe/Berlin") = time("09:30:00Z")', "true"),
    ('time("10:30:00@Europe/Berlin") - time("08:30:00Z")', '"PT1H"'),
    ('string(time("10:30:00@Europe/Berlin") + duration("PT1H"))', '"11:30:00@Europe/Berlin"'),
    ('time(@"2020-07-01T10:00:00@Europe/Berlin").time offset', '"PT2H"'),
    (
        'string(date and time(date("2020-08-01"), @"09:00:00@Europe/Berlin"))',
        '"2020-08-01T09:00:00@Europe/Berlin"',
    ),
    # durations: factors count by their integer part, divisions are long divisions
    ('@"PT90M" / @"PT1H"', "1"),
    ('@"-PT90M" / @"PT1H"', "-1"),
    ('@"P1Y" / @"P5M"', "2"),
    ('@"PT1S" / 3', '"PT0.333S"'),
    ('@"PT1H" * 1.5', '"PT1H"'),
    ('@"P2M" * 1.5', '"P2M"'),
    ('@"PT1H" / @"PT0S"', "null"),
    # instance of: any qualified name is a type name; only the documented ones match
    ("1 instance of Number", "false"),
    ("null instance of Null", "false"),
    ("null instance of null", "true"),
    ('@"2020-01-01T10:00:00" instance of date time', "true"),
    # syntax
    ('{🐎:"😀"}.`🐎`', '"😀"'),
    ("{foo+bar:1}.`foo+bar`", "1"),
    (
        "{ friend+of+mine:2, hello_there:{ how_are_you?:2,"
        " are_you_happy?:`friend+of+mine`+3 } }.hello_there.`are_you_happy?`",
        "5",
    ),
    ("{foo   bar:2}.`foo   bar`", "2"),
    ("5 in ? < 10", "true"),
    ("5 in ? < 3", "false"),
]


@pytest.mark.parametrize(("expression", "result"), EXAMPLES)
def test_feel_scala_behaviour(expression: str, result: str) -> None:
    """Evaluates to what FEEL-Scala 1.19 returns for the same expression."""
    assert result_json(expression) == expected_json(result)

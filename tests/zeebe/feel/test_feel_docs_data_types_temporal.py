"""Documented examples of Camunda's FEEL language guide pages "Data types" and "Temporal
expressions" (docs.camunda.io, components/modeler/feel/language-guide/feel-data-types and
feel-temporal-expressions, Camunda 8.8 = FEEL-Scala 1.19): each row an expression and its
documented result as JSON. `now()` reads the fixed clock 2020-07-31T12:27:30Z."""

from __future__ import annotations

import pytest
from feel_docs_support import expected_json, result_json

pytestmark = pytest.mark.unit

# feel-data-types: every literal of the page evaluates to the value it spells.
DATA_TYPES = [
    ("null", "null"),
    ("1", "1"),
    ("2.3", "2.3"),
    (".4", "0.4"),
    ("-5", "-5"),
    ('"valid"', '"valid"'),
    ('"\\u269D"', '"\\u269d"'),
    ('"a\\"b\\\\c\\n\\r\\t\\\'"', '"a\\"b\\\\c\\n\\r\\t\'"'),
    ("true", "true"),
    ("false", "false"),
    ('date("2017-03-10")', '"2017-03-10"'),
    ('@"2017-03-10"', '"2017-03-10"'),
    ('time("11:45:30")', '"11:45:30"'),
    ('time("13:30")', '"13:30:00"'),
    ('time("11:45:30+02:00")', '"11:45:30+02:00"'),
    ('@"11:45:30"', '"11:45:30"'),
    ('@"13:30"', '"13:30:00"'),
    ('@"11:45:30+02:00"', '"11:45:30+02:00"'),
    ('date and time("2015-09-18T10:31:10")', '"2015-09-18T10:31:10"'),
    ('date and time("2015-09-18T10:31:10+01:00")', '"2015-09-18T10:31:10+01:00"'),
    ('date and time("2015-09-18T10:31:10@Europe/Paris")', '"2015-09-18T10:31:10+02:00"'),
    ('@"2015-09-18T10:31:10"', '"2015-09-18T10:31:10"'),
    ('@"2015-09-18T10:31:10+01:00"', '"2015-09-18T10:31:10+01:00"'),
    ('string(@"2015-09-18T10:31:10@Europe/Paris")', '"2015-09-18T10:31:10@Europe/Paris"'),
    ('duration("P4D")', '"P4D"'),
    ('duration("PT2H")', '"PT2H"'),
    ('duration("PT30M")', '"PT30M"'),
    ('duration("P1DT6H")', '"P1DT6H"'),
    ('@"P4D"', '"P4D"'),
    ('@"PT2H"', '"PT2H"'),
    ('@"PT30M"', '"PT30M"'),
    ('@"P1DT6H"', '"P1DT6H"'),
    ('duration("P2Y")', '"P2Y"'),
    ('duration("P6M")', '"P6M"'),
    ('duration("P1Y6M")', '"P1Y6M"'),
    ('@"P2Y"', '"P2Y"'),
    ('@"P6M"', '"P6M"'),
    ('@"P1Y6M"', '"P1Y6M"'),
    ("[]", "[]"),
    ("[1,2,3]", "[1, 2, 3]"),
    ('["a","b"]', '["a", "b"]'),
    ('[["list"], "of", [["lists"]]]', '[["list"], "of", [["lists"]]]'),
    ("{}", "{}"),
    ("{a:1}", '{"a": 1}'),
    ('{b: 2, c: "valid"}', '{"b": 2, "c": "valid"}'),
    ("{nested: {d: 3}}", '{"nested": {"d": 3}}'),
    ('{"a": 1}', '{"a": 1}'),
    ('{"b": 2, "c": "valid"}', '{"b": 2, "c": "valid"}'),
]

# feel-temporal-expressions
TEMPORAL_EXPRESSIONS = [
    ('date("2020-04-06")', '"2020-04-06"'),
    ('@"2020-04-06"', '"2020-04-06"'),
    ('time("08:00:00")', '"08:00:00"'),
    ('time("08:00:00+02:00")', '"08:00:00+02:00"'),
    ('string(time("08:00:00@Europe/Berlin"))', '"08:00:00@Europe/Berlin"'),
    ('@"08:00:00"', '"08:00:00"'),
    ('@"08:00:00+02:00"', '"08:00:00+02:00"'),
    ('string(@"08:00:00@Europe/Berlin")', '"08:00:00@Europe/Berlin"'),
    ('date and time("2020-04-06T08:00:00")', '"2020-04-06T08:00:00"'),
    ('date and time("2020-04-06T08:00:00+02:00")', '"2020-04-06T08:00:00+02:00"'),
    ('date and time("2020-04-06T08:00:00@Europe/Berlin")', '"2020-04-06T08:00:00+02:00"'),
    ('@"2020-04-06T08:00:00"', '"2020-04-06T08:00:00"'),
    ('@"2020-04-06T08:00:00+02:00"', '"2020-04-06T08:00:00+02:00"'),
    ('string(@"2020-04-06T08:00:00@Europe/Berlin")', '"2020-04-06T08:00:00@Europe/Berlin"'),
    ('duration("P5D")', '"P5D"'),
    ('duration("PT6H")', '"PT6H"'),
    ('@"P5D"', '"P5D"'),
    ('@"PT6H"', '"PT6H"'),
    ('duration("P1Y6M")', '"P1Y6M"'),
    ('duration("P3M")', '"P3M"'),
    ('@"P1Y6M"', '"P1Y6M"'),
    ('@"P3M"', '"P3M"'),
    ('@"2024-06-31"', "null"),
    ('date("2020-04-06") + duration("P1D")', '"2020-04-07"'),
    ('time("08:00:00") + duration("PT1H")', '"09:00:00"'),
    ('date and time("2020-04-06T08:00:00") + duration("P7D")', '"2020-04-13T08:00:00"'),
    ('duration("P2D") + duration("P5D")', '"P7D"'),
    ('date("2020-04-06") - date("2020-04-01")', '"P5D"'),
    ('date("2020-04-06") - duration("P5D")', '"2020-04-01"'),
    ('time("08:00:00") - time("06:00:00")', '"PT2H"'),
    ('time("08:00:00") - duration("PT2H")', '"06:00:00"'),
    ('duration("P7D") - duration("P2D")', '"P5D"'),
    ('duration("P1Y") - duration("P3M")', '"P9M"'),
    ('duration("P1D") * 5', '"P5D"'),
    ('duration("P1M") * 6', '"P6M"'),
    ('duration("P5D") / duration("P1D")', "5"),
    ('duration("P5D") / 5', '"P1D"'),
    ('duration("P1Y") / duration("P1M")', "12"),
    ('duration("P1Y") / 12', '"P1M"'),
    ('date("2020-04-06").year', "2020"),
    ('date("2020-04-06").month', "4"),
    ('date("2020-04-06").weekday', "1"),
    ('time("08:00:00").hour', "8"),
    ('date and time("2020-04-06T08:00:00+02:00").time offset', '"PT2H"'),
    ('date and time("2020-04-06T08:00:00@Europe/Berlin").timezone', '"Europe/Berlin"'),
    ('duration("PT2H30M").hours', "2"),
    ('duration("PT2H30M").minutes', "30"),
    ('duration("P6M").months', "6"),
    ('date("2020-04-06") < date("2020-04-01") + @"P6M"', "true"),
    ('(now() - @"1970-01-01T00:00Z") / @"PT1S" * 1000', "1596198450000"),
    ('day of week(today()) in ("Saturday","Sunday")', "false"),
    ('years and months duration(date("1990-08-01"), today()).years', "29"),
    (
        '(for x in 1..7 return date and time(today(),@"08:00:00Z") + @"P1D" * x)'
        '[day of week(item) = "Tuesday"][1] - now()',
        '"P3DT19H32M30S"',
    ),
    (
        '{ time: @"09:00:00@Europe/Berlin",'
        ' date: if time(now()) < time then today() else today() + @"P1D",'
        " duration: date and time(date, time) - now() }.duration",
        '"PT18H32M30S"',
    ),
    (
        '(for x in 1..3 return date and time(today(),@"00:00:00Z") + @"P1D" * x)'
        '[not(day of week(item) in ("Saturday","Sunday"))][1]',
        '"2020-08-03T00:00:00Z"',
    ),
]


@pytest.mark.parametrize(("expression", "result"), DATA_TYPES)
def test_data_type_literal(expression: str, result: str) -> None:
    """Each literal of the data-types page evaluates to the value it spells."""
    assert result_json(expression) == expected_json(result)


@pytest.mark.parametrize(("expression", "result"), TEMPORAL_EXPRESSIONS)
def test_temporal_expression_example(expression: str, result: str) -> None:
    """Each documented temporal-expression example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result)


def test_only_the_listed_escapes_are_translated() -> None:
    """The data-types page lists `\\U101EF` among string escapes; FEEL-Scala 1.19 translates
    `\\n \\r \\t \\b \\f \\' \\" \\\\` only and keeps other backslash sequences (also
    regex classes such as `\\d`) as written. (This evaluator also reads `\\uXXXX`, which the
    page lists too.)"""
    assert result_json('"\\U101EF"') == expected_json('"\\\\U101EF"')
    assert result_json('"\\d+"') == expected_json('"\\\\d+"')

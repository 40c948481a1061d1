"""Documented examples of Camunda's FEEL "Conversion functions" page
(docs.camunda.io, components/modeler/feel/builtin-functions/feel-built-in-functions-conversion,
Camunda 8.8 = FEEL-Scala 1.19): every `expression // result` pair, result as JSON.

A documented temporal result `date("...")` is compared through `string(...)` of both sides,
which keeps zone ids (the JSON form of a zoned date-time only keeps the offset)."""

from __future__ import annotations

import pytest
from feel_docs_support import expected_json, result_json

pytestmark = pytest.mark.unit

EXAMPLES = [
    ("string(1.1)", '"1.1"'),
    ('string(date("2012-12-25"))', '"2012-12-25"'),
    ('number("1500.5")', "1500.5"),
    ('number("1,500", ",")', "1500"),
    ('number("1 500.5", " ", ".")', "1500.5"),
    ('context([{"key":"a", "value":1}, {"key":"b", "value":2}])', '{"a": 1, "b": 2}'),
    ('date("2018-04-29")', '"2018-04-29"'),
    ('date(date and time("2012-12-25T11:00:00"))', '"2012-12-25"'),
    ('date("2024-06-31")', "null"),
    ("date(2012, 12, 25)", '"2012-12-25"'),
    ("date(2024, 6, 31)", "null"),
    ('time("12:00:00")', '"12:00:00"'),
    ('time(date and time("2012-12-25T11:00:00"))', '"11:00:00"'),
    ("time(23, 59, 0)", '"23:59:00"'),
    ('time(14, 30, 0, duration("PT1H"))', '"14:30:00+01:00"'),
    ('date and time("2018-04-29T09:30:00")', '"2018-04-29T09:30:00"'),
    ('date and time("2024-06-31T10:00:00")', "null"),
    ('date and time(date("2012-12-24"),time("T23:59:00"))', '"2012-12-24T23:59:00"'),
    (
        'date and time(date and time("2012-12-25T11:00:00"),time("T23:59:00"))',
        '"2012-12-25T23:59:00"',
    ),
    (
        'string(date and time(@"2020-07-31T14:27:30@Europe/Berlin", "America/Los_Angeles"))',
        '"2020-07-31T05:27:30@America/Los_Angeles"',
    ),
    (
        'date and time(@"2020-07-31T14:27:30@Europe/Berlin", "America/Los_Angeles")',
        '"2020-07-31T05:27:30-07:00"',
    ),
    ('duration("P5D")', '"P5D"'),
    ('duration("P32Y")', '"P32Y"'),
    ('years and months duration(date("2011-12-22"), date("2013-08-24"))', '"P1Y8M"'),
]


@pytest.mark.parametrize(("expression", "result"), EXAMPLES)
def test_conversion_function_example(expression: str, result: str) -> None:
    """Each documented conversion-function example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result)


def test_local_date_time_at_a_timezone_keeps_its_wall_clock() -> None:
    """The docs show `date and time(@"2020-07-31T14:27:30", "Z")` as 12:27:30Z, read on a
    machine in Europe/Berlin; FEEL-Scala 1.19 places a local date-time in the zone as it is
    (`date.atZone(ZoneId.of(timezone))`), which is what Zeebe computes."""
    expression = 'date and time(@"2020-07-31T14:27:30", "Z")'
    assert result_json(expression) == expected_json('"2020-07-31T14:27:30Z"')

"""Documented examples of Camunda's FEEL "Temporal functions" page
(docs.camunda.io, components/modeler/feel/builtin-functions/feel-built-in-functions-temporal,
Camunda 8.8 = FEEL-Scala 1.19): every `expression // result` pair, result as JSON.

`now()` and `today()` read the engine clock, here fixed at 2020-07-31T12:27:30Z (the docs
show the same instant in Europe/Berlin)."""

from __future__ import annotations

import pytest
from feel_docs_support import expected_json, result_json

pytestmark = pytest.mark.unit

EXAMPLES = [
    ("now()", '"2020-07-31T12:27:30Z"'),
    ('now() = date and time("2020-07-31T14:27:30@Europe/Berlin")', "true"),
    ("today()", '"2020-07-31"'),
    ('day of week(date("2019-09-17"))', '"Tuesday"'),
    ('day of week(date and time("2019-09-17T12:00:00"))', '"Tuesday"'),
    ('day of year(date("2019-09-17"))', "260"),
    ('day of year(date and time("2019-09-17T12:00:00"))', "260"),
    ('week of year(date("2019-09-17"))', "38"),
    ('week of year(date and time("2019-09-17T12:00:00"))', "38"),
    ('month of year(date("2019-09-17"))', '"September"'),
    ('month of year(date and time("2019-09-17T12:00:00"))', '"September"'),
    ('abs(duration("-PT5H"))', '"PT5H"'),
    ('abs(duration("PT5H"))', '"PT5H"'),
    ('abs(duration("-P2M"))', '"P2M"'),
    ('last day of month(date("2022-10-01"))', '"2022-10-31"'),
    ('last day of month(date and time("2022-10-16T12:00:00"))', '"2022-10-31"'),
]


@pytest.mark.parametrize(("expression", "result"), EXAMPLES)
def test_temporal_function_example(expression: str, result: str) -> None:
    """Each documented temporal-function example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result)

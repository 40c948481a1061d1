"""Documented examples of Camunda's FEEL "Numeric functions" page
(docs.camunda.io, components/modeler/feel/builtin-functions/feel-built-in-functions-numeric,
Camunda 8.8 = FEEL-Scala 1.19): every `expression // result` pair, result as JSON."""

from __future__ import annotations

import pytest
from feel_docs_support import expected_json, result_json

from zeebe.feel import evaluate

pytestmark = pytest.mark.unit

EXAMPLES = [
    ("decimal(1/3, 2)", "0.33"),
    ("decimal(1.5, 0)", "2"),
    ('decimal(2.5, 0, "half_up")', "3"),
    ("floor(1.5)", "1"),
    ("floor(-1.5)", "-2"),
    ("floor(-1.56, 1)", "-1.6"),
    ("ceiling(1.5)", "2"),
    ("ceiling(-1.5)", "-1"),
    ("ceiling(-1.56, 1)", "-1.5"),
    ("round up(5.5)", "6"),
    ("round up(-5.5)", "-6"),
    ("round up(1.121, 2)", "1.13"),
    ("round up(-1.126, 2)", "-1.13"),
    ("round down(5.5)", "5"),
    ("round down(5.5, 0)", "5"),
    ("round down (-5.5)", "-5"),
    ("round down (-5.5, 0)", "-5"),
    ("round down (1.121, 2)", "1.12"),
    ("round down (-1.126, 2)", "-1.12"),
    ("round half up(5.5)", "6"),
    ("round half up(5.5, 0)", "6"),
    ("round half up(-5.5)", "-6"),
    ("round half up(-5.5, 0)", "-6"),
    ("round half up(1.121, 2)", "1.12"),
    ("round half up(-1.126, 2)", "-1.13"),
    ("round half down (5.5)", "5"),
    ("round half down (5.5, 0)", "5"),
    ("round half down (-5.5)", "-5"),
    ("round half down (-5.5, 0)", "-5"),
    ("round half down (1.121, 2)", "1.12"),
    ("round half down (-1.126, 2)", "-1.13"),
    ("abs(10)", "10"),
    ("abs(-10)", "10"),
    ("modulo(12, 5)", "2"),
    ("sqrt(16)", "4"),
    ("log(10)", "2.302585092994046"),
    ("exp(5)", "148.4131591025766"),
    ("odd(5)", "true"),
    ("odd(2)", "false"),
    ("even(5)", "false"),
    ("even(2)", "true"),
]


@pytest.mark.parametrize(("expression", "result"), EXAMPLES)
def test_numeric_function_example(expression: str, result: str) -> None:
    """Each documented numeric-function example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result)


def test_random_number_is_between_zero_and_one() -> None:
    """`random number()` "Returns a random number between 0 and 1"."""
    values = [evaluate("random number()", {}) for _ in range(20)]
    assert all(0 <= value <= 1 for value in values)
    assert len(set(values)) > 1

"""Documented examples of Camunda's FEEL "Range functions" page
(docs.camunda.io, components/modeler/feel/builtin-functions/feel-built-in-functions-range,
Camunda 8.8 = FEEL-Scala 1.19): every `expression // result` pair, result as JSON."""

from __future__ import annotations

import pytest
from feel_docs_support import expected_json, result_json

pytestmark = pytest.mark.unit

EXAMPLES = [
    ("before(1, 10)", "true"),
    ("before(10, 1)", "false"),
    ("before([1..5], 10)", "true"),
    ("before(1, [2..5])", "true"),
    ("before([1..5], [6..10])", "true"),
    ("before([1..5),[5..10])", "true"),
    ("after(10, 1)", "true"),
    ("after(1, 10)", "false"),
    ("after([1..5], 10)", "false"),
    ("after(12, [2..5])", "true"),
    ("after([6..10], [1..5])", "true"),
    ("after([5..10], [1..5))", "true"),
    ("meets([1..5], [5..10])", "true"),
    ("meets([1..3], [4..6])", "false"),
    ("meets([1..3], [3..5])", "true"),
    ("meets([1..5], (5..8])", "false"),
    ("met by([5..10], [1..5])", "true"),
    ("met by([3..4], [1..2])", "false"),
    ("met by([3..5], [1..3])", "true"),
    ("met by((5..8], [1..5))", "false"),
    ("met by([5..10], [1..5))", "false"),
    ("overlaps([5..10], [1..6])", "true"),
    ("overlaps((3..7], [1..4])", "true"),
    ("overlaps([1..3], (3..6])", "false"),
    ("overlaps((5..8], [1..5))", "false"),
    ("overlaps([4..10], [1..5))", "true"),
    ("overlaps before([1..5], [4..10])", "true"),
    ("overlaps before([3..4], [1..2])", "false"),
    ("overlaps before([1..3], (3..5])", "false"),
    ("overlaps before([1..5), (3..8])", "true"),
    ("overlaps before([1..5), [5..10])", "false"),
    ("overlaps after([4..10], [1..5])", "true"),
    ("overlaps after([3..4], [1..2])", "false"),
    ("overlaps after([3..5], [1..3))", "false"),
    ("overlaps after((5..8], [1..5))", "false"),
    ("overlaps after([4..10], [1..5))", "true"),
    ("finishes(5, [1..5])", "true"),
    ("finishes(10, [1..7])", "false"),
    ("finishes([3..5], [1..5])", "true"),
    ("finishes((1..5], [1..5))", "false"),
    ("finishes([5..10], [1..10))", "false"),
    ("finished by([5..10], 10)", "true"),
    ("finished by([3..4], 2)", "false"),
    ("finished by([1..5], [3..5])", "true"),
    ("finished by((5..8], [1..5))", "false"),
    ("finished by([5..10], (1..10))", "false"),
    ("includes([5..10], 6)", "true"),
    ("includes([3..4], 5)", "false"),
    ("includes([1..10], [4..6])", "true"),
    ("includes((5..8], [1..5))", "false"),
    ("includes([1..10], [1..5))", "true"),
    ("during(5, [1..10])", "true"),
    ("during(12, [1..10])", "false"),
    ("during(1, (1..10])", "false"),
    ("during([4..6], [1..10))", "true"),
    ("during((1..5], (1..10])", "true"),
    ("starts(1, [1..5])", "true"),
    ("starts(1, (1..8])", "false"),
    ("starts((1..5], [1..5])", "false"),
    ("starts([1..10], [1..5])", "false"),
    ("starts((1..5), (1..10))", "true"),
    ("started by([1..10], 1)", "true"),
    ("started by((1..10], 1)", "false"),
    ("started by([1..10], [1..5])", "true"),
    ("started by((1..10], [1..5))", "false"),
    ("started by([1..10], [1..10))", "true"),
    ("coincides(5, 5)", "true"),
    ("coincides(3, 4)", "false"),
    ("coincides([1..5], [1..5])", "true"),
    ("coincides((1..5], [1..5))", "false"),
    ("coincides([1..5], [2..6])", "false"),
]

# The parameter names of each documented signature (`before(point1, point2)`, ...).
NAMED_EXAMPLES = [
    ("before(point1: 1, point2: 10)", "true"),
    ("before(point: 1, range: [2..5])", "true"),
    ("before(range1: [1..5], range2: [6..10])", "true"),
    ("after(point1: 10, point2: 1)", "true"),
    ("meets(range1: [1..5], range2: [5..10])", "true"),
    ("finishes(point: 5, range: [1..5])", "true"),
    ("finished by(range: [5..10], point: 10)", "true"),
    ("includes(range: [5..10], point: 6)", "true"),
    ("during(point: 5, range: [1..10])", "true"),
    ("starts(point: 1, range: [1..5])", "true"),
    ("started by(range: [1..10], point: 1)", "true"),
    ("coincides(point1: 5, point2: 5)", "true"),
    ("coincides(range1: [1..5], range2: [1..5])", "true"),
]


@pytest.mark.parametrize(("expression", "result"), EXAMPLES)
def test_range_function_example(expression: str, result: str) -> None:
    """Each documented range-function example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result)


@pytest.mark.parametrize(("expression", "result"), NAMED_EXAMPLES)
def test_range_function_with_named_arguments(expression: str, result: str) -> None:
    """Functions take named arguments by the names of the documented signature."""
    assert result_json(expression) == expected_json(result)

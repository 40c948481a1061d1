"""Documented examples of Camunda's FEEL "Boolean functions" page
(docs.camunda.io, components/modeler/feel/builtin-functions/feel-built-in-functions-boolean,
Camunda 8.8 = FEEL-Scala 1.19): every `expression // result` pair, result as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from feel_docs_support import expected_json, result_json

from zeebe.feel import FeelEvaluationError, evaluate

pytestmark = pytest.mark.unit

EXAMPLES = [
    ("not(true)", "false"),
    ("not(null)", "null"),
    ("is defined(1)", "true"),
    ("is defined(null)", "false"),
    ("is defined(x)", "false"),
    ("is defined(x.y)", "false"),
    ('get or else("this", "default")', '"this"'),
    ('get or else(null, "default")', '"default"'),
    ("get or else(null, null)", "null"),
]


@pytest.mark.parametrize(("expression", "result"), EXAMPLES)
def test_boolean_function_example(expression: str, result: str) -> None:
    """Each documented boolean-function example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result)


@pytest.mark.parametrize(
    ("expression", "variables", "result"),
    [
        ("assert(x, x != null)", {"x": "value"}, '"value"'),
        ("assert(x, x >= 0)", {"x": 4}, "4"),
        ("assert(x, x != null, \"'x' should not be null\")", {"x": "value"}, '"value"'),
        ("assert(x, x >= 0, \"'x' should be positive\")", {"x": 4}, "4"),
        ("is defined(x.y)", {"x": {}}, "false"),
        ("is defined(x.y)", {"x": {"y": 1}}, "true"),
    ],
)
def test_example_with_variables(expression: str, variables: dict[str, Any], result: str) -> None:
    """`assert(value, condition)` returns the value when the condition is met."""
    assert result_json(expression, variables) == expected_json(result)


@pytest.mark.parametrize(
    ("expression", "variables", "cause"),
    [
        ("assert(x, x != null)", {}, None),
        ("assert(x, x != null)", {"x": None}, None),
        ("assert(x, x >= 0)", {"x": -1}, None),
        ("assert(x, x != null, \"'x' should not be null\")", {}, "'x' should not be null"),
        ("assert(x, x >= 0, \"'x' should be positive\")", {"x": -4}, "'x' should be positive"),
    ],
)
def test_failed_assertion_fails_the_evaluation(
    expression: str, variables: dict[str, Any], cause: str | None
) -> None:
    """ "Otherwise, the evaluation fails with an error [containing the given message]"."""
    with pytest.raises(FeelEvaluationError) as failure:
        evaluate(expression, variables)
    if cause is not None:
        assert cause in str(failure.value)

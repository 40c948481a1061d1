"""Documented examples of Camunda's FEEL "Context functions" page
(docs.camunda.io, components/modeler/feel/builtin-functions/feel-built-in-functions-context,
Camunda 8.8 = FEEL-Scala 1.19): every `expression // result` pair, result as JSON."""

from __future__ import annotations

import pytest
from feel_docs_support import expected_json, result_json

pytestmark = pytest.mark.unit

EXAMPLES = [
    ('get value({foo: 123}, "foo")', "123"),
    ('get value({a: 1}, "b")', "null"),
    ('get value({x:1, y: {z:0}}, ["y", "z"])', "0"),
    ('get value({x: {y: {z:0}}}, ["x", "y"])', '{"z": 0}'),
    ('get value({a: {b: 3}}, ["b"])', "null"),
    ("get entries({foo: 123})", '[{"key": "foo", "value": 123}]'),
    ('context put({x:1}, "y", 2)', '{"x": 1, "y": 2}'),
    ('context put({x:1}, ["y"], 2)', '{"x": 1, "y": 2}'),
    ('context put({x:1, y: {z:0}}, ["y", "z"], 2)', '{"x": 1, "y": {"z": 2}}'),
    ('context put({x:1}, ["y", "z"], 2)', '{"x": 1, "y": {"z": 2}}'),
    ("context merge([{x:1}, {y:2}])", '{"x": 1, "y": 2}'),
    ("context merge([{x:1, y: 0}, {y:2}])", '{"x": 1, "y": 2}'),
]


@pytest.mark.parametrize(("expression", "result"), EXAMPLES)
def test_context_function_example(expression: str, result: str) -> None:
    """Each documented context-function example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result)

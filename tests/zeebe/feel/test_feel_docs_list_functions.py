"""Documented examples of Camunda's FEEL "List functions" page
(docs.camunda.io, components/modeler/feel/builtin-functions/feel-built-in-functions-list,
Camunda 8.8 = FEEL-Scala 1.19): every `expression // result` pair, result as JSON."""

from __future__ import annotations

import pytest
from feel_docs_support import expected_json, result_json

pytestmark = pytest.mark.unit

EXAMPLES = [
    ("list contains([1,2,3], 2)", "true"),
    ("count([1,2,3])", "3"),
    ("min([1,2,3])", "1"),
    ("min(1,2,3)", "1"),
    ("max([1,2,3])", "3"),
    ("max(1,2,3)", "3"),
    ("sum([1,2,3])", "6"),
    ("sum(1,2,3)", "6"),
    ("product([2, 3, 4])", "24"),
    ("product(2, 3, 4)", "24"),
    ("mean([1,2,3])", "2"),
    ("mean(1,2,3)", "2"),
    ("median(8, 2, 5, 3, 4)", "4"),
    ("median([6, 1, 2, 3])", "2.5"),
    ("stddev(2, 4, 7, 5)", "2.0816659994661326"),
    ("stddev([2, 4, 7, 5])", "2.0816659994661326"),
    ("mode(6, 3, 9, 6, 6)", "[6]"),
    ("mode([6, 1, 9, 6, 1])", "[1, 6]"),
    ("all([true,false])", "false"),
    ("all(false,null,true)", "false"),
    ("and([true,false])", "false"),
    ("and(false,null,true)", "false"),
    ("any([false,true])", "true"),
    ("any(false,null,true)", "true"),
    ("or([false,true])", "true"),
    ("or(false,null,true)", "true"),
    ("sublist([1,2,3], 2)", "[2, 3]"),
    ("sublist([1,2,3], 1, 2)", "[1, 2]"),
    ("append([1], 2, 3)", "[1, 2, 3]"),
    ("concatenate([1,2],[3])", "[1, 2, 3]"),
    ("concatenate([1],[2],[3])", "[1, 2, 3]"),
    ("insert before([1,3],1,2)", "[2, 1, 3]"),
    ("remove([1,2,3], 2)", "[1, 3]"),
    ("reverse([1,2,3])", "[3, 2, 1]"),
    ("index of([1,2,3,2],2)", "[2, 4]"),
    ("union([1,2],[2,3])", "[1, 2, 3]"),
    ("distinct values([1,2,3,2,1])", "[1, 2, 3]"),
    ("duplicate values([1,2,3,2,1])", "[1, 2]"),
    ("flatten([[1,2],[[3]], 4])", "[1, 2, 3, 4]"),
    ("sort(list: [3,1,4,5,2], precedes: function(x,y) x < y)", "[1, 2, 3, 4, 5]"),
    ('string join(["a","b","c"])', '"abc"'),
    ('string join(["a",null,"c"])', '"ac"'),
    ("string join([])", '""'),
    ('string join(["a"], "X")', '"a"'),
    ('string join(["a","b","c"], ", ")', '"a, b, c"'),
    ('string join(["a","b","c"], ", ", "[", "]")', '"[a, b, c]"'),
    ("is empty([])", "true"),
    ("is empty([1,2,3])", "false"),
    ("partition([1,2,3,4,5], 2)", "[[1, 2], [3, 4], [5]]"),
    ("partition([], 2)", "[]"),
    ("partition([1,2], 0)", "null"),
]


@pytest.mark.parametrize(("expression", "result"), EXAMPLES)
def test_list_function_example(expression: str, result: str) -> None:
    """Each documented list-function example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result)

"""Input entries against FEEL-Scala's unary-tests semantics (camunda/feel-scala
InterpreterUnaryTest; docs.camunda.io FEEL "Unary-tests": "The expression evaluates to true when
the input value is assigned to the special variable ?", "The expression evaluates to a list, and
the input value is equal to at least one of the values", comparison examples `"valid"`, `< 10`,
`<= date("2020-04-06")`, `> time("08:00:00")`, `>= duration("P5D")`).

A rule matches only when its entry is true: FEEL-Scala's null results ("returnNull") do not match.
"""

from __future__ import annotations

from typing import Any

import pytest

from zeebe.dmn.unary import INPUT_VALUE, compile_unary_tests
from zeebe.feel import compile_expression

pytestmark = pytest.mark.unit

# (entry, input value as FEEL text, variables as FEEL context text, matches)
CASES: list[tuple[str, str, str, bool]] = [
    # a lone boolean is "input equal to"
    ("true", "true", "{}", True),
    ("true", "false", "{}", False),
    ("false", "false", "{}", True),
    ("false", "true", "{}", False),
    ("true", '"yes"', "{}", False),
    ("true", "null", "{}", False),
    # a boolean expression without `?` decides by itself
    ("x", "3", "{x: true}", True),
    ("x", "3", "{x: false}", False),
    ("not(x)", "3", "{x: false}", True),
    ("not(x)", "3", "{x: true}", False),
    ("not(4 > 10)", "3", "{}", True),
    ("not(4 < 10)", "3", "{}", False),
    # tests naming `?`: true/false decide, any other value is null
    ("odd(?)", "5", "{}", True),
    ("even(?)", "5", "{}", False),
    ("abs(?) < 10", "5", "{}", True),
    ("abs(?) < 3", "5", "{}", False),
    ("? > x", "5", "{x: 3}", True),
    ("? > x", "5", "{x: 10}", False),
    ("abs(?)", "5", "{}", False),
    ("?", "5", "{}", False),
    ("? + not_existing", "5", "{}", False),
    # lists: membership, or equality with a list input
    ("[1,2,3]", "2", "{}", True),
    ("[1,2,3]", "4", "{}", False),
    ("[]", "[]", "{}", True),
    ("[1,2]", "[1,2]", "{}", True),
    ("[]", "[1,2]", "{}", False),
    ("[1]", "[1,2]", "{}", False),
    ("x", "2", "{x: [1, 2]}", True),
    # comparisons with variables and null
    ("var", "3", "{var: 3}", True),
    ("< var", "3", "{var: 3}", False),
    ("3", "null", "{}", False),
    ("< 3", "null", "{}", False),
    ("not(< 3)", "null", "{}", False),
    ("not(< 3)", '"a"', "{}", False),
    ("not(< 3)", "5", "{}", True),
    ("not([1..3])", "5", "{}", True),
    ("not(> x)", "5", "{x: 10}", True),
    ("not(> x)", "5", "{x: 3}", False),
    ("not(2,3)", "3", "{}", False),
    ("not(2,3)", "4", "{}", True),
    ("[1..5], [6..10]", "6", "{}", True),
    ("[1..5], [6..10]", "11", "{}", False),
    ("-1", "-1", "{}", True),
    # the docs' comparison examples
    ('"valid"', '"valid"', "{}", True),
    ('<= date("2020-04-06")', 'date("2020-04-06")', "{}", True),
    ('<= date("2020-04-06")', 'date("2020-04-07")', "{}", False),
    ('> time("08:00:00")', 'time("08:30:00")', "{}", True),
    ('>= duration("P5D")', 'duration("P4D")', "{}", False),
    ('>= duration("P5D")', 'duration("P5D")', "{}", True),
    ("< 10", '"a"', "{}", False),
]


@pytest.mark.parametrize(("entry", "value", "variables", "matches"), CASES)
def test_entry_matches_as_feel_scala_decides(
    entry: str, value: str, variables: str, matches: bool
) -> None:
    """Each entry matches exactly when FEEL-Scala's unary-tests evaluation gives true."""
    scope: dict[str, Any] = dict(compile_expression(variables).evaluate({}))
    scope[INPUT_VALUE] = compile_expression(value).evaluate({})
    assert compile_unary_tests(entry).matches(scope) is matches

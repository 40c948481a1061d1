"""Input entries are FEEL unary tests (docs.camunda.io, DMN "Decision table rule": input entries;
FEEL "Unary-tests"): the input value is tested against each entry, `-` matches anything."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zeebe.dmn.unary import compile_unary_tests
from zeebe.feel import FeelSyntaxError

pytestmark = pytest.mark.unit

CASES: list[tuple[str, Any, bool]] = [
    # equality with a value
    ('"gold"', "gold", True),
    ('"gold"', "silver", False),
    ("42", 42, True),
    ("42", 42.0, True),
    ("true", True, True),
    ("false", False, True),
    ("false", True, False),
    ("null", None, True),
    ('"gold"', None, False),
    # comparisons
    ("> 10", 11, True),
    ("> 10", 10, False),
    (">= 10", 10, True),
    ("< 10", 9.5, True),
    ("<= 10", 11, False),
    # intervals, closed, open and with reversed brackets
    ("[1..5]", 5, True),
    ("[1..5]", 6, False),
    ("[1..5)", 5, False),
    ("(1..5]", 1, False),
    ("]1..5[", 5, False),
    ("]1..5[", 4, True),
    ("[1..5[", 4.99, True),
    ('[date("2024-01-01")..date("2024-12-31")]', date(2024, 6, 1), True),
    # disjunctions
    ('"a","b"', "b", True),
    ('"a", "b"', "c", False),
    ("< 3, > 8", 9, True),
    ("< 3, > 8", 5, False),
    ("[1..2], [8..9]", 8, True),
    # anything
    ("-", "whatever", True),
    ("-", None, True),
    ("", 1, True),
    # negation of the whole entry
    ('not("x")', "y", True),
    ('not("x")', "x", False),
    ('not("a", "b")', "b", False),
    ("not(> 5, < 1)", 3, True),
    ("not([1..5])", 7, True),
    # the input value `?` and boolean expressions
    ("? > 3", 4, True),
    ("? > 3", 2, False),
    ('starts with(?, "ord")', "order-1", True),
    ("? > 3 and ? < 6", 5, True),
    ("x = 1", "anything", True),
    ("x = 2", "anything", False),
    # lists as values
    ("[1, 2, 3]", 2, True),
    ("[1, 2, 3]", 4, False),
    # a string holding the characters of the grammar stays a string
    ('"]1..5[", "x,y"', "x,y", True),
    ('"?"', "?", True),
]


@pytest.mark.parametrize(("entry", "value", "expected"), CASES)
def test_unary_test_form(entry: str, value: Any, expected: bool) -> None:
    """Each unary-test form of FEEL-Scala decides the input value as documented."""
    assert compile_unary_tests(entry).matches({"?": value, "x": 1}) is expected


@pytest.mark.parametrize(
    ("entry", "value"),
    [("> 10", "text"), ("not(> 10)", "text"), ('not("x")', 5), ("[1..5]", "text"), ("> 10", None)],
)
def test_null_result_is_no_match_either_way(entry: str, value: Any) -> None:
    """A test that cannot compare (a string against a number: null) is neither true nor false,
    so neither the entry nor a negation of it matches."""
    assert compile_unary_tests(entry).matches({"?": value}) is False


def test_entry_can_read_other_variables() -> None:
    """Tests may name variables of the evaluation scope (`<= limit`)."""
    test = compile_unary_tests("<= limit")
    assert test.matches({"?": 3, "limit": 3}) is True
    assert test.matches({"?": 4, "limit": 3}) is False


@pytest.mark.parametrize(
    "entry", ["> ", '"unterminated', "[1..", "not(> )", "= 3", "!= 3", '"a", = "b"']
)
def test_unparsable_entry_raises_feel_syntax_error(entry: str) -> None:
    """An entry that is not FEEL fails at compile time (deployment), never at evaluation. The
    unary-tests grammar of FEEL-Scala has no `=` / `!=` operator (FeelParser.unaryComparison:
    `<=`, `>=`, `<`, `>`; Zeebe rejects "= SUCCESS", camunda/camunda#10298)."""
    with pytest.raises(FeelSyntaxError):
        compile_unary_tests(entry)

"""Unary tests: the input entries of a decision table (`"gold"`, `> 10`, `[1..5]`, `-`, `not(...)`).

An entry is a comma-separated list of tests, matched when any test matches (FEEL-Scala's
unary-tests semantics). zeebe.feel lacks three pieces of that grammar, added here on top of it:
the `-` (any) test, `not(...)` around a whole entry, and reversed-bracket open intervals
(`]1..5[`). Each test is compiled with zeebe.feel:

- a comparison (`< 10`) is compiled as `? in (test)`, with `?` bound to the input value;
- a lone `true` / `false` tests the input for equality (FEEL-Scala's `InputEqualTo`);
- a test naming the input value `?` (`? > 5`, `starts with(?, "a")`) decides by its own value:
  true matches, false does not, anything else is null (`abs(?)`, `?`);
- any other test is a plain expression whose value decides as in FEEL-Scala: `true` matches;
  an interval contains the input; a list contains it or equals it; otherwise the value must
  equal the input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zeebe.feel import CompiledExpression, FeelSyntaxError, compile_expression
from zeebe.feel.operators import equal, in_range
from zeebe.feel.values import Range

INPUT_VALUE = "?"
_COMPARISONS = ("<", ">")
# FEEL-Scala's unary-tests grammar has no `=` / `!=` comparison (`= 3` fails to parse and Zeebe
# rejects the deployment); equality is the plain value (`3`), inequality `not(3)`.
_NOT_UNARY = ("=", "!=")
_BOOLEANS = ("true", "false")


@dataclass(frozen=True, slots=True)
class _Test:
    """One test of an entry: `input_test` when the expression is `? in (...)` itself."""

    expression: CompiledExpression
    input_test: bool

    def result(self, variables: Mapping[str, Any], now: datetime | None) -> bool | None:
        value = self.expression.evaluate(variables, now=now)
        if self.input_test:
            return value if value is None or type(value) is bool else None
        return _value_test(value, variables[INPUT_VALUE])


def _value_test(expected: Any, value: Any) -> bool | None:
    """FEEL-Scala's unary-test expression: how a plain value decides against the input."""
    if expected is True:
        return True
    if isinstance(expected, Range):
        return in_range(value, expected)
    if isinstance(expected, list):
        # the input is one of the list's items, or is the list itself (`[1,2]` vs [1, 2])
        found = any(equal(value, item) is True for item in expected)
        return found or equal(value, expected) is True
    same = equal(value, expected)
    if same is True or expected is False:
        return same is True
    return None if same is None else False


@dataclass(frozen=True, slots=True)
class UnaryTest:
    """A compiled input entry; no tests means it matches anything (`-` or empty)."""

    source: str
    tests: tuple[_Test, ...]
    negated: bool = False

    def matches(self, variables: Mapping[str, Any], *, now: datetime | None = None) -> bool:
        """Whether the input value (bound to `?` in `variables`) satisfies the entry.

        A null result (e.g. `> 10` against a null or a string input) does not match, and
        neither does its negation: null is neither true nor false.
        """
        if not self.tests:
            return True
        results = [test.result(variables, now) for test in self.tests]
        result = True if True in results else (None if None in results else False)
        return result is not None and result is not self.negated


def compile_unary_tests(source: str) -> UnaryTest:
    """Compile the text of one input entry; raises FeelSyntaxError when it cannot be parsed."""
    text = source.strip()
    if text in ("", "-"):
        return UnaryTest(source, ())
    if text in _BOOLEANS:
        # FEEL-Scala parses a lone boolean as `InputEqualTo`: `true` matches a true input
        # only (a plain expression evaluating to true would match any input).
        return UnaryTest(source, (_Test(compile_expression(f"? = {text}"), input_test=True),))
    inner = _negated_body(text)
    body = _normalise_open_intervals(inner if inner is not None else text)
    tests = tuple(_compile_test(test, text) for test in _split(body))
    return UnaryTest(source, tests, negated=inner is not None)


def _compile_test(test: str, entry: str) -> _Test:
    try:
        if test.startswith(_NOT_UNARY):
            raise FeelSyntaxError(f"'{test[:2].strip()}' is not a unary-tests operator")
        if test.startswith(_COMPARISONS):
            return _Test(compile_expression(f"{INPUT_VALUE} in ({test})"), input_test=True)
        # FEEL-Scala: a test naming `?` decides by its own value (true/false, else null), so
        # `abs(?)` or `?` alone never match
        return _Test(compile_expression(test), input_test=_names_input(test))
    except FeelSyntaxError as exc:
        # The compiled text may be the rewritten `? in (...)`: name the entry as written.
        message = f"failed to parse expression '{entry}': test '{test}' is not valid FEEL ({exc})"
        raise FeelSyntaxError(message) from None


def _outside_strings(text: str) -> list[tuple[int, str]]:
    """(index, character) of every character outside string literals."""
    found, in_string, escaped = [], False, False
    for index, char in enumerate(text):
        if in_string:
            in_string, escaped = (char != '"' or escaped), (char == "\\" and not escaped)
        elif char == '"':
            in_string = True
        else:
            found.append((index, char))
    return found


def _names_input(test: str) -> bool:
    return any(char == INPUT_VALUE for _, char in _outside_strings(test))


def _split(text: str) -> list[str]:
    """The tests of an entry: split at commas outside strings, brackets and parentheses."""
    cuts, depth = [], 0
    for index, char in _outside_strings(text):
        depth += (char in "([{") - (char in ")]}")
        if char == "," and depth == 0:
            cuts.append(index)
    bounds = zip([-1, *cuts], [*cuts, len(text)], strict=True)
    return [text[start + 1 : end].strip() for start, end in bounds]


def _negated_body(text: str) -> str | None:
    """The tests inside `not( ... )` when the negation spans the whole entry, else None."""
    if not text.startswith("not"):
        return None
    rest = text[3:].lstrip()
    if not rest.startswith("("):
        return None
    depth = 0
    for index, char in _outside_strings(rest):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return rest[1:-1].strip() or None if index == len(rest) - 1 else None
    return None


def _normalise_open_intervals(text: str) -> str:
    """Rewrite `]a..b[` bounds as `(a..b)`: a `]` opening a test or a `[` closing one.

    Neither position is valid FEEL otherwise, so the rewrite cannot change a valid entry.
    """
    chars = list(text)
    for index, char in _outside_strings(text):
        if char == "]" and text[:index].rstrip()[-1:] in ("", ","):
            chars[index] = "("
        elif char == "[" and text[index + 1 :].lstrip()[:1] in ("", ","):
            chars[index] = ")"
    return "".join(chars)

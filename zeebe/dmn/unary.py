"""Unary tests: the input entries of a decision table (`"gold"`, `> 10`, `[1..5]`, `-`, `not(...)`).

zeebe.feel parses `x in (t1, t2)` with the tests of DMN's unary-test grammar, including `?` for the
input value, but not the `-` (any) test, a `not(...)` negation of a whole entry, or the reversed
brackets of open intervals (`]1..5[`). This layer adds those three on top: an entry `t` is compiled
as `? in (t)` and evaluated with `?` bound to the input value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zeebe.feel import CompiledExpression, compile_expression

INPUT_VALUE = "?"


@dataclass(frozen=True, slots=True)
class UnaryTest:
    """A compiled input entry; `test` is None for the entry that matches anything (`-` or empty)."""

    source: str
    test: CompiledExpression | None
    negated: bool = False

    def matches(self, variables: Mapping[str, Any], *, now: datetime | None = None) -> bool:
        """Whether the input value (bound to `?` in `variables`) satisfies the entry.

        A null test result (e.g. `> 10` against a null or a string input) does not match, and
        its negation does not match either: null is neither true nor false.
        """
        if self.test is None:
            return True
        result = self.test.evaluate(variables, now=now)
        if type(result) is not bool:
            return False
        return result is not self.negated


def compile_unary_tests(source: str) -> UnaryTest:
    """Compile the text of one input entry; raises FeelSyntaxError when it cannot be parsed."""
    text = source.strip()
    if text in ("", "-"):
        return UnaryTest(source, None)
    inner = _negated_body(text)
    body = inner if inner is not None else text
    test = compile_expression(f"{INPUT_VALUE} in ({_normalise_open_intervals(body)})")
    return UnaryTest(source, test, negated=inner is not None)


def _negated_body(text: str) -> str | None:
    """The tests inside `not( ... )` when the negation spans the whole entry, else None."""
    if not text.startswith("not"):
        return None
    rest = text[3:].lstrip()
    if not rest.startswith("(") or _closing_paren(rest) != len(rest) - 1:
        return None
    body = rest[1:-1].strip()
    return body or None


def _closing_paren(text: str) -> int:
    """Index of the parenthesis closing the one at index 0 (string literals skipped), or -1."""
    depth, in_string, escaped = 0, False, False
    for index, char in enumerate(text):
        if in_string:
            in_string, escaped = (char != '"' or escaped), (char == "\\" and not escaped)
            continue
        in_string = char == '"'
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return index
    return -1


def _normalise_open_intervals(text: str) -> str:
    """Rewrite `]a..b[` bounds as `(a..b)`: a `]` opening a test or a `[` closing one.

    Neither position is valid FEEL otherwise, so the rewrite cannot change a valid entry.
    """
    chars, in_string, escaped = list(text), False, False
    for index, char in enumerate(text):
        if in_string:
            in_string, escaped = (char != '"' or escaped), (char == "\\" and not escaped)
            continue
        in_string = char == '"'
        if char == "]" and text[:index].rstrip()[-1:] in ("", ","):
            chars[index] = "("
        elif char == "[" and text[index + 1 :].lstrip()[:1] in ("", ","):
            chars[index] = ")"
    return "".join(chars)

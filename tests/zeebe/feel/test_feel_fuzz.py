"""Robustness: random token soups and random well-formed expressions never raise anything but
FeelSyntaxError / FeelEvaluationError, and every result converts to JSON (zeebe-spec §7.2:
"if something goes wrong, return null")."""

from __future__ import annotations

import json
import random
import time
from typing import Any

import pytest

from zeebe.feel import FeelEvaluationError, FeelSyntaxError, compile_expression, to_json_value
from zeebe.feel.library import BUILTINS

pytestmark = pytest.mark.unit

SEED = 20261126
VARIABLES: dict[str, Any] = {
    "n": 3,
    "f": 2.5,
    "s": "text",
    "b": True,
    "z": None,
    "xs": [1, 2, 3],
    "ctx": {"a": 1, "b": [{"c": 2}], "s": "x"},
    "items": [{"amount": 5}, {"amount": 20.5}],
    "nan": float("nan"),
    "inf": [float("inf")],
}
VOCABULARY = [
    *("n", "f", "s", "b", "z", "xs", "ctx", "items", "item", "partial", "missing", "nan", "inf"),
    *("0", "1", "-1", "2.5", ".5", '"a"', '""', '"x\\n"', "null", "true", "false"),
    *('@"2020-01-01"', '@"PT1H"', '@"P1Y"', '@"2020-01-01T10:00:00Z"', '@"bad"'),
    *("+", "-", "*", "/", "**", "=", "!=", "<", "<=", ">", ">=", "..", ".", ",", ":"),
    *("(", ")", "[", "]", "{", "}", "`x-y`", "and", "or", "not", "in", "between"),
    *("if", "then", "else", "for", "return", "some", "every", "satisfies", "instance", "of"),
    *("function", "date and time", "string length", "count", "sum", "substring", "is defined"),
]
ATOMS = ["n", "f", "s", "b", "z", "xs", "ctx", "items", "missing", "ctx.a", "items.amount", "nan"]
ATOMS += ["1", "0", "-2", "2.5", '"a"', "null", "true", "[1, 2]", "{k: 1}", '@"PT1H"']
ATOMS += ['@"2020-01-01"', '@"2020-01-01T10:00:00Z"', '@"P1Y"', "[]", "inf", "10 ** 999"]
BINARY = ["+", "-", "*", "/", "**", "=", "!=", "<", "<=", ">", ">=", "and", "or"]
FUNCTIONS = sorted(BUILTINS)


def random_expression(rng: random.Random, depth: int) -> str:
    """A syntactically valid expression of bounded depth over mixed-type operands."""
    if depth <= 0 or rng.random() < 0.25:
        return rng.choice(ATOMS)
    sub = lambda: random_expression(rng, depth - 1)  # noqa: E731  (local shorthand)
    forms = [
        lambda: f"{sub()} {rng.choice(BINARY)} {sub()}",
        lambda: f"-({sub()})",
        lambda: f"{rng.choice(FUNCTIONS)}({', '.join(sub() for _ in range(rng.randint(0, 3)))})",
        lambda: f"if {sub()} then {sub()} else {sub()}",
        lambda: f"for x in {sub()} return x",
        lambda: f"some x in {sub()} satisfies {sub()}",
        lambda: f"({sub()})[{sub()}]",
        lambda: f"({sub()}).{rng.choice(['a', 'year', 'days', 'amount', 'time offset'])}",
        lambda: f"{sub()} in ({sub()}..{sub()})",
        lambda: f"{sub()} between {sub()} and {sub()}",
        lambda: f"{{a: {sub()}, b: a}}.b",
        lambda: f"[{sub()}, {sub()}]",
        lambda: f"{sub()} instance of number",
        lambda: f"(function(p) {sub()})({sub()})",
    ]
    return rng.choice(forms)()


def token_soup(rng: random.Random) -> str:
    """A random sequence of FEEL tokens (mostly not well-formed)."""
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(1, 12)))


def run_one(source: str) -> None:
    """Compile and evaluate; only the two documented exceptions may escape."""
    try:
        result = compile_expression(source).evaluate(VARIABLES)
    except (FeelSyntaxError, FeelEvaluationError):
        return
    json.dumps(to_json_value(result))


def test_random_token_sequences_only_raise_feel_errors() -> None:
    """1500 random token soups (fixed seed): syntax errors are FeelSyntaxError, nothing else."""
    rng = random.Random(SEED)
    for _ in range(1500):
        source = token_soup(rng)
        try:
            run_one(source)
        except Exception as error:  # pragma: no cover - the failure report
            raise AssertionError(f"{source!r} raised {error!r}") from error


def test_random_expressions_evaluate_to_json_values() -> None:
    """1500 random well-formed expressions (fixed seed) evaluate without unexpected errors,
    in well under 10 seconds."""
    rng = random.Random(SEED + 1)
    started = time.monotonic()
    for _ in range(1500):
        source = random_expression(rng, 4)
        try:
            run_one(source)
        except Exception as error:  # pragma: no cover - the failure report
            raise AssertionError(f"{source!r} raised {error!r}") from error
    assert time.monotonic() - started < 10

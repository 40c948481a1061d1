"""Public entry points: compile once (LRU-cached), evaluate many times."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from zeebe.feel import ast
from zeebe.feel.compiler import compile_node
from zeebe.feel.errors import FeelAssertionError, FeelEvaluationError, FeelSyntaxError
from zeebe.feel.library import MULTIWORD_NAMES
from zeebe.feel.parser import parse
from zeebe.feel.runtime import Evaluator, Scope, State
from zeebe.feel.warnings import ASSERT_FAILURE, EvaluationWarning

_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A value and the warnings its evaluation reported (empty when nothing went wrong)."""

    value: Any
    warnings: tuple[EvaluationWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledExpression:
    """A parsed and compiled FEEL expression: immutable, reusable, safe to share across threads.

    Evaluation state (budget, clock) lives in a fresh State per call, never on this object.
    """

    source: str
    tree: ast.Node = field(repr=False, compare=False)
    run: Evaluator = field(repr=False, compare=False)

    def evaluate(self, variables: Mapping[str, Any], *, now: datetime | None = None) -> Any:
        """Evaluate against variables (only looked up, never iterated).

        `now` is the engine clock used by `now()`/`today()`; default: the current UTC time.
        Runtime problems give null; assert failures and exhausted budgets raise FeelEvaluationError.
        """
        state = State(now)
        try:
            return self.run(Scope(variables, None, state))
        except (RecursionError, FeelEvaluationError) as error:
            raise _failed(error, state) from None

    def evaluate_with_warnings(
        self, variables: Mapping[str, Any], *, now: datetime | None = None
    ) -> Evaluation:
        """Evaluate as `evaluate` does, and return the value with the warnings (FEEL-Scala's
        suppressed failures) in the order they happened. A FeelEvaluationError (from either
        method) carries them in its `warnings`; an assert failure ends them with ASSERT_FAILURE."""
        state = State(now)
        try:
            value = self.run(Scope(variables, None, state))
        except (RecursionError, FeelEvaluationError) as error:
            raise _failed(error, state) from None
        return Evaluation(value, tuple(state.warnings or ()))

    def variable_names(self) -> frozenset[str]:
        """Top-level variable names the expression reads (best effort, may over-approximate)."""
        used: set[str] = set()
        bound: set[str] = {"item", "partial", "?"}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name):
                used.add(node.name)
            elif isinstance(node, ast.Iterator):
                bound.add(node.name)
            elif isinstance(node, ast.FunctionDef):
                bound.update(node.params)
            elif isinstance(node, ast.ContextLit):
                bound.update(key for key, _ in node.entries)
            elif isinstance(node, ast.Call) and isinstance(node.callee, ast.Name):
                bound.add(node.callee.name)
        return frozenset(used - bound)


def _failed(error: Exception, state: State) -> FeelEvaluationError:
    """The error to raise, with the warnings reported until it happened."""
    if not isinstance(error, FeelEvaluationError):  # a RecursionError
        error = FeelEvaluationError("the expression is nested too deeply to evaluate")
    elif isinstance(error, FeelAssertionError):
        state.warn(ASSERT_FAILURE, str(error))
    error.warnings = tuple(state.warnings or ())
    return error


@lru_cache(maxsize=_CACHE_SIZE)
def compile_expression(source: str) -> CompiledExpression:
    """Parse and compile FEEL source (without the leading '='); raises FeelSyntaxError."""
    try:
        tree = parse(source, MULTIWORD_NAMES)
        return CompiledExpression(source, tree, compile_node(tree))
    except RecursionError:  # e.g. thousands of chained operators
        message = f"failed to parse expression '{source}': expression is too deeply nested"
        raise FeelSyntaxError(message) from None


def evaluate(source: str, variables: Mapping[str, Any], *, now: datetime | None = None) -> Any:
    """Compile (cached) and evaluate in one call."""
    return compile_expression(source).evaluate(variables, now=now)


def evaluate_with_warnings(
    source: str, variables: Mapping[str, Any], *, now: datetime | None = None
) -> Evaluation:
    """Compile (cached) and evaluate, returning the value and the warnings."""
    return compile_expression(source).evaluate_with_warnings(variables, now=now)


def variable_names(source: str) -> frozenset[str]:
    """Top-level variable names an expression reads (best effort)."""
    return compile_expression(source).variable_names()

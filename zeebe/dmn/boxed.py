"""`evaluate_logic`: any decision logic, boxed expressions included, as dmn-scala evaluates it.

- context: entries in order, each seeing the caller's scope and the entries before it; the
  value is the final (unnamed) entry if there is one, else the context of all entries;
- list: the list of its items' values; relation: a list with one context per row;
- invocation: calls the required business knowledge model named in it with the bindings
  (a parameter neither bound nor a variable fails: "no parameter found with name 'x'");
- function definition: a FEEL function over its parameters (arguments type-checked; a failing
  call gives null, as FEEL-Scala turns a function's error into null and a warning).

The first failing entry fails the whole logic with its message. Only decision tables report
evaluated inputs and matched rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from zeebe.dmn.model import (
    BoxedContext,
    BoxedList,
    DecisionTable,
    FunctionDefinition,
    Invocation,
    LiteralExpression,
    Logic,
    Relation,
)
from zeebe.dmn.table import LogicOutcome, evaluate_literal, evaluate_table
from zeebe.dmn.values import INVOKER_PREFIX, Layers, null_on_failure, type_mismatch
from zeebe.feel import FeelEvaluationError
from zeebe.feel.values import FeelFunction


class _FailedError(Exception):
    """Internal: a nested logic failed; the message is the logic's failure."""


def _value(logic: Logic, scope: Mapping[str, Any], now: datetime | None) -> Any:
    outcome = evaluate_logic(logic, scope, now)
    if outcome.failure is not None:
        raise _FailedError(outcome.failure)
    return outcome.output


def _context(logic: BoxedContext, scope: Mapping[str, Any], now: datetime | None) -> Any:
    entries: dict[str, Any] = {}
    for name, entry in logic.entries:
        entries[name] = _value(entry, Layers(entries, scope), now)
    if logic.result is None:
        return entries
    return _value(logic.result, Layers(entries, scope), now)


def _list(logic: BoxedList, scope: Mapping[str, Any], now: datetime | None) -> Any:
    return [_value(item, scope, now) for item in logic.items]


def _relation(logic: Relation, scope: Mapping[str, Any], now: datetime | None) -> Any:
    return [{name: _value(cell, scope, now) for name, cell in row} for row in logic.rows]


def _invocation(logic: Invocation, scope: Mapping[str, Any], now: datetime | None) -> Any:
    function, run = scope.get(logic.name), scope.get(INVOKER_PREFIX + logic.name)
    if not isinstance(function, FeelFunction) or run is None:  # parse_dmn checks this
        raise _FailedError(f"no BKM found with name '{logic.name}'")
    bound = {name: _run(expression, scope, now) for name, expression in logic.bindings}
    variables = Layers(bound, scope)
    arguments = []
    for name in function.params or ():
        if name not in variables:
            raise _FailedError(f"no parameter found with name '{name}'")
        arguments.append(variables[name])
    try:
        return run(arguments)
    except FeelEvaluationError as exc:
        raise _FailedError(str(exc)) from None


def _run(expression: Any, scope: Mapping[str, Any], now: datetime | None) -> Any:
    return _value(LiteralExpression(expression), scope, now)


def _function(logic: FunctionDefinition, scope: Mapping[str, Any], now: datetime | None) -> Any:
    def run(args: Sequence[Any]) -> Any:
        arguments: dict[str, Any] = {}
        for (name, type_ref), value in zip(logic.parameters, args, strict=False):
            mismatch = type_mismatch(value, type_ref)
            if mismatch is not None:
                raise FeelEvaluationError(mismatch)
            arguments[name] = value
        outcome = evaluate_literal(LiteralExpression(logic.body), Layers(arguments, scope), now)
        if outcome.failure is not None:
            raise FeelEvaluationError(outcome.failure)
        return outcome.output

    params = tuple(name for name, _ in logic.parameters)
    return FeelFunction("function", params, null_on_failure(run))


_BOXED: dict[type, Callable[[Any, Mapping[str, Any], datetime | None], Any]] = {
    BoxedContext: _context,
    BoxedList: _list,
    Relation: _relation,
    Invocation: _invocation,
    FunctionDefinition: _function,
}


def evaluate_logic(logic: Logic, scope: Mapping[str, Any], now: datetime | None) -> LogicOutcome:
    """Evaluate any decision logic against the scope (variables, required decision results and
    knowledge model functions); never raises for model-level failures."""
    if isinstance(logic, DecisionTable):
        return evaluate_table(logic, scope, now)
    if isinstance(logic, LiteralExpression):
        return evaluate_literal(logic, scope, now)
    try:
        return LogicOutcome(_BOXED[type(logic)](logic, scope, now))
    except _FailedError as exc:
        return LogicOutcome(None, str(exc))

"""Decision logic evaluation: a decision table (inputs, rules, hit policy) or a literal expression.

Each returns a `LogicOutcome` holding the output or the failure, plus the audit (evaluated inputs,
matched rules) collected up to that point, as dmn-scala's audit log does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zeebe.dmn.hit_policies import HIT_POLICIES, HitPolicyError, single_output
from zeebe.dmn.model import DecisionTable, Input, LiteralExpression, Rule
from zeebe.dmn.results import EvaluatedInput, EvaluatedOutput, MatchedRule
from zeebe.dmn.unary import INPUT_VALUE
from zeebe.dmn.values import Layers
from zeebe.feel import (
    CompiledExpression,
    FeelAssertionError,
    FeelEvaluationError,
    to_json_value,
)

# The name FEEL-Scala's unary tests read the input value from (UnaryTests.defaultInputVariable).
CELL_INPUT = "cellInput"


@dataclass(frozen=True, slots=True)
class LogicOutcome:
    """The raw FEEL output (None on failure), the failure message, and the audit so far."""

    output: Any = None
    failure: str | None = None
    evaluated_inputs: tuple[EvaluatedInput, ...] = ()
    matched_rules: tuple[MatchedRule, ...] = ()


class _EvaluationError(Exception):
    """Internal: stops the table evaluation; the message is the decision's failure."""


def failure_text(source: str, error: FeelEvaluationError) -> str:
    """FEEL-Scala's failure message for an expression (dmn-scala passes it on unchanged)."""
    if isinstance(error, FeelAssertionError):
        return f"Assertion failure on evaluate the expression '{source}': {error}"
    return f"failed to evaluate expression '{source}': {error}"


def _run(expression: CompiledExpression, scope: Mapping[str, Any], now: datetime | None) -> Any:
    try:
        return expression.evaluate(scope, now=now)
    except FeelEvaluationError as exc:
        raise _EvaluationError(failure_text(expression.source, exc)) from None


def _input_scope(item: Input, value: Any, scope: Mapping[str, Any]) -> Mapping[str, Any]:
    """The scope of an input entry: the input value bound to `?` and to `cellInput` (the name
    dmn-scala binds it to). Camunda 7's `camunda:inputVariable` is not bound: dmn-scala's
    ParsedInput has no such field, so Zeebe ignores it."""
    return Layers({INPUT_VALUE: value, CELL_INPUT: value}, scope)


def _matches(
    rule: Rule,
    table: DecisionTable,
    values: list[Any],
    scope: Mapping[str, Any],
    now: datetime | None,
) -> bool:
    for entry, item, value in zip(rule.input_entries, table.inputs, values, strict=True):
        try:
            if not entry.matches(_input_scope(item, value, scope), now=now):
                return False
        except FeelEvaluationError as exc:
            raise _EvaluationError(failure_text(entry.source, exc)) from None
    return True


def _rule_outputs(
    rule: Rule, table: DecisionTable, scope: Mapping[str, Any], now: datetime | None
) -> dict[str, Any]:
    """Output name -> value of the rule's output entry."""
    return {
        output.name: _run(entry, scope, now)
        for output, entry in zip(table.outputs, rule.output_entries, strict=True)
    }


def _matched_rule(
    rule: Rule, index: int, table: DecisionTable, outputs: dict[str, Any]
) -> MatchedRule:
    evaluated = tuple(
        EvaluatedOutput(o.id, o.name, to_json_value(outputs[o.name])) for o in table.outputs
    )
    return MatchedRule(rule.id, index, evaluated)


def _default_output(table: DecisionTable, scope: Mapping[str, Any], now: datetime | None) -> Any:
    """No rule matched: the outputs' default entries (null when there are none)."""
    defaults = {o.name: _run(o.default, scope, now) for o in table.outputs if o.default is not None}
    return single_output([defaults]) if defaults else None


def evaluate_table(
    table: DecisionTable, scope: Mapping[str, Any], now: datetime | None
) -> LogicOutcome:
    """Evaluate inputs, test every rule, apply the hit policy (FIRST stops at the first match).

    As dmn-scala's audit: the inputs are reported once all of them evaluated, the matched rules
    once all their output entries did (a failure before leaves the list empty).
    """
    inputs: tuple[EvaluatedInput, ...] = ()
    matched: tuple[MatchedRule, ...] = ()
    try:
        values = [_run(item.expression, scope, now) for item in table.inputs]
        inputs = tuple(
            EvaluatedInput(item.id, item.label, to_json_value(value))
            for item, value in zip(table.inputs, values, strict=True)
        )
        hits = [
            (index, rule)
            for index, rule in enumerate(table.rules, start=1)
            if _matches(rule, table, values, scope, now)
        ]
        if not hits:
            return LogicOutcome(_default_output(table, scope, now), None, inputs)
        chosen = hits[:1] if table.hit_policy == "FIRST" else hits
        rows = [_rule_outputs(rule, table, scope, now) for _, rule in chosen]
        matched = tuple(
            _matched_rule(rule, index, table, row)
            for (index, rule), row in zip(chosen, rows, strict=True)
        )
        output = HIT_POLICIES[table.hit_policy](table, rows)
    except (_EvaluationError, HitPolicyError) as exc:
        return LogicOutcome(None, str(exc), inputs, matched)
    return LogicOutcome(output, None, inputs, matched)


def evaluate_literal(
    literal: LiteralExpression, scope: Mapping[str, Any], now: datetime | None
) -> LogicOutcome:
    """Evaluate the expression; its value is the output."""
    try:
        return LogicOutcome(_run(literal.expression, scope, now))
    except _EvaluationError as exc:
        return LogicOutcome(None, str(exc))

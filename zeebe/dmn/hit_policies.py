"""Hit policies: how the outputs of the matched rules become the decision table's output.

One function per policy in a registry, after dmn-scala's DecisionTableEvaluator: single-hit
policies give one rule's output (a value for one output column, a context for several); multi-hit
policies give a list of them; COLLECT with an aggregator gives one number. Each function receives
the matched rules' outputs (name -> value, in column order) and raises HitPolicyError with
dmn-scala's message when the policy is broken.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from zeebe.dmn.model import DecisionTable
from zeebe.dmn.values import map_text, val_text
from zeebe.feel.values import DECIMAL, is_number, normalize, to_decimal, to_string

Outputs = dict[str, Any]
Policy = Callable[[DecisionTable, Sequence[Outputs]], Any]


class HitPolicyError(Exception):
    """The matched rules break the table's hit policy; the message is dmn-scala's."""


def single_output(outputs: Sequence[Outputs]) -> Any:
    """The first rule's output: its only value, or a context of all its values; null if none."""
    if not outputs:
        return None
    first = outputs[0]
    return next(iter(first.values())) if len(first) == 1 else dict(first)


def _list_output(outputs: Sequence[Outputs]) -> Any:
    """Every rule's output as a list (null when no rule matched, as dmn-scala)."""
    if not outputs:
        return None
    return [single_output([row]) for row in outputs]


def _list_text(outputs: Sequence[Outputs]) -> str:
    return f"List({', '.join(map_text(row) for row in outputs)})"


def _unique(table: DecisionTable, outputs: Sequence[Outputs]) -> Any:
    if len(outputs) > 1:
        raise HitPolicyError(
            f"multiple values aren't allowed for UNIQUE hit policy. found: '{_list_text(outputs)}'"
        )
    return single_output(outputs)


def _any(table: DecisionTable, outputs: Sequence[Outputs]) -> Any:
    distinct: list[Outputs] = []
    for row in outputs:
        if row not in distinct:
            distinct.append(row)
    if len(distinct) > 1:
        raise HitPolicyError(
            f"different values aren't allowed for ANY hit policy. found: '{_list_text(distinct)}'"
        )
    return single_output(outputs)


def _priority_key(table: DecisionTable) -> Callable[[Outputs], str]:
    """Sort key: per output column, the value's position in its `outputValues` (`_` when not
    listed, or not a string or number), concatenated as text, exactly as dmn-scala ranks rows
    (so with more than ten listed values, position 10 sorts before position 2, as there)."""

    def key(row: Outputs) -> str:
        ranks = []
        for output in table.outputs:
            value = row.get(output.name)
            text = value if isinstance(value, str) else to_string(value)
            listed = (isinstance(value, str) or is_number(value)) and text in output.priorities
            ranks.append(str(output.priorities.index(text)) if listed else "_")
        return "".join(ranks)

    return key


def _priority(table: DecisionTable, outputs: Sequence[Outputs]) -> Any:
    return single_output(sorted(outputs, key=_priority_key(table)))


def _output_order(table: DecisionTable, outputs: Sequence[Outputs]) -> Any:
    return _list_output(sorted(outputs, key=_priority_key(table)))


def _numbers(outputs: Sequence[Outputs]) -> list[Decimal]:
    """The single output of each rule as exact decimals (outputs may mix int, float, Decimal)."""
    values = [single_output([row]) for row in outputs]
    for value in values:
        if not is_number(value):
            raise HitPolicyError(f"expected number but found '{val_text(value)}'")
    return [to_decimal(value) for value in values]


_AGGREGATORS: dict[str, Callable[[Sequence[Outputs]], Any]] = {
    "SUM": lambda outputs: normalize(DECIMAL.create_decimal(sum(_numbers(outputs), Decimal(0)))),
    "MIN": lambda outputs: normalize(min(_numbers(outputs))),
    "MAX": lambda outputs: normalize(max(_numbers(outputs))),
    "COUNT": len,
}


def _collect(table: DecisionTable, outputs: Sequence[Outputs]) -> Any:
    if table.aggregation is None:
        return _list_output(outputs)
    return _AGGREGATORS[table.aggregation](outputs)


HIT_POLICIES: dict[str, Policy] = {
    "UNIQUE": _unique,
    "FIRST": lambda table, outputs: single_output(outputs),
    "PRIORITY": _priority,
    "ANY": _any,
    "COLLECT": _collect,
    "RULE ORDER": lambda table, outputs: _list_output(outputs),
    "OUTPUT ORDER": _output_order,
}

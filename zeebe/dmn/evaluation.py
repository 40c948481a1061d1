"""`evaluate_decision`: a decision with its required decisions, as dmn-scala evaluates a DRG.

Required decisions are evaluated first, depth first in document order (a decision required twice
is evaluated twice, as in dmn-scala); each one's output is visible to the decisions that require
it under its result name (variable name, else decision id), shadowing a variable of that name.
Model-level failures never raise: they come back in the `DecisionResult`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from zeebe.dmn.boxed import evaluate_logic
from zeebe.dmn.knowledge import knowledge_functions
from zeebe.dmn.model import Decision, DecisionRequirements
from zeebe.dmn.results import DecisionResult, EvaluatedDecision
from zeebe.dmn.values import Layers, type_mismatch
from zeebe.feel import to_json_value


class _DecisionFailedError(Exception):
    """Internal: unwinds the DRG walk from the decision that failed."""

    def __init__(self, decision_id: str, message: str) -> None:
        super().__init__(message)
        self.decision_id = decision_id
        self.message = message


def _evaluate(
    drg: DecisionRequirements,
    decision: Decision,
    variables: Mapping[str, Any],
    now: datetime | None,
    audit: list[EvaluatedDecision],
) -> Any:
    required: dict[str, Any] = {}
    for required_id in decision.required_decisions:
        dependency = drg.decision(required_id)
        if dependency is None:  # parse_dmn rejects this; a hand-built model may not
            message = f"no decision found for id '{required_id}'"
            raise _DecisionFailedError(decision.id, message)
        required[dependency.result_name] = _evaluate(drg, dependency, variables, now, audit)
    # dmn-scala: variables, then required decision results, then knowledge model functions
    functions = knowledge_functions(drg, decision.required_knowledge, variables, now, audit)
    scope = Layers(functions, required, variables)
    outcome = evaluate_logic(decision.logic, scope, now)
    failure = outcome.failure or type_mismatch(outcome.output, decision.result_type)
    audit.append(
        EvaluatedDecision(
            decision_id=decision.id,
            decision_name=decision.name,
            decision_type=decision.logic.decision_type,
            output=None if failure else to_json_value(outcome.output),
            evaluated_inputs=outcome.evaluated_inputs,
            matched_rules=outcome.matched_rules,
        )
    )
    if failure:
        raise _DecisionFailedError(decision.id, failure)
    return outcome.output


def evaluate_decision(
    drg: DecisionRequirements,
    decision_id: str,
    variables: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> DecisionResult:
    """Evaluate one decision of the DRG (required decisions first) against the variables.

    `variables` are only looked up, never copied; `now` is the clock for FEEL's `now()`/`today()`.
    Never raises for model-level failures (no such decision, hit policy violated, assertion
    failed, result of the wrong type): the result then has `failed_decision_id` and
    `failure_message` set and `output` None.
    """
    decision = drg.decision(decision_id)
    if decision is None:
        message = f"no decision found for id '{decision_id}'"
        return DecisionResult(None, (), decision_id, message)
    audit: list[EvaluatedDecision] = []
    try:
        output = _evaluate(drg, decision, variables, now, audit)
    except _DecisionFailedError as failed:
        return DecisionResult(None, tuple(audit), failed.decision_id, failed.message)
    return DecisionResult(to_json_value(output), tuple(audit))

"""EvaluateDecision (spec 1.2 row 7, Appendix A `EvaluateDecisionResponse`), Zeebe 8.7 rules:

- `decisionId` wins over `decisionKey` when both are given ("When you specify both the decision
  ID and KEY, the ID is used"); an id selects the latest version;
- no decision found, or neither given -> INVALID_ARGUMENT (8.8+ answers NOT_FOUND);
- an evaluation failure is answered, not rejected: `failedDecisionId` and `failureMessage` are set.

As in Zeebe 8.7 (EvaluateDecisionProcessor) the request is the command DECISION_EVALUATION
EVALUATE (`evaluate`, registered in `registry.py`): it writes DECISION_EVALUATION EVALUATED (or
FAILED, still answered) under a new key, which the response carries as `decisionInstanceKey`; a
missing decision is a COMMAND_REJECTION.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine import decisions
from zeebe.engine.context import Context
from zeebe.records import Record, RejectionType
from zeebe.state import EngineState
from zeebe.state.definitions import DeployedDecision

INTENT = "EVALUATE"
NONE_GIVEN = "Expected either a decision id or a valid decision key, but none provided"


def unknown_decision_reason(value: dict[str, Any]) -> str:
    """Zeebe 8.7's rejection text when no deployed decision matches the request."""
    decision_id = str(value.get("decisionId") or "")
    if decision_id:
        return decisions.not_found_message(decision_id)
    decision_key = int(value.get("decisionKey") or -1)
    if decision_key <= 0:
        return NONE_GIVEN
    return (
        f"Expected to evaluate decision with key '{decision_key}', but no decision found "
        f"for key '{decision_key}'"
    )


def _lookup(state: EngineState, value: dict[str, Any]) -> DeployedDecision | str:
    """The decision the request names (an id wins over a key), or the rejection reason."""
    decision_id = str(value.get("decisionId") or "")
    decision_key = int(value.get("decisionKey") or -1)
    if decision_id:
        found = decisions.find_latest(state, decision_id)
    else:
        found = decisions.find_by_key(state, decision_key) if decision_key > 0 else None
    return found if found is not None else unknown_decision_reason(value)


def _response(record: dict[str, Any], key: int) -> dict[str, Any]:
    """EvaluateDecisionResponse fields from `decisions.evaluation_value` (JSON values)."""
    response = {k: v for k, v in record.items() if k != "evaluationFailureMessage"}
    response["failureMessage"] = record["evaluationFailureMessage"]
    response["decisionInstanceKey"] = key
    return response


def evaluate(ctx: Context, command: Record) -> None:
    """DECISION_EVALUATION EVALUATE: write EVALUATED / FAILED and answer with its key."""
    decision = _lookup(ctx.state, command.value)
    if isinstance(decision, str):
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, decision)
        return
    variables = dict(command.value.get("variables") or {})
    evaluation = decisions.evaluate(ctx.state, decision, variables, ctx.now)
    value = decisions.evaluation_value(ctx.state, evaluation)
    record = decisions.record_value(value, variables, decisions.NO_PROCESS)
    key = decisions.write_evaluation(ctx, evaluation, record)
    ctx.respond(_response(value, key))

"""EvaluateDecision (spec 1.2 row 7, Appendix A `EvaluateDecisionResponse`), Zeebe 8.7 rules:

- `decisionId` wins over `decisionKey` when both are given ("When you specify both the decision
  ID and KEY, the ID is used"); an id selects the latest version;
- no decision found, or neither given -> INVALID_ARGUMENT (8.8+ answers NOT_FOUND);
- an evaluation failure is answered, not rejected: `failedDecisionId` and `failureMessage` are set.

This engine has no DECISION_EVALUATION value type (zeebe/records.py), so the evaluation writes no
record and `decisionInstanceKey` is -1; state is only read, so this is safe to run anywhere the
engine runs single-threaded.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine import decisions
from zeebe.engine.api import CommandResult, Rejection
from zeebe.records import RejectionType
from zeebe.state import EngineState
from zeebe.state.definitions import DeployedDecision

INTENT = "EVALUATE"
NONE_GIVEN = "Expected either a decision id or a valid decision key, but none provided"


def _rejected(reason: str) -> CommandResult:
    return CommandResult(
        records=(), rejection=Rejection(RejectionType.INVALID_ARGUMENT, reason, INTENT)
    )


def _lookup(state: EngineState, value: dict[str, Any]) -> DeployedDecision | str:
    """The decision the request names, or the rejection reason."""
    decision_id = str(value.get("decisionId") or "")
    if decision_id:
        found = decisions.find_latest(state, decision_id)
        return found if found is not None else decisions.not_found_message(decision_id)
    decision_key = int(value.get("decisionKey") or -1)
    if decision_key <= 0:
        return NONE_GIVEN
    by_key = decisions.find_by_key(state, decision_key)
    if by_key is None:
        return (
            f"Expected to evaluate decision with key '{decision_key}', but no decision found "
            f"for key '{decision_key}'"
        )
    return by_key


def evaluate_decision_request(
    state: EngineState, value: dict[str, Any], now_ms: int
) -> CommandResult:
    """Answer an EvaluateDecision request {decisionKey, decisionId, variables, tenantId} with
    the EvaluateDecisionResponse fields (`decisionOutput` and the evaluated inputs/outputs as
    JSON values; the gateway encodes them as text)."""
    decision = _lookup(state, value)
    if isinstance(decision, str):
        return _rejected(decision)
    variables = dict(value.get("variables") or {})
    evaluation = decisions.evaluate(state, decision, variables, now_ms)
    record = decisions.evaluation_value(state, evaluation)
    response = {k: v for k, v in record.items() if k != "evaluationFailureMessage"}
    response["failureMessage"] = record["evaluationFailureMessage"]
    response["decisionInstanceKey"] = -1
    return CommandResult(records=(), response=response)

"""EvaluateDecision (spec 1.2 row 7; Appendix A `EvaluateDecisionResponse`), Zeebe 8.7 rules."""

from __future__ import annotations

import pytest
from decision_support import dmn
from engine_support import Driver

from zeebe.engine.api import CommandResult
from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit


def evaluate(driver: Driver, value: dict[str, object]) -> CommandResult:
    """The EvaluateDecision command (DECISION_EVALUATION EVALUATE)."""
    return driver.send(ValueType.DECISION_EVALUATION, "EVALUATE", value)


def deployed() -> tuple[Driver, dict[str, object]]:
    driver = Driver()
    result = driver.deploy(dmn(), names=("d.dmn",))
    assert result.response is not None
    return driver, result.response["deployments"][0]["decision"]


def test_evaluate_by_id_answers_with_the_output_and_metadata() -> None:
    """The response names the decision (key, id, name, version, DRG) and its output."""
    driver, decision = deployed()
    result = evaluate(driver, {"decisionId": "discount", "variables": {"total": 200}})
    assert result.response is not None, result.rejection
    assert result.response["decisionOutput"] == 10
    assert result.response["decisionKey"] == decision["decisionKey"]
    assert result.response["decisionVersion"] == 1
    assert result.response["decisionRequirementsId"] == "drg"
    assert result.response["failureMessage"] == ""


def test_evaluated_decisions_carry_matched_rules_and_inputs() -> None:
    """`evaluatedDecisions` lists the decision with its inputs and matched rules."""
    driver, decision = deployed()
    result = evaluate(driver, {"decisionId": "discount", "variables": {"total": 1}})
    assert result.response is not None
    (evaluated,) = result.response["evaluatedDecisions"]
    assert evaluated["decisionKey"] == decision["decisionKey"]
    assert evaluated["evaluatedInputs"][0]["inputValue"] == 1
    assert [r["ruleId"] for r in evaluated["matchedRules"]] == ["r2"]


def test_evaluate_by_key() -> None:
    """Without an id, `decisionKey` selects the decision."""
    driver, decision = deployed()
    value = {"decisionKey": decision["decisionKey"], "variables": {"total": 100}}
    result = evaluate(driver, value)
    assert result.response is not None and result.response["decisionOutput"] == 10


def test_unknown_id_is_invalid_argument() -> None:
    """Spec 1.2 row 7 (8.7): "Expected to evaluate decision '...', but no decision found for id
    '...'" as INVALID_ARGUMENT."""
    driver, _ = deployed()
    result = evaluate(driver, {"decisionId": "nope", "variables": {}})
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert result.rejection.reason == (
        "Expected to evaluate decision 'nope', but no decision found for id 'nope'"
    )


def test_neither_id_nor_key_is_invalid_argument() -> None:
    """Spec 1.2 row 7: "both or neither given" -> INVALID_ARGUMENT."""
    driver, _ = deployed()
    result = evaluate(driver, {"variables": {}})
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT


def test_failed_evaluation_is_answered_with_the_failure() -> None:
    """An evaluation failure sets failedDecisionId and failureMessage."""
    driver = Driver()
    unique = dmn().replace(b'hitPolicy="FIRST"', b'hitPolicy="UNIQUE"')
    driver.deploy(unique, names=("d.dmn",))
    result = evaluate(driver, {"decisionId": "discount", "variables": {"total": 500}})
    assert result.response is not None
    assert result.response["failedDecisionId"] == "discount"
    assert result.response["failureMessage"].startswith(
        "Expected to evaluate decision 'discount', but "
    )

"""DECISION_EVALUATION records (Zeebe 8.7 EvaluateDecisionProcessor and BpmnDecisionBehavior):
every evaluation writes EVALUATED or FAILED under its own key; EvaluateDecision is the command
DECISION_EVALUATION EVALUATE and answers that key as `decisionInstanceKey` (spec 1.2 row 7,
Appendix A `EvaluateDecisionResponse`)."""

from __future__ import annotations

import json

import pytest
from decision_support import dmn, rule_task
from engine_support import Driver, bpmn, chain
from test_engine_replay import replayed

from zeebe.engine.api import CommandResult
from zeebe.records import Record, RecordType, RejectionType, ValueType

pytestmark = pytest.mark.unit

UNIQUE = dmn().replace(b'hitPolicy="FIRST"', b'hitPolicy="UNIQUE"')


def evaluate(driver: Driver, value: dict[str, object]) -> CommandResult:
    return driver.send(ValueType.DECISION_EVALUATION, "EVALUATE", value)


def evaluations(driver: Driver) -> list[Record]:
    return driver.events(ValueType.DECISION_EVALUATION)


def deployed(*resources: tuple[str, bytes]) -> Driver:
    driver = Driver()
    result = driver.deploy(*(d for _, d in resources), names=tuple(n for n, _ in resources))
    assert result.rejection is None, result.rejection
    return driver


def rules_process() -> bytes:
    body = '<bpmn:startEvent id="s"/>' + rule_task() + '<bpmn:endEvent id="e"/>'
    return bpmn("rules", body + chain("s", "rule", "e"))


def test_evaluate_command_writes_evaluated_and_answers_its_key() -> None:
    """Zeebe 8.7: EVALUATE -> DECISION_EVALUATION EVALUATED with a new key, which the response
    carries as decisionInstanceKey."""
    driver = deployed(("d.dmn", dmn()))
    result = evaluate(driver, {"decisionId": "discount", "variables": {"total": 200}})
    assert result.response is not None, result.rejection
    (record,) = evaluations(driver)
    assert record.intent == "EVALUATED"
    assert record.key > 0
    assert result.response["decisionInstanceKey"] == record.key
    assert result.response["decisionOutput"] == 10


def test_evaluated_record_has_zeebe_fields_with_json_text_outputs() -> None:
    """DecisionEvaluationRecord: decision and DRG fields, decisionOutput as JSON text, the
    command's variables, no process (-1 keys), evaluatedDecisions with JSON text values."""
    driver = deployed(("d.dmn", dmn()))
    evaluate(driver, {"decisionId": "discount", "variables": {"total": 200}})
    (drg,) = driver.events(ValueType.DECISION_REQUIREMENTS, "CREATED")
    (decision,) = driver.events(ValueType.DECISION, "CREATED")
    value = evaluations(driver)[0].value
    assert value["decisionKey"] == decision.key
    assert (value["decisionId"], value["decisionName"], value["decisionVersion"]) == (
        "discount",
        "Discount",
        1,
    )
    assert value["decisionRequirementsKey"] == drg.key
    assert value["decisionOutput"] == "10"
    assert value["variables"] == {"total": 200}
    assert value["processInstanceKey"] == -1 and value["elementInstanceKey"] == -1
    assert value["bpmnProcessId"] == "" and value["elementId"] == ""
    (evaluated,) = value["evaluatedDecisions"]
    assert evaluated["decisionKey"] == decision.key
    assert evaluated["evaluatedInputs"][0]["inputValue"] == "200"
    assert json.loads(evaluated["matchedRules"][0]["evaluatedOutputs"][0]["outputValue"]) == 10
    assert value["evaluationFailureMessage"] == "" and value["failedDecisionId"] == ""


def test_failed_evaluation_writes_failed_and_is_still_answered() -> None:
    """Zeebe 8.7: a failed evaluation writes FAILED (not a rejection) and is answered with
    failedDecisionId / failureMessage."""
    driver = deployed(("d.dmn", UNIQUE))
    result = evaluate(driver, {"decisionId": "discount", "variables": {"total": 500}})
    assert result.rejection is None and result.response is not None
    (record,) = evaluations(driver)
    assert record.intent == "FAILED"
    assert record.value["failedDecisionId"] == "discount"
    assert record.value["evaluationFailureMessage"] == result.response["failureMessage"]
    assert result.response["decisionInstanceKey"] == record.key


def test_unknown_decision_is_rejected_without_evaluation_record() -> None:
    """Zeebe 8.7: no decision found -> COMMAND_REJECTION INVALID_ARGUMENT, nothing evaluated."""
    driver = deployed(("d.dmn", dmn()))
    result = evaluate(driver, {"decisionId": "nope", "variables": {}})
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert evaluations(driver) == []
    kinds = [r.record_type for r in result.records]
    assert kinds == [RecordType.COMMAND, RecordType.COMMAND_REJECTION]


def test_evaluate_by_key() -> None:
    """An EVALUATE naming the decisionKey evaluates that version."""
    driver = deployed(("d.dmn", dmn()))
    (decision,) = driver.events(ValueType.DECISION, "CREATED")
    result = evaluate(driver, {"decisionKey": decision.key, "variables": {"total": 1}})
    assert result.response is not None, result.rejection
    assert evaluations(driver)[0].value["decisionKey"] == decision.key


def test_business_rule_task_writes_evaluated_with_its_process_fields() -> None:
    """Zeebe 8.7 BpmnDecisionBehavior: the task's evaluation names the process instance,
    element instance, element id, process id and definition key."""
    driver = deployed(("d.dmn", dmn()), ("p.bpmn", rules_process()))
    pi = driver.create("rules", {"total": 150})
    (record,) = evaluations(driver)
    (task,) = [
        r
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")
        if r.value["elementId"] == "rule"
    ]
    assert record.intent == "EVALUATED"
    assert record.value["processInstanceKey"] == pi
    assert record.value["elementInstanceKey"] == task.key
    assert record.value["elementId"] == "rule"
    assert record.value["bpmnProcessId"] == "rules"
    assert record.value["processDefinitionKey"] == task.value["processDefinitionKey"]
    assert record.value["decisionOutput"] == "10"


def test_failed_task_evaluation_writes_failed_before_the_incident() -> None:
    """Zeebe 8.7: FAILED is written, then the DECISION_EVALUATION_ERROR incident."""
    driver = deployed(("d.dmn", UNIQUE), ("p.bpmn", rules_process()))
    driver.create("rules", {"total": 150})
    (record,) = evaluations(driver)
    (incident,) = driver.events(ValueType.INCIDENT, "CREATED")
    assert record.intent == "FAILED"
    assert record.position < incident.position
    assert incident.value["errorMessage"] == record.value["evaluationFailureMessage"]


def test_missing_decision_writes_no_evaluation_record() -> None:
    """A CALLED_DECISION_ERROR (no decision found) evaluates nothing, so no record."""
    driver = deployed(("p.bpmn", rules_process()))
    driver.create("rules", {"total": 150})
    assert evaluations(driver) == []
    assert driver.incidents()[0]["errorType"] == "CALLED_DECISION_ERROR"


def test_replay_with_evaluations_restores_state_and_key_counter() -> None:
    """Evaluations change no state but use keys: replay continues after the last one."""
    driver = deployed(("d.dmn", dmn()), ("p.bpmn", rules_process()))
    driver.create("rules", {"total": 150})
    evaluate(driver, {"decisionId": "discount", "variables": {"total": 1}})
    engine = replayed(driver.records, driver)
    assert engine.state.snapshot() == driver.engine.state.snapshot()
    assert engine.state.last_key == driver.engine.state.last_key

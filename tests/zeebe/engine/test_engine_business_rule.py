"""DMN business rule tasks (spec 4.2: "Business rule task: DMN (`zeebe:calledDecision
decisionId resultVariable`) or job-based"; spec 1.2 row 7 for the failure wording)."""

from __future__ import annotations

import pytest
from decision_support import dmn, rule_task
from engine_support import Driver, bpmn, chain
from test_engine_replay import replayed

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def process(decision_id: str = "discount", extensions: str = "") -> bytes:
    """start -> rule (DMN) -> end."""
    body = '<bpmn:startEvent id="s"/>' + rule_task(decision_id, extensions)
    return bpmn("rules", body + '<bpmn:endEvent id="e"/>' + chain("s", "rule", "e"))


def deployed(*resources: tuple[str, bytes]) -> Driver:
    driver = Driver()
    names = tuple(name for name, _ in resources)
    result = driver.deploy(*(data for _, data in resources), names=names)
    assert result.rejection is None, result.rejection
    return driver


def test_called_decision_is_valid_at_deploy_time() -> None:
    """Spec 4.2: a business rule task with zeebe:calledDecision needs no zeebe:taskDefinition."""
    assert Driver().deploy(process()).rejection is None


def test_called_decision_requires_result_variable() -> None:
    """Spec 6: `resultVariable` is a required attribute of zeebe:calledDecision."""
    xml = process().replace(b' resultVariable="discount"', b"")
    result = Driver().deploy(xml)
    assert result.rejection is not None
    assert "Attribute 'resultVariable' must be present and not empty" in result.rejection.reason


def test_decision_output_lands_in_result_variable() -> None:
    """The decision result is stored in `resultVariable` and the task completes (no job)."""
    driver = deployed(("d.dmn", dmn()), ("p.bpmn", process()))
    pi = driver.create("rules", {"total": 150})
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["discount"] == 10
    assert driver.events(ValueType.JOB) == []


def test_latest_decision_version_is_evaluated() -> None:
    """bindingType latest (the default): the newest deployed version of the decision id."""
    driver = deployed(("d.dmn", dmn()), ("p.bpmn", process()))
    driver.deploy(dmn(rule_output="25"), names=("d.dmn",))
    pi = driver.create("rules", {"total": 150})
    assert driver.written_variables(pi)["discount"] == 25


def test_decision_id_may_be_an_expression() -> None:
    """Spec 6: decisionId is static or FEEL."""
    driver = deployed(("d.dmn", dmn()), ("p.bpmn", process("= which")))
    pi = driver.create("rules", {"total": 5, "which": "discount"})
    assert driver.written_variables(pi)["discount"] == 0


def test_output_mapping_applies_to_the_result() -> None:
    """The result variable is a task-local result; output mappings map it like a job result."""
    mapping = (
        '<zeebe:ioMapping><zeebe:output source="= discount * 2" target="doubled"/>'
        "</zeebe:ioMapping>"
    )
    driver = deployed(("d.dmn", dmn()), ("p.bpmn", process(extensions=mapping)))
    pi = driver.create("rules", {"total": 100})
    assert driver.written_variables(pi)["doubled"] == 20


def test_unknown_decision_raises_called_decision_incident() -> None:
    """Spec 1.2 row 7 wording: "Expected to evaluate decision '...', but no decision found for
    id '...'"; the incident type is CALLED_DECISION_ERROR."""
    driver = deployed(("p.bpmn", process("missing")))
    pi = driver.create("rules", {"total": 1})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "CALLED_DECISION_ERROR"
    assert incident["errorMessage"] == (
        "Expected to evaluate decision 'missing', but no decision found for id 'missing'"
    )
    assert not driver.is_completed(pi)


def test_resolving_after_deploying_the_decision_re_evaluates() -> None:
    """Resolving the incident re-runs the activation, now finding the deployed decision."""
    driver = deployed(("p.bpmn", process()))
    pi = driver.create("rules", {"total": 150})
    (incident,) = driver.incidents()
    driver.deploy(dmn(), names=("d.dmn",))
    driver.resolve(incident["key"])
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["discount"] == 10


def test_failed_evaluation_raises_decision_evaluation_incident() -> None:
    """An evaluation failure (here: two rules match a UNIQUE table) is a
    DECISION_EVALUATION_ERROR incident with "Expected to evaluate decision '<id>', but ..."."""
    unique = dmn().replace(b'hitPolicy="FIRST"', b'hitPolicy="UNIQUE"')
    driver = deployed(("d.dmn", unique), ("p.bpmn", process()))
    driver.create("rules", {"total": 150})  # both rules match: UNIQUE is violated
    (incident,) = driver.incidents()
    assert incident["errorType"] == "DECISION_EVALUATION_ERROR"
    assert incident["errorMessage"].startswith("Expected to evaluate decision 'discount', but ")


def test_business_rule_task_without_called_decision_stays_job_based() -> None:
    """Spec 4.2: the job-based variant creates a job of its task definition type."""
    task = (
        '<bpmn:businessRuleTask id="rule"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="rules"/></bpmn:extensionElements></bpmn:businessRuleTask>'
    )
    end = '<bpmn:endEvent id="e"/>'
    xml = bpmn("jobrule", '<bpmn:startEvent id="s"/>' + task + end + chain("s", "rule", "e"))
    driver = deployed(("p.bpmn", xml))
    driver.create("jobrule")
    assert driver.job("rules")["elementId"] == "rule"


def test_replay_after_decision_evaluation_gives_same_state() -> None:
    """Replaying the log of a DMN evaluation (and an incident) rebuilds the same state."""
    driver = deployed(("d.dmn", dmn()), ("p.bpmn", process()))
    driver.create("rules", {"total": 150})
    driver.deploy(process("missing"), names=("p.bpmn",))
    driver.create("rules", {"total": 150})
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


BINDING = ' bindingType="deployment"/>'


def test_binding_type_deployment_uses_the_version_deployed_with_the_process() -> None:
    """bindingType `deployment` (as documented for calledDecision since 8.6, and for call
    activities in spec 4.2) evaluates the decision version deployed together with the process."""
    xml = process().replace(
        b'resultVariable="discount"/>', b'resultVariable="discount"' + BINDING.encode()
    )
    driver = deployed(("d.dmn", dmn()), ("p.bpmn", xml))
    driver.deploy(dmn(rule_output="25"), names=("d.dmn",))
    pi = driver.create("rules", {"total": 150})
    assert driver.written_variables(pi)["discount"] == 10


def test_binding_type_deployment_without_decision_in_the_deployment_is_an_incident() -> None:
    """No decision of that id in the process's deployment -> CALLED_DECISION_ERROR."""
    xml = process().replace(
        b'resultVariable="discount"/>', b'resultVariable="discount"' + BINDING.encode()
    )
    driver = deployed(("d.dmn", dmn()))
    driver.deploy(xml, names=("p.bpmn",))
    driver.create("rules", {"total": 150})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "CALLED_DECISION_ERROR"
    assert "binding type 'deployment'" in incident["errorMessage"]

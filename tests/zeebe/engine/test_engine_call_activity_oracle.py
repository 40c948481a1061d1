"""Call activity incidents checked against Zeebe's own engine tests (CallActivityTest;
CallActivityProcessor; spec 5.4, 2.5 "Incidents overview")."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain

pytestmark = pytest.mark.unit


def parent(process_id: str) -> bytes:
    """A process `parent` calling `process_id` (static or `= expression`)."""
    return bpmn(
        "parent",
        '<bpmn:startEvent id="s"/><bpmn:callActivity id="call"><bpmn:extensionElements>'
        f'<zeebe:calledElement processId="{process_id}"/></bpmn:extensionElements>'
        '</bpmn:callActivity><bpmn:endEvent id="e"/>' + chain("s", "call", "e"),
    )


def test_a_process_id_expression_of_the_wrong_type_is_an_extract_value_error() -> None:
    """CallActivityProcessor evaluates the processId as a string expression: its failure is an
    EXTRACT_VALUE_ERROR incident (only a missing process is a CALLED_ELEMENT_ERROR)."""
    driver = Driver()
    assert driver.deploy(parent("= pid")).rejection is None
    driver.create("parent", {"pid": 5})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert incident["errorMessage"] == (
        "Expected result of the expression 'pid' to be 'STRING', but was 'NUMBER'."
    )
    assert incident["elementId"] == "call"


def test_an_evaluated_process_id_that_is_not_deployed_is_a_called_element_error() -> None:
    """CallActivityTest.shouldCreateIncidentIfProcessIsNotDeployed: "Expected process with BPMN
    process id '<id>' to be deployed, but not found." (CALLED_ELEMENT_ERROR)."""
    driver = Driver()
    assert driver.deploy(parent("= pid")).rejection is None
    driver.create("parent", {"pid": "missing"})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "CALLED_ELEMENT_ERROR"
    assert incident["errorMessage"] == (
        "Expected process with BPMN process id 'missing' to be deployed, but not found."
    )

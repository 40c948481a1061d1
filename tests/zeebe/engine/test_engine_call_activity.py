"""Call activities (spec 4.2 "Call activity", 5.4 variables)."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow, service_task

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit

CHILD = bpmn(
    "child",
    '<bpmn:startEvent id="cs"/>'
    + service_task("ct", "child-work")
    + '<bpmn:endEvent id="ce"/>'
    + chain("cs", "ct", "ce"),
)


def parent(attributes: str = "", extensions: str = "", boundary: str = "") -> bytes:
    return bpmn(
        "parent",
        '<bpmn:startEvent id="s"/><bpmn:callActivity id="call"><bpmn:extensionElements>'
        f'<zeebe:calledElement processId="child"{attributes}/>{extensions}'
        "</bpmn:extensionElements></bpmn:callActivity>"
        + boundary
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "call", "e"),
        extra='<bpmn:error id="err" errorCode="CHILD_FAILED"/>',
    )


def deployed(*resources: bytes) -> Driver:
    driver = Driver()
    result = driver.deploy(*resources)
    assert result.rejection is None, result.rejection
    return driver


def test_call_activity_runs_child_and_propagates_variables_both_ways() -> None:
    """Spec 5.4: parent variables are copied to the child; on completion the child's root
    variables propagate back (both defaults true)."""
    driver = deployed(CHILD, parent())
    pi = driver.create("parent", {"orderId": "o-1"})
    job = driver.job("child-work")
    assert job["variables"] == {"orderId": "o-1"}
    assert job["bpmnProcessId"] == "child"
    child_key = job["processInstanceKey"]
    (child_activated,) = [
        r
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")
        if r.key == child_key
    ]
    assert child_activated.value["parentProcessInstanceKey"] == pi
    driver.complete(job["key"], {"result": "done"})
    assert driver.is_completed(child_key)
    assert driver.completed(pi)[-3:] == ["call", "e", "parent"]
    assert driver.written_variables(pi)["result"] == "done"


def test_child_variables_are_not_propagated_when_disabled() -> None:
    """Spec 5.4: propagateAllChildVariables=false discards the child's variables."""
    driver = deployed(CHILD, parent(' propagateAllChildVariables="false"'))
    pi = driver.create("parent")
    driver.complete(driver.job("child-work")["key"], {"result": "done"})
    assert driver.is_completed(pi)
    assert "result" not in driver.written_variables(pi)


def test_only_input_mapped_variables_when_parent_propagation_disabled() -> None:
    """Spec 5.4: propagateAllParentVariables=false copies only the call activity's locals."""
    inputs = '<zeebe:ioMapping><zeebe:input source="= a" target="x"/></zeebe:ioMapping>'
    driver = deployed(CHILD, parent(' propagateAllParentVariables="false"', inputs))
    driver.create("parent", {"a": 1, "b": 2})
    assert driver.job("child-work")["variables"] == {"x": 1}


def test_missing_called_process_raises_incident() -> None:
    """An undeployed called process is a CALLED_ELEMENT_ERROR incident on the call activity."""
    driver = deployed(parent())
    driver.create("parent")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "CALLED_ELEMENT_ERROR"
    assert incident["errorMessage"] == (
        "Expected process with BPMN process id 'child' to be deployed, but not found."
    )


def test_cancelling_parent_terminates_child() -> None:
    """Spec 4.2: terminating the call activity terminates the child instance."""
    driver = deployed(CHILD, parent())
    pi = driver.create("parent")
    child_key = driver.job("child-work")["processInstanceKey"]
    assert driver.cancel(pi).rejection is None
    assert ("child", "ELEMENT_TERMINATED") in driver.element_events(child_key)
    assert driver.engine.state.instances == {}


def test_child_instance_cannot_be_cancelled_directly() -> None:
    """A called instance is cancelled through its root instance (INVALID_STATE)."""
    driver = deployed(CHILD, parent())
    driver.create("parent")
    child_key = driver.job("child-work")["processInstanceKey"]
    rejection = driver.cancel(child_key).rejection
    assert rejection is not None and rejection.type is RejectionType.INVALID_STATE


def test_child_error_is_caught_at_the_call_activity() -> None:
    """Spec 2.6: an error in a called process can be caught in the calling parent."""
    boundary = (
        '<bpmn:boundaryEvent id="caught" attachedToRef="call">'
        '<bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="failed"/>' + flow("fc", "caught", "failed")
    )
    driver = deployed(CHILD, parent(boundary=boundary))
    pi = driver.create("parent")
    job = driver.job("child-work")
    driver.throw(job["key"], "CHILD_FAILED")
    assert driver.completed(pi)[-3:] == ["caught", "failed", "parent"]
    assert ("child", "ELEMENT_TERMINATED") in driver.element_events(job["processInstanceKey"])

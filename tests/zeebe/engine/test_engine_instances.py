"""Process instance creation and cancellation (spec 1.2 rows 3, 5, 6; Appendix B lookup)."""

from __future__ import annotations

import pytest
from engine_support import ONE_TASK, Driver, bpmn, chain

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit


def test_one_task_instance_runs_to_completion() -> None:
    """A none start event starts the instance; the service task waits for its job."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    pi = driver.create("one-task")
    assert driver.active(pi) == [("task", "ELEMENT_ACTIVATED")]
    driver.complete(driver.job("work")["key"])
    assert driver.completed(pi) == ["start", "task", "end", "one-task"]
    assert driver.engine.state.instances == {}


def test_create_response_names_definition_and_instance() -> None:
    """CreateProcessInstance answers processDefinitionKey, bpmnProcessId, version, key, tenant."""
    driver = Driver()
    deployed = driver.deploy(ONE_TASK).response
    assert deployed is not None
    result = driver.try_create("one-task")
    (process_activating,) = [
        r
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")
        if r.value["bpmnElementType"] == "PROCESS"
    ]
    assert process_activating.key == process_activating.value["processInstanceKey"]
    assert result.response == {
        "processDefinitionKey": deployed["deployments"][0]["processDefinitionKey"],
        "bpmnProcessId": "one-task",
        "version": 1,
        "processInstanceKey": process_activating.key,
        "tenantId": "<default>",
    }


def test_creation_variables_are_root_variables() -> None:
    """Variables given at creation live in the root scope (spec 5.2)."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    pi = driver.create("one-task", {"orderId": "o-1", "total": 12.5})
    assert driver.variables(pi) == {"orderId": "o-1", "total": 12.5}
    created = driver.events(ValueType.VARIABLE, "CREATED")
    assert {r.value["name"]: r.value["value"] for r in created} == {
        "orderId": '"o-1"',
        "total": "12.5",
    }


def test_unknown_process_id_is_not_found() -> None:
    """Appendix B: no such process id -> NOT_FOUND with Zeebe's reason."""
    result = Driver().try_create("nope")
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.NOT_FOUND
    assert result.rejection.reason == (
        "Expected to find process definition with process ID 'nope', but none found"
    )


def test_version_zero_means_exactly_version_zero() -> None:
    """Appendix B: version >= 0 selects that exact version, so 0 is NOT_FOUND."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    result = driver.try_create("one-task", version=0)
    assert result.rejection is not None
    assert result.rejection.reason == (
        "Expected to find process definition with process ID 'one-task' and version '0', "
        "but none found"
    )


def test_create_by_unknown_key_is_not_found() -> None:
    """Appendix B: lookup by processDefinitionKey."""
    value = {"bpmnProcessId": "", "processDefinitionKey": 123, "variables": {}}
    result = Driver().send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value)
    assert result.rejection is not None
    assert (
        result.rejection.reason
        == "Expected to find process definition with key '123', but none found"
    )


def test_neither_id_nor_key_is_invalid_argument() -> None:
    """Appendix B: neither bpmnProcessId nor key -> INVALID_ARGUMENT."""
    value = {"bpmnProcessId": "", "processDefinitionKey": -1, "variables": {}}
    result = Driver().send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value)
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT


def test_process_without_none_start_event_is_invalid_state() -> None:
    """Appendix B: no none start event -> FAILED_PRECONDITION (INVALID_STATE)."""
    message_start = '<bpmn:message id="m" name="go"/>'
    xml = bpmn(
        "msg-start",
        '<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "e"),
        extra=message_start,
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    result = driver.try_create("msg-start")
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_STATE
    assert result.rejection.reason == (
        "Expected to create instance of process with none start event, but there is no such event"
    )


def test_start_instructions_activate_the_given_element() -> None:
    """Start instructions activate the named elements instead of the none start event."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    pi = driver.create("one-task", startInstructions=[{"elementId": "end"}])
    assert driver.completed(pi) == ["end", "one-task"]


def test_cancel_terminates_all_element_instances_and_the_job() -> None:
    """Cancel terminates element instances bottom-up and cancels their jobs."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    pi = driver.create("one-task")
    result = driver.cancel(pi)
    assert result.rejection is None
    assert driver.element_events(pi)[-4:] == [
        ("one-task", "ELEMENT_TERMINATING"),
        ("task", "ELEMENT_TERMINATING"),
        ("task", "ELEMENT_TERMINATED"),
        ("one-task", "ELEMENT_TERMINATED"),
    ]
    assert len(driver.events(ValueType.JOB, "CANCELED")) == 1
    assert driver.activate("work") == []


def test_cancel_unknown_instance_is_not_found() -> None:
    """Spec 1.2 row 3: NOT_FOUND for a missing (or finished) instance."""
    result = Driver().cancel(42)
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.NOT_FOUND
    assert result.rejection.reason.startswith("No process instance exists with the given key.")


def test_awaiting_result_writes_result_with_fetched_variables() -> None:
    """CreateProcessInstanceWithResult: PROCESS_INSTANCE_RESULT carries the fetched variables."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    value = {
        "bpmnProcessId": "one-task",
        "version": -1,
        "variables": {"a": 1, "b": 2},
        "fetchVariables": ["a"],
    }
    result = driver.send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE_WITH_AWAITING_RESULT", value)
    assert result.response is not None
    pi = result.response["processInstanceKey"]
    assert driver.events(ValueType.PROCESS_INSTANCE_RESULT) == []
    driver.complete(driver.job("work")["key"], {"c": 3})
    (done,) = driver.events(ValueType.PROCESS_INSTANCE_RESULT, "COMPLETED")
    assert done.value["processInstanceKey"] == pi
    assert done.value["variables"] == {"a": 1}


def test_pass_through_elements_complete_at_once() -> None:
    """Manual and undefined tasks are pass-through activities (spec 4.2)."""
    xml = bpmn(
        "pass",
        '<bpmn:startEvent id="s"/><bpmn:manualTask id="m"/><bpmn:task id="t"/>'
        '<bpmn:intermediateThrowEvent id="n"/><bpmn:endEvent id="e"/>'
        + chain("s", "m", "t", "n", "e"),
    )
    driver = Driver()
    driver.deploy(xml)
    pi = driver.create("pass")
    assert driver.completed(pi) == ["s", "m", "t", "n", "e", "pass"]

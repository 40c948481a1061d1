"""ModifyProcessInstance (spec 1.2 row 17) and DeleteResource (row 20)."""

from __future__ import annotations

import pytest
from engine_support import ONE_TASK, Driver

from zeebe.engine.api import CommandResult
from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit


def modify(
    driver: Driver,
    key: int,
    activate: tuple[str, ...] = (),
    terminate: tuple[int, ...] = (),
    variables: dict[str, object] | None = None,
) -> CommandResult:
    """Send a MODIFY command with activate/terminate instructions."""
    value = {
        "activateInstructions": [
            {
                "elementId": e,
                "ancestorElementInstanceKey": -1,
                "variableInstructions": [{"variables": variables or {}, "scopeId": ""}],
            }
            for e in activate
        ],
        "terminateInstructions": [{"elementInstanceKey": k} for k in terminate],
    }
    return driver.send(ValueType.PROCESS_INSTANCE_MODIFICATION, "MODIFY", value, key=key)


def test_modify_activates_and_terminates_elements() -> None:
    """Activate instructions start elements in their flow scope; terminate instructions end
    element instances; the instance goes on from the activated element."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    pi = driver.create("one-task")
    task = driver.job("work")
    result = modify(
        driver,
        pi,
        activate=("end",),
        terminate=(task["elementInstanceKey"],),
        variables={"moved": True},
    )
    assert result.rejection is None
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["moved"] is True
    assert driver.activate("work") == []


def test_modify_unknown_element_is_invalid_argument() -> None:
    """Instructions naming an unknown element are rejected as a whole."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    pi = driver.create("one-task")
    rejection = modify(driver, pi, activate=("nope",)).rejection
    assert rejection is not None and rejection.type is RejectionType.INVALID_ARGUMENT
    assert "'nope'" in rejection.reason


def test_modify_unknown_instance_is_not_found() -> None:
    """NOT_FOUND for a process instance that does not exist."""
    rejection = modify(Driver(), 5, activate=("end",)).rejection
    assert rejection is not None and rejection.type is RejectionType.NOT_FOUND


def test_delete_resource_makes_previous_version_latest() -> None:
    """DeleteResource removes a process version without running instances."""
    driver = Driver()
    first = driver.deploy(ONE_TASK, names=("a.bpmn",)).response
    second = driver.deploy(ONE_TASK, names=("b.bpmn",)).response
    assert first is not None and second is not None
    key = second["deployments"][0]["processDefinitionKey"]
    result = driver.send(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": key})
    assert result.rejection is None
    created = driver.try_create("one-task").response
    assert created is not None and created["version"] == 1


def test_delete_resource_with_running_instances_is_rejected() -> None:
    """Spec 1.2 row 20 (8.7 docs): FAILED_PRECONDITION while instances run."""
    driver = Driver()
    deployed = driver.deploy(ONE_TASK).response
    assert deployed is not None
    driver.create("one-task")
    key = deployed["deployments"][0]["processDefinitionKey"]
    rejection = driver.send(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": key}).rejection
    assert rejection is not None and rejection.type is RejectionType.INVALID_STATE

"""Camunda user tasks (spec 4.2: "User task: Camunda user task (`<zeebe:userTask/>`) or the
deprecated job-based variant"; spec 6: `zeebe:userTask` "Marks a Camunda (non-job) user task")."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain
from test_engine_replay import replayed

from zeebe.engine.api import CommandResult
from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit

USER_TASK = (
    '<bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:userTask/>{}'
    "</bpmn:extensionElements></bpmn:userTask>"
)


def process(extensions: str = "") -> bytes:
    """start -> approve (Camunda user task) -> end."""
    body = '<bpmn:startEvent id="s"/>' + USER_TASK.format(extensions) + '<bpmn:endEvent id="e"/>'
    return bpmn("approval", body + chain("s", "approve", "e"))


def started(extensions: str = "") -> tuple[Driver, int, int]:
    """Driver, process instance key, user task element instance key."""
    driver = Driver()
    assert driver.deploy(process(extensions)).rejection is None
    pi = driver.create("approval", {"amount": 5})
    (task,) = [
        r.key
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED")
        if r.value["elementId"] == "approve"
    ]
    return driver, pi, task


def complete(driver: Driver, key: int, variables: dict[str, object] | None = None) -> CommandResult:
    return driver.send(
        ValueType.PROCESS_INSTANCE, "COMPLETE_ELEMENT", {"variables": variables or {}}, key=key
    )


def test_camunda_user_task_creates_no_job_and_waits() -> None:
    """No job: only the job-based variant is visible to job workers."""
    driver, pi, _ = started()
    assert driver.events(ValueType.JOB) == []
    assert driver.active(pi) == [("approve", "ELEMENT_ACTIVATED")]


def test_completing_the_user_task_continues_with_its_variables() -> None:
    """Completion merges the variables like a job result (spec 2.4) and takes the flow."""
    driver, pi, task = started()
    result = complete(driver, task, {"approved": True})
    assert result.rejection is None
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["approved"] is True


def test_completing_an_unknown_user_task_is_not_found() -> None:
    """Zeebe's text: "Expected to complete user task with key '...', but no such user task was
    found"."""
    driver, _, _ = started()
    result = complete(driver, 123)
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.NOT_FOUND
    assert "no such user task was found" in result.rejection.reason


def test_a_job_based_task_cannot_be_completed_as_user_task() -> None:
    """Only Camunda user tasks are user tasks; a service task key is NOT_FOUND."""
    xml = bpmn(
        "svc",
        '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="w"/></bpmn:extensionElements></bpmn:serviceTask>'
        '<bpmn:endEvent id="e"/>' + chain("s", "t", "e"),
    )
    driver = Driver()
    driver.deploy(xml)
    driver.create("svc")
    job = driver.job("w")
    result = complete(driver, int(job["elementInstanceKey"]))
    assert result.rejection is not None and result.rejection.type is RejectionType.NOT_FOUND


def test_cancel_terminates_the_waiting_user_task() -> None:
    """Termination of the instance terminates the user task; it can no longer be completed."""
    driver, pi, task = started()
    driver.cancel(pi)
    assert ("approve", "ELEMENT_TERMINATED") in driver.element_events(pi)
    assert complete(driver, task).rejection is not None


def test_output_mappings_apply_on_completion() -> None:
    """Output mappings map the completion variables (spec 5.3)."""
    mapping = '<zeebe:ioMapping><zeebe:output source="= ok" target="decision"/></zeebe:ioMapping>'
    driver, pi, task = started(mapping)
    complete(driver, task, {"ok": "yes"})
    assert driver.written_variables(pi)["decision"] == "yes"


def test_replay_of_user_task_completion() -> None:
    """Replaying the log rebuilds the same state."""
    driver, _, task = started()
    complete(driver, task, {"approved": False})
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()

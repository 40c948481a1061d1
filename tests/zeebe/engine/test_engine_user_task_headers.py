"""Job-based user tasks carry Zeebe's user task headers (Protocol.USER_TASK_*_HEADER_NAME):
io.camunda.zeebe:assignee / candidateGroups / candidateUsers / dueDate / followUpDate /
formKey, from zeebe:assignmentDefinition, zeebe:taskSchedule and zeebe:formDefinition."""

from __future__ import annotations

import json

import pytest
from engine_support import Driver, bpmn, chain

pytestmark = pytest.mark.unit


def job_based(extensions: str, variables: dict[str, object] | None = None) -> Driver:
    """Deploy and start a process with a job-based user task `u` (no zeebe:userTask)."""
    task = f'<bpmn:userTask id="u"><bpmn:extensionElements>{extensions}</bpmn:extensionElements>'
    end = '<bpmn:endEvent id="e"/>'
    body = '<bpmn:startEvent id="s"/>' + task + "</bpmn:userTask>" + end + chain("s", "u", "e")
    xml = bpmn("user", body)
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.create("user", variables or {})
    return driver


def headers(driver: Driver) -> dict[str, str]:
    return dict(driver.job("io.camunda.zeebe:userTask")["customHeaders"])


def test_static_assignment_becomes_headers() -> None:
    """Static candidate groups "sales, operations" become the JSON array header."""
    driver = job_based(
        '<zeebe:assignmentDefinition assignee="anna" candidateGroups="sales, operations"/>'
    )
    found = headers(driver)
    assert found["io.camunda.zeebe:assignee"] == "anna"
    assert json.loads(found["io.camunda.zeebe:candidateGroups"]) == ["sales", "operations"]


def test_expressions_are_evaluated_at_activation() -> None:
    """Assignment attributes may be FEEL; candidate users must be a list of strings."""
    driver = job_based(
        '<zeebe:assignmentDefinition assignee="= owner" candidateUsers="= reviewers"/>',
        {"owner": "ben", "reviewers": ["cy", "di"]},
    )
    found = headers(driver)
    assert found["io.camunda.zeebe:assignee"] == "ben"
    assert json.loads(found["io.camunda.zeebe:candidateUsers"]) == ["cy", "di"]


def test_schedule_and_form_key_headers() -> None:
    """Due and follow-up dates and the form key are passed on as headers."""
    driver = job_based(
        '<zeebe:taskSchedule dueDate="2026-12-01T10:00:00Z" followUpDate="= follow"/>'
        '<zeebe:formDefinition formKey="camunda-forms:bpmn:approve"/>',
        {"follow": "2026-11-30T09:00:00Z"},
    )
    found = headers(driver)
    assert found["io.camunda.zeebe:dueDate"] == "2026-12-01T10:00:00Z"
    assert found["io.camunda.zeebe:followUpDate"] == "2026-11-30T09:00:00Z"
    assert found["io.camunda.zeebe:formKey"] == "camunda-forms:bpmn:approve"


def test_wrong_candidate_groups_type_is_an_incident() -> None:
    """A candidateGroups expression that is no list of strings raises EXTRACT_VALUE_ERROR."""
    driver = job_based('<zeebe:assignmentDefinition candidateGroups="= 5"/>')
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert "'5'" in incident["errorMessage"] and "ARRAY" in incident["errorMessage"]


def test_no_assignment_adds_no_headers() -> None:
    """Without assignment, schedule or form the job has no user task headers."""
    driver = job_based("")
    assert headers(driver) == {}

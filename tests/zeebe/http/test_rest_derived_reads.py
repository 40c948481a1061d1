"""REST 8.8 reads derived from the read model, over plain HTTP against the real engine
(zeebe/http/rest/derived_reads.py): forms (`GET /v2/forms/{key}`, the linked form of a user task
and of a process's start event: 200 FormResult / 204 none / 404 unknown), the sequence flows an
instance took, element statistics of an instance and of a definition, and the call hierarchy."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import ONE_TASK, Rest

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.e2e

FORM = '{"id": "approve-form", "type": "default", "components": []}'
START_FORM = '{"id": "start-form", "type": "default", "components": [{"type": "text"}]}'
UNKNOWN = "2251799813685000"


def approval(form_id: str | None) -> bytes:
    """A user task process; `form_id` links a form to the task (zeebe:formDefinition)."""
    xml = ProcessBuilder("approval", name="Approval").start().user_task("approve").end().to_xml()
    if form_id is None:
        return xml
    link = f'<zeebe:formDefinition formId="{form_id}" /><zeebe:userTask />'
    return xml.replace(b"<zeebe:userTask />", link.encode())


def with_start_form(form_id: str) -> bytes:
    """A one-task process whose start event links form `form_id`."""
    xml = ProcessBuilder("intake", name="Intake").start().task("review").end().to_xml()
    opening = b'<bpmn:startEvent id="start" name="start">'
    link = (
        f'<bpmn:extensionElements><zeebe:formDefinition formId="{form_id}" />'
        "</bpmn:extensionElements>"
    )
    return xml.replace(opening, opening + link.encode())


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def deployed_form_key(deployment: dict[str, Any]) -> str:
    (form,) = [entry["form"] for entry in deployment["deployments"] if entry.get("form")]
    key: str = form["formKey"]
    return key


def user_task_key(rest: Rest, instance_key: str) -> str:
    (item,) = rest.search("user-tasks", {"filter": {"processInstanceKey": instance_key}})["items"]
    key: str = item["userTaskKey"]
    return key


def test_get_form_answers_the_form_result(rest: Rest) -> None:
    """FormResult: formKey (string), formId, version, schema (the deployed JSON as text),
    tenantId; an unknown key is 404, a malformed one 400."""
    form_key = deployed_form_key(rest.deploy(("approve.form", FORM.encode())))
    assert ok(rest.get(f"/forms/{form_key}")) == {
        "formKey": form_key,
        "formId": "approve-form",
        "version": 1,
        "schema": FORM,
        "tenantId": "<default>",
    }
    assert "not found" in problem(rest.get(f"/forms/{UNKNOWN}"), 404)["detail"]
    problem(rest.get("/forms/abc"), 400)


def test_user_task_form_is_the_linked_form(rest: Rest) -> None:
    """GET /user-tasks/{key}/form: the form the task links by formId (its formKey)."""
    deployment = rest.deploy(
        ("approve.form", FORM.encode()), ("approval.bpmn", approval("approve-form"))
    )
    instance = rest.create("approval")["processInstanceKey"]
    form = ok(rest.get(f"/user-tasks/{user_task_key(rest, instance)}/form"))
    assert form["formKey"] == deployed_form_key(deployment)
    assert form["schema"] == FORM


def test_user_task_without_form_is_204_and_unknown_task_404(rest: Rest) -> None:
    """Docs: 204 'The user task was found, but no form is associated with it'; 404 not found."""
    rest.deploy(("approval.bpmn", approval(None)))
    instance = rest.create("approval")["processInstanceKey"]
    response = rest.get(f"/user-tasks/{user_task_key(rest, instance)}/form")
    assert response.status_code == 204 and response.content == b""
    problem(rest.get(f"/user-tasks/{UNKNOWN}/form"), 404)


def test_process_definition_form_is_the_latest_start_form(rest: Rest) -> None:
    """GET /process-definitions/{key}/form: the latest version of the form the start event
    links (Camunda's getLatestVersionByFormIdAndTenantId)."""
    deployment = rest.deploy(
        ("intake.bpmn", with_start_form("start-form")), ("start.form", START_FORM.encode())
    )
    definition = deployment["deployments"][0]["processDefinition"]["processDefinitionKey"]
    changed = START_FORM.replace('"text"', '"textfield"')
    newer = deployed_form_key(rest.deploy(("start.form", changed.encode())))
    form = ok(rest.get(f"/process-definitions/{definition}/form"))
    assert (form["formKey"], form["version"], form["schema"]) == (newer, 2, changed)
    assert ok(rest.get(f"/process-definitions/{definition}"))["hasStartForm"] is True


def test_process_definition_without_start_form_is_204_and_unknown_404(rest: Rest) -> None:
    """Docs: 204 'The process was found, but no form is associated with it'; 404 unknown."""
    deployment = rest.deploy(("one-task.bpmn", ONE_TASK))
    definition = deployment["deployments"][0]["processDefinition"]["processDefinitionKey"]
    assert rest.get(f"/process-definitions/{definition}/form").status_code == 204
    assert ok(rest.get(f"/process-definitions/{definition}"))["hasStartForm"] is False
    problem(rest.get(f"/process-definitions/{UNKNOWN}/form"), 404)


def test_sequence_flows_lists_the_flows_taken(rest: Rest) -> None:
    """ProcessInstanceSequenceFlowResult items: the instance took start -> pay so far."""
    deployment = rest.deploy(("one-task.bpmn", ONE_TASK))
    definition = deployment["deployments"][0]["processDefinition"]["processDefinitionKey"]
    instance = rest.create("pay-order")["processInstanceKey"]
    body = ok(rest.get(f"/process-instances/{instance}/sequence-flows"))
    assert body == {
        "items": [
            {
                "sequenceFlowId": f"{instance}_Flow_start_pay",
                "processInstanceKey": instance,
                "processDefinitionKey": definition,
                "processDefinitionId": "pay-order",
                "elementId": "Flow_start_pay",
                "tenantId": "<default>",
            }
        ]
    }
    assert ok(rest.get(f"/process-instances/{UNKNOWN}/sequence-flows")) == {"items": []}
    problem(rest.get("/process-instances/x/sequence-flows"), 400)


def test_instance_element_statistics_follow_the_instance(rest: Rest) -> None:
    """Per elementId: the start event completed, the task active; after the job fails with no
    retries left the task counts under incidents instead."""
    rest.deploy(("one-task.bpmn", ONE_TASK))
    instance = rest.create("pay-order")["processInstanceKey"]
    path = f"/process-instances/{instance}/statistics/element-instances"
    counts = {"active": 0, "canceled": 0, "incidents": 0, "completed": 0}
    assert ok(rest.get(path))["items"] == [
        {"elementId": "pay", **counts, "active": 1},
        {"elementId": "start", **counts, "completed": 1},
    ]
    (job,) = rest.activate("rest.pay")
    failed = rest.post(f"/jobs/{job['jobKey']}/failure", {"retries": 0, "errorMessage": "down"})
    assert failed.status_code == 204, failed.text
    assert ok(rest.get(path))["items"][0] == {"elementId": "pay", **counts, "incidents": 1}


def test_definition_element_statistics_filter_instances(rest: Rest) -> None:
    """POST /process-definitions/{key}/statistics/element-instances: counts over the
    definition's instances matching the process-instance filter; bad filters are 400."""
    deployment = rest.deploy(("one-task.bpmn", ONE_TASK))
    definition = deployment["deployments"][0]["processDefinition"]["processDefinitionKey"]
    first = rest.create("pay-order")["processInstanceKey"]
    rest.create("pay-order")
    path = f"/process-definitions/{definition}/statistics/element-instances"
    counts = {"canceled": 0, "incidents": 0, "completed": 0}
    assert ok(rest.post(path, None))["items"] == [{"elementId": "pay", "active": 2, **counts}]
    only = ok(rest.post(path, {"filter": {"processInstanceKey": first}}))
    assert only["items"] == [{"elementId": "pay", "active": 1, **counts}]
    assert ok(rest.post(path, {"filter": {"state": "COMPLETED"}}))["items"] == []
    assert "filter.nope" in problem(rest.post(path, {"filter": {"nope": 1}}), 400)["detail"]


def test_call_hierarchy_walks_up_to_the_root(rest: Rest) -> None:
    """A called instance's hierarchy: the root (caller) first, then itself; a root has []."""
    parent = (
        ProcessBuilder("caller", name="Caller")
        .start()
        .call_activity("call", process_id="approval")
        .end()
        .to_xml()
    )
    rest.deploy(("approval.bpmn", approval(None)), ("caller.bpmn", parent))
    root = rest.create("caller")["processInstanceKey"]
    search = {"filter": {"parentProcessInstanceKey": root}}
    (child,) = rest.search("process-instances", search)["items"]
    chain = ok(rest.get(f"/process-instances/{child['processInstanceKey']}/call-hierarchy"))
    assert [entry["processInstanceKey"] for entry in chain] == [root, child["processInstanceKey"]]
    assert [entry["processDefinitionName"] for entry in chain] == ["Caller", "Approval"]
    assert chain[1]["processDefinitionKey"] == child["processDefinitionKey"]
    assert ok(rest.get(f"/process-instances/{root}/call-hierarchy")) == []
    problem(rest.get(f"/process-instances/{UNKNOWN}/call-hierarchy"), 404)

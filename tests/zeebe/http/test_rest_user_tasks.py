"""REST /v2/user-tasks against the real embedded engine (Camunda 8.6+ user task API; spec 8.1:
keys as strings, problem+json errors: 400 invalid data, 404 unknown task, 409 wrong state)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import Rest

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.e2e

APPROVAL = (
    ProcessBuilder("approval", name="Approval")
    .start()
    .user_task("approve", name="Approve order")
    .end()
    .to_xml()
)
UNKNOWN = "2251799813685000"


def started(rest: Rest) -> tuple[str, str]:
    """Deploy and start one approval; returns (process instance key, user task key)."""
    rest.deploy(("approval.bpmn", APPROVAL))
    pi = rest.create("approval", variables={"amount": 5})["processInstanceKey"]
    items = rest.search("user-tasks", {"filter": {"processInstanceKey": pi}})["items"]
    return pi, items[0]["userTaskKey"]


def task(rest: Rest, key: str) -> dict[str, Any]:
    response = rest.get(f"/user-tasks/{key}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_get_answers_the_user_task_result(rest: Rest) -> None:
    """GET /v2/user-tasks/{key}: UserTaskResult with string keys, state CREATED."""
    pi, key = started(rest)
    body = task(rest, key)
    assert body["userTaskKey"] == key and body["processInstanceKey"] == pi
    assert (body["state"], body["elementId"], body["name"]) == (
        "CREATED",
        "approve",
        "Approve order",
    )
    assert isinstance(body["elementInstanceKey"], str) and body["assignee"] is None


def test_completion_is_204_and_variables_reach_the_instance(rest: Rest) -> None:
    """POST /completion: 204; the task is COMPLETED and the instance ends with the variables."""
    pi, key = started(rest)
    response = rest.post(f"/user-tasks/{key}/completion", {"variables": {"approved": True}})
    assert response.status_code == 204 and response.content == b""
    assert task(rest, key)["state"] == "COMPLETED"
    instance = rest.get(f"/process-instances/{pi}").json()
    assert instance["state"] == "COMPLETED"
    variables = rest.search("variables", {"filter": {"processInstanceKey": pi, "name": "approved"}})
    assert [item["value"] for item in variables["items"]] == ["true"]


def test_completing_an_unknown_task_is_404_problem(rest: Rest) -> None:
    """404 "The user task with the given key was not found", as problem+json."""
    started(rest)
    response = rest.post(f"/user-tasks/{UNKNOWN}/completion")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "no such user task was found" in response.json()["detail"]


def test_a_malformed_key_is_400(rest: Rest) -> None:
    """Keys are strings of digits (spec 8.1); anything else is invalid data."""
    assert rest.post("/user-tasks/abc/completion").status_code == 400


def test_assignment_with_and_without_override(rest: Rest) -> None:
    """allowOverride (default true) reassigns; false on a task assigned to someone else is 409."""
    _, key = started(rest)
    path = f"/user-tasks/{key}/assignment"
    assert rest.post(path, {"assignee": "ann"}).status_code == 204
    assert rest.post(path, {"assignee": "bob"}).status_code == 204
    assert task(rest, key)["assignee"] == "bob"
    refused = rest.post(path, {"assignee": "ann", "allowOverride": False})
    assert refused.status_code == 409
    assert "already been assigned" in refused.json()["detail"]
    assert rest.post(path, {"assignee": "bob", "allowOverride": False}).status_code == 204


def test_an_empty_assignee_is_400(rest: Rest) -> None:
    """ "The assignee must not be empty or null" (UserTaskAssignmentRequest)."""
    _, key = started(rest)
    assert rest.post(f"/user-tasks/{key}/assignment", {"assignee": ""}).status_code == 400


def test_unassign_clears_the_assignee(rest: Rest) -> None:
    """DELETE /assignee: 204, no assignee; then a claim (allowOverride false) succeeds."""
    _, key = started(rest)
    rest.post(f"/user-tasks/{key}/assignment", {"assignee": "ann"})
    response = rest.session.delete(f"{rest.base}/user-tasks/{key}/assignee", timeout=30)
    assert response.status_code == 204
    assert task(rest, key)["assignee"] is None
    claim = {"assignee": "bob", "allowOverride": False}
    assert rest.post(f"/user-tasks/{key}/assignment", claim).status_code == 204


def test_patch_updates_the_given_attributes(rest: Rest) -> None:
    """PATCH {changeset}: 204; due date, candidate groups and priority change."""
    _, key = started(rest)
    changeset = {"dueDate": "2027-01-01T00:00:00Z", "candidateGroups": ["ops"], "priority": 80}
    response = rest.session.patch(
        f"{rest.base}/user-tasks/{key}", json={"changeset": changeset}, timeout=30
    )
    assert response.status_code == 204, response.text
    body = task(rest, key)
    assert body["dueDate"] == "2027-01-01T00:00:00.000Z"
    assert (body["candidateGroups"], body["priority"]) == (["ops"], 80)


@pytest.mark.parametrize(
    "changeset",
    [{"priority": 101}, {"dueDate": "tomorrow"}, {"candidateUsers": "ann"}, {"color": "red"}],
)
def test_patch_with_invalid_data_is_400(rest: Rest, changeset: dict[str, Any]) -> None:
    """The provided data is not valid: 400 problem naming the field."""
    _, key = started(rest)
    response = rest.session.patch(
        f"{rest.base}/user-tasks/{key}", json={"changeset": changeset}, timeout=30
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"


def test_cancelled_instance_cancels_the_task(rest: Rest) -> None:
    """Cancelling the instance cancels its task; completing it afterwards is 404."""
    pi, key = started(rest)
    assert rest.post(f"/process-instances/{pi}/cancellation").status_code == 204
    assert task(rest, key)["state"] == "CANCELED"
    assert rest.post(f"/user-tasks/{key}/completion").status_code == 404


def test_search_by_state_and_assignee(rest: Rest) -> None:
    """POST /v2/user-tasks/search filters (spec 8.3) on state, assignee and elementId."""
    _, first = started(rest)
    others = rest.search("user-tasks", {"filter": {"userTaskKey": {"$neq": first}}})
    assert others["items"] == []
    pi = rest.create("approval")["processInstanceKey"]
    (other,) = rest.search("user-tasks", {"filter": {"processInstanceKey": pi}})["items"]
    rest.post(f"/user-tasks/{other['userTaskKey']}/assignment", {"assignee": "ann"})
    found = rest.search("user-tasks", {"filter": {"assignee": "ann", "elementId": "approve"}})
    assert [item["userTaskKey"] for item in found["items"]] == [other["userTaskKey"]]
    assert found["page"]["totalItems"] == 1
    created = rest.search("user-tasks", {"filter": {"state": "CREATED"}})
    assert created["page"]["totalItems"] == 2


def test_get_of_an_unknown_task_is_404(rest: Rest) -> None:
    """GET of an unknown key: 404 problem."""
    response = rest.get(f"/user-tasks/{UNKNOWN}")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


NESTED = (
    ProcessBuilder("nested-approval", name="Nested approval")
    .start()
    .sub_process("review", inputs=[('="senior"', "level"), ("=amount * 2", "amount")])
    .start("review-start")
    .user_task("sign", inputs=[('="urgent"', "note")], name="Sign")
    .end("review-end")
    .sub_process_end()
    .end()
    .to_xml()
)


def _task_variables(rest: Rest, key: str, body: Any = None) -> list[tuple[str, str]]:
    response = rest.post(f"/user-tasks/{key}/variables/search", body or {})
    assert response.status_code == 200, response.text
    return sorted((v["name"], v["value"]) for v in response.json()["items"])


def test_variables_search_returns_every_scope_the_task_sees(rest: Rest) -> None:
    """8.8 `POST /user-tasks/{key}/variables/search`: the task's own variables and those of each
    parent scope; a name set at two levels is two results; other instances' are not included."""
    rest.deploy(("nested.bpmn", NESTED))
    pi = rest.create("nested-approval", variables={"amount": 5, "customer": "c-1"})
    rest.create("nested-approval", variables={"amount": 7, "customer": "c-2"})
    items = rest.search("user-tasks", {"filter": {"processInstanceKey": pi["processInstanceKey"]}})
    key = items["items"][0]["userTaskKey"]
    assert _task_variables(rest, key) == [
        ("amount", "10"),
        ("amount", "5"),
        ("customer", '"c-1"'),
        ("level", '"senior"'),
        ("note", '"urgent"'),
    ]
    assert _task_variables(rest, key, {"filter": {"name": "amount"}}) == [
        ("amount", "10"),
        ("amount", "5"),
    ]


def test_variables_search_of_an_unknown_task_is_404_and_other_filters_are_400(
    rest: Rest,
) -> None:
    """Only `name` may be filtered (8.8 UserTaskVariableFilter)."""
    missing = rest.post(f"/user-tasks/{UNKNOWN}/variables/search", {})
    assert missing.status_code == 404 and UNKNOWN in missing.json()["detail"]
    _, key = started(rest)
    bad = rest.post(f"/user-tasks/{key}/variables/search", {"filter": {"scopeKey": "1"}})
    assert bad.status_code == 400 and "filter.scopeKey" in bad.json()["detail"]

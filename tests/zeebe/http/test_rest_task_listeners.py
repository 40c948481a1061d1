"""User task listener jobs over REST (spec 8.2): `POST /v2/jobs/{key}/completion` takes a
JobResultUserTask `result` ({type: "userTask", denied, deniedReason, corrections}), and an
ActivatedJobResult carries `kind`, `listenerEventType` and `userTask` ("null unless user-task
listener")."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
import requests
from rest_support import ONE_TASK, Rest

from zeebe.testing.bpmn_builder import ProcessBuilder

LINT_REASON = (
    "zeebe:taskListeners: the repository lints with camunda-compat's 8.7 profile, which reports "
    "them as 8.8-only; the same models lint clean with the 8.8 profile "
    "(tests/zeebe/model/test_bpmnlint_task_listeners.py)"
)
pytestmark = [pytest.mark.e2e, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]

LISTENERS = (
    '<zeebe:taskListeners><zeebe:taskListener eventType="completing" type="check" />'
    "</zeebe:taskListeners>"
)
APPROVAL = (
    ProcessBuilder("approval", name="Approval")
    .start()
    .user_task("approve", name="Approve order")
    .end()
    .to_xml()
    .replace(b"<zeebe:userTask />", b"<zeebe:userTask />" + LISTENERS.encode())
)


def post_in_background(rest: Rest, path: str, body: Any) -> Future[requests.Response]:
    """POST on another thread (its own connection): the answer may wait for a listener."""
    executor = ThreadPoolExecutor(max_workers=1)
    try:
        return executor.submit(requests.post, rest.base + path, json=body, timeout=30)
    finally:
        executor.shutdown(wait=False)


def completing_held(rest: Rest) -> tuple[str, str, dict[str, Any], Future[requests.Response]]:
    """Start one approval and complete its task: (instance key, task key, listener job, the
    completion request, still waiting for the listener)."""
    rest.deploy(("approval.bpmn", APPROVAL))
    pi = rest.create("approval", variables={"amount": 5})["processInstanceKey"]
    key = rest.search("user-tasks", {"filter": {"processInstanceKey": pi}})["items"][0][
        "userTaskKey"
    ]
    pending = post_in_background(rest, f"/user-tasks/{key}/completion", {"variables": {"ok": 1}})
    jobs: list[dict[str, Any]] = []
    deadline = time.monotonic() + 10
    while not jobs and time.monotonic() < deadline:
        jobs = rest.activate("check")
    (job,) = jobs
    return pi, key, job, pending


def completing(rest: Rest) -> tuple[str, str, dict[str, Any]]:
    """As `completing_held`, for tests that do not look at the completion's answer."""
    pi, key, job, _ = completing_held(rest)
    return pi, key, job


def state_of(rest: Rest, path: str) -> str:
    response = rest.get(path)
    assert response.status_code == 200, response.text
    return str(response.json()["state"])


def test_a_listener_job_answers_kind_event_type_and_user_task(rest: Rest) -> None:
    """ActivatedJobResult of a listener job: kind TASK_LISTENER, listenerEventType COMPLETING,
    userTask (UserTaskProperties) with the task's key and data."""
    _, key, job = completing(rest)
    assert (job["kind"], job["listenerEventType"]) == ("TASK_LISTENER", "COMPLETING")
    assert job["userTask"] == {
        "action": "complete",
        "assignee": None,
        "candidateGroups": [],
        "candidateUsers": [],
        "changedAttributes": [],
        "dueDate": None,
        "followUpDate": None,
        "formKey": None,
        "priority": 50,
        "userTaskKey": key,
    }
    assert job["variables"] == {"amount": 5}


def test_an_element_job_answers_bpmn_element_kind(rest: Rest) -> None:
    """Other jobs: kind BPMN_ELEMENT, listenerEventType UNSPECIFIED, userTask null."""
    rest.deploy(("one.bpmn", ONE_TASK))
    rest.create("pay-order")
    (job,) = rest.activate("rest.pay")
    assert (job["kind"], job["listenerEventType"], job["userTask"]) == (
        "BPMN_ELEMENT",
        "UNSPECIFIED",
        None,
    )


def test_the_completion_is_answered_only_after_the_listener(rest: Rest) -> None:
    """Zeebe answers a user task command once its task listeners are done: the completion
    request waits while the listener job is open, then answers 204."""
    _, _, job, pending = completing_held(rest)
    time.sleep(0.3)
    assert not pending.done()
    assert rest.post(f"/jobs/{job['jobKey']}/completion", {}).status_code == 204
    assert pending.result(timeout=10).status_code == 204


def test_completion_with_corrections_finishes_the_task_corrected(rest: Rest) -> None:
    """`corrections` are applied when the transition finishes; 204 as any completion."""
    pi, key, job, pending = completing_held(rest)
    result = {"type": "userTask", "corrections": {"assignee": "john", "priority": 80}}
    response = rest.post(f"/jobs/{job['jobKey']}/completion", {"result": result})
    assert response.status_code == 204, response.text
    assert pending.result(timeout=10).status_code == 204
    task = rest.get(f"/user-tasks/{key}").json()
    assert (task["state"], task["assignee"], task["priority"]) == ("COMPLETED", "john", 80)
    assert state_of(rest, f"/process-instances/{pi}") == "COMPLETED"


def test_a_denied_result_keeps_the_task_open(rest: Rest) -> None:
    """`denied: true` rolls the completion back; the 8.7 shape without `type` is accepted. The
    held completion request is rejected with Zeebe's text (INVALID_STATE, 409)."""
    pi, key, job, pending = completing_held(rest)
    result = {"denied": True, "deniedReason": "four eyes"}
    response = rest.post(f"/jobs/{job['jobKey']}/completion", {"result": result})
    assert response.status_code == 204, response.text
    answer = pending.result(timeout=10)
    assert answer.status_code == 409, answer.text
    assert answer.json()["detail"] == (
        f"Command 'COMPLETE' rejected with code 'INVALID_STATE': Completion of the User Task "
        f"with key '{key}' was denied by Task Listener. Reason to deny: 'four eyes'"
    )
    assert state_of(rest, f"/user-tasks/{key}") == "CREATED"
    assert state_of(rest, f"/process-instances/{pi}") == "ACTIVE"


def test_listener_job_completion_with_variables_is_400(rest: Rest) -> None:
    """Zeebe rejects variables on listener jobs (INVALID_ARGUMENT -> 400)."""
    _, _, job = completing(rest)
    response = rest.post(f"/jobs/{job['jobKey']}/completion", {"variables": {"x": 1}})
    assert response.status_code == 400
    assert "variables payload provided is not yet supported" in response.json()["detail"]


@pytest.mark.parametrize(
    ("corrections", "detail"),
    [
        ({"priority": "high"}, "The correction 'priority' must be an integer between 0 and 100"),
        ({"candidateUsers": "alice"}, "The correction 'candidateUsers' must be an array"),
        ({"name": "x"}, "property 'name' cannot be corrected"),
    ],
)
def test_invalid_corrections_are_400(rest: Rest, corrections: dict[str, Any], detail: str) -> None:
    """Corrections must have the documented types and names."""
    _, _, job = completing(rest)
    body = {"result": {"corrections": corrections}}
    response = rest.post(f"/jobs/{job['jobKey']}/completion", body)
    assert response.status_code == 400
    assert detail in response.json()["detail"]


def test_job_search_shows_the_listener_job_kind(rest: Rest) -> None:
    """POST /v2/jobs/search (8.8 JobSearchResult): `kind` and `listenerEventType` as recorded."""
    pi, _, job = completing(rest)
    items = rest.search("jobs", {"filter": {"processInstanceKey": pi}})["items"]
    assert [(item["jobKey"], item["kind"], item["listenerEventType"]) for item in items] == [
        (job["jobKey"], "TASK_LISTENER", "COMPLETING")
    ]


CANCELING_APPROVAL = APPROVAL.replace(b'eventType="completing"', b'eventType="canceling"')


def test_a_canceling_listener_job_over_rest(rest: Rest) -> None:
    """Zeebe 8.8: canceling the instance answers 204 at once and hands out a listener job with
    listenerEventType CANCELING; the instance terminates (the task is CANCELED) only after the
    job's completion."""
    rest.deploy(("approval.bpmn", CANCELING_APPROVAL))
    pi = rest.create("approval", variables={"amount": 5})["processInstanceKey"]
    tasks = rest.search("user-tasks", {"filter": {"processInstanceKey": pi}})["items"]
    key = tasks[0]["userTaskKey"]
    assert rest.post(f"/process-instances/{pi}/cancellation").status_code == 204
    (job,) = rest.activate("check")
    assert (job["kind"], job["listenerEventType"]) == ("TASK_LISTENER", "CANCELING")
    assert job["userTask"]["userTaskKey"] == key
    assert state_of(rest, f"/user-tasks/{key}") == "CANCELING"
    assert state_of(rest, f"/process-instances/{pi}") == "ACTIVE"
    assert rest.post(f"/jobs/{job['jobKey']}/completion", {}).status_code == 204
    assert state_of(rest, f"/user-tasks/{key}") == "CANCELED"
    assert state_of(rest, f"/process-instances/{pi}") == "TERMINATED"

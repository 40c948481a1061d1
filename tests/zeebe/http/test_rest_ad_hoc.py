"""Ad-hoc sub-processes over REST (Orchestration Cluster API 8.8): `POST
/v2/element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation` and job
completion with a JobResultAdHocSubProcess `result` (`type: "adHocSubProcess"`)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import Rest

from zeebe.testing.diagram import diagrammed

LINT_REASON = (
    "zeebe:taskDefinition on an ad-hoc subprocess is an 8.8 feature: the repository lints with "
    "camunda-compat's 8.7 profile; the same model lints clean with the 8.8 profile "
    "(tests/zeebe/model/test_bpmnlint_ad_hoc.py)"
)
pytestmark = [pytest.mark.e2e, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]

SERVICE = (
    '<bpmn:serviceTask id="{id}" name="{id}"><bpmn:extensionElements>'
    '<zeebe:taskDefinition type="{id}" /></bpmn:extensionElements></bpmn:serviceTask>'
)


def model(process_id: str, job_worker: bool) -> bytes:
    """start -> tools{a, b} -> end; a job worker ("agent") or BPMN ad-hoc subprocess."""
    extension = '<zeebe:taskDefinition type="agent" />' if job_worker else "<zeebe:adHoc />"
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
        'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" '
        f'targetNamespace="http://test"><bpmn:process id="{process_id}" isExecutable="true">'
        '<bpmn:startEvent id="s" name="Start" /><bpmn:adHocSubProcess id="tools" name="Tools">'
        f"<bpmn:extensionElements>{extension}</bpmn:extensionElements>"
        + SERVICE.format(id="a")
        + SERVICE.format(id="b")
        + '</bpmn:adHocSubProcess><bpmn:endEvent id="e" name="End" />'
        '<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="tools" />'
        '<bpmn:sequenceFlow id="f2" sourceRef="tools" targetRef="e" />'
        "</bpmn:process></bpmn:definitions>"
    )
    return diagrammed(xml.encode())


def started(rest: Rest, job_worker: bool = False) -> tuple[str, str]:
    """Deploy and start: (process instance key, ad-hoc subprocess element instance key)."""
    process_id = "agent-p" if job_worker else "tools-p"
    rest.deploy((f"{process_id}.bpmn", model(process_id, job_worker)))
    pi = rest.create(process_id)["processInstanceKey"]
    items = rest.search(
        "element-instances", {"filter": {"processInstanceKey": pi, "elementId": "tools"}}
    )["items"]
    return pi, items[0]["elementInstanceKey"]


def activation(rest: Rest, key: str, body: Any) -> Any:
    return rest.post(f"/element-instances/ad-hoc-activities/{key}/activation", body)


def test_activation_activates_the_elements(rest: Rest) -> None:
    """204; the element runs with its variables (its job carries them)."""
    _, key = started(rest)
    response = activation(rest, key, {"elements": [{"elementId": "a", "variables": {"q": 1}}]})
    assert response.status_code == 204, response.text
    (job,) = rest.activate("a")
    assert job["variables"]["q"] == 1


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "No elements provided."),
        ({"elements": []}, "No elements provided."),
        ({"elements": [{"elementId": " "}]}, "No elements[0].elementId provided."),
    ],
)
def test_activation_without_elements_is_a_bad_request(rest: Rest, body: Any, detail: str) -> None:
    """The gateway's validator: ERROR_MESSAGE_EMPTY_ATTRIBUTE ("No %s provided.")."""
    _, key = started(rest)
    response = activation(rest, key, body)
    assert response.status_code == 400
    assert response.json()["detail"] == detail


def test_activation_of_unknown_elements_is_not_found(rest: Rest) -> None:
    """The engine's NOT_FOUND rejection becomes a 404 problem with its text (prefixed as the
    gateway prefixes rejections)."""
    _, key = started(rest)
    response = activation(rest, key, {"elements": [{"elementId": "x"}]})
    assert response.status_code == 404
    assert response.json()["detail"] == (
        "Command 'ACTIVATE' rejected with code 'NOT_FOUND': "
        f"Expected to activate activities for ad-hoc sub-process with key '{key}', but the "
        "given elements [x] do not exist."
    )


def test_job_result_drives_a_job_worker_ad_hoc_subprocess(rest: Rest) -> None:
    """The worker completes the AD_HOC_SUB_PROCESS job with `activateElements`, then with
    `isCompletionConditionFulfilled`: the process instance completes."""
    pi, _ = started(rest, job_worker=True)
    (job,) = rest.activate("agent")
    assert job["kind"] == "AD_HOC_SUB_PROCESS"
    result = {"type": "adHocSubProcess", "activateElements": [{"elementId": "a"}]}
    response = rest.post(f"/jobs/{job['jobKey']}/completion", {"result": result})
    assert response.status_code == 204, response.text
    (task,) = rest.activate("a")
    assert rest.post(f"/jobs/{task['jobKey']}/completion", {}).status_code == 204
    (job,) = rest.activate("agent")
    result = {"type": "adHocSubProcess", "isCompletionConditionFulfilled": True}
    response = rest.post(f"/jobs/{job['jobKey']}/completion", {"result": result})
    assert response.status_code == 204, response.text
    state = rest.get(f"/process-instances/{pi}").json()["state"]
    assert state == "COMPLETED"


def test_job_result_with_elements_and_fulfilled_is_a_bad_request(rest: Rest) -> None:
    """The engine's INVALID_ARGUMENT ("...no further element activations are allowed...")."""
    started(rest, job_worker=True)
    (job,) = rest.activate("agent")
    result = {
        "type": "adHocSubProcess",
        "activateElements": [{"elementId": "a"}],
        "isCompletionConditionFulfilled": True,
    }
    response = rest.post(f"/jobs/{job['jobKey']}/completion", {"result": result})
    assert response.status_code == 400
    assert "no further element activations are allowed" in response.json()["detail"]

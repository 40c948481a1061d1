"""Every REST error is an RFC 9457 problem with the status of spec 8.1; bad input is never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import ONE_TASK, Rest

pytestmark = pytest.mark.e2e

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response: Any, status: int, *, mentions: str = "") -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) == PROBLEM_FIELDS and body["status"] == status
    assert mentions in body["detail"]
    return body


def test_unknown_route_is_a_404_problem(rest: Rest) -> None:
    """Unknown /v2 routes answer problem+json 404 naming the path in `instance`."""
    body = assert_problem(rest.get("/no-such-thing"), 404)
    assert body["instance"] == "/v2/no-such-thing"


def test_wrong_method_is_a_405_problem(rest: Rest) -> None:
    """A known route with the wrong method is a 405 problem."""
    assert_problem(rest.session.delete(f"{rest.base}/topology", timeout=10), 405)


def test_malformed_json_is_a_400_problem(rest: Rest) -> None:
    """A body that is not JSON is rejected as 400, not 500."""
    response = rest.session.post(
        f"{rest.base}/process-instances",
        data="{not json",
        headers={"content-type": "application/json"},
        timeout=10,
    )
    assert_problem(response, 400)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/process-instances", {}, "processDefinitionId"),
        ("/process-instances", {"processDefinitionId": 5}, "processDefinitionId"),
        ("/process-instances", {"processDefinitionKey": "12x"}, "processDefinitionKey"),
        ("/process-instances", {"processDefinitionId": "p", "variables": [1]}, "variables"),
        ("/messages/publication", {"correlationKey": "c"}, "name"),
        ("/messages/publication", {"name": "m", "timeToLive": "soon"}, "timeToLive"),
        ("/signals/broadcast", {}, "signalName"),
        ("/jobs/activation", {"type": "t", "maxJobsToActivate": 1}, "timeout"),
        ("/jobs/activation", {"type": "t", "timeout": 0, "maxJobsToActivate": 1}, "timeout"),
        ("/jobs/1/error", {}, "errorCode"),
        ("/jobs/abc/completion", {}, "jobKey"),
        ("/process-instances/search", {"filter": {"nope": 1}}, "filter.nope"),
        ("/incidents/search", {"sort": [{"field": "nope"}]}, "sort[0].field"),
        ("/jobs/search", {"page": {"limit": -1}}, "page.limit"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    rest: Rest, path: str, body: dict[str, Any], field: str
) -> None:
    """Missing or mistyped fields are 400 problems whose detail names the field."""
    assert_problem(rest.post(path, body), 400, mentions=field)


def test_a_foreign_tenant_is_rejected_as_the_grpc_gateway_does(rest: Rest) -> None:
    """Multi-tenancy is disabled: only '' or '<default>' (spec 1.1), else 400."""
    response = rest.post("/process-instances", {"processDefinitionId": "p", "tenantId": "acme"})
    assert_problem(response, 400, mentions="multi-tenancy is disabled")


def test_engine_rejections_map_to_status_codes(rest: Rest) -> None:
    """NOT_FOUND -> 404 (unknown process, job, incident); the title is the rejection type."""
    missing = assert_problem(rest.create_raw("nope"), 404)
    assert missing["title"] == "NOT_FOUND"
    assert_problem(rest.post("/jobs/2251799813685999/completion"), 404)
    assert_problem(rest.post("/incidents/2251799813685999/resolution"), 404)
    assert_problem(rest.get("/process-instances/2251799813685999"), 404)


def test_completing_a_job_twice_is_not_found(rest: Rest) -> None:
    """A completed job no longer exists: 404 (spec 8.2 completion errors)."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    rest.create("pay-order")
    job = rest.activate("rest.pay")[0]
    assert rest.post(f"/jobs/{job['jobKey']}/completion").status_code == 204
    assert_problem(rest.post(f"/jobs/{job['jobKey']}/completion"), 404)


def test_patch_needs_a_changeset_and_positive_retries(rest: Rest) -> None:
    """PATCH /v2/jobs/{key}: empty changeset 400; retries 0 rejected by the engine (spec 2.5)."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    rest.create("pay-order")
    job = rest.activate("rest.pay")[0]
    url = f"{rest.base}/jobs/{job['jobKey']}"
    assert_problem(rest.session.patch(url, json={"changeset": {}}, timeout=10), 400)
    zero = rest.session.patch(url, json={"changeset": {"retries": 0}}, timeout=10)
    assert_problem(zero, 400)


def test_deployment_without_resources_or_with_invalid_bpmn_is_400(rest: Rest) -> None:
    """POST /v2/deployments: no `resources` part, or a resource the engine rejects -> 400."""
    empty = rest.session.post(f"{rest.base}/deployments", data={"tenantId": ""}, timeout=10)
    assert_problem(empty, 400, mentions="resources")
    files = {"resources": ("broken.bpmn", b"<definitions>not bpmn", "application/xml")}
    broken = rest.session.post(f"{rest.base}/deployments", files=files, timeout=10)
    assert_problem(broken, 400, mentions="broken.bpmn")


def test_a_duplicate_message_id_is_a_409(rest: Rest) -> None:
    """Spec 5.5: a buffered message's messageId is unique; the engine's ALREADY_EXISTS is 409."""
    message = {"name": "m", "correlationKey": "c", "messageId": "id-1", "timeToLive": 60_000}
    assert rest.post("/messages/publication", message).status_code == 200
    duplicate = assert_problem(rest.post("/messages/publication", message), 409)
    assert duplicate["title"] == "ALREADY_EXISTS"

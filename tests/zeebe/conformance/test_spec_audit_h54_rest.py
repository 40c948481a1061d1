"""Spec audit (h54), section 8: REST API v2 conventions, endpoint semantics and the search
grammar, against a real engine node serving HTTP on a free loopback port."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.zeebe.http.rest_support import Rest
from zeebe.runtime.background import BackgroundNode
from zeebe.runtime.node import EngineNode, NodeConfig
from zeebe.testing.bpmn_builder import Message, ProcessBuilder

pytestmark = pytest.mark.integration

KEY = re.compile(r"^-?[0-9]+$")


@pytest.fixture
def rest() -> Iterator[Rest]:
    """An in-memory engine node with HTTP on a free port, stopped afterwards."""
    node = EngineNode(NodeConfig(grpc_address="127.0.0.1:0", http_port=0, in_memory=True))
    background = BackgroundNode(node).start()
    try:
        assert node.http_port is not None
        yield Rest(node.http_port)
    finally:
        background.stop()


def _one_task(process_id: str, job_type: str = "audit.work") -> bytes:
    return ProcessBuilder(process_id).start().service_task("t", type=job_type).end().to_xml()


def _search(rest: Rest, body: dict[str, Any]) -> list[str]:
    response = rest.post("/process-instances/search", body)
    assert response.status_code == 200, response.text
    return [item["processDefinitionId"] for item in response.json()["items"]]


@pytest.fixture
def three(rest: Rest) -> Rest:
    """One active instance each of pay-order, pay_order2 and ship."""
    for process_id in ("pay-order", "pay_order2", "ship"):
        rest.deploy((f"{process_id}.bpmn", _one_task(process_id)))
        rest.create(process_id)
    return rest


def _activate(rest: Rest, job_type: str = "audit.work") -> dict[str, Any]:
    [job] = rest.activate(job_type)
    return job


def test_correlate_prefers_a_new_start_event_instance(rest: Rest) -> None:
    """Spec 5.5: correlate "will always prioritize the creation of a new process instance
    (message start event) over correlation with an existing process instance"."""
    waits = ProcessBuilder("waits").start().intermediate_catch("c", event=Message("go", "= k"))
    starts = ProcessBuilder("by-msg").start(event=Message("go")).service_task("t", type="y")
    rest.deploy(("waits.bpmn", waits.end().to_xml()))
    rest.deploy(("by-msg.bpmn", starts.end().to_xml()))
    waiting = rest.create("waits", variables={"k": "1"})["processInstanceKey"]
    response = rest.post("/messages/correlation", {"name": "go", "correlationKey": "1"})
    assert response.status_code == 200, response.text
    created = response.json()["processInstanceKey"]
    assert created != waiting
    items = rest.post("/process-instances/search", {}).json()["items"]
    assert {i["processInstanceKey"]: i["processDefinitionId"] for i in items}[created] == "by-msg"


def test_a_published_message_without_ttl_is_not_buffered(rest: Rest) -> None:
    """Spec 8.2: publication `timeToLive` "(ms, default 0)"; spec 5.5: "The buffering of a
    message is disabled when its TTL is set to zero"."""
    waits = ProcessBuilder("waits").start().intermediate_catch("c", event=Message("go", "= k"))
    rest.deploy(("waits.bpmn", waits.end().to_xml()))
    assert (
        rest.post("/messages/publication", {"name": "go", "correlationKey": "1"}).status_code == 200
    )
    key = rest.create("waits", variables={"k": "1"})["processInstanceKey"]
    assert rest.get(f"/process-instances/{key}").json()["state"] == "ACTIVE"


def test_keys_are_strings_even_when_number_keys_are_asked_for(rest: Rest) -> None:
    """Spec 8.1: keys "are **strings** matching `^-?[0-9]+$`"; the 8.7
    `application/vnd.camunda.api.keys.number+json` variant was removed in 8.8 (the spec's REST
    baseline), so the header does not turn keys into numbers."""
    rest.deploy(("p.bpmn", _one_task("p")))
    response = rest.session.post(
        rest.base + "/process-instances",
        json={"processDefinitionId": "p"},
        headers={"Accept": "application/vnd.camunda.api.keys.number+json"},
        timeout=30,
    )
    body = response.json()
    assert isinstance(body["processInstanceKey"], str)
    assert KEY.match(body["processInstanceKey"]) and KEY.match(body["processDefinitionKey"])


def test_job_lifecycle_status_codes(rest: Rest) -> None:
    """Spec 8.2: failure `retries (default 0)`; resolution 409 "For example, the associated job
    may have no retries left" - "most likely a call to Update job will be necessary to reset the
    job's retries, followed by this call"; completion 404 "not found"; failure 409 when the job
    is not ACTIVATED or ACTIVATABLE."""
    rest.deploy(("p.bpmn", _one_task("p")))
    rest.create("p")
    job = _activate(rest)
    assert isinstance(job["variables"], dict) and isinstance(job["customHeaders"], dict)
    job_key = job["jobKey"]
    assert rest.post(f"/jobs/{job_key}/failure", {}).status_code == 204
    [incident] = rest.post("/incidents/search", {}).json()["items"]
    assert (incident["errorType"], incident["jobKey"]) == ("JOB_NO_RETRIES", job_key)
    resolution = f"/incidents/{incident['incidentKey']}/resolution"
    assert rest.post(resolution).status_code == 409
    patch = rest.session.patch(
        rest.base + f"/jobs/{job_key}", json={"changeset": {"retries": 2}}, timeout=30
    )
    assert patch.status_code == 204
    assert rest.post(resolution).status_code == 204
    assert rest.post(f"/jobs/{job_key}/completion", {}).status_code == 204
    assert rest.post(f"/jobs/{job_key}/completion", {}).status_code == 404


def test_failing_a_job_after_an_uncaught_error_is_a_conflict(rest: Rest) -> None:
    """Spec 8.2: failure 409 ("not ACTIVATED or ACTIVATABLE"); error 409 likewise."""
    rest.deploy(("p.bpmn", _one_task("p")))
    rest.create("p")
    job_key = _activate(rest)["jobKey"]
    assert rest.post(f"/jobs/{job_key}/error", {"errorCode": "E"}).status_code == 204
    assert rest.post(f"/jobs/{job_key}/failure", {"retries": 1}).status_code == 409
    assert rest.post(f"/jobs/{job_key}/error", {"errorCode": "E"}).status_code == 409


@pytest.mark.parametrize(
    ("operator", "found"),
    [
        ({"$like": "pay*"}, ["pay-order", "pay_order2"]),
        ({"$like": "pay?order"}, ["pay-order"]),
        ({"$like": "pay\\*"}, []),
        ({"$in": ["ship", "pay-order"]}, ["pay-order", "ship"]),
        ({"$notIn": ["ship"]}, ["pay-order", "pay_order2"]),
        ({"$neq": "ship"}, ["pay-order", "pay_order2"]),
        ("ship", ["ship"]),
    ],
    ids=["like-star", "like-question", "like-escaped", "in", "not-in", "neq", "exact"],
)
def test_string_filter_operators(three: Rest, operator: Any, found: list[str]) -> None:
    """Spec 8.3: "strings `$eq $neq $exists $in $notIn $like` (`$like` wildcards `*` and `?`,
    backslash-escape)"; "filter values are either an exact value or an operator object"."""
    body = {"filter": {"processDefinitionId": operator}, "sort": [{"field": "processDefinitionId"}]}
    assert _search(three, body) == found


def test_number_key_and_exists_operators_and_or(three: Rest) -> None:
    """Spec 8.3: "numbers/dates `$eq $neq $exists $gt $gte $lt $lte $in`; keys `$eq $neq $exists
    $in $notIn`"; `$or[...]`."""
    assert len(_search(three, {"filter": {"processDefinitionVersion": {"$gt": 0}}})) == 3
    assert _search(three, {"filter": {"processDefinitionVersion": {"$gte": 2}}}) == []
    assert len(_search(three, {"filter": {"endDate": {"$exists": False}}})) == 3
    assert _search(three, {"filter": {"parentProcessInstanceKey": {"$exists": True}}}) == []
    either = {"$or": [{"processDefinitionId": "ship"}, {"processDefinitionId": "pay_order2"}]}
    assert sorted(_search(three, {"filter": either})) == ["pay_order2", "ship"]


def test_enum_filter_values_accept_any_casing(three: Rest) -> None:
    """Spec 8.1: "Enum request values accept any casing; responses use canonical casing"."""
    assert len(_search(three, {"filter": {"state": "active"}})) == 3
    assert len(_search(three, {"filter": {"state": {"$eq": "Active"}}})) == 3


def test_sort_order_defaults_to_ascending(three: Rest) -> None:
    """Spec 8.3: "`sort`: `[{field, order: ASC|DESC (default ASC)}]`"."""
    ascending = _search(three, {"sort": [{"field": "processDefinitionId"}]})
    descending = _search(three, {"sort": [{"field": "processDefinitionId", "order": "DESC"}]})
    assert ascending == ["pay-order", "pay_order2", "ship"]
    assert descending == list(reversed(ascending))


def test_offset_and_cursor_pages(three: Rest) -> None:
    """Spec 8.3: "`page`: one of `{limit}` | `{from, limit}` (offset) | `{after, limit}` |
    `{before, limit}` (cursor, base64 from previous `endCursor`/`startCursor`)"; "offset-based ...
    OR cursor-based ..., but not both"."""
    sort = [{"field": "processDefinitionId"}]
    first = three.post("/process-instances/search", {"sort": sort, "page": {"limit": 1}}).json()
    assert [i["processDefinitionId"] for i in first["items"]] == ["pay-order"]
    assert first["page"]["totalItems"] == 3
    after = {"sort": sort, "page": {"limit": 1, "after": first["page"]["endCursor"]}}
    assert _search(three, after) == ["pay_order2"]
    assert _search(three, {"sort": sort, "page": {"from": 2, "limit": 1}}) == ["ship"]
    both = {"page": {"from": 1, "after": first["page"]["endCursor"]}}
    assert three.post("/process-instances/search", both).status_code == 400


ACTIVATED_JOB = {
    "type",
    "processDefinitionId",
    "processDefinitionVersion",
    "elementId",
    "customHeaders",
    "worker",
    "retries",
    "deadline",
    "variables",
    "tenantId",
    "jobKey",
    "processInstanceKey",
    "processDefinitionKey",
    "elementInstanceKey",
    "kind",
    "listenerEventType",
    "userTask",
    "tags",
}
PROCESS_INSTANCE = {
    "processDefinitionId",
    "processDefinitionName",
    "processDefinitionVersion",
    "processDefinitionVersionTag",
    "startDate",
    "endDate",
    "state",
    "hasIncident",
    "tenantId",
    "processInstanceKey",
    "processDefinitionKey",
    "parentProcessInstanceKey",
    "parentElementInstanceKey",
    "tags",
}


def test_result_objects_carry_the_8_8_fields(rest: Rest) -> None:
    """Spec 8.2: **ActivatedJobResult** (8.8) and **ProcessInstanceResult** field lists (fields
    marked 8.9/8.10 are not part of 8.8); `deadline (int64 epoch ms)`, `userTask (null unless
    user-task listener)`, `kind` BPMN_ELEMENT."""
    rest.deploy(("p.bpmn", _one_task("p")))
    key = rest.create("p")["processInstanceKey"]
    job = _activate(rest)
    assert set(job) == ACTIVATED_JOB
    assert isinstance(job["deadline"], int) and job["userTask"] is None
    assert job["kind"] == "BPMN_ELEMENT"
    instance = rest.get(f"/process-instances/{key}").json()
    assert set(instance) == PROCESS_INSTANCE
    assert instance["state"] == "ACTIVE"


def test_creation_by_key_ignores_the_version(rest: Rest) -> None:
    """Spec 8.2: "or **by key**: `processDefinitionKey`* (version ignored)"."""
    deployed = rest.deploy(("p.bpmn", _one_task("p")))
    definition = deployed["deployments"][0]["processDefinition"]
    body = {
        "processDefinitionKey": definition["processDefinitionKey"],
        "processDefinitionVersion": 9,
    }
    response = rest.post("/process-instances", body)
    assert response.status_code == 200, response.text
    assert response.json()["processDefinitionVersion"] == 1


def test_awaited_creation_returns_the_root_variables(rest: Rest) -> None:
    """Spec 8.2: create returns "`variables` (root-scope vars when awaited)", narrowed by
    `fetchVariables[]`; not awaited, no variables."""
    rest.deploy(("q.bpmn", ProcessBuilder("q").start().end().to_xml()))
    document = {"a": 1, "b": 2}

    def created(**fields: Any) -> Any:
        body = {"processDefinitionId": "q", "variables": document, **fields}
        return rest.post("/process-instances", body).json()["variables"]

    assert created(awaitCompletion=True) == document
    assert created(awaitCompletion=True, fetchVariables=["a"]) == {"a": 1}
    assert created() == {}


def test_cancellation_then_not_found(rest: Rest) -> None:
    """Spec 8.2: cancellation "204" and "404" once the instance is gone."""
    rest.deploy(("p.bpmn", _one_task("p")))
    key = rest.create("p")["processInstanceKey"]
    assert rest.post(f"/process-instances/{key}/cancellation").status_code == 204
    assert rest.post(f"/process-instances/{key}/cancellation").status_code == 404


def test_variables_must_be_a_json_object(rest: Rest) -> None:
    """Spec 8.1: "`variables`, `customHeaders` are JSON **objects** (not strings as in gRPC)";
    errors are RFC 9457 `application/problem+json` with INVALID_ARGUMENT -> 400."""
    rest.deploy(("p.bpmn", _one_task("p")))
    response = rest.post("/process-instances", {"processDefinitionId": "p", "variables": "{}"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {"type", "title", "status", "detail", "instance"} <= set(response.json())


def test_status_is_no_content_while_the_cluster_is_up(rest: Rest) -> None:
    """Spec 8.2: `GET /v2/status` "204 cluster UP (>=1 partition with healthy leader)"."""
    response = rest.get("/status")
    assert (response.status_code, response.text) == (204, "")

"""POST /v2/process-instances/{processInstanceKey}/migration over plain HTTP (Camunda 8.7 REST
API "Migrate process instance": 204 No Content; 400 invalid request, 404 not found, 409 invalid
state, as problem+json; spec 8.1 maps INVALID_ARGUMENT 400, NOT_FOUND 404, INVALID_STATE 409)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import Rest

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.e2e

SOURCE = ProcessBuilder("order").start().service_task("A", type="rest.a").end().to_xml()
TARGET = (
    ProcessBuilder("order", name="Order v2")
    .start()
    .service_task("A2", type="rest.a", name="Renamed A")
    .service_task("B", type="rest.b")
    .end()
    .to_xml()
)


def started(rest: Rest) -> tuple[str, str]:
    """Deploy both versions, start an instance of the first: (instance key, target key)."""
    source = rest.deploy(("v1.bpmn", SOURCE))["deployments"][0]["processDefinition"]
    target = rest.deploy(("v2.bpmn", TARGET))["deployments"][0]["processDefinition"]
    by_key = {"processDefinitionKey": source["processDefinitionKey"]}
    created = rest.post("/process-instances", by_key)
    assert created.status_code == 200, created.text
    return created.json()["processInstanceKey"], target["processDefinitionKey"]


def migrate(rest: Rest, instance: str, body: Any) -> Any:
    """POST the migration request."""
    return rest.post(f"/process-instances/{instance}/migration", body)


def plan(target: str, *mapping: tuple[str, str]) -> dict[str, Any]:
    """A MigrateProcessInstance request body."""
    return {
        "targetProcessDefinitionKey": target,
        "mappingInstructions": [{"sourceElementId": s, "targetElementId": t} for s, t in mapping],
    }


def test_migration_answers_204_and_the_instance_runs_on_the_target(rest: Rest) -> None:
    """204 with no body; the read model shows the target definition; completing the migrated
    job reaches B, which only the target has."""
    instance, target = started(rest)
    response = migrate(rest, instance, plan(target, ("A", "A2")))
    assert response.status_code == 204, response.text
    assert response.content == b""
    shown = rest.get(f"/process-instances/{instance}").json()
    assert (shown["processDefinitionKey"], shown["processDefinitionVersion"]) == (target, 2)
    assert shown["processDefinitionName"] == "Order v2"
    elements = rest.search("element-instances", {"filter": {"processInstanceKey": instance}})
    assert "Renamed A" in [e["elementName"] for e in elements["items"]]
    (job,) = rest.activate("rest.a")
    assert job["elementId"] == "A2"
    assert rest.post(f"/jobs/{job['jobKey']}/completion", {}).status_code == 204
    (next_job,) = rest.activate("rest.b")
    assert next_job["processDefinitionKey"] == target


def test_unknown_instance_is_404_problem(rest: Rest) -> None:
    """NOT_FOUND -> 404 problem+json with the engine's text."""
    _, target = started(rest)
    response = migrate(rest, "42", plan(target, ("A", "A2")))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "Command 'MIGRATE' rejected with code 'NOT_FOUND': Expected to migrate process instance "
        "but no process instance found with key '42'"
    )


def test_unmapped_active_element_is_409_problem(rest: Rest) -> None:
    """INVALID_STATE -> 409: the active element A needs a mapping instruction."""
    instance, target = started(rest)
    response = migrate(rest, instance, plan(target, ("end", "end")))
    assert response.status_code == 409
    assert (
        "no mapping instruction defined for active element with id 'A'"
        in (response.json()["detail"])
    )


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"mappingInstructions": [{"sourceElementId": "A", "targetElementId": "A2"}]}, "No "),
        ({"targetProcessDefinitionKey": "1", "mappingInstructions": []}, "No mapping"),
        (
            {"targetProcessDefinitionKey": "1", "mappingInstructions": [{"sourceElementId": "A"}]},
            "All [sourceElementId, targetElementId] are required.",
        ),
    ],
)
def test_malformed_request_is_400(rest: Rest, body: dict[str, Any], detail: str) -> None:
    """The target key and at least one complete mapping instruction are required (400)."""
    instance, _ = started(rest)
    response = migrate(rest, instance, body)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail)

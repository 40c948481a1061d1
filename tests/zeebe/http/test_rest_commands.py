"""REST /v2 commands over plain HTTP against the real embedded engine (spec 8.2)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from rest_support import ERROR_BOUNDARY, MESSAGE_CATCH, ONE_TASK, SIGNAL_START, Rest

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parents[1] / "dmn" / "fixtures"
FORM = b'{"id": "order-form", "type": "default", "components": []}'


def test_topology_describes_one_healthy_leader(rest: Rest) -> None:
    """GET /v2/topology: one broker leading partition 1, cluster size 1 (spec 1.1 defaults)."""
    body = rest.get("/topology").json()
    assert (body["clusterSize"], body["partitionsCount"], body["replicationFactor"]) == (1, 1, 1)
    assert body["brokers"][0]["partitions"] == [
        {"partitionId": 1, "role": "leader", "health": "healthy"}
    ]


def test_status_is_204_while_the_broker_runs(rest: Rest) -> None:
    """GET /v2/status: 204 when the cluster is UP."""
    response = rest.get("/status")
    assert response.status_code == 204 and response.content == b""


def test_multipart_deployment_answers_one_process_definition_per_resource(rest: Rest) -> None:
    """POST /v2/deployments: one populated key per item, the others null; keys are strings."""
    body = rest.deploy(("pay.bpmn", ONE_TASK), ("confirm.bpmn", MESSAGE_CATCH))
    assert body["deploymentKey"].isdigit() and body["tenantId"] == "<default>"
    first = body["deployments"][0]
    assert first["decisionDefinition"] is None and first["form"] is None
    definition = first["processDefinition"]
    assert definition["processDefinitionId"] == "pay-order"
    assert definition["processDefinitionVersion"] == 1
    assert definition["resourceName"] == "pay.bpmn"
    assert isinstance(definition["processDefinitionKey"], str)
    assert body["deployments"][1]["processDefinition"]["processDefinitionId"] == (
        "await-confirmation"
    )


def test_deployment_of_dmn_and_form_fills_their_item_keys(rest: Rest) -> None:
    """POST /v2/deployments (spec 8.2): a DMN yields a `decisionRequirements` item and one
    `decisionDefinition` item per decision, a form a `form` item; keys are strings."""
    dmn = (FIXTURES / "checkout_discount.dmn").read_bytes()
    body = rest.deploy(("discount.dmn", dmn), ("order.form", FORM))
    items = body["deployments"]
    assert all(sum(value is not None for value in item.values()) == 1 for item in items)
    drg = next(i["decisionRequirements"] for i in items if i["decisionRequirements"])
    assert drg["decisionRequirementsId"] == "checkout_discounts"
    assert drg["resourceName"] == "discount.dmn" and drg["version"] == 1
    decisions = [i["decisionDefinition"] for i in items if i["decisionDefinition"]]
    assert {d["decisionDefinitionId"] for d in decisions} >= {"customer_tier", "discount"}
    assert {d["decisionRequirementsKey"] for d in decisions} == {drg["decisionRequirementsKey"]}
    assert all(d["decisionDefinitionKey"].isdigit() for d in decisions)
    (form,) = [i["form"] for i in items if i["form"]]
    assert form["formId"] == "order-form" and form["formKey"].isdigit()


def test_create_by_id_and_by_key(rest: Rest) -> None:
    """By id (latest version) or by processDefinitionKey (string or number accepted)."""
    definition = rest.deploy(("pay.bpmn", ONE_TASK))["deployments"][0]["processDefinition"]
    by_id = rest.create("pay-order", variables={"orderId": "o-1"})
    assert by_id["processDefinitionKey"] == definition["processDefinitionKey"]
    assert by_id["processInstanceKey"].isdigit()
    key = int(definition["processDefinitionKey"])
    by_key = rest.post("/process-instances", {"processDefinitionKey": key})
    assert by_key.status_code == 200
    assert by_key.json()["processDefinitionId"] == "pay-order"


def test_job_lifecycle_activate_then_complete_finishes_the_instance(rest: Rest) -> None:
    """Activated jobs carry jobKey, variables and customHeaders as objects; completion is 204."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    instance = rest.create("pay-order", variables={"amount": 12})
    jobs = rest.activate("rest.pay", worker="w1")
    assert len(jobs) == 1
    job = jobs[0]
    assert job["processInstanceKey"] == instance["processInstanceKey"]
    assert job["variables"] == {"amount": 12} and job["customHeaders"] == {}
    assert (job["worker"], job["elementId"], job["retries"]) == ("w1", "pay", 3)
    done = rest.post(f"/jobs/{job['jobKey']}/completion", {"variables": {"paid": True}})
    assert done.status_code == 204
    state = rest.get(f"/process-instances/{instance['processInstanceKey']}").json()["state"]
    assert state == "COMPLETED"


def test_await_completion_times_out_with_504(rest: Rest) -> None:
    """awaitCompletion past requestTimeout: 504 problem; the instance keeps running (spec 8.2)."""
    rest.deploy(("confirm.bpmn", MESSAGE_CATCH))
    done = rest.post(
        "/process-instances",
        {
            "processDefinitionId": "await-confirmation",
            "variables": {"orderId": "o-9", "x": 1},
            "awaitCompletion": True,
            "fetchVariables": ["x"],
            "requestTimeout": 1_000,
        },
    )
    assert done.status_code == 504, "a message catch never completes without a message"
    assert done.headers["content-type"] == "application/problem+json"
    assert "continue to run in the background" in done.json()["detail"]
    running = rest.search("process-instances", {"filter": {"state": "ACTIVE"}})
    assert running["page"]["totalItems"] == 1


def test_await_completion_succeeds_when_the_instance_completes_in_time(rest: Rest) -> None:
    """The 200 response carries fetched root-scope variables (spec 8.2 POST process-instances)."""
    rest.deploy(("pay.bpmn", ONE_TASK))

    def worker() -> None:
        jobs = rest.activate("rest.pay", requestTimeout=5_000)
        for job in jobs:
            rest.post(f"/jobs/{job['jobKey']}/completion", {"variables": {"paid": True}})

    thread = threading.Thread(target=worker)
    thread.start()
    done = rest.post(
        "/process-instances",
        {
            "processDefinitionId": "pay-order",
            "variables": {"x": 1},
            "awaitCompletion": True,
            "fetchVariables": ["paid"],
        },
    )
    thread.join(10)
    assert done.status_code == 200, done.text
    assert done.json()["variables"] == {"paid": True}


def test_failure_with_retries_left_makes_the_job_activatable_again(rest: Rest) -> None:
    """Spec 2.5: retries > 0 and no back-off -> immediately activatable again."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    rest.create("pay-order")
    job = rest.activate("rest.pay")[0]
    failed = rest.post(f"/jobs/{job['jobKey']}/failure", {"retries": 2, "errorMessage": "down"})
    assert failed.status_code == 204
    again = rest.activate("rest.pay")
    assert [j["jobKey"] for j in again] == [job["jobKey"]] and again[0]["retries"] == 2


def test_incident_is_resolved_after_patching_the_job_retries(rest: Rest) -> None:
    """Spec 2.5 / 8.2: fail with retries 0 -> incident; resolution first 409 (no retries), then
    PATCH retries and resolve -> 204 and the job is activatable again."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    instance = rest.create("pay-order")
    job = rest.activate("rest.pay")[0]
    rest.post(f"/jobs/{job['jobKey']}/failure", {"retries": 0, "errorMessage": "PSP down"})
    incidents = rest.search("incidents", {"filter": {"jobKey": job["jobKey"]}})["items"]
    assert len(incidents) == 1
    incident = incidents[0]
    assert (incident["errorType"], incident["errorMessage"]) == ("JOB_NO_RETRIES", "PSP down")
    assert incident["processInstanceKey"] == instance["processInstanceKey"]
    too_early = rest.post(f"/incidents/{incident['incidentKey']}/resolution")
    assert too_early.status_code == 409
    patched = rest.session.patch(
        f"{rest.base}/jobs/{job['jobKey']}", json={"changeset": {"retries": 1}}, timeout=10
    )
    assert patched.status_code == 204
    resolved = rest.post(f"/incidents/{incident['incidentKey']}/resolution")
    assert resolved.status_code == 204
    assert rest.get(f"/incidents/{incident['incidentKey']}").json()["state"] == "RESOLVED"
    assert [j["jobKey"] for j in rest.activate("rest.pay")] == [job["jobKey"]]


def test_a_thrown_error_is_caught_by_the_boundary_event(rest: Rest) -> None:
    """POST /v2/jobs/{key}/error: caught by code (spec 2.6); the instance ends at 'failed'."""
    rest.deploy(("charge.bpmn", ERROR_BOUNDARY))
    instance = rest.create("charge")
    job = rest.activate("rest.capture")[0]
    thrown = rest.post(f"/jobs/{job['jobKey']}/error", {"errorCode": "DECLINED"})
    assert thrown.status_code == 204
    key = instance["processInstanceKey"]
    ended = rest.search(
        "element-instances", {"filter": {"processInstanceKey": key, "elementId": "failed"}}
    )
    assert ended["items"][0]["state"] == "COMPLETED"


def test_publish_answers_the_message_key_and_correlates(rest: Rest) -> None:
    """POST /v2/messages/publication -> {tenantId, messageKey}; the waiting instance completes."""
    rest.deploy(("confirm.bpmn", MESSAGE_CATCH))
    instance = rest.create("await-confirmation", variables={"orderId": "o-1"})
    published = rest.post(
        "/messages/publication",
        {"name": "payment-confirmed", "correlationKey": "o-1", "variables": {"ok": True}},
    )
    assert published.status_code == 200
    assert published.json()["messageKey"].isdigit()
    row = rest.get(f"/process-instances/{instance['processInstanceKey']}").json()
    assert row["state"] == "COMPLETED"


def test_correlate_names_the_instance_or_404_when_nothing_matched(rest: Rest) -> None:
    """POST /v2/messages/correlation: the first correlated instance; 404 (not buffered) if none."""
    rest.deploy(("confirm.bpmn", MESSAGE_CATCH))
    instance = rest.create("await-confirmation", variables={"orderId": "o-2"})
    missing = rest.post(
        "/messages/correlation", {"name": "payment-confirmed", "correlationKey": "x"}
    )
    assert missing.status_code == 404
    matched = rest.post(
        "/messages/correlation", {"name": "payment-confirmed", "correlationKey": "o-2"}
    )
    assert matched.status_code == 200
    assert matched.json()["processInstanceKey"] == instance["processInstanceKey"]
    later = rest.create("await-confirmation", variables={"orderId": "x"})
    row = rest.get(f"/process-instances/{later['processInstanceKey']}").json()
    assert row["state"] == "ACTIVE", "the unmatched correlation must not have been buffered"


def test_signal_broadcast_starts_signal_start_processes(rest: Rest) -> None:
    """POST /v2/signals/broadcast -> {tenantId, signalKey}; the signal start event fires."""
    rest.deploy(("signal.bpmn", SIGNAL_START))
    response = rest.post("/signals/broadcast", {"signalName": "go"})
    assert response.status_code == 200 and response.json()["signalKey"].isdigit()
    found = rest.search("process-instances", {"filter": {"processDefinitionId": "on-signal"}})
    assert found["page"]["totalItems"] == 1


def test_cancellation_terminates_the_instance(rest: Rest) -> None:
    """POST /v2/process-instances/{key}/cancellation -> 204, state TERMINATED; again -> 404."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    key = rest.create("pay-order")["processInstanceKey"]
    assert rest.post(f"/process-instances/{key}/cancellation").status_code == 204
    assert rest.get(f"/process-instances/{key}").json()["state"] == "TERMINATED"
    assert rest.post(f"/process-instances/{key}/cancellation").status_code == 404


def test_set_variables_on_an_element_instance(rest: Rest) -> None:
    """PUT /v2/element-instances/{key}/variables merges into the scope (propagating by default)."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    key = rest.create("pay-order", variables={"a": 1})["processInstanceKey"]
    response = rest.session.put(
        f"{rest.base}/element-instances/{key}/variables",
        json={"variables": {"a": 2, "b": "x"}},
        timeout=10,
    )
    assert response.status_code == 204
    found = rest.search("variables", {"filter": {"processInstanceKey": key}})
    assert {(v["name"], v["value"]) for v in found["items"]} == {("a", "2"), ("b", '"x"')}


def test_long_polling_activation_waits_for_a_job(rest: Rest) -> None:
    """Spec 2.2: with requestTimeout the activation waits until a job appears."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    result: list[list[dict[str, object]]] = []
    poller = threading.Thread(
        target=lambda: result.append(rest.activate("rest.pay", requestTimeout=10_000))
    )
    poller.start()
    time.sleep(0.5)
    assert poller.is_alive(), "no job yet: the request must still be parked"
    rest.create("pay-order")
    poller.join(15)
    assert len(result) == 1 and len(result[0]) == 1

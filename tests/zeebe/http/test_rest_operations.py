"""REST /v2 operations beyond the saga's needs, over plain HTTP against the real engine:
process instance modification, decision evaluation and resource deletion (8.6+ REST reference;
each is the REST face of the gRPC command of the same name, with the same rejections)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rest_support import ONE_TASK, Rest

from zeebe.testing.bpmn_builder import ProcessBuilder, Timer

pytestmark = pytest.mark.e2e

DMN = (Path(__file__).parents[1] / "dmn" / "fixtures" / "checkout_discount.dmn").read_bytes()
TWO_TASKS = (
    ProcessBuilder("pack-and-ship")
    .start()
    .service_task("pack", type="rest.pack")
    .service_task("ship", type="rest.ship")
    .end()
    .to_xml()
)
NAP = (
    ProcessBuilder("nap")
    .start()
    .intermediate_catch("hour", event=Timer.duration("PT1H"))
    .end()
    .to_xml()
)


def _waiting_at_pack(rest: Rest) -> tuple[str, dict[str, Any]]:
    rest.deploy(("ship.bpmn", TWO_TASKS))
    instance = rest.create("pack-and-ship")["processInstanceKey"]
    (job,) = rest.activate("rest.pack")
    return instance, job


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def test_modification_activates_an_element_with_variables_and_terminates_another(
    rest: Rest,
) -> None:
    """POST /process-instances/{key}/modification: 204; the terminated task's job is gone, the
    activated task has a job whose variables include the instruction's variables."""
    instance, job = _waiting_at_pack(rest)
    body = {
        "activateInstructions": [
            {"elementId": "ship", "variableInstructions": [{"variables": {"carrier": "dhl"}}]}
        ],
        "terminateInstructions": [{"elementInstanceKey": job["elementInstanceKey"]}],
    }
    response = rest.post(f"/process-instances/{instance}/modification", body)
    assert response.status_code == 204, response.text
    (ship,) = rest.activate("rest.ship")
    assert ship["processInstanceKey"] == instance and ship["variables"]["carrier"] == "dhl"
    stale = rest.post(f"/jobs/{job['jobKey']}/completion", {})
    assert stale.status_code == 404


def test_modification_of_an_unknown_instance_is_404(rest: Rest) -> None:
    """The engine's NOT_FOUND rejection becomes a 404 problem naming the key."""
    body = {"activateInstructions": [{"elementId": "ship"}]}
    problem = _problem(rest.post("/process-instances/123456/modification", body), 404)
    assert "123456" in problem["detail"]


def test_modification_naming_an_unknown_element_is_rejected_as_a_whole(rest: Rest) -> None:
    """An instruction for an element the definition lacks rejects the command; nothing moves."""
    instance, job = _waiting_at_pack(rest)
    body = {
        "activateInstructions": [{"elementId": "no-such-task"}],
        "terminateInstructions": [{"elementInstanceKey": job["elementInstanceKey"]}],
    }
    problem = _problem(rest.post(f"/process-instances/{instance}/modification", body), 400)
    assert "no-such-task" in problem["detail"]
    assert rest.post(f"/jobs/{job['jobKey']}/completion", {}).status_code == 204


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"activateInstructions": [{}]}, "No elementId provided."),
        ({"activateInstructions": "ship"}, "activateInstructions must be a list"),
        (
            {"activateInstructions": [{"elementId": "a", "ancestorElementInstanceKey": "x1"}]},
            "ancestorElementInstanceKey",
        ),
        ({"terminateInstructions": [{}]}, "No elementInstanceKey provided."),
        (
            {"activateInstructions": [{"elementId": "a", "variableInstructions": [{}]}]},
            "No variables provided.",
        ),
        (
            {"activateInstructions": [{}], "terminateInstructions": [{}]},
            "No elementId provided. No elementInstanceKey provided.",
        ),
    ],
)
def test_malformed_modification_instructions_are_400_naming_the_field(
    rest: Rest, body: dict[str, Any], detail: str
) -> None:
    """Request validation happens before the engine sees anything; missing attributes use
    ProcessInstanceRequestValidator's texts ("No elementId provided", joined by ". ")."""
    problem = _problem(rest.post("/process-instances/1/modification", body), 400)
    assert detail in problem["detail"]


def test_decision_evaluation_by_id_answers_in_rest_field_names(rest: Rest) -> None:
    """POST /decision-definitions/evaluation: `decisionDefinition*` names, keys as strings,
    `output` as JSON text, every decision of the requirement chain under evaluatedDecisions."""
    rest.deploy(("discount.dmn", DMN))
    variables = {"customer": {"orderCount": 12}, "order": {"total": 250}}
    response = rest.post(
        "/decision-definitions/evaluation",
        {"decisionDefinitionId": "discount", "variables": variables},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["decisionDefinitionId"] == "discount"
    assert body["decisionDefinitionKey"].isdigit() and body["decisionRequirementsKey"].isdigit()
    assert json.loads(body["output"]) == {"rate": 0.15, "code": "GOLD15"}
    assert body["failedDecisionDefinitionId"] is None and body["failureMessage"] is None
    tier, discount = body["evaluatedDecisions"]
    assert tier["decisionDefinitionId"] == "customer_tier"
    assert json.loads(tier["output"]) == "gold"
    assert tier["matchedRules"][0]["ruleId"] == "Rule_gold"
    assert json.loads(tier["evaluatedInputs"][0]["inputValue"]) == 12
    assert discount["decisionDefinitionKey"] == body["decisionDefinitionKey"]


def test_decision_evaluation_by_key_and_the_oneof_rule(rest: Rest) -> None:
    """By key works too; both id and key, or neither, is a 400 (the schema is a oneOf)."""
    deployed = rest.deploy(("discount.dmn", DMN))["deployments"]
    tier = next(
        d["decisionDefinition"]
        for d in deployed
        if d["decisionDefinition"]
        and d["decisionDefinition"]["decisionDefinitionId"] == "customer_tier"
    )
    key = tier["decisionDefinitionKey"]
    by_key = rest.post(
        "/decision-definitions/evaluation",
        {"decisionDefinitionKey": key, "variables": {"customer": {"orderCount": 4}}},
    )
    assert by_key.status_code == 200 and json.loads(by_key.json()["output"]) == "silver"
    both = {"decisionDefinitionKey": key, "decisionDefinitionId": "customer_tier"}
    assert (
        "Only one of"
        in _problem(rest.post("/decision-definitions/evaluation", both), 400)["detail"]
    )
    neither = rest.post("/decision-definitions/evaluation", {"variables": {}})
    assert "At least one of" in _problem(neither, 400)["detail"]


def test_evaluating_an_unknown_decision_is_not_found_with_zeebes_text(rest: Rest) -> None:
    """Zeebe's rejection text for an unknown decision id, answered 404 as the 8.8 REST
    reference documents ("The decision is not found."; the 8.8 engine rejects NOT_FOUND)."""
    response = rest.post("/decision-definitions/evaluation", {"decisionDefinitionId": "nope"})
    problem = _problem(response, 404)
    assert problem["title"] == "NOT_FOUND"
    assert problem["detail"] == (
        "Command 'EVALUATE' rejected with code 'NOT_FOUND': Expected to evaluate decision "
        "'nope', but no decision found for id 'nope'"
    )


def test_resource_deletion_removes_the_process_definition(rest: Rest) -> None:
    """POST /resources/{key}/deletion: 200 naming the key; the definition can no longer start
    instances, and deleting it again is a 404."""
    deployed = rest.deploy(("pay.bpmn", ONE_TASK))["deployments"][0]["processDefinition"]
    key = deployed["processDefinitionKey"]
    response = rest.post(f"/resources/{key}/deletion")
    assert response.status_code == 200, response.text
    assert response.json()["resourceKey"] == key
    assert rest.create_raw("pay-order").status_code == 404
    _problem(rest.post(f"/resources/{key}/deletion", {}), 404)


def test_resource_deletion_validates_its_key_and_body(rest: Rest) -> None:
    """A non-numeric key and an operationReference below 1 are 400s."""
    assert "resourceKey" in _problem(rest.post("/resources/abc/deletion"), 400)["detail"]
    bad = rest.post("/resources/1/deletion", {"operationReference": 0})
    assert "operationReference" in _problem(bad, 400)["detail"]


def test_pinning_the_clock_past_a_timer_completes_the_waiting_instance(rest: Rest) -> None:
    """PUT /clock {timestamp}: 204; the broker fires timers due at the pinned time, and the
    records written meanwhile carry it. POST /clock/reset: 204."""
    rest.deploy(("nap.bpmn", NAP))
    instance = rest.create("nap")["processInstanceKey"]
    pinned_at = int(time.time() * 1000) + 2 * 3_600_000
    assert rest.session.put(f"{rest.base}/clock", json={"timestamp": pinned_at}).status_code == 204
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = rest.search("process-instances", {"filter": {"processInstanceKey": instance}})
        if found["items"] and found["items"][0]["state"] == "COMPLETED":
            break
        time.sleep(0.05)
    assert found["items"][0]["state"] == "COMPLETED"
    assert found["items"][0]["endDate"].startswith(
        datetime.fromtimestamp(pinned_at / 1000, UTC).strftime("%Y-%m-%dT%H:%M")
    )
    assert rest.post("/clock/reset").status_code == 204


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "No timestamp provided"),
        ({"timestamp": -5}, "The value for timestamp is '-5' but must be not negative."),
        ({"timestamp": "soon"}, "timestamp"),
    ],
)
def test_a_missing_or_negative_timestamp_is_400(
    rest: Rest, body: dict[str, Any], detail: str
) -> None:
    """The gateway validates the pin request before the engine sees it."""
    response = rest.session.put(f"{rest.base}/clock", json=body)
    assert detail in _problem(response, 400)["detail"]


BOXED_CONTEXT_DMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="boxed" name="Boxed"
    namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="shipping" name="Shipping">
    <context>
      <contextEntry><variable name="fee"/>
        <literalExpression><text>if total &gt; 100 then 0 else 5</text></literalExpression>
      </contextEntry>
    </context>
  </decision>
</definitions>
"""


def test_decision_logic_outside_the_rest_enum_is_reported_as_unknown(rest: Rest) -> None:
    """`decisionDefinitionType` is the REST DecisionDefinitionTypeEnum (DECISION_TABLE,
    LITERAL_EXPRESSION, UNSPECIFIED, UNKNOWN): a boxed context decision, which the engine
    records as CONTEXT, is UNKNOWN there."""
    rest.deploy(("boxed.dmn", BOXED_CONTEXT_DMN))
    response = rest.post(
        "/decision-definitions/evaluation",
        {"decisionDefinitionId": "shipping", "variables": {"total": 150}},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert json.loads(body["output"]) == {"fee": 0}
    (evaluated,) = body["evaluatedDecisions"]
    assert evaluated["decisionDefinitionType"] == "UNKNOWN"

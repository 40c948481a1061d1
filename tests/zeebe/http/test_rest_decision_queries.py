"""Decision searches and gets over plain HTTP against the real engine (REST 8.8
`/v2/decision-definitions`, `/v2/decision-requirements`, `/v2/decision-instances`; search
grammar of spec 8.3; keys as strings; unknown keys 404, malformed ones 400)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rest_support import Rest

from zeebe.testing.diagram import diagrammed

pytestmark = pytest.mark.e2e

DMN = (Path(__file__).parents[1] / "dmn" / "fixtures" / "checkout_discount.dmn").read_bytes()
GOLD_BUYER = {"customer": {"orderCount": 12}, "order": {"total": 150}}
RULES = diagrammed(
    b'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
    b'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    b'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" '
    b'targetNamespace="http://test"><bpmn:process id="rules" isExecutable="true">'
    b'<bpmn:startEvent id="s"/><bpmn:businessRuleTask id="rule" name="Discount">'
    b'<bpmn:extensionElements><zeebe:calledDecision decisionId="discount" '
    b'resultVariable="discount"/></bpmn:extensionElements></bpmn:businessRuleTask>'
    b'<bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="rule"/>'
    b'<bpmn:sequenceFlow id="f2" sourceRef="rule" targetRef="e"/></bpmn:process>'
    b"</bpmn:definitions>"
)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def _evaluate(rest: Rest) -> dict[str, Any]:
    response = rest.post(
        "/decision-definitions/evaluation",
        {"decisionDefinitionId": "discount", "variables": GOLD_BUYER},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_decision_definition_search_lists_every_deployed_decision(rest: Rest) -> None:
    """DecisionDefinitionResult: decisionDefinitionId/Key (string), name, version, DRG id/key."""
    rest.deploy(("discount.dmn", DMN))
    result = rest.search("decision-definitions", {"sort": [{"field": "decisionDefinitionId"}]})
    ids = [item["decisionDefinitionId"] for item in result["items"]]
    assert ids == ["customer_tier", "discount", "discount_message"]
    tier = result["items"][0]
    assert tier["name"] == "Customer tier" and tier["version"] == 1
    assert tier["decisionRequirementsId"] == "checkout_discounts"
    assert tier["decisionDefinitionKey"].isdigit() and tier["decisionRequirementsKey"].isdigit()
    assert tier["decisionRequirementsName"] == "Checkout discounts"
    assert result["page"]["totalItems"] == 3


def test_decision_definition_filter_and_get(rest: Rest) -> None:
    """Filters as spec 8.3 (here by id); GET by key answers the same item."""
    rest.deploy(("discount.dmn", DMN))
    result = rest.search("decision-definitions", {"filter": {"decisionDefinitionId": "discount"}})
    (item,) = result["items"]
    response = rest.get(f"/decision-definitions/{item['decisionDefinitionKey']}")
    assert response.status_code == 200, response.text
    assert response.json() == item


def test_decision_definition_xml_is_the_dmn_of_its_requirements(rest: Rest) -> None:
    """GET /decision-definitions/{key}/xml answers the deployed DMN as text/xml."""
    rest.deploy(("discount.dmn", DMN))
    (item,) = rest.search("decision-definitions", {"filter": {"decisionDefinitionId": "discount"}})[
        "items"
    ]
    response = rest.get(f"/decision-definitions/{item['decisionDefinitionKey']}/xml")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    assert response.text == DMN.decode()


def test_unknown_and_malformed_decision_definition_keys(rest: Rest) -> None:
    """Unknown key -> 404 problem, non-numeric key -> 400 problem (as the other /v2 gets)."""
    assert "not found" in _problem(rest.get("/decision-definitions/123"), 404)["detail"]
    _problem(rest.get("/decision-definitions/123/xml"), 404)
    _problem(rest.get("/decision-definitions/abc"), 400)


def test_decision_requirements_search_get_and_xml(rest: Rest) -> None:
    """DecisionRequirementsResult: id, name, version, resourceName, key; its XML as text/xml."""
    rest.deploy(("discount.dmn", DMN))
    (item,) = rest.search("decision-requirements")["items"]
    assert item["decisionRequirementsId"] == "checkout_discounts"
    assert item["decisionRequirementsName"] == "Checkout discounts"
    assert (item["version"], item["resourceName"]) == (1, "discount.dmn")
    key = item["decisionRequirementsKey"]
    assert rest.get(f"/decision-requirements/{key}").json() == item
    xml = rest.get(f"/decision-requirements/{key}/xml")
    assert xml.status_code == 200 and xml.text == DMN.decode()
    _problem(rest.get("/decision-requirements/42"), 404)
    _problem(rest.get("/decision-requirements/42/xml"), 404)


def test_evaluation_answers_a_real_evaluation_key(rest: Rest) -> None:
    """The evaluation's decisionEvaluationKey (and deprecated decisionInstanceKey) is the key
    of the DECISION_EVALUATION record, no longer "-1"."""
    rest.deploy(("discount.dmn", DMN))
    body = _evaluate(rest)
    assert body["decisionEvaluationKey"].isdigit()
    assert body["decisionInstanceKey"] == body["decisionEvaluationKey"]


def test_evaluation_gives_one_decision_instance_per_evaluated_decision(rest: Rest) -> None:
    """DecisionInstanceResult: one instance per evaluated decision, keyed
    `<decisionEvaluationKey>-<index>`, state EVALUATED, result as JSON text."""
    rest.deploy(("discount.dmn", DMN))
    evaluation = _evaluate(rest)
    key = evaluation["decisionEvaluationKey"]
    result = rest.search("decision-instances", {"filter": {"decisionEvaluationKey": key}})
    by_id = {item["decisionDefinitionId"]: item for item in result["items"]}
    assert set(by_id) == {"customer_tier", "discount"}
    discount = by_id["discount"]
    expected_keys = {e["decisionEvaluationInstanceKey"] for e in evaluation["evaluatedDecisions"]}
    assert {item["decisionEvaluationInstanceKey"] for item in result["items"]} == expected_keys
    assert discount["state"] == "EVALUATED" and discount["evaluationFailure"] is None
    assert json.loads(discount["result"]) == {"rate": 0.15, "code": "GOLD15"}
    assert discount["decisionDefinitionType"] == "DECISION_TABLE"
    assert discount["rootDecisionDefinitionKey"] == evaluation["decisionDefinitionKey"]
    assert discount["processInstanceKey"] is None
    assert discount["evaluationDate"].endswith("Z")


def test_decision_instance_get_adds_inputs_and_matched_rules(rest: Rest) -> None:
    """GET /decision-instances/{decisionEvaluationInstanceKey}: the search item plus
    evaluatedInputs and matchedRules; unknown -> 404, malformed -> 400."""
    rest.deploy(("discount.dmn", DMN))
    key = _evaluate(rest)["decisionEvaluationKey"]
    result = rest.search("decision-instances", {"filter": {"decisionDefinitionId": "discount"}})
    (item,) = result["items"]
    response = rest.get(f"/decision-instances/{item['decisionEvaluationInstanceKey']}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert {k: body[k] for k in item} == item
    (rule,) = body["matchedRules"]
    assert rule["ruleId"] == "Rule_gold_big"
    assert body["evaluatedInputs"]
    _problem(rest.get(f"/decision-instances/{key}-9"), 404)
    _problem(rest.get("/decision-instances/nope"), 400)


def test_business_rule_task_instances_name_their_process_instance(rest: Rest) -> None:
    """A business rule task's decision instances carry the process instance, element instance
    and process definition keys, so they can be searched by process instance."""
    rest.deploy(("discount.dmn", DMN), ("rules.bpmn", RULES))
    created = rest.create("rules", variables=GOLD_BUYER)
    instance = created["processInstanceKey"]
    result = rest.search("decision-instances", {"filter": {"processInstanceKey": instance}})
    assert {item["decisionDefinitionId"] for item in result["items"]} == {
        "customer_tier",
        "discount",
    }
    item = result["items"][0]
    assert item["processDefinitionKey"] == created["processDefinitionKey"]
    assert item["elementInstanceKey"].isdigit()


def test_failed_evaluation_marks_the_failed_decision(rest: Rest) -> None:
    """A failed evaluation (answered, not rejected; here the required decision's UNIQUE table
    matches two rules) gives a FAILED instance of the failing decision with the failure."""
    unique = DMN.replace(b'hitPolicy="FIRST"', b'hitPolicy="UNIQUE"', 1)
    rest.deploy(("discount.dmn", unique))
    evaluation = _evaluate(rest)
    assert evaluation["failedDecisionDefinitionId"] == "customer_tier"
    items = rest.search("decision-instances", {"filter": {"state": "FAILED"}})["items"]
    assert [item["decisionDefinitionId"] for item in items] == ["customer_tier"]
    assert items[0]["evaluationFailure"] == evaluation["failureMessage"]
    assert items[0]["decisionEvaluationKey"] == evaluation["decisionEvaluationKey"]

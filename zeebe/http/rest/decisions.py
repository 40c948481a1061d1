"""`POST /v2/decision-definitions/evaluation` (8.6+): evaluate a deployed decision, the REST face
of EvaluateDecision (same engine call and rejections). By id (`decisionDefinitionId`, latest
version) or by key (`decisionDefinitionKey`), not both: the REST schema is a oneOf. Field names
follow the REST reference: `decisionDefinition*` instead of gRPC's `decision*`, keys as strings,
`output` / `inputValue` / `outputValue` as JSON text; `decisionEvaluationKey` (8.8) and its
deprecated alias `decisionInstanceKey` are the key of the DECISION_EVALUATION record the command
DECISION_EVALUATION EVALUATE writes (zeebe/engine/processors/evaluate_decision.py); each evaluated
decision's `decisionEvaluationInstanceKey` is "<evaluation key>-<1-based index>" as in Camunda."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, jsonify

from zeebe.engine.api import Command
from zeebe.gateway.convert import evaluate_decision_response
from zeebe.http.rest.body import Body
from zeebe.http.rest.bridge import on_loop
from zeebe.http.rest.problems import ProblemError, bad_request, rejection_problem
from zeebe.readmodel.decisions import rest_decision_type
from zeebe.records import RejectionType, ValueType

NO_DECISION = "but no decision found"


def _key_text(value: Any) -> str:
    return str(value if value is not None else -1)


def _evaluated(entry: dict[str, Any], index: int, evaluation_key: str) -> dict[str, Any]:
    return {
        "decisionDefinitionId": entry.get("decisionId", ""),
        "decisionDefinitionName": entry.get("decisionName", ""),
        "decisionDefinitionVersion": entry.get("decisionVersion", -1),
        "decisionDefinitionType": rest_decision_type(entry.get("decisionType")),
        "decisionDefinitionKey": _key_text(entry.get("decisionKey")),
        "decisionEvaluationInstanceKey": f"{evaluation_key}-{index + 1}",
        "output": entry.get("decisionOutput", "null"),
        "tenantId": entry.get("tenantId", ""),
        "matchedRules": entry.get("matchedRules", []),
        "evaluatedInputs": entry.get("evaluatedInputs", []),
    }


def rest_evaluation(response: dict[str, Any]) -> dict[str, Any]:
    """The gRPC-shaped evaluation answer (JSON values already as text) in REST field names."""
    evaluation_key = _key_text(response.get("decisionInstanceKey"))
    evaluated = response.get("evaluatedDecisions", [])
    return {
        "decisionDefinitionId": response.get("decisionId", ""),
        "decisionDefinitionKey": _key_text(response.get("decisionKey")),
        "decisionDefinitionName": response.get("decisionName", ""),
        "decisionDefinitionVersion": response.get("decisionVersion", -1),
        "decisionRequirementsId": response.get("decisionRequirementsId", ""),
        "decisionRequirementsKey": _key_text(response.get("decisionRequirementsKey")),
        "output": response.get("decisionOutput", "null"),
        "failedDecisionDefinitionId": response.get("failedDecisionId") or None,
        "failureMessage": response.get("failureMessage") or None,
        "tenantId": response.get("tenantId", ""),
        "decisionEvaluationKey": evaluation_key,
        "decisionInstanceKey": evaluation_key,
        "evaluatedDecisions": [
            _evaluated(entry, index, evaluation_key) for index, entry in enumerate(evaluated)
        ],
    }


def _request_value(body: Body) -> dict[str, Any]:
    decision_id = body.string("decisionDefinitionId")
    decision_key = body.key("decisionDefinitionKey")
    if decision_id and decision_key is not None:
        raise bad_request("Only one of [decisionDefinitionId, decisionDefinitionKey] is allowed")
    if not decision_id and decision_key is None:
        raise bad_request(
            "At least one of [decisionDefinitionId, decisionDefinitionKey] is required"
        )
    return {
        "decisionId": decision_id,
        "decisionKey": decision_key if decision_key is not None else -1,
        "variables": body.document("variables"),
        "tenantId": body.tenant("Evaluate Decision"),
    }


def evaluate() -> Response:
    """200 with the evaluation (a failed evaluation is answered, not rejected, as in Zeebe).

    The engine rejects an unknown decision with INVALID_ARGUMENT as Zeebe 8.7 does; the 8.8 REST
    reference documents 404 "The decision is not found." (8.8 rejects with NOT_FOUND), so the
    REST layer answers that."""
    value = _request_value(Body.read())
    command = Command(ValueType.DECISION_EVALUATION, "EVALUATE", value)
    result = on_loop(lambda broker: broker.execute(command))
    rejection = result.rejection
    if rejection is not None and NO_DECISION in rejection.reason:
        found = replace(rejection, type=RejectionType.NOT_FOUND)
        raise ProblemError(404, RejectionType.NOT_FOUND.value, found.message())
    if rejection is not None:
        raise rejection_problem(rejection)
    return jsonify(rest_evaluation(evaluate_decision_response(result.response or {})))


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule("/decision-definitions/evaluation", view_func=evaluate, methods=["POST"])

"""Shaping of engine response dicts before they become gateway protobuf responses."""

from __future__ import annotations

import json
from typing import Any

from zeebe.feel.values import to_json_value

_DEPLOYMENT_KINDS = frozenset({"process", "decision", "decisionRequirements", "form"})


def deploy_resource_response(response: dict[str, Any]) -> dict[str, Any]:
    """`deployments` entries are a oneof; a bare process metadata dict is wrapped as `process`."""
    deployments = [
        d if _DEPLOYMENT_KINDS & d.keys() else {"process": d}
        for d in response.get("deployments", [])
    ]
    return {**response, "deployments": deployments}


def deploy_process_response(response: dict[str, Any]) -> dict[str, Any]:
    """The deprecated DeployProcess answers with `processes` instead of `deployments`."""
    deployments = deploy_resource_response(response)["deployments"]
    processes = [d["process"] for d in deployments if "process" in d]
    return {"key": response.get("key", -1), "processes": processes}


def _json_text(value: Any) -> str:
    return json.dumps(to_json_value(value))


def _evaluated_decision(entry: dict[str, Any]) -> dict[str, Any]:
    inputs = [
        {**item, "inputValue": _json_text(item.get("inputValue"))}
        for item in entry.get("evaluatedInputs", [])
    ]
    rules = [
        {
            **rule,
            "evaluatedOutputs": [
                {**output, "outputValue": _json_text(output.get("outputValue"))}
                for output in rule.get("evaluatedOutputs", [])
            ],
        }
        for rule in entry.get("matchedRules", [])
    ]
    output = _json_text(entry.get("decisionOutput"))
    return {**entry, "decisionOutput": output, "evaluatedInputs": inputs, "matchedRules": rules}


def evaluate_decision_response(response: dict[str, Any]) -> dict[str, Any]:
    """EvaluateDecisionResponse: outputs, input values and rule outputs are JSON documents as
    strings on the wire (Appendix A); FEEL values (decimals, dates) become their JSON form."""
    output = _json_text(response.get("decisionOutput"))
    evaluated = [_evaluated_decision(d) for d in response.get("evaluatedDecisions", [])]
    return {**response, "decisionOutput": output, "evaluatedDecisions": evaluated}


RESPONSE_SHAPERS = {
    "DeployResource": deploy_resource_response,
    "DeployProcess": deploy_process_response,
}

"""DMN decisions at runtime: find a deployed decision, evaluate it with `zeebe.dmn`, and shape
the result as Zeebe's DECISION_EVALUATION record value / gRPC EvaluateDecisionResponse.

Every evaluation (business rule task or EvaluateDecision) writes one DECISION_EVALUATION event
under a new key, EVALUATED or FAILED (Zeebe 8.7 DecisionBehavior / EvaluateDecisionProcessor);
its key is the response's `decisionInstanceKey`. The record holds outputs, input values and
rule outputs as JSON text, as Zeebe's exporters write them.

Lookup follows Zeebe 8.7's phrasing (spec 1.2 row 7): an unknown id fails with "Expected to
evaluate decision '<id>', but no decision found for id '<id>'"; an evaluation failure with
"Expected to evaluate decision '<id>', but <dmn-scala's message>".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from zeebe.dmn import DecisionResult, evaluate_decision
from zeebe.engine.context import Context
from zeebe.feel.values import to_json_value
from zeebe.records import ValueType
from zeebe.state import EngineState
from zeebe.state.definitions import DeployedDecision, DeployedDrg


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A decision evaluated against variables: the decision, its DRG and dmn's result."""

    decision: DeployedDecision
    drg: DeployedDrg
    result: DecisionResult

    @property
    def failure_message(self) -> str | None:
        """Zeebe's message for a failed evaluation, or None."""
        return self.result.zeebe_failure_message(self.decision.decision_id)


def not_found_message(decision_ref: str, by: str = "id") -> str:
    """Zeebe 8.7's reason when no decision matches the id (or key)."""
    found = f"no decision found for {by} '{decision_ref}'"
    return f"Expected to evaluate decision '{decision_ref}', but {found}"


def find_latest(state: EngineState, decision_id: str) -> DeployedDecision | None:
    """The latest deployed version of a decision id (bindingType `latest`)."""
    return state.definitions.decisions.latest(decision_id)


def find_in_deployment(
    state: EngineState, decision_id: str, deployment_key: int
) -> DeployedDecision | None:
    """The decision version deployed together with the process (bindingType `deployment`)."""
    for decision in state.definitions.decisions.by_key.values():
        if decision.decision_id == decision_id and decision.deployment_key == deployment_key:
            return decision
    return None


def find_by_version_tag(
    state: EngineState, decision_id: str, version_tag: str
) -> DeployedDecision | None:
    """bindingType `versionTag` (Zeebe 8.6+): the version of the decision id carrying this
    `zeebe:versionTag` (the highest one if several do), or None."""
    tagged = [
        d
        for d in state.definitions.decisions.by_key.values()
        if d.decision_id == decision_id and d.version_tag == version_tag
    ]
    return max(tagged, key=lambda d: d.version, default=None)


def version_tag_not_found_message(decision_id: str, version_tag: str) -> str:
    """Zeebe's incident text when no decision carries the version tag (DecisionBehavior)."""
    return (
        f"Expected to evaluate decision with id '{decision_id}' and version tag "
        f"'{version_tag}', but no such decision found. To resolve this incident, deploy a "
        "decision with the given id and version tag."
    )


def find_by_key(state: EngineState, decision_key: int) -> DeployedDecision | None:
    """A deployed decision by its key."""
    return state.definitions.decisions.by_key.get(decision_key)


def evaluate(
    state: EngineState, decision: DeployedDecision, variables: Mapping[str, Any], now_ms: int
) -> Evaluation:
    """Evaluate a deployed decision (its required decisions first) against the variables."""
    drg = state.definitions.drgs.by_key[decision.drg_key]
    now = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    result = evaluate_decision(drg.model, decision.decision_id, variables, now=now)
    return Evaluation(decision, drg, result)


def _decision_in_drg(state: EngineState, drg_key: int, decision_id: str) -> DeployedDecision | None:
    """The decision version deployed with this DRG version (required decisions)."""
    for decision in state.definitions.decisions.by_key.values():
        if decision.drg_key == drg_key and decision.decision_id == decision_id:
            return decision
    return None


def _evaluated(state: EngineState, evaluation: Evaluation) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for evaluated in evaluation.result.evaluated_decisions:
        known = _decision_in_drg(state, evaluation.drg.key, evaluated.decision_id)
        entries.append(
            evaluated.to_record()
            | {
                "decisionKey": known.key if known is not None else -1,
                "decisionVersion": known.version if known is not None else -1,
                "tenantId": evaluation.decision.tenant_id,
            }
        )
    return entries


def evaluation_value(state: EngineState, evaluation: Evaluation) -> dict[str, Any]:
    """DECISION_EVALUATION value (Zeebe's exporter fields); also the EvaluateDecision response
    fields except `decisionInstanceKey`. `decisionOutput` is the JSON value (the gateway
    encodes it as text)."""
    decision, drg, result = evaluation.decision, evaluation.drg, evaluation.result
    return {
        "decisionKey": decision.key,
        "decisionId": decision.decision_id,
        "decisionName": decision.name,
        "decisionVersion": decision.version,
        "decisionRequirementsId": drg.drg_id,
        "decisionRequirementsKey": drg.key,
        "decisionOutput": result.output,
        "evaluatedDecisions": _evaluated(state, evaluation),
        "failedDecisionId": result.failed_decision_id or "",
        "evaluationFailureMessage": evaluation.failure_message or "",
        "tenantId": decision.tenant_id,
    }


# the process fields of a record written by EvaluateDecision (no process involved)
NO_PROCESS: dict[str, Any] = {
    "bpmnProcessId": "",
    "processDefinitionKey": -1,
    "processInstanceKey": -1,
    "elementId": "",
    "elementInstanceKey": -1,
}


def _json_text(value: Any) -> str:
    return json.dumps(to_json_value(value))


def _evaluated_text(entry: dict[str, Any]) -> dict[str, Any]:
    """An evaluatedDecisions entry with its output, input and rule output values as JSON text."""
    inputs = [
        item | {"inputValue": _json_text(item.get("inputValue"))}
        for item in entry.get("evaluatedInputs", [])
    ]
    rules = [
        rule
        | {
            "evaluatedOutputs": [
                output | {"outputValue": _json_text(output.get("outputValue"))}
                for output in rule.get("evaluatedOutputs", [])
            ]
        }
        for rule in entry.get("matchedRules", [])
    ]
    output = _json_text(entry.get("decisionOutput"))
    return entry | {"decisionOutput": output, "evaluatedInputs": inputs, "matchedRules": rules}


def record_value(
    value: dict[str, Any], variables: Mapping[str, Any], process: Mapping[str, Any]
) -> dict[str, Any]:
    """The DECISION_EVALUATION value in Zeebe's exporter field order, from `evaluation_value`;
    `process` holds bpmnProcessId, processDefinitionKey, processInstanceKey, elementId,
    elementInstanceKey (NO_PROCESS for EvaluateDecision)."""
    head = (
        "decisionKey",
        "decisionId",
        "decisionName",
        "decisionVersion",
        "decisionRequirementsId",
        "decisionRequirementsKey",
    )
    return (
        {k: value[k] for k in head}
        | {"decisionOutput": _json_text(value["decisionOutput"]), "variables": dict(variables)}
        | {k: process[k] for k in NO_PROCESS}
        | {"evaluatedDecisions": [_evaluated_text(e) for e in value["evaluatedDecisions"]]}
        | {k: value[k] for k in ("evaluationFailureMessage", "failedDecisionId", "tenantId")}
    )


def write_evaluation(ctx: Context, evaluation: Evaluation, record: dict[str, Any]) -> int:
    """Write DECISION_EVALUATION EVALUATED (or FAILED) under a new key; returns the key."""
    key = ctx.next_key()
    intent = "FAILED" if evaluation.failure_message is not None else "EVALUATED"
    ctx.event(key, ValueType.DECISION_EVALUATION, intent, record)
    return key

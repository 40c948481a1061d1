"""EvaluateDecision and DMN deployments through pyzeebe against the real embedded engine."""

from __future__ import annotations

from pathlib import Path

import grpc
import pytest
from pyzeebe import ZeebeClient
from pyzeebe.errors import DecisionNotFoundError
from pyzeebe.grpc_internals.types import DeployResourceResponse
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.testing.harness import ZeebeTestEngine

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

DMN = Path(__file__).parents[1] / "dmn" / "fixtures" / "checkout_discount.dmn"
GOLD_BUYER = {"customer": {"orderCount": 12}, "order": {"total": 150}}


def decisions(deployed: DeployResourceResponse) -> list[DeployResourceResponse.DecisionMetadata]:
    """The decision entries of pyzeebe's deployment response."""
    return [
        d for d in deployed.deployments if isinstance(d, DeployResourceResponse.DecisionMetadata)
    ]


async def test_evaluate_decision_by_id_answers_output_and_audit(
    zeebe_client: ZeebeClient,
) -> None:
    """Spec 1.2 row 7 / Appendix A EvaluateDecisionResponse: the latest version of the id is
    evaluated (required decisions first); outputs and audit values are JSON documents."""
    deployed = await zeebe_client.deploy_resource(str(DMN))
    keys = {d.dmn_decision_id: d.decision_key for d in decisions(deployed)}
    response = await zeebe_client.evaluate_decision(None, "discount", GOLD_BUYER)
    assert response.decision_key == keys["discount"]
    assert response.decision_output == {"rate": 0.15, "code": "GOLD15"}
    assert response.failed_decision_id == "" and response.failure_message == ""
    evaluated = {d.decision_id: d for d in response.evaluated_decisions}
    assert list(evaluated) == ["customer_tier", "discount"]
    assert evaluated["customer_tier"].decision_output == "gold"
    assert evaluated["customer_tier"].evaluated_inputs[0].input_value == 12
    (rule,) = evaluated["discount"].matched_rules
    assert rule.rule_id == "Rule_gold_big"
    assert {o.output_name: o.output_value for o in rule.evaluated_outputs} == {
        "rate": 0.15,
        "code": "GOLD15",
    }


async def test_evaluate_decision_by_key(zeebe_client: ZeebeClient) -> None:
    """Spec 1.2 row 7: a decision can be named by the key DeployResource returned."""
    deployed = await zeebe_client.deploy_resource(str(DMN))
    key = next(d.decision_key for d in decisions(deployed) if d.dmn_decision_id == "customer_tier")
    response = await zeebe_client.evaluate_decision(key, None, {"customer": {"orderCount": 4}})
    assert response.decision_id == "customer_tier"
    assert response.decision_output == "silver"


async def test_unknown_decision_is_invalid_argument(zeebe_client: ZeebeClient) -> None:
    """Spec 1.2 row 7 (8.7): no decision for the id -> INVALID_ARGUMENT, which pyzeebe raises
    as DecisionNotFoundError."""
    with pytest.raises(DecisionNotFoundError):
        await zeebe_client.evaluate_decision(None, "missing", {})


async def test_deploy_resource_lists_drg_and_decisions_in_the_oneof(
    zeebe_engine: ZeebeTestEngine, anyio_backend: object
) -> None:
    """Appendix A `Deployment` oneof: a DMN file yields one `decisionRequirements` entry and one
    `decision` entry per decision, linked by the DRG key."""
    channel = grpc.aio.insecure_channel(zeebe_engine.grpc_address)
    try:
        request = pb.DeployResourceRequest(
            resources=[pb.Resource(name=DMN.name, content=DMN.read_bytes())]
        )
        response = await GatewayStub(channel).DeployResource(request)
    finally:
        await channel.close()
    kinds = [d.WhichOneof("Metadata") for d in response.deployments]
    assert sorted(kinds) == ["decision", "decision", "decision", "decisionRequirements"]
    drg = next(
        d.decisionRequirements for d in response.deployments if d.HasField("decisionRequirements")
    )
    assert drg.dmnDecisionRequirementsId == "checkout_discounts"
    decisions = [d.decision for d in response.deployments if d.HasField("decision")]
    assert {d.dmnDecisionId for d in decisions} == {"customer_tier", "discount", "discount_message"}
    assert {d.decisionRequirementsKey for d in decisions} == {drg.decisionRequirementsKey}

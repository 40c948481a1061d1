"""EvaluateDecision over gRPC writes a DECISION_EVALUATION record whose key is the answered
`decisionInstanceKey` (Zeebe 8.7 EvaluateDecisionProcessor; spec 1.2 row 7, Appendix A
`EvaluateDecisionResponse.decisionInstanceKey`)."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import grpc
import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.records import Record, RecordType, ValueType
from zeebe.testing.harness import ZeebeTestEngine

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

DMN = Path(__file__).parents[1] / "dmn" / "fixtures" / "checkout_discount.dmn"
GOLD_BUYER = {"customer": {"orderCount": 12}, "order": {"total": 150}}


async def evaluation_events(engine: ZeebeTestEngine) -> list[Record]:
    """The DECISION_EVALUATION events, waiting up to 5 s for the exporter to see them."""
    for _ in range(100):
        found = [
            r
            for r in engine.records()
            if r.value_type is ValueType.DECISION_EVALUATION and r.record_type is RecordType.EVENT
        ]
        if found:
            return found
        await anyio.sleep(0.05)
    return []


async def test_evaluate_decision_answers_the_key_of_its_evaluation_record(
    zeebe_engine: ZeebeTestEngine, anyio_backend: object
) -> None:
    """The response's decisionInstanceKey is positive and is the key of the committed
    DECISION_EVALUATION EVALUATED event, whose output is the answered output."""
    channel = grpc.aio.insecure_channel(zeebe_engine.grpc_address)
    try:
        stub = GatewayStub(channel)
        resource = pb.Resource(name=DMN.name, content=DMN.read_bytes())
        await stub.DeployResource(pb.DeployResourceRequest(resources=[resource]))
        request = pb.EvaluateDecisionRequest(
            decisionId="discount", variables=json.dumps(GOLD_BUYER)
        )
        response = await stub.EvaluateDecision(request)
    finally:
        await channel.close()
    assert response.decisionInstanceKey > 0
    (record,) = await evaluation_events(zeebe_engine)
    assert record.intent == "EVALUATED"
    assert record.key == response.decisionInstanceKey
    assert json.loads(record.value["decisionOutput"]) == json.loads(response.decisionOutput)
    assert record.value["decisionId"] == "discount"

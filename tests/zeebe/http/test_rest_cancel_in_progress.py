"""A second cancellation while the first one waits for a `canceling` user task listener job,
over REST and gRPC (camunda/camunda CancelProcessInstanceTest
shouldRejectIfProcessInstanceIsTerminating: REST 409 with "Expected to cancel a process instance
with key '<key>', but a cancel request is already in progress", gRPC FAILED_PRECONDITION)."""

from __future__ import annotations

import grpc
import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub
from rest_support import Rest
from test_rest_task_listeners import CANCELING_APPROVAL, LINT_REASON, state_of

from zeebe.runtime.node import EngineNode

pytestmark = [pytest.mark.e2e, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]


def canceling(rest: Rest) -> int:
    """An approval instance whose first cancellation waits for its canceling listener job."""
    rest.deploy(("approval.bpmn", CANCELING_APPROVAL))
    pi = int(rest.create("approval", variables={"amount": 5})["processInstanceKey"])
    assert rest.post(f"/process-instances/{pi}/cancellation").status_code == 204
    return pi


def test_a_second_cancellation_is_409_while_the_first_runs(rest: Rest) -> None:
    """REST: INVALID_STATE -> 409 problem+json carrying Zeebe's text."""
    pi = canceling(rest)
    response = rest.post(f"/process-instances/{pi}/cancellation")
    assert response.status_code == 409
    assert response.json()["detail"].endswith(
        f"Expected to cancel a process instance with key '{pi}', but a cancel request is "
        "already in progress"
    )
    (job,) = rest.activate("check")
    assert rest.post(f"/jobs/{job['jobKey']}/completion", {}).status_code == 204
    assert state_of(rest, f"/process-instances/{pi}") == "TERMINATED"


def test_a_second_cancellation_is_failed_precondition_over_grpc(
    rest: Rest, engine: EngineNode
) -> None:
    """gRPC: INVALID_STATE -> FAILED_PRECONDITION with the same text."""
    pi = canceling(rest)
    with grpc.insecure_channel(engine.grpc_address) as channel:
        request = pb.CancelProcessInstanceRequest(processInstanceKey=pi)
        with pytest.raises(grpc.RpcError) as raised:
            GatewayStub(channel).CancelProcessInstance(request, timeout=10)
    error = raised.value
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "but a cancel request is already in progress" in str(error.details())

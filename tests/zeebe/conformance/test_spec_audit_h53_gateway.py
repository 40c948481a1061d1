"""Spec audit (h53), section 1.2 and Appendix A: gateway statements no other test covered — start
instructions cannot name a sequence flow; the 8.7.10 `operationReference` fields are accepted."""

from __future__ import annotations

import grpc
import pytest
from conformance_support import Gateway, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


def one_task() -> bytes:
    return (
        ProcessBuilder("audit-gw")
        .start("start")
        .service_task("task", type="audit.gw")
        .end("end")
        .to_xml()
    )


async def test_start_instruction_cannot_name_a_sequence_flow(gateway: Gateway) -> None:
    """Spec 1.2 doc notes, CreateProcessInstance: "Start instructions have the same limitations as
    process instance modification, e.g., it is not possible to start at a sequence flow." """
    await gateway.deploy(one_task())
    flow_id = "Flow_start_task"
    assert flow_id.encode() in one_task(), "the builder's flow id changed"
    request = pb.CreateProcessInstanceRequest(
        bpmnProcessId="audit-gw",
        version=-1,
        startInstructions=[pb.ProcessInstanceCreationStartInstruction(elementId=flow_id)],
    )
    error = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert f"no element found with id '{flow_id}'" in (error.details() or "")


async def test_operation_reference_is_accepted_by_every_rpc_that_has_it(gateway: Gateway) -> None:
    """Appendix A / Appendix C 1: the 8.7.10 descriptor carries `operationReference` (optional
    uint64) on CreateProcessInstance, SetVariables, UpdateJobTimeout, UpdateJobRetries,
    ResolveIncident and CancelProcessInstance; a client that sets it gets the normal answer."""
    await gateway.deploy(one_task())
    ref = 2**63 + 7  # beyond int64: the field is an unsigned 64-bit integer
    created = await gateway.stub.CreateProcessInstance(
        pb.CreateProcessInstanceRequest(
            bpmnProcessId="audit-gw", version=-1, operationReference=ref
        )
    )
    key = created.processInstanceKey
    await gateway.stub.SetVariables(
        pb.SetVariablesRequest(elementInstanceKey=key, variables='{"a": 1}', operationReference=ref)
    )
    job = await gateway.activate_one("audit.gw")
    await gateway.stub.UpdateJobTimeout(
        pb.UpdateJobTimeoutRequest(jobKey=job.key, timeout=5000, operationReference=ref)
    )
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
    incident = gateway.wait_incident(key)
    await gateway.stub.UpdateJobRetries(
        pb.UpdateJobRetriesRequest(jobKey=job.key, retries=1, operationReference=ref)
    )
    await gateway.stub.ResolveIncident(
        pb.ResolveIncidentRequest(incidentKey=incident.key, operationReference=ref)
    )
    await gateway.stub.CancelProcessInstance(
        pb.CancelProcessInstanceRequest(processInstanceKey=key, operationReference=ref)
    )
    gateway.engine.assert_that(key).is_terminated()

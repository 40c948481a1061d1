"""Spec audit (h53), section 1.2 and Appendix A: gateway statements no other test covered — start
instructions cannot name a sequence flow; the 8.7.10 `operationReference` fields are accepted;
requestTimeout 0 means the gateway default, not "no waiting"."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import grpc
import pytest
from conformance_support import Gateway, rpc_error
from pyzeebe import create_insecure_channel
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


async def test_request_timeout_zero_long_polls_with_the_default(gateway: Gateway) -> None:
    """Spec 2.2 [P]: "if the requestTimeout = 0, a default timeout is used" (spec 1.1: long
    polling enabled, default 10 000 ms) — the request stays open, then is answered by the first
    job that becomes available."""
    await gateway.deploy(one_task())
    request = pb.ActivateJobsRequest(
        type="audit.gw", worker="w", timeout=1000, maxJobsToActivate=1, requestTimeout=0
    )
    poll = asyncio.ensure_future(_drain(gateway.stub.ActivateJobs(request)))
    await asyncio.sleep(1.0)
    assert not poll.done(), "requestTimeout=0 must long-poll, not return at once"
    key = await gateway.start("audit-gw")
    (response,) = await asyncio.wait_for(poll, 5)
    assert [job.processInstanceKey for job in response.jobs] == [key]


async def test_with_result_request_timeout_zero_waits_for_completion(gateway: Gateway) -> None:
    """Spec 1.2 #6: CreateProcessInstanceWithResult "requestTimeout(ms; 0 = gateway default)" —
    with 0 the call does not time out at once but answers when the instance completes."""
    await gateway.deploy(one_task())
    request = pb.CreateProcessInstanceWithResultRequest(
        request=pb.CreateProcessInstanceRequest(
            bpmnProcessId="audit-gw", version=-1, variables=json.dumps({"n": 1})
        ),
        requestTimeout=0,
    )
    call = asyncio.ensure_future(gateway.stub.CreateProcessInstanceWithResult(request))
    job = await gateway.activate_one("audit.gw", request_timeout_ms=5000)
    await asyncio.sleep(0.5)
    assert not call.done()
    await gateway.complete(job, {"n": 2})
    response = await asyncio.wait_for(call, 5)
    assert json.loads(response.variables) == {"n": 2}


async def _drain(stream: AsyncIterator[pb.ActivateJobsResponse]) -> list[pb.ActivateJobsResponse]:
    return [response async for response in stream]


async def test_redeploying_an_older_model_is_a_new_version(gateway: Gateway) -> None:
    """Appendix B: a process is a duplicate iff checksum and name equal "the **latest** deployed
    version's; otherwise version = latest + 1" — going back to the v1 model after v2 makes v3,
    with a new key."""
    v1_xml = one_task()
    v2_xml = (
        ProcessBuilder("audit-gw")
        .start("start")
        .service_task("task", type="audit.gw2")
        .end("end")
        .to_xml()
    )
    v1 = (await gateway.deploy(v1_xml, names=["gw.bpmn"])).deployments[0].process
    await gateway.deploy(v2_xml, names=["gw.bpmn"])
    v3 = (await gateway.deploy(v1_xml, names=["gw.bpmn"])).deployments[0].process
    assert v3.version == 3
    assert v3.processDefinitionKey != v1.processDefinitionKey


def _string_field(number: int, text: str) -> bytes:
    """A length-delimited protobuf field (wire type 2) the 8.7.10 descriptor does not know."""
    data = text.encode()
    assert len(data) < 128  # one-byte length
    return bytes([(number << 3) | 2, len(data)]) + data


async def test_fields_of_newer_clients_are_ignored(gateway: Gateway) -> None:
    """Spec 1.3: "Unknown protobuf fields are ignored by both sides, so an engine built from the
    8.7.10 stubs interoperates with newer clients" — e.g. CreateProcessInstanceRequest.tags(9)
    and CompleteJobRequest.result(3) sent by an 8.8+ client."""
    await gateway.deploy(one_task())
    channel = create_insecure_channel(grpc_address=gateway.engine.grpc_address)
    try:
        await _newer_client_calls(gateway, channel)
    finally:
        await channel.close()


async def _newer_client_calls(gateway: Gateway, channel: grpc.aio.Channel) -> None:
    create = channel.unary_unary(
        "/gateway_protocol.Gateway/CreateProcessInstance",
        request_serializer=lambda raw: raw,
        response_deserializer=pb.CreateProcessInstanceResponse.FromString,
    )
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="audit-gw", version=-1)
    created = await create(request.SerializeToString() + _string_field(9, "tag:one"))
    job = await gateway.activate_one("audit.gw")
    assert job.processInstanceKey == created.processInstanceKey
    complete = channel.unary_unary(
        "/gateway_protocol.Gateway/CompleteJob",
        request_serializer=lambda raw: raw,
        response_deserializer=pb.CompleteJobResponse.FromString,
    )
    body = pb.CompleteJobRequest(jobKey=job.key, variables="{}").SerializeToString()
    await complete(body + bytes([(3 << 3) | 2, 0]))  # an empty JobResult message
    gateway.engine.assert_that(created.processInstanceKey).is_completed()

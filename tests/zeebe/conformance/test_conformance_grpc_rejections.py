"""More documented rejections: documents that are not objects, jobs in back-off, incidents
already resolved, finished scopes, tenants (spec 1.1, 1.2, 2.4, 2.5, 5.5)."""

from __future__ import annotations

import grpc
import pytest
from conformance_support import Gateway, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import Message, ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

ONE_TASK = ProcessBuilder("conf-rej").start().service_task("t", type="conf.rej").end().to_xml()


async def active_job(gateway: Gateway) -> pb.ActivatedJob:
    await gateway.deploy(ONE_TASK)
    await gateway.start("conf-rej")
    return await gateway.activate_one("conf.rej")


@pytest.mark.parametrize("rpc", ["CompleteJob", "FailJob", "ThrowError"])
async def test_job_variables_must_be_a_json_object(gateway: Gateway, rpc: str) -> None:
    """Spec 1.1: "documents must be JSON objects at the root ("[{ "a": 1 }] would not be a valid
    argument")"; bad JSON -> INVALID_ARGUMENT."""
    job = await active_job(gateway)
    requests = {
        "CompleteJob": pb.CompleteJobRequest(jobKey=job.key, variables="[1]"),
        "FailJob": pb.FailJobRequest(jobKey=job.key, retries=1, variables="[1]"),
        "ThrowError": pb.ThrowErrorRequest(jobKey=job.key, errorCode="E", variables="[1]"),
    }
    error = await rpc_error(getattr(gateway.stub, rpc)(requests[rpc]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_publish_variables_must_be_a_json_object(gateway: Gateway) -> None:
    """Spec 1.1: JSON payloads "must be JSON objects at the root"."""
    request = pb.PublishMessageRequest(name="m", correlationKey="k", variables="[]")
    error = await rpc_error(gateway.stub.PublishMessage(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_job_in_back_off_cannot_be_completed_or_failed(gateway: Gateway) -> None:
    """Spec 2.4: CompleteJob FAILED_PRECONDITION "if FAILED (no retries / in backoff)"; spec 2.5
    "FailJob accepted only in ACTIVATABLE/ACTIVATED"."""
    job = await active_job(gateway)
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=2, retryBackOff=10_000))
    complete = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)))
    fail = await rpc_error(gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=1)))
    assert complete.code() == fail.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_resolved_incident_cannot_be_resolved_again(gateway: Gateway) -> None:
    """Spec 1.2 #13: "NOT_FOUND: no incident" once it is resolved."""
    job = await active_job(gateway)
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
    incident = gateway.wait_incident(job.processInstanceKey)
    await gateway.stub.UpdateJobRetries(pb.UpdateJobRetriesRequest(jobKey=job.key, retries=1))
    await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
    again = await rpc_error(
        gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
    )
    assert again.code() == grpc.StatusCode.NOT_FOUND


async def test_set_variables_on_a_finished_instance_is_not_found(gateway: Gateway) -> None:
    """Spec 1.2 #14 SetVariables: "NOT_FOUND: no element instance" (finished instances are
    removed)."""
    await gateway.deploy(ProcessBuilder("conf-done").start().end().to_xml())
    key = await gateway.start("conf-done")
    gateway.engine.assert_that(key).is_completed()
    request = pb.SetVariablesRequest(elementInstanceKey=key, variables='{"a": 1}')
    error = await rpc_error(gateway.stub.SetVariables(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_message_id_stays_taken_after_correlation_while_buffered(gateway: Gateway) -> None:
    """Spec 5.5: rejected "if a message with the same name, the same correlation key, and the same
    ID is already buffered"; a correlated message stays buffered until its TTL ends."""
    xml = ProcessBuilder("conf-rej").start().intermediate_catch("c", event=Message("m", "= k"))
    await gateway.deploy(xml.end().to_xml())
    key = await gateway.start("conf-rej", {"k": "a"})
    await gateway.publish("m", "a", ttl_ms=60_000, message_id="id-1")
    gateway.engine.assert_that(key).is_completed()
    error = await rpc_error(gateway.publish("m", "a", ttl_ms=60_000, message_id="id-1"))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS


@pytest.mark.parametrize(
    ("rpc", "status"),
    [
        ("PublishMessage", grpc.StatusCode.NOT_FOUND),
        ("DeployResource", grpc.StatusCode.INVALID_ARGUMENT),
        ("BroadcastSignal", grpc.StatusCode.NOT_FOUND),
    ],
)
async def test_foreign_tenant_is_rejected_without_multi_tenancy(
    gateway: Gateway, rpc: str, status: grpc.StatusCode
) -> None:
    """Spec 1.1: "request tenantId/tenantIds must be empty or <default> (else INVALID_ARGUMENT /
    NOT_FOUND per RPC, see docs)" with multi-tenancy disabled; rows 12 and 21 (PublishMessage,
    BroadcastSignal): "Tenant rules -> NOT_FOUND/PERMISSION_DENIED (as documented)"."""
    requests = {
        "PublishMessage": pb.PublishMessageRequest(name="m", correlationKey="k", tenantId="acme"),
        "DeployResource": pb.DeployResourceRequest(
            resources=[pb.Resource(name="a.bpmn", content=ONE_TASK)], tenantId="acme"
        ),
        "BroadcastSignal": pb.BroadcastSignalRequest(signalName="s", tenantId="acme"),
    }
    error = await rpc_error(getattr(gateway.stub, rpc)(requests[rpc]))
    assert error.code() == status

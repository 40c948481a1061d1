"""The gateway's own checks against the "Errors" sections of the Zeebe API (gRPC) reference.

Source: docs.camunda.io apis-tools/zeebe-api/gateway-service (8.7 and 8.8 read the same for these
RPCs), spec 1.1/1.2; message texts from Zeebe's gateway (`RequestMapper.ensureTenantIdSet`,
`InvalidTenantRequestException`, `StreamJobsHandler`) and broker (`JobBatchActivateProcessor`).
The engine behind the gateway is the fake: these requests never reach it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from pyzeebe import create_insecure_channel
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.testing.harness import EmbeddedZeebe

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

BPMN = (
    b'<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="x" xmlns:zeebe="z">'
    b'<bpmn:process id="order" isExecutable="true"><bpmn:serviceTask id="pay">'
    b'<bpmn:extensionElements><zeebe:taskDefinition type="pay"/></bpmn:extensionElements>'
    b"</bpmn:serviceTask></bpmn:process></bpmn:definitions>"
)
DISABLED = "but multi-tenancy is disabled"


@pytest.fixture
async def stub(embedded_zeebe: EmbeddedZeebe, anyio_backend: object) -> AsyncIterator[GatewayStub]:
    channel = create_insecure_channel(grpc_address=embedded_zeebe.grpc_address)
    try:
        yield GatewayStub(channel)
    finally:
        await channel.close()


async def status_of(call: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def drained(call: AsyncIterator[object]) -> list[object]:
    return [item async for item in call]


@pytest.mark.parametrize("rpc", ["PublishMessage", "BroadcastSignal"])
async def test_foreign_tenant_on_message_and_signal_is_not_found(
    stub: GatewayStub, rpc: str
) -> None:
    """PublishMessage and BroadcastSignal, GRPC_STATUS_NOT_FOUND: "If multi-tenancy is disabled,
    and `tenantId` is not blank (empty string, null), or has an ID other than `<default>`" (the
    other RPCs list the same condition under INVALID_ARGUMENT)."""
    requests = {
        "PublishMessage": pb.PublishMessageRequest(name="m", correlationKey="k", tenantId="acme"),
        "BroadcastSignal": pb.BroadcastSignalRequest(signalName="s", tenantId="acme"),
    }
    error = await status_of(getattr(stub, rpc)(requests[rpc]))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert error.details() == (
        f"Expected to handle gRPC request {rpc} with tenant identifier 'acme', {DISABLED}"
    )


async def test_blank_tenant_id_is_the_default_tenant(stub: GatewayStub) -> None:
    """Errors sections: only a tenantId that "is not blank (empty string, null), or has an ID other
    than `<default>`" is refused; Zeebe tests with `StringUtils.isBlank`, so whitespace is blank."""
    deploy = pb.DeployResourceRequest(resources=[pb.Resource(name="o.bpmn", content=BPMN)])
    deploy.tenantId = "  "
    assert (await stub.DeployResource(deploy)).tenantId == "<default>"
    publish = pb.PublishMessageRequest(name="m", correlationKey="k", tenantId=" ")
    assert (await stub.PublishMessage(publish)).tenantId == "<default>"


async def test_activation_names_the_first_foreign_tenant(stub: GatewayStub) -> None:
    """ActivateJobs, INVALID_ARGUMENT: "If multi-tenancy is disabled, and `tenantIds` ... has an ID
    other than `<default>`"; each id is checked on its own (`ensureTenantIdsSet`)."""
    request = pb.ActivateJobsRequest(
        type="pay", worker="w", timeout=1000, maxJobsToActivate=1, tenantIds=["<default>", "acme"]
    )
    error = await status_of(drained(stub.ActivateJobs(request)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == (
        f"Expected to handle gRPC request ActivateJobs with tenant identifier 'acme', {DISABLED}"
    )


@pytest.mark.parametrize(
    ("job_type", "timeout", "max_jobs", "reason"),
    [
        ("pay", 1000, 0, "max jobs to activate to be greater than zero, but it was '0'"),
        ("pay", 0, 1, "timeout to be greater than zero, but it was '0'"),
        ("", 1000, 1, "type to be present, but it was blank"),
    ],
    ids=["max-jobs", "timeout", "type"],
)
async def test_activate_jobs_field_errors_carry_the_brokers_rejection(
    stub: GatewayStub, job_type: str, timeout: int, max_jobs: int, reason: str
) -> None:
    """ActivateJobs, INVALID_ARGUMENT: "Type is blank", "Timeout less than 1 (ms)",
    "maxJobsToActivate is less than 1"; the text is the broker's JOB_BATCH ACTIVATE rejection as
    the gateway relays rejections (spec 1.1 "Command '<intent>' rejected with code ...")."""
    request = pb.ActivateJobsRequest(
        type=job_type, worker="w", timeout=timeout, maxJobsToActivate=max_jobs
    )
    error = await status_of(drained(stub.ActivateJobs(request)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == (
        "Command 'ACTIVATE' rejected with code 'INVALID_ARGUMENT': "
        f"Expected to activate job batch with {reason}"
    )


@pytest.mark.parametrize(
    ("job_type", "timeout", "reason"),
    [("pay", -5, "timeout to be greater than zero, but it was -5"), (" ", 1000, "type to be ")],
    ids=["timeout", "type"],
)
async def test_stream_field_errors_use_the_gateways_texts(
    stub: GatewayStub, job_type: str, timeout: int, reason: str
) -> None:
    """StreamActivatedJobs, INVALID_ARGUMENT: "Type is blank", "Timeout less than 1 (ms)"."""
    request = pb.StreamActivatedJobsRequest(type=job_type, worker="w", timeout=timeout)
    error = await status_of(drained(stub.StreamActivatedJobs(request)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details().startswith(f"Expected to stream activated jobs with {reason}")


async def test_stream_checks_tenants_before_fields(stub: GatewayStub) -> None:
    """StreamActivatedJobs, INVALID_ARGUMENT: "If multi-tenancy is disabled, and `tenantIds` ...
    has an ID other than `<default>`"; Zeebe maps the tenants before the handler checks fields."""
    request = pb.StreamActivatedJobsRequest(type="", worker="w", timeout=0, tenantIds=["acme"])
    error = await status_of(drained(stub.StreamActivatedJobs(request)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "tenant identifier 'acme'" in error.details()

"""Every gateway RPC over real gRPC with pyzeebe's generated stubs and client (spec section 1).

The engine behind the gateway is the fake (tests/zeebe/gateway/conftest.py), so these tests pin
what the gateway itself owns: request translation, validation, status codes, long polling and
streaming, health. BPMN behaviour is covered by the compat suites on the real engine.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pyzeebe import ZeebeClient, ZeebeTaskRouter, create_insecure_channel
from pyzeebe.errors import (
    DecisionNotFoundError,
    MessageAlreadyExistsError,
    ProcessDefinitionNotFoundError,
    ProcessInstanceNotFoundError,
    ProcessTimeoutError,
)
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.engine.api import Command, CommandResult
from zeebe.records import ValueType
from zeebe.testing.fake_engine import FakeEngine
from zeebe.testing.harness import EmbeddedZeebe

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

BPMN = (
    b'<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="x" xmlns:zeebe="z">'
    b'<bpmn:process id="order" isExecutable="true"><bpmn:serviceTask id="pay">'
    b'<bpmn:extensionElements><zeebe:taskDefinition type="pay"/></bpmn:extensionElements>'
    b"</bpmn:serviceTask></bpmn:process></bpmn:definitions>"
)


@pytest.fixture
async def stub(embedded_zeebe: EmbeddedZeebe, anyio_backend: object) -> AsyncIterator[GatewayStub]:
    channel = create_insecure_channel(grpc_address=embedded_zeebe.grpc_address)
    try:
        yield GatewayStub(channel)
    finally:
        await channel.close()


async def deploy(stub: GatewayStub) -> pb.DeployResourceResponse:
    request = pb.DeployResourceRequest(resources=[pb.Resource(name="order.bpmn", content=BPMN)])
    return await stub.DeployResource(request)


async def start_instance(stub: GatewayStub, variables: str = "{}") -> int:
    request = pb.CreateProcessInstanceRequest(
        bpmnProcessId="order", version=-1, variables=variables
    )
    response = await stub.CreateProcessInstance(request)
    return int(response.processInstanceKey)


async def activate(stub: GatewayStub, *, request_timeout: int = -1) -> list[pb.ActivatedJob]:
    request = pb.ActivateJobsRequest(
        type="pay", worker="t", timeout=30_000, maxJobsToActivate=10, requestTimeout=request_timeout
    )
    return [job async for response in stub.ActivateJobs(request) for job in response.jobs]


async def status_of(call: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def test_topology_describes_one_healthy_leader(zeebe_client: ZeebeClient) -> None:
    """Spec 1.1: single broker nodeId 0, partition 1 LEADER HEALTHY, gateway 8.7.0."""
    topology = await zeebe_client.topology()
    assert (topology.cluster_size, topology.partitions_count, topology.replication_factor) == (
        1,
        1,
        1,
    )
    assert topology.gateway_version == "8.7.0"
    (broker,) = topology.brokers
    assert broker.node_id == 0
    assert [(p.partition_id, p.role.name, p.health.name) for p in broker.partitions] == [
        (1, "LEADER", "HEALTHY")
    ]


async def test_health_service_serves_gateway_and_overall(embedded_zeebe: EmbeddedZeebe) -> None:
    """Spec 1.1: grpc.health.v1 SERVING for '' and 'gateway_protocol.Gateway'."""
    channel = create_insecure_channel(grpc_address=embedded_zeebe.grpc_address)
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "gateway_protocol.Gateway"):
        response = await health.Check(health_pb2.HealthCheckRequest(service=service))
        assert response.status == health_pb2.HealthCheckResponse.SERVING
    await channel.close()


async def test_deploy_resource_returns_process_metadata(
    zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """DeployResource answers with the deployed process and the default tenant."""
    path = tmp_path / "order.bpmn"
    path.write_bytes(BPMN)
    response = await zeebe_client.deploy_resource(str(path))
    (process,) = response.deployments
    assert (process.bpmn_process_id, process.version, process.tenant_id) == (
        "order",
        1,
        "<default>",
    )


async def test_deprecated_deploy_process_still_answers(stub: GatewayStub) -> None:
    """Spec 1.2 row 8: DeployProcess (deprecated) returns processes metadata."""
    request = pb.DeployProcessRequest(
        processes=[pb.ProcessRequestObject(name="order.bpmn", definition=BPMN)]
    )
    response = await stub.DeployProcess(request)
    assert [p.bpmnProcessId for p in response.processes] == ["order"]


async def test_unknown_process_is_not_found_for_pyzeebe(zeebe_client: ZeebeClient) -> None:
    """Spec 1.4: NOT_FOUND on CreateProcessInstance -> ProcessDefinitionNotFoundError."""
    with pytest.raises(ProcessDefinitionNotFoundError):
        await zeebe_client.run_process("missing")


async def test_instance_runs_to_completion_with_a_polling_worker(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """A pyzeebe worker activates (long polling), completes; the result carries its variables."""
    router = ZeebeTaskRouter()

    @router.task("pay")
    async def pay(amount: int) -> dict[str, object]:
        return {"paid": amount}

    embedded_zeebe.worker(router, poll_retry_delay=0)
    await deploy_with(zeebe_client, tmp_path)
    result = await zeebe_client.run_process_with_result("order", {"amount": 5}, timeout=5000)
    assert result.variables == {"amount": 5, "paid": 5}


async def test_instance_runs_to_completion_with_a_streaming_worker(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """Spec 2.7: with stream_enabled=True jobs are pushed on StreamActivatedJobs."""
    router = ZeebeTaskRouter()

    @router.task("pay")
    async def pay() -> dict[str, object]:
        return {"done": True}

    await deploy_with(zeebe_client, tmp_path)
    embedded_zeebe.worker(router, stream_enabled=True, poll_retry_delay=0)
    result = await zeebe_client.run_process_with_result("order", {}, timeout=5000)
    assert result.variables == {"done": True}


async def deploy_with(client: ZeebeClient, directory: Path) -> None:
    path = directory / "order.bpmn"
    path.write_bytes(BPMN)
    await client.deploy_resource(str(path))


async def test_with_result_times_out_with_deadline_exceeded(
    zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """Spec 1.2 row 6: DEADLINE_EXCEEDED when the instance does not end -> ProcessTimeoutError."""
    await deploy_with(zeebe_client, tmp_path)
    with pytest.raises(ProcessTimeoutError):
        await zeebe_client.run_process_with_result("order", {}, timeout=200)


async def test_cancel_of_unknown_instance_is_not_found(zeebe_client: ZeebeClient) -> None:
    """Spec 1.2 row 3: NOT_FOUND -> ProcessInstanceNotFoundError."""
    with pytest.raises(ProcessInstanceNotFoundError):
        await zeebe_client.cancel_process_instance(2251799813685999)


async def test_cancel_of_running_instance_succeeds(stub: GatewayStub) -> None:
    """CancelProcessInstance answers an empty response for a live instance."""
    await deploy(stub)
    key = await start_instance(stub)
    await stub.CancelProcessInstance(pb.CancelProcessInstanceRequest(processInstanceKey=key))
    error = await status_of(
        stub.CancelProcessInstance(pb.CancelProcessInstanceRequest(processInstanceKey=key))
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_duplicate_message_id_is_already_exists(zeebe_client: ZeebeClient) -> None:
    """Spec 1.2 row 12: same messageId while alive -> ALREADY_EXISTS (MessageAlreadyExistsError)."""
    await zeebe_client.publish_message("paid", "c-1", message_id="m-1")
    with pytest.raises(MessageAlreadyExistsError):
        await zeebe_client.publish_message("paid", "c-1", message_id="m-1")


async def test_broadcast_signal_answers_with_a_key(zeebe_client: ZeebeClient) -> None:
    """BroadcastSignal returns the signal key and default tenant."""
    response = await zeebe_client.broadcast_signal("stop")
    assert response.key > 0 and response.tenant_id == "<default>"


async def test_evaluate_decision_reports_no_decision(zeebe_client: ZeebeClient) -> None:
    """DMN unsupported: answered like 8.7 for an unknown decision -> DecisionNotFoundError."""
    with pytest.raises(DecisionNotFoundError):
        await zeebe_client.evaluate_decision(None, "risk")  # type: ignore[arg-type]


async def test_migrate_is_unimplemented(stub: GatewayStub) -> None:
    """Engines without migration (this suite runs on the fake engine) answer
    MigrateProcessInstance with UNIMPLEMENTED and a clear message; the real engine migrates
    (tests/zeebe/gateway/test_migration_grpc.py)."""
    error = await status_of(
        stub.MigrateProcessInstance(pb.MigrateProcessInstanceRequest(processInstanceKey=1))
    )
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "not supported" in (error.details() or "")


async def test_modify_and_delete_are_unimplemented_when_the_engine_lacks_them(
    stub: GatewayStub,
) -> None:
    """Commands the engine does not support surface as UNIMPLEMENTED, not INVALID_ARGUMENT."""
    calls = [
        stub.ModifyProcessInstance(pb.ModifyProcessInstanceRequest(processInstanceKey=1)),
        stub.DeleteResource(pb.DeleteResourceRequest(resourceKey=1)),
    ]
    for call in calls:
        error = await status_of(call)
        assert error.code() == grpc.StatusCode.UNIMPLEMENTED
        assert "not supported by the embedded engine" in (error.details() or "")


async def test_job_lifecycle_rpcs_and_their_status_codes(
    stub: GatewayStub, embedded_zeebe: EmbeddedZeebe
) -> None:
    """Complete/Fail/UpdateRetries/UpdateTimeout/ResolveIncident map rejections per spec 1.1."""
    await deploy(stub)
    await start_instance(stub)
    (job,) = await activate(stub)
    await stub.UpdateJobTimeout(pb.UpdateJobTimeoutRequest(jobKey=job.key, timeout=60_000))
    await stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0, errorMessage="boom"))
    error = await status_of(stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error.details().startswith("Command 'COMPLETE' rejected with code 'INVALID_STATE'")
    bad_retries = await status_of(
        stub.UpdateJobRetries(pb.UpdateJobRetriesRequest(jobKey=job.key, retries=0))
    )
    assert bad_retries.code() == grpc.StatusCode.INVALID_ARGUMENT
    await stub.UpdateJobRetries(pb.UpdateJobRetriesRequest(jobKey=job.key, retries=2))
    incident_key = _incident_key(embedded_zeebe, job.key)
    await stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident_key))
    (again,) = await activate(stub)
    await stub.CompleteJob(pb.CompleteJobRequest(jobKey=again.key, variables='{"ok": true}'))
    gone = await status_of(stub.CompleteJob(pb.CompleteJobRequest(jobKey=again.key)))
    assert gone.code() == grpc.StatusCode.NOT_FOUND


def _incident_key(engine: EmbeddedZeebe, job_key: int) -> int:
    # The incident key is not part of any gRPC response; the harness exposes the records.
    return next(
        r.key
        for r in engine.records()
        if r.value_type.value == "INCIDENT" and r.value.get("jobKey") == job_key
    )


async def test_throw_error_without_catch_event_raises_incident(
    stub: GatewayStub, embedded_zeebe: EmbeddedZeebe
) -> None:
    """ThrowError is accepted; unknown job -> NOT_FOUND."""
    await deploy(stub)
    key = await start_instance(stub)
    (job,) = await activate(stub)
    await stub.ThrowError(pb.ThrowErrorRequest(jobKey=job.key, errorCode="DECLINED"))
    embedded_zeebe.assert_that(key).has_incident("DECLINED")
    error = await status_of(stub.ThrowError(pb.ThrowErrorRequest(jobKey=1, errorCode="X")))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_set_variables_answers_with_a_key(stub: GatewayStub) -> None:
    """SetVariables merges into a scope and returns the command key; unknown scope NOT_FOUND."""
    await deploy(stub)
    key = await start_instance(stub)
    request = pb.SetVariablesRequest(elementInstanceKey=key, variables='{"a": 1}', local=True)
    assert (await stub.SetVariables(request)).key > 0
    missing = pb.SetVariablesRequest(elementInstanceKey=7, variables="{}")
    assert (await status_of(stub.SetVariables(missing))).code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize(
    ("variables", "kind"), [("[]", "ARRAY"), ("1", "INTEGER"), ('"x"', "STRING")]
)
async def test_variables_must_be_a_json_object(
    stub: GatewayStub, variables: str, kind: str
) -> None:
    """Spec 1.1: documents must be JSON objects at the root -> INVALID_ARGUMENT."""
    error = await status_of(stub.CompleteJob(pb.CompleteJobRequest(jobKey=1, variables=variables)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == (
        "Property 'variables' is invalid: Expected document to be a root level object, "
        f"but was '{kind}'"
    )


async def test_malformed_json_is_invalid_argument(stub: GatewayStub) -> None:
    """Bad JSON -> INVALID_ARGUMENT (spec 1.1 'bad JSON')."""
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="order", version=-1, variables="{")
    error = await status_of(stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_foreign_tenant_is_rejected_with_multi_tenancy_disabled(stub: GatewayStub) -> None:
    """Spec 1.1: tenant must be empty or <default>; Zeebe's InvalidTenantRequestException text."""
    request = pb.DeployResourceRequest(
        resources=[pb.Resource(name="order.bpmn", content=BPMN)], tenantId="acme"
    )
    error = await status_of(stub.DeployResource(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == (
        "Expected to handle gRPC request DeployResource with tenant identifier 'acme', "
        "but multi-tenancy is disabled"
    )
    ok = pb.DeployResourceRequest(
        resources=[pb.Resource(name="order.bpmn", content=BPMN)], tenantId="<default>"
    )
    assert (await stub.DeployResource(ok)).tenantId == "<default>"


@pytest.mark.parametrize(
    ("job_type", "timeout", "max_jobs"), [(" ", 1000, 1), ("pay", 0, 1), ("pay", 1000, 0)]
)
async def test_activate_jobs_validates_its_request(
    stub: GatewayStub, job_type: str, timeout: int, max_jobs: int
) -> None:
    """Spec 1.2 row 1: blank type, timeout < 1, maxJobsToActivate < 1 -> INVALID_ARGUMENT."""
    request = pb.ActivateJobsRequest(
        type=job_type, worker="w", timeout=timeout, maxJobsToActivate=max_jobs
    )
    error = await status_of(_drain(stub.ActivateJobs(request)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize("worker", ["", "  "])
async def test_activate_jobs_rejects_a_blank_worker(stub: GatewayStub, worker: str) -> None:
    """Spec 1.2 row 1 and the gRPC reference's ActivateJobs errors: "worker is blank (empty
    string, null)" -> INVALID_ARGUMENT, with the broker's text. (Zeebe's broker accepts it since
    camunda/camunda#5930; the spec is followed.)"""
    await deploy(stub)
    await start_instance(stub)
    request = pb.ActivateJobsRequest(
        type="pay", worker=worker, timeout=30_000, maxJobsToActivate=1, requestTimeout=-1
    )
    error = await status_of(_drain(stub.ActivateJobs(request)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == (
        "Command 'ACTIVATE' rejected with code 'INVALID_ARGUMENT': Expected to activate job "
        "batch with worker to be present, but it was blank"
    )


async def _drain(call: AsyncIterator[object]) -> list[object]:
    return [item async for item in call]


async def test_empty_long_poll_completes_ok_without_responses(stub: GatewayStub) -> None:
    """Spec 2.2: on long-poll timeout the stream completes with OK and zero responses."""
    started = time.monotonic()
    jobs = await activate(stub, request_timeout=300)
    elapsed = time.monotonic() - started
    assert jobs == []
    assert 0.25 <= elapsed < 2


async def test_negative_request_timeout_disables_long_polling(stub: GatewayStub) -> None:
    """Spec 2.2: requestTimeout < 0 -> completed immediately even without jobs."""
    started = time.monotonic()
    assert await activate(stub, request_timeout=-1) == []
    assert time.monotonic() - started < 2  # a long poll would park for 10 s (slack: loaded CI)


async def test_long_poll_is_woken_by_a_new_job(stub: GatewayStub) -> None:
    """Spec 2.2: a parked request completes when a job of its type becomes activatable."""
    await deploy(stub)
    poll = asyncio.ensure_future(activate(stub, request_timeout=10_000))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    key = await start_instance(stub, '{"n": 1}')
    (job,) = await poll
    assert time.monotonic() - started < 5  # not the 10 s request timeout (slack: loaded CI)
    assert job.processInstanceKey == key
    assert json.loads(job.variables) == {"n": 1}
    assert json.loads(job.customHeaders) == {}


async def test_stream_activated_jobs_pushes_new_jobs(stub: GatewayStub) -> None:
    """Spec 2.7: a job made activatable is activated for the stream's worker and pushed."""
    await deploy(stub)
    request = pb.StreamActivatedJobsRequest(type="pay", worker="streamer", timeout=10_000)
    call = stub.StreamActivatedJobs(request)
    await asyncio.sleep(0.1)
    await start_instance(stub)
    job = await asyncio.wait_for(call.read(), 2)
    call.cancel()
    assert job.worker == "streamer" and job.type == "pay"


async def test_stream_request_is_validated(stub: GatewayStub) -> None:
    """Spec 1.2 row 2: blank type or timeout < 1 -> INVALID_ARGUMENT."""
    call = stub.StreamActivatedJobs(pb.StreamActivatedJobsRequest(type="", timeout=1))
    assert (await status_of(_drain(call))).code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_messages_over_4mb_are_refused(stub: GatewayStub) -> None:
    """Spec 1.1: default max message size 4 MB."""
    big = json.dumps({"blob": "x" * (4 * 1024 * 1024)})
    error = await status_of(stub.PublishMessage(pb.PublishMessageRequest(name="m", variables=big)))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


class ExplodingEngine(FakeEngine):
    """Raises on BroadcastSignal: stands in for an engine bug."""

    def process(self, command: Command) -> CommandResult:
        if command.value_type is ValueType.SIGNAL:
            raise KeyError("boom")
        return super().process(command)


async def test_engine_bug_is_internal_and_the_gateway_keeps_serving(anyio_backend: object) -> None:
    """Spec 1.1: unexpected failures -> INTERNAL 'Unexpected error occurred ...'; pyzeebe sees
    ZeebeInternalError; other requests still work."""
    engine = EmbeddedZeebe(ExplodingEngine)
    channel = create_insecure_channel(grpc_address=engine.grpc_address)
    try:
        stub = GatewayStub(channel)
        error = await status_of(stub.BroadcastSignal(pb.BroadcastSignalRequest(signalName="s")))
        assert error.code() == grpc.StatusCode.INTERNAL
        assert "Unexpected error occurred during the request processing" in (error.details() or "")
        assert (await stub.Topology(pb.TopologyRequest())).clusterSize == 1
        await deploy(stub)
    finally:
        await channel.close()
        engine.close()


async def test_shutdown_ends_parked_long_polls_cleanly(anyio_backend: object) -> None:
    """Clean shutdown: a parked ActivateJobs completes OK (no jobs) instead of being cut off."""
    engine = EmbeddedZeebe(FakeEngine)
    channel = create_insecure_channel(grpc_address=engine.grpc_address)
    try:
        poll = asyncio.ensure_future(activate(GatewayStub(channel), request_timeout=30_000))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await asyncio.get_running_loop().run_in_executor(None, engine.close)
        assert await asyncio.wait_for(poll, 5) == []
        assert time.monotonic() - started < 4  # not the 30 s request timeout
    finally:
        await channel.close()


async def test_large_job_batches_are_split_below_the_message_limit(stub: GatewayStub) -> None:
    """Jobs whose variables together pass 4 MB arrive in several responses, none lost."""
    await deploy(stub)
    blob = json.dumps({"blob": "x" * (1024 * 1024)})
    keys = {await start_instance(stub, blob) for _ in range(6)}
    request = pb.ActivateJobsRequest(
        type="pay", worker="t", timeout=30_000, maxJobsToActivate=10, requestTimeout=-1
    )
    responses = [response async for response in stub.ActivateJobs(request)]
    assert len(responses) >= 2
    assert {job.processInstanceKey for r in responses for job in r.jobs} == keys

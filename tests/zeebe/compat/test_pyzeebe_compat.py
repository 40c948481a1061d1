"""pyzeebe 4.7 (client and worker, polling and streaming) against the real embedded engine.

Each test is one documented behaviour as a pyzeebe user sees it, including the exception classes
pyzeebe derives from the gRPC status codes (spec 1.4).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from compat_processes import error_boundary, message_catch, one_task, timer_catch, write
from pyzeebe import Job, ZeebeClient, ZeebeTaskRouter, create_insecure_channel
from pyzeebe.errors import (
    BusinessError,
    DecisionNotFoundError,
    JobAlreadyDeactivatedError,
    JobNotFoundError,
    MessageAlreadyExistsError,
    ProcessDefinitionNotFoundError,
    ProcessInstanceNotFoundError,
    ProcessInvalidError,
    ProcessTimeoutError,
)
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.records import RecordType, ValueType
from zeebe.testing.harness import EmbeddedZeebe

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


@pytest.fixture
async def stub(embedded_zeebe: EmbeddedZeebe, anyio_backend: object) -> AsyncIterator[GatewayStub]:
    channel = create_insecure_channel(grpc_address=embedded_zeebe.grpc_address)
    try:
        yield GatewayStub(channel)
    finally:
        await channel.close()


def adding_router(job_type: str = "compat.work") -> ZeebeTaskRouter:
    router = ZeebeTaskRouter()

    @router.task(job_type)
    async def work(n: int) -> dict[str, int]:
        return {"n": n + 1}

    return router


async def test_topology_and_health_check(zeebe_client: ZeebeClient) -> None:
    """pyzeebe >= 4.5 health check and Topology (spec 1.1, 1.4)."""
    health = await zeebe_client.healthcheck()
    assert health.status == health.ServingStatus.SERVING
    assert (await zeebe_client.topology()).gateway_version == "8.7.0"


async def test_polling_worker_completes_a_one_task_process(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """Job worker lifecycle: activate (long polling), complete with variables (spec 2.2, 2.4)."""
    await zeebe_client.deploy_resource(write(tmp_path, "one.bpmn", one_task()))
    embedded_zeebe.worker(adding_router(), poll_retry_delay=0)
    result = await zeebe_client.run_process_with_result("compat-one", {"n": 1}, timeout=10_000)
    assert result.variables == {"n": 2}
    embedded_zeebe.assert_that(result).is_completed().has_passed_elements_in_order(
        "start", "task", "end"
    ).has_variables({"n": 2})


async def test_streaming_worker_completes_a_one_task_process(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """StreamActivatedJobs with stream_enabled=True (spec 2.7)."""
    await zeebe_client.deploy_resource(write(tmp_path, "one.bpmn", one_task()))
    embedded_zeebe.worker(adding_router(), stream_enabled=True, poll_retry_delay=0)
    await asyncio.sleep(0.2)  # let the stream open so the job is pushed, not polled
    result = await zeebe_client.run_process_with_result("compat-one", {"n": 41}, timeout=10_000)
    assert result.variables == {"n": 42}


async def test_business_error_is_caught_by_the_error_boundary(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """BusinessError -> ThrowError; caught by the boundary event with that code (spec 2.6)."""
    router = ZeebeTaskRouter()

    @router.task("compat.charge")
    async def charge() -> dict[str, str]:
        raise BusinessError("DECLINED")

    await zeebe_client.deploy_resource(write(tmp_path, "error.bpmn", error_boundary()))
    embedded_zeebe.worker(router, poll_retry_delay=0)
    instance = await zeebe_client.run_process("compat-error")
    embedded_zeebe.assert_that(instance).is_completed().has_passed_elements_in_order(
        "declined", "declined_end"
    )


async def test_failing_worker_exhausts_retries_then_incident_is_resolved(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, stub: GatewayStub, tmp_path: Path
) -> None:
    """FailJob with retries-1 until 0 -> incident; UpdateJobRetries + ResolveIncident (spec 2.5)."""
    attempts: list[int] = []
    router = ZeebeTaskRouter()

    @router.task("compat.work")
    async def flaky(n: int) -> dict[str, int]:
        attempts.append(n)
        if len(attempts) <= 3:
            raise RuntimeError("service down")
        return {"n": n + 1}

    await zeebe_client.deploy_resource(write(tmp_path, "one.bpmn", one_task()))
    embedded_zeebe.worker(router, poll_retry_delay=0)
    instance = await zeebe_client.run_process("compat-one", {"n": 1})
    embedded_zeebe.assert_that(instance).has_incident("service down")
    incident = next(
        r
        for r in embedded_zeebe.records()
        if r.value_type is ValueType.INCIDENT and r.intent == "CREATED"
    )
    job_key = int(incident.value["jobKey"])
    await stub.UpdateJobRetries(pb.UpdateJobRetriesRequest(jobKey=job_key, retries=1))
    await stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
    embedded_zeebe.assert_that(instance).is_completed().has_variables({"n": 2})
    assert len(attempts) == 4


async def test_published_message_correlates_to_the_waiting_instance(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """Message correlation by name and correlation key (spec 5.5)."""
    await zeebe_client.deploy_resource(write(tmp_path, "message.bpmn", message_catch()))
    instance = await zeebe_client.run_process("compat-message", {"orderId": "o-1"})
    embedded_zeebe.assert_that(instance).is_waiting_at("wait_paid")
    await zeebe_client.publish_message("paid", "o-1", {"amount": 10})
    embedded_zeebe.assert_that(instance).is_completed().has_variables({"amount": 10})


async def test_timer_fires_when_the_test_clock_advances(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """Harness clock: a one-hour timer fires on clock.advance, no waiting (spec 9)."""
    await zeebe_client.deploy_resource(write(tmp_path, "timer.bpmn", timer_catch()))
    instance = await zeebe_client.run_process("compat-timer")
    embedded_zeebe.assert_that(instance).is_waiting_at("wait")
    embedded_zeebe.advance(60 * 60 * 1000)
    embedded_zeebe.assert_that(instance).is_completed()


async def test_cancel_terminates_and_a_second_cancel_is_not_found(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """CancelProcessInstance; NOT_FOUND afterwards -> ProcessInstanceNotFoundError."""
    await zeebe_client.deploy_resource(write(tmp_path, "timer.bpmn", timer_catch()))
    instance = await zeebe_client.run_process("compat-timer")
    await zeebe_client.cancel_process_instance(instance.process_instance_key)
    embedded_zeebe.assert_that(instance).is_terminated()
    with pytest.raises(ProcessInstanceNotFoundError):
        await zeebe_client.cancel_process_instance(instance.process_instance_key)


async def test_unknown_process_is_not_found(zeebe_client: ZeebeClient) -> None:
    """NOT_FOUND -> ProcessDefinitionNotFoundError (spec 1.4, Appendix B)."""
    with pytest.raises(ProcessDefinitionNotFoundError):
        await zeebe_client.run_process("no-such-process")


async def test_broken_bpmn_is_invalid_argument(zeebe_client: ZeebeClient, tmp_path: Path) -> None:
    """DeployResource INVALID_ARGUMENT -> ProcessInvalidError (spec 1.2 row 9)."""
    with pytest.raises(ProcessInvalidError):
        await zeebe_client.deploy_resource(write(tmp_path, "broken.bpmn", "<bpmn:definitions"))


async def test_with_result_timeout_is_deadline_exceeded(
    zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """DEADLINE_EXCEEDED when the instance does not end in time -> ProcessTimeoutError."""
    await zeebe_client.deploy_resource(write(tmp_path, "timer.bpmn", timer_catch()))
    with pytest.raises(ProcessTimeoutError):
        await zeebe_client.run_process_with_result("compat-timer", timeout=300)


async def test_duplicate_message_id_is_already_exists(zeebe_client: ZeebeClient) -> None:
    """ALREADY_EXISTS while a message with the same id lives -> MessageAlreadyExistsError."""
    await zeebe_client.publish_message("paid", "o-9", message_id="pay-o-9")
    with pytest.raises(MessageAlreadyExistsError):
        await zeebe_client.publish_message("paid", "o-9", message_id="pay-o-9")


async def test_decision_evaluation_reports_no_decision(zeebe_client: ZeebeClient) -> None:
    """DMN is not supported: any decision is unknown -> DecisionNotFoundError."""
    with pytest.raises(DecisionNotFoundError):
        await zeebe_client.evaluate_decision(None, "risk")  # type: ignore[arg-type]


async def test_completing_twice_is_not_found_and_failed_job_is_precondition(
    zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """CompleteJob NOT_FOUND -> JobNotFoundError; on a failed job FAILED_PRECONDITION
    -> JobAlreadyDeactivatedError (spec 1.2 row 4, 1.4)."""
    await zeebe_client.deploy_resource(write(tmp_path, "one.bpmn", one_task()))
    adapter = zeebe_client.zeebe_adapter
    for _ in range(2):
        await zeebe_client.run_process("compat-one", {"n": 0})
    jobs: list[Job] = [
        j async for j in adapter.activate_jobs("compat.work", "t", 30_000, 2, [], -1)
    ]
    first, second = jobs
    await adapter.complete_job(first.key, {})
    with pytest.raises(JobNotFoundError):
        await adapter.complete_job(first.key, {})
    await adapter.fail_job(second.key, 0, "no retries", 0, {})
    with pytest.raises(JobAlreadyDeactivatedError):
        await adapter.complete_job(second.key, {})


async def test_update_job_timeout_moves_the_deadline(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """UpdateJobTimeout sets the deadline to now + timeout (spec 2.3)."""
    await zeebe_client.deploy_resource(write(tmp_path, "one.bpmn", one_task()))
    await zeebe_client.run_process("compat-one", {"n": 0})
    adapter = zeebe_client.zeebe_adapter
    (job,) = [j async for j in adapter.activate_jobs("compat.work", "t", 1000, 1, [], -1)]
    await adapter.update_job_timeout(job.key, 60_000)
    embedded_zeebe.advance(2000)  # past the original deadline, before the new one
    assert not [r for r in embedded_zeebe.records() if r.intent == "TIMED_OUT"]
    with pytest.raises(JobNotFoundError):
        await adapter.update_job_timeout(1, 1000)


async def test_set_variables_signal_and_deprecated_deploy(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, stub: GatewayStub, tmp_path: Path
) -> None:
    """SetVariables merges into the instance scope; BroadcastSignal and DeployProcess answer."""
    legacy = pb.ProcessRequestObject(name="msg.bpmn", definition=message_catch().encode())
    deployed = await stub.DeployProcess(pb.DeployProcessRequest(processes=[legacy]))
    assert [p.bpmnProcessId for p in deployed.processes] == ["compat-message"]
    instance = await zeebe_client.run_process("compat-message", {"orderId": "o-2"})
    key = instance.process_instance_key
    await stub.SetVariables(
        pb.SetVariablesRequest(elementInstanceKey=key, variables='{"note": "vip"}')
    )
    embedded_zeebe.assert_that(instance).has_variables({"note": "vip", "orderId": "o-2"})
    assert (await zeebe_client.broadcast_signal("shutdown")).key > 0


async def test_foreign_tenant_and_bad_variables_are_invalid_argument(stub: GatewayStub) -> None:
    """Multi-tenancy disabled and non-object variables -> INVALID_ARGUMENT (spec 1.1; a foreign
    tenant on PublishMessage is NOT_FOUND, spec 1.2 row 12, see test_grpc_documented_errors)."""
    for call in (
        stub.CreateProcessInstance(
            pb.CreateProcessInstanceRequest(bpmnProcessId="x", version=-1, tenantId="acme")
        ),
        stub.CreateProcessInstance(
            pb.CreateProcessInstanceRequest(bpmnProcessId="x", version=-1, variables="[1]")
        ),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_every_committed_record_is_exported_in_order(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """Records are exported after commit with strictly increasing positions (DESIGN 3)."""
    await zeebe_client.deploy_resource(write(tmp_path, "one.bpmn", one_task()))
    await zeebe_client.run_process("compat-one", {"n": 0})
    positions = [r.position for r in embedded_zeebe.records()]
    assert positions == sorted(set(positions))
    assert any(r.record_type is RecordType.COMMAND for r in embedded_zeebe.records())

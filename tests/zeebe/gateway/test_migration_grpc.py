"""MigrateProcessInstance over real gRPC (spec 1.2 row 18) against the real embedded engine.

Spec 1.2: "MigrateProcessInstance | processInstanceKey, migrationPlan{targetProcessDefinitionKey,
mappingInstructions[{sourceElementId, targetElementId}]} | {} | NOT_FOUND; INVALID_ARGUMENT;
FAILED_PRECONDITION"; rejections map to status codes as spec 1.1 says (INVALID_STATE ->
FAILED_PRECONDITION) with the text "Command 'MIGRATE' rejected with code '...': ...".
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from pyzeebe import create_insecure_channel
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.runtime.node import EngineFactory, engine_factory
from zeebe.testing.bpmn_builder import ProcessBuilder
from zeebe.testing.harness import EmbeddedZeebe

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

SOURCE = ProcessBuilder("order").start().service_task("A", type="a").end().to_xml()
TARGET = (
    ProcessBuilder("order")
    .start()
    .service_task("A", type="a")
    .service_task("B", type="b")
    .end()
    .to_xml()
)


@pytest.fixture
def zeebe_engine_factory() -> EngineFactory:
    """Migration is engine behaviour: run the gateway on the real engine, not the fake."""
    return engine_factory()


@pytest.fixture
async def stub(embedded_zeebe: EmbeddedZeebe, anyio_backend: object) -> AsyncIterator[GatewayStub]:
    channel = create_insecure_channel(grpc_address=embedded_zeebe.grpc_address)
    try:
        yield GatewayStub(channel)
    finally:
        await channel.close()


async def deploy(stub: GatewayStub, name: str, content: bytes) -> int:
    """Deploy one BPMN resource; its process definition key."""
    request = pb.DeployResourceRequest(resources=[pb.Resource(name=name, content=content)])
    response = await stub.DeployResource(request)
    return int(response.deployments[0].process.processDefinitionKey)


async def started(stub: GatewayStub) -> tuple[int, int]:
    """Deploy both versions, start an instance of the first: (instance key, target key)."""
    source_key = await deploy(stub, "v1.bpmn", SOURCE)
    target_key = await deploy(stub, "v2.bpmn", TARGET)
    request = pb.CreateProcessInstanceRequest(processDefinitionKey=source_key)
    response = await stub.CreateProcessInstance(request)
    return int(response.processInstanceKey), target_key


async def activate(stub: GatewayStub, job_type: str) -> list[pb.ActivatedJob]:
    """Activate jobs of one type (returns at once when there are none)."""
    request = pb.ActivateJobsRequest(
        type=job_type, worker="t", timeout=30_000, maxJobsToActivate=10, requestTimeout=-1
    )
    return [job async for response in stub.ActivateJobs(request) for job in response.jobs]


def migration(
    instance: int, target: int, *mapping: tuple[str, str]
) -> pb.MigrateProcessInstanceRequest:
    """A MigrateProcessInstanceRequest with a migration plan."""
    instructions = [
        pb.MigrateProcessInstanceRequest.MappingInstruction(sourceElementId=s, targetElementId=t)
        for s, t in mapping
    ]
    plan = pb.MigrateProcessInstanceRequest.MigrationPlan(
        targetProcessDefinitionKey=target, mappingInstructions=instructions
    )
    return pb.MigrateProcessInstanceRequest(processInstanceKey=instance, migrationPlan=plan)


async def status_of(call: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def test_migrated_instance_continues_on_the_target_definition(stub: GatewayStub) -> None:
    """An accepted migration answers an empty response; the migrated job's completion takes
    the target's flow to B, whose job belongs to the target definition."""
    instance, target = await started(stub)
    response = await stub.MigrateProcessInstance(migration(instance, target, ("A", "A")))
    assert response == pb.MigrateProcessInstanceResponse()
    (job,) = await activate(stub, "a")
    assert (job.processDefinitionKey, job.processDefinitionVersion) == (target, 2)
    await stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key))
    (next_job,) = await activate(stub, "b")
    assert next_job.processInstanceKey == instance
    assert next_job.processDefinitionKey == target


async def test_unknown_instance_is_not_found(stub: GatewayStub) -> None:
    """NOT_FOUND with the engine's rejection text."""
    _, target = await started(stub)
    error = await status_of(stub.MigrateProcessInstance(migration(123, target)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert error.details() == (
        "Command 'MIGRATE' rejected with code 'NOT_FOUND': Expected to migrate process "
        "instance but no process instance found with key '123'"
    )


async def test_unknown_element_is_invalid_argument(stub: GatewayStub) -> None:
    """INVALID_ARGUMENT for a mapping instruction naming a missing element."""
    instance, target = await started(stub)
    error = await status_of(stub.MigrateProcessInstance(migration(instance, target, ("X", "A"))))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "non-existing source element id 'X'" in (error.details() or "")


async def test_unmapped_active_element_is_failed_precondition(stub: GatewayStub) -> None:
    """INVALID_STATE becomes FAILED_PRECONDITION (spec 1.1)."""
    instance, target = await started(stub)
    error = await status_of(stub.MigrateProcessInstance(migration(instance, target)))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error.details() == (
        "Command 'MIGRATE' rejected with code 'INVALID_STATE': Expected to migrate process "
        f"instance '{instance}' but no mapping instruction defined for active element with id "
        "'A'. Elements cannot be migrated without a mapping."
    )

"""MigrateProcessInstance over real gRPC for Zeebe 8.8's rules on message-started instances and
on instances waiting for listener jobs (camunda/camunda `ProcessInstanceMigrationPreconditions`
requireNoStartEventInstanceForTargetProcess: INVALID_STATE -> FAILED_PRECONDITION, spec 1.1;
listener jobs are migrated like any job, camunda/camunda PR #26644).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from pyzeebe import create_insecure_channel
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub
from test_migration_grpc import activate, deploy, migration, status_of

from zeebe.runtime.node import EngineFactory, engine_factory
from zeebe.testing.bpmn_builder import Message, ProcessBuilder
from zeebe.testing.harness import EmbeddedZeebe

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


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


def message_started(process_id: str, message: str) -> bytes:
    """A message start event -> A (type grpc.a) -> end."""
    builder = ProcessBuilder(process_id).start("by_message", event=Message(message))
    return builder.service_task("A", type="grpc.a").end().to_xml()


async def started_by(stub: GatewayStub, message: str, correlation_key: str) -> int:
    """Publish a message that starts an instance; the instance key of its job."""
    request = pb.PublishMessageRequest(name=message, correlationKey=correlation_key)
    await stub.PublishMessage(request)
    jobs = await activate(stub, "grpc.a")
    return int(jobs[-1].processInstanceKey)


async def test_target_with_an_instance_of_the_same_correlation_key_is_failed_precondition(
    stub: GatewayStub,
) -> None:
    """Migrating an instance started with correlation key o-1 to another process id whose
    message start already started an active instance with o-1 is rejected."""
    await deploy(stub, "order.bpmn", message_started("order", "placed"))
    target = await deploy(stub, "order2.bpmn", message_started("order2", "placed-2"))
    instance = await started_by(stub, "placed", "o-1")
    await started_by(stub, "placed-2", "o-1")
    error = await status_of(stub.MigrateProcessInstance(migration(instance, target, ("A", "A"))))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error.details() == (
        "Command 'MIGRATE' rejected with code 'INVALID_STATE': Expected to migrate process "
        f"instance '{instance}' but target process definition '{target}' has an active instance "
        "triggered by a message start event with correlation key 'o-1'. Only one instance per "
        "correlation key is allowed for message start events."
    )


def with_end_listener(process_id: str, after: str = "") -> bytes:
    """start -> A (type grpc.work, end execution listener grpc.audit) [-> `after`] -> end."""
    listener = (
        '<zeebe:executionListeners><zeebe:executionListener eventType="end" type="grpc.audit"/>'
        "</zeebe:executionListeners>"
    )
    builder = ProcessBuilder(process_id).start().service_task("A", type="grpc.work")
    if after:
        builder.service_task(after, type=after)
    xml = builder.end().to_xml()
    marker = b'<zeebe:taskDefinition type="grpc.work"'
    head, tail = xml.split(marker, 1)
    close = tail.index(b"/>") + 2
    return head + marker + tail[:close] + listener.encode() + tail[close:]


async def test_element_waiting_for_its_end_listener_is_migrated(stub: GatewayStub) -> None:
    """The task completed and waits for its end listener job: the migration is accepted, the
    listener job now names the target definition, and its completion takes the target flow."""
    source = await deploy(stub, "v1.bpmn", with_end_listener("order"))
    target = await deploy(stub, "v2.bpmn", with_end_listener("order", after="grpc.next"))
    created = await stub.CreateProcessInstance(
        pb.CreateProcessInstanceRequest(processDefinitionKey=source)
    )
    (work,) = await activate(stub, "grpc.work")
    await stub.CompleteJob(pb.CompleteJobRequest(jobKey=work.key))
    instance = int(created.processInstanceKey)
    response = await stub.MigrateProcessInstance(migration(instance, target, ("A", "A")))
    assert response == pb.MigrateProcessInstanceResponse()
    (audit,) = await activate(stub, "grpc.audit")
    assert audit.processDefinitionKey == target
    await stub.CompleteJob(pb.CompleteJobRequest(jobKey=audit.key))
    (next_job,) = await activate(stub, "grpc.next")
    assert next_job.processInstanceKey == instance

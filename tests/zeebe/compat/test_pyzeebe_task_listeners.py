"""User task listener jobs through gRPC with pyzeebe 4.x (its 8.7 proto has no `result` on
CompleteJobRequest and no `kind` on ActivatedJob): a worker serves a listener job like any job,
and a plain completion lets the paused transition finish (docs "User task listeners":
"User task listeners are implemented using job workers")."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from compat_processes import write
from pyzeebe import Job, ZeebeClient, ZeebeTaskRouter, create_insecure_channel
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.records import Record, RecordType, ValueType
from zeebe.testing.bpmn_builder import ProcessBuilder
from zeebe.testing.harness import EmbeddedZeebe

LINT_REASON = (
    "zeebe:taskListeners: the repository lints with camunda-compat's 8.7 profile, which reports "
    "them as 8.8-only; the same models lint clean with the 8.8 profile "
    "(tests/zeebe/model/test_bpmnlint_task_listeners.py)"
)
pytestmark = [pytest.mark.e2e, pytest.mark.anyio, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]

EXTENSIONS = (
    '<zeebe:userTask /><zeebe:assignmentDefinition assignee="mary" />'
    '<zeebe:taskListeners><zeebe:taskListener eventType="assigning" type="compat.route" />'
    "</zeebe:taskListeners>"
)
APPROVAL = (
    ProcessBuilder("compat-approval")
    .start()
    .user_task("approve")
    .end()
    .to_xml()
    .replace(b"<zeebe:userTask />", EXTENSIONS.encode())
    .decode()
)


@pytest.fixture
async def stub(embedded_zeebe: EmbeddedZeebe, anyio_backend: object) -> AsyncIterator[GatewayStub]:
    channel = create_insecure_channel(grpc_address=embedded_zeebe.grpc_address)
    try:
        yield GatewayStub(channel)
    finally:
        await channel.close()


async def user_task_event(embedded_zeebe: EmbeddedZeebe, intent: str) -> Record:
    """The first USER_TASK event of an intent, waiting up to 10 s for it."""
    for _ in range(200):
        for record in embedded_zeebe.records():
            if (record.record_type, record.value_type, record.intent) == (
                RecordType.EVENT,
                ValueType.USER_TASK,
                intent,
            ):
                return record
        await asyncio.sleep(0.05)
    raise AssertionError(f"no USER_TASK {intent} event")


async def test_a_pyzeebe_worker_completes_an_assigning_listener_job(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """The modelled assignee waits for the `assigning` listener; the worker sees the task data in
    the reserved headers and its plain completion finishes the assignment (ASSIGNED)."""
    seen: list[dict[str, str]] = []
    router = ZeebeTaskRouter()

    async def capture(job: Job) -> Job:
        seen.append(dict(job.custom_headers))
        return job

    @router.task("compat.route", before=[capture])
    async def route() -> None:
        return None

    await zeebe_client.deploy_resource(write(tmp_path, "approval.bpmn", APPROVAL))
    await zeebe_client.run_process("compat-approval")
    embedded_zeebe.worker(router, poll_retry_delay=0)
    assigned = await user_task_event(embedded_zeebe, "ASSIGNED")
    assert assigned.value["assignee"] == "mary"
    assert seen[0]["io.camunda.zeebe:assignee"] == "mary"
    assert seen[0]["io.camunda.zeebe:userTaskKey"] == str(assigned.key)


async def test_completing_a_listener_job_with_variables_is_invalid_argument(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, stub: GatewayStub, tmp_path: Path
) -> None:
    """Zeebe refuses variables on listener jobs (INVALID_ARGUMENT with its text)."""
    await zeebe_client.deploy_resource(write(tmp_path, "approval.bpmn", APPROVAL))
    await zeebe_client.run_process("compat-approval")
    request = pb.ActivateJobsRequest(
        type="compat.route", worker="compat", maxJobsToActivate=1, timeout=60_000
    )
    jobs = [job async for response in stub.ActivateJobs(request) for job in response.jobs]
    assert len(jobs) == 1
    complete = pb.CompleteJobRequest(jobKey=jobs[0].key, variables='{"x": 1}')
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await stub.CompleteJob(complete)
    assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "variables payload provided is not yet supported" in str(raised.value.details())


CANCELING = APPROVAL.replace(
    'eventType="assigning" type="compat.route"', 'eventType="canceling" type="compat.notify"'
).replace("compat-approval", "compat-cancel")


async def test_a_pyzeebe_worker_completes_a_canceling_listener_job(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """Zeebe 8.8: CancelProcessInstance is answered at once; the user task waits for its
    `canceling` listener, which a worker serves like any job; its completion writes CANCELED
    and the instance terminates."""
    router = ZeebeTaskRouter()

    @router.task("compat.notify")
    async def notify() -> None:
        return None

    await zeebe_client.deploy_resource(write(tmp_path, "cancel.bpmn", CANCELING))
    started = await zeebe_client.run_process("compat-cancel")
    await user_task_event(embedded_zeebe, "CREATED")
    await zeebe_client.cancel_process_instance(started.process_instance_key)
    await user_task_event(embedded_zeebe, "CANCELING")
    ended = [r for r in embedded_zeebe.records() if r.value_type is ValueType.USER_TASK]
    assert "CANCELED" not in [r.intent for r in ended]
    embedded_zeebe.worker(router, poll_retry_delay=0)
    canceled = await user_task_event(embedded_zeebe, "CANCELED")
    assert canceled.value["processInstanceKey"] == started.process_instance_key

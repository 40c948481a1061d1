"""Process instance commands beyond create: cancel, start instructions, modification, resource
deletion, job streaming (spec 1.2 #2, #3, #5, #17, #20; 2.7)."""

from __future__ import annotations

import asyncio
import json

import grpc
import pytest
from conformance_support import Gateway, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

TWO_TASKS = (
    ProcessBuilder("conf-two")
    .start()
    .service_task("a", type="conf.a")
    .service_task("b", type="conf.b")
    .end()
    .to_xml()
)


async def test_cancel_parent_terminates_the_called_child(gateway: Gateway) -> None:
    """Spec 4.2: call activity terminated -> child terminated; spec 2.1 "the job is canceled"."""
    child = ProcessBuilder("conf-child").start().service_task("ct", type="conf.child").end()
    parent = ProcessBuilder("conf-parent").start().call_activity("call", process_id="conf-child")
    await gateway.deploy(child.to_xml(), parent.end().to_xml(), names=["c.bpmn", "p.bpmn"])
    key = await gateway.start("conf-parent")
    job = await gateway.activate_one("conf.child")
    await gateway.stub.CancelProcessInstance(
        pb.CancelProcessInstanceRequest(processInstanceKey=key)
    )
    gateway.engine.assert_that(key).is_terminated()
    gateway.engine.assert_that(job.processInstanceKey).is_terminated()
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_cancel_of_a_child_instance_is_rejected(gateway: Gateway) -> None:
    """Zeebe rejects cancelling a called child directly: it "is created by a parent process
    instance. Cancel the root process instance" (INVALID_STATE -> FAILED_PRECONDITION, spec
    1.1 mapping)."""
    child = ProcessBuilder("conf-child").start().service_task("ct", type="conf.child").end()
    parent = ProcessBuilder("conf-parent").start().call_activity("call", process_id="conf-child")
    await gateway.deploy(child.to_xml(), parent.end().to_xml(), names=["c.bpmn", "p.bpmn"])
    await gateway.start("conf-parent")
    job = await gateway.activate_one("conf.child")
    request = pb.CancelProcessInstanceRequest(processInstanceKey=job.processInstanceKey)
    error = await rpc_error(gateway.stub.CancelProcessInstance(request))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_start_instruction_starts_at_the_given_element(gateway: Gateway) -> None:
    """Spec 1.2 #5: `startInstructions[{elementId}]` start the instance at that element instead of
    the none start event."""
    await gateway.deploy(TWO_TASKS)
    request = pb.CreateProcessInstanceRequest(
        bpmnProcessId="conf-two",
        version=-1,
        startInstructions=[pb.ProcessInstanceCreationStartInstruction(elementId="b")],
    )
    await gateway.stub.CreateProcessInstance(request)
    assert await gateway.activate("conf.a") == []
    assert len(await gateway.activate("conf.b")) == 1


async def test_modification_activates_and_terminates_elements(gateway: Gateway) -> None:
    """Spec 1.2 #17 ModifyProcessInstance: "Activate/terminate elements"; the terminated task's
    job is cancelled."""
    await gateway.deploy(TWO_TASKS)
    key = await gateway.start("conf-two")
    job_a = await gateway.activate_one("conf.a")
    modify = pb.ModifyProcessInstanceRequest
    await gateway.stub.ModifyProcessInstance(
        modify(
            processInstanceKey=key,
            activateInstructions=[modify.ActivateInstruction(elementId="b")],
            terminateInstructions=[
                modify.TerminateInstruction(elementInstanceKey=job_a.elementInstanceKey)
            ],
        )
    )
    await gateway.complete(await gateway.activate_one("conf.b"))
    gateway.engine.assert_that(key).is_completed()
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=job_a.key)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_deleted_process_definition_cannot_be_started(gateway: Gateway) -> None:
    """Spec 1.2 #20 DeleteResource: "Delete process/DRG/form definition"; afterwards
    CreateProcessInstance finds none (NOT_FOUND)."""
    deployed = await gateway.deploy(TWO_TASKS)
    definition_key = deployed.deployments[0].process.processDefinitionKey
    await gateway.stub.DeleteResource(pb.DeleteResourceRequest(resourceKey=definition_key))
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="conf-two", version=-1)
    error = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_job_stream_pushes_new_jobs_with_fetched_variables(gateway: Gateway) -> None:
    """Spec 2.7: "whenever a job is made activate-able ... if there is one or more streams for this
    job type ... the job is activated and pushed to it"; fetchVariable filters as in polling."""
    await gateway.deploy(TWO_TASKS)
    request = pb.StreamActivatedJobsRequest(
        type="conf.a", worker="streamer", timeout=60_000, fetchVariable=["x"]
    )
    stream = gateway.stub.StreamActivatedJobs(request, timeout=5)
    await asyncio.sleep(0.2)  # let the stream register before the job exists
    await gateway.start("conf-two", {"x": 1, "y": 2})
    job = await stream.read()
    stream.cancel()
    assert (job.type, job.worker, json.loads(job.variables)) == ("conf.a", "streamer", {"x": 1})
    assert await gateway.activate("conf.a") == [], "a pushed job is activated"

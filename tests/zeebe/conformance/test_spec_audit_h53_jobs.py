"""Spec audit (h53), sections 1-2: gateway and job-lifecycle statements no other test pinned down
exactly — empty long polls, job push after retries / back-off / timeout / resolve, job incidents
of interrupted tasks, error end event incidents, the resolve-without-retries status."""

from __future__ import annotations

import asyncio
import json

import grpc
import pytest
from conformance_support import Gateway, open_incidents, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.records import RecordType, ValueType
from zeebe.testing.bpmn_builder import Error, Message, ProcessBuilder, Timer

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

PUSH_WAIT_S = 3.0


def one_task() -> bytes:
    return ProcessBuilder("audit-job").start().service_task("task", type="audit.job").end().to_xml()


def job_intents(gateway: Gateway, job_key: int) -> list[str]:
    """JOB event intents of one job, in log order."""
    return [
        r.intent
        for r in gateway.records()
        if r.record_type is RecordType.EVENT and r.value_type is ValueType.JOB and r.key == job_key
    ]


async def test_empty_long_poll_sends_no_response_message(gateway: Gateway) -> None:
    """Spec 2.2: "On timeout the gRPC stream is completed with OK and zero responses (no empty
    `ActivateJobsResponse` is sent)"; with requestTimeout < 0 "an empty result completes
    immediately" — also without a response message."""
    for request_timeout in (200, -1):
        request = pb.ActivateJobsRequest(
            type="audit.none",
            worker="w",
            timeout=1000,
            maxJobsToActivate=5,
            requestTimeout=request_timeout,
        )
        responses = [response async for response in gateway.stub.ActivateJobs(request)]
        assert responses == [], f"requestTimeout={request_timeout}"


async def test_stream_pushes_with_its_fetch_variables_and_deadline(gateway: Gateway) -> None:
    """Spec 2.7: the stream is opened "for the given job type, worker name, job timeout, and
    fetch variables"; spec 2.2: activation sets `deadline = now + timeout` and FetchVariables
    limits the variables."""
    await gateway.deploy(one_task())
    request = pb.StreamActivatedJobsRequest(
        type="audit.job", worker="pusher", timeout=7000, fetchVariable=["a"]
    )
    call = gateway.stub.StreamActivatedJobs(request)
    try:
        await asyncio.sleep(0.2)
        assert gateway.engine.clock is not None
        now_ms = gateway.engine.clock()
        await gateway.start("audit-job", {"a": 1, "b": 2})
        job = await asyncio.wait_for(call.read(), PUSH_WAIT_S)
        assert (job.worker, json.loads(job.variables)) == ("pusher", {"a": 1})
        assert job.deadline == now_ms + 7000
    finally:
        call.cancel()


async def test_stream_gets_the_job_again_whenever_it_becomes_activatable(
    gateway: Gateway,
) -> None:
    """Spec 2.7: "whenever a job is made activate-able (e.g. a service task is activated, a job
    failed and is retried, etc.) ... the job is activated and pushed"; spec 2.2 names the cases:
    "failed-with-retries job, timed-out job, resolved incident" (and 2.5: after the back-off)."""
    await gateway.deploy(one_task())
    request = pb.StreamActivatedJobsRequest(type="audit.job", worker="pusher", timeout=7000)
    call = gateway.stub.StreamActivatedJobs(request)
    try:
        await asyncio.sleep(0.2)
        key = await gateway.start("audit-job")
        job = await asyncio.wait_for(call.read(), PUSH_WAIT_S)
        await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=2))
        assert (await asyncio.wait_for(call.read(), PUSH_WAIT_S)).retries == 2
        await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=1, retryBackOff=500))
        gateway.engine.advance(501)
        assert (await asyncio.wait_for(call.read(), PUSH_WAIT_S)).retries == 1
        gateway.engine.advance(7001)
        assert (await asyncio.wait_for(call.read(), PUSH_WAIT_S)).key == job.key
        await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
        incident = gateway.wait_incident(key)
        await gateway.stub.UpdateJobRetries(pb.UpdateJobRetriesRequest(jobKey=job.key, retries=1))
        await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
        assert (await asyncio.wait_for(call.read(), PUSH_WAIT_S)).key == job.key
    finally:
        call.cancel()


async def test_interrupting_boundary_cancels_the_job_and_resolves_its_incident(
    gateway: Gateway,
) -> None:
    """Spec 2.1: "When the task is terminated (interrupting boundary event, cancel, etc.) the job
    is canceled and any incident of that element is resolved"."""
    xml = (
        ProcessBuilder("audit-job")
        .start()
        .service_task("task", type="audit.job")
        .end()
        .boundary("late", attached_to="task", event=Timer.duration("PT1M"))
        .end("too_late")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("audit-job")
    job = await gateway.activate_one("audit.job")
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0, errorMessage="down"))
    gateway.wait_incident(key)
    gateway.engine.advance(60_001)
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("late", "too_late")
    assert open_incidents(gateway.records(), key) == []
    assert job_intents(gateway, job.key) == ["CREATED", "FAILED", "CANCELED"]


async def test_error_end_event_incident_comes_back_when_resolved(gateway: Gateway) -> None:
    """Spec 2.6: "The incident attached to an error end event cannot be resolved by a user" —
    resolving it re-runs the end event, which throws the uncaught error again (a new incident)."""
    xml = ProcessBuilder("audit-job").start().end("fail", event=Error("NOPE")).to_xml()
    await gateway.deploy(xml)
    key = await gateway.start("audit-job")
    first = gateway.wait_incident(key)
    assert first.value["elementId"] == "fail"
    assert first.value["errorType"] == "UNHANDLED_ERROR_EVENT"
    await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=first.key))
    second = gateway.wait_incident(key)
    assert second.key != first.key
    assert second.value["errorMessage"] == first.value["errorMessage"]
    # the end event never gets past activation: the instance does not complete
    assert ("fail", "ELEMENT_COMPLETED") not in gateway.summary(key)
    assert ("audit-job", "ELEMENT_COMPLETED") not in gateway.summary(key)


async def test_resolving_a_job_incident_without_retries_is_not_found(gateway: Gateway) -> None:
    """Spec 2.5 / Appendix C 2: "in 8.5/8.6 the *response* is written with rejection type
    NOT_FOUND -> gRPC NOT_FOUND" with reason "Expected to resolve incident with key '%d', but job
    with key '%d' has no retries left. Please update the job retries and retry resolving the
    incident"."""
    await gateway.deploy(one_task())
    key = await gateway.start("audit-job")
    job = await gateway.activate_one("audit.job")
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
    incident = gateway.wait_incident(key)
    error = await rpc_error(
        gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert error.details() == (
        f"Command 'RESOLVE' rejected with code 'NOT_FOUND': Expected to resolve incident with "
        f"key '{incident.key}', but job with key '{job.key}' has no retries left. Please update "
        "the job retries and retry resolving the incident"
    )


async def test_interrupted_scope_does_not_catch_errors(gateway: Gateway) -> None:
    """Spec 2.6 [E CatchEventAnalyzer]: the search looks "at each active, non-interrupted scope";
    Appendix B: "once an interrupting event has been triggered for a scope, further events for
    that scope are not accepted". An error thrown in an interrupting event subprocess is not caught
    by an error event subprocess of the interrupted process: it is an unhandled error incident."""
    xml = (
        ProcessBuilder("audit-job")
        .start()
        .service_task("task", type="audit.job")
        .end()
        .event_sub_process("abort")
        .start("abort_start", event=Message("abort", "= orderId"), interrupting=True)
        .service_task("clean", type="audit.clean")
        .end("abort_end")
        .sub_process_end()
        .event_sub_process("on_error")
        .start("error_start", event=Error("BROKEN"))
        .end("error_end")
        .sub_process_end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("audit-job", {"orderId": "o-1"})
    await gateway.publish("abort", "o-1")
    clean = await gateway.activate_one("audit.clean")
    await gateway.stub.ThrowError(pb.ThrowErrorRequest(jobKey=clean.key, errorCode="BROKEN"))
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "UNHANDLED_ERROR_EVENT"
    assert incident.value["elementId"] == "clean"
    assert ("on_error", "ELEMENT_ACTIVATED") not in gateway.summary(key)


async def test_job_with_an_uncaught_error_rejects_further_commands(gateway: Gateway) -> None:
    """Spec 2.4: CompleteJob is rejected "FAILED_PRECONDITION (INVALID_STATE) if FAILED ... or
    ERROR_THROWN"; spec 1.1 reason "Expected to <intent> job with key '<k>', but it is in state
    '<STATE>'"; spec 2.6: throwing "disables the job and stops it from being activated or
    completed by other job workers"."""
    await gateway.deploy(one_task())
    key = await gateway.start("audit-job")
    job = await gateway.activate_one("audit.job")
    await gateway.stub.ThrowError(pb.ThrowErrorRequest(jobKey=job.key, errorCode="UNCAUGHT"))
    gateway.wait_incident(key)
    calls = {
        "complete": gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)),
        "fail": gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=1)),
        "throw an error for": gateway.stub.ThrowError(
            pb.ThrowErrorRequest(jobKey=job.key, errorCode="AGAIN")
        ),
    }
    for verb, call in calls.items():
        error = await rpc_error(call)
        assert error.code() == grpc.StatusCode.FAILED_PRECONDITION, verb
        assert (
            f"Expected to {verb} job with key '{job.key}', but it is in state 'ERROR_THROWN'"
            in (error.details() or "")
        )
    assert await gateway.activate("audit.job") == []


async def test_caught_and_canceled_jobs_are_gone(gateway: Gateway) -> None:
    """Spec 2.1: "Completed / error-thrown-and-caught / canceled jobs are deleted" — a later
    command on them is NOT_FOUND ("it could be that this job did exist at some point")."""
    xml = (
        ProcessBuilder("audit-job")
        .start()
        .service_task("task", type="audit.job")
        .end()
        .boundary("caught", attached_to="task", event=Error("CAUGHT"))
        .end("handled")
        .to_xml()
    )
    await gateway.deploy(xml)
    first = await gateway.start("audit-job")
    job = await gateway.activate_one("audit.job")
    await gateway.stub.ThrowError(pb.ThrowErrorRequest(jobKey=job.key, errorCode="CAUGHT"))
    gateway.engine.assert_that(first).is_completed()
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    second = await gateway.start("audit-job")
    job = await gateway.activate_one("audit.job")
    await gateway.stub.CancelProcessInstance(
        pb.CancelProcessInstanceRequest(processInstanceKey=second)
    )
    gateway.engine.assert_that(second).is_terminated()
    error = await rpc_error(gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=1)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert job_intents(gateway, job.key)[-1] == "CANCELED"


async def test_each_pushed_job_goes_to_one_stream_only(gateway: Gateway) -> None:
    """Spec 2.7: with "one or more streams for this job type, a random one is picked, the job is
    activated and pushed to it" — never to two streams."""
    await gateway.deploy(one_task())
    request = pb.StreamActivatedJobsRequest(type="audit.job", worker="pusher", timeout=7000)
    streams = [gateway.stub.StreamActivatedJobs(request) for _ in range(2)]
    received: list[int] = []

    async def collect(call: object) -> None:
        async for job in call:  # type: ignore[attr-defined]
            received.append(job.key)

    readers = [asyncio.ensure_future(collect(call)) for call in streams]
    try:
        await asyncio.sleep(0.2)
        for _ in range(4):
            await gateway.start("audit-job")
        for _ in range(50):
            if len(received) >= 4:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        assert len(received) == 4
        assert len(set(received)) == 4
    finally:
        for call in streams:
            call.cancel()
        await asyncio.gather(*readers, return_exceptions=True)

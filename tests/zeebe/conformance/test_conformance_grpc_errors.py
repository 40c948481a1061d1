"""gRPC status codes and reasons for the errors documented per RPC (spec 1.1 and 1.2).

Clients branch on these codes (pyzeebe maps them to exception classes, spec 1.4), so each
documented error is one test.
"""

from __future__ import annotations

import grpc
import pytest
from conformance_support import Gateway, rpc_error, stream_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import Message, ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

ONE_TASK = ProcessBuilder("conf-one").start().service_task("task", type="conf.work").end().to_xml()


async def started_job(gateway: Gateway) -> pb.ActivatedJob:
    await gateway.deploy(ONE_TASK)
    await gateway.start("conf-one")
    return await gateway.activate_one("conf.work")


async def test_complete_unknown_job_is_not_found(gateway: Gateway) -> None:
    """Spec 1.2 #4 CompleteJob: "NOT_FOUND: no job with key"; reason per spec 1.1
    "Expected to complete job with key '<k>', but no such job was found"."""
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=42)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "Expected to complete job with key '42', but no such job was found" in error.details()


async def test_complete_failed_job_is_failed_precondition(gateway: Gateway) -> None:
    """Spec 1.2 #4: FAILED_PRECONDITION "The job was marked as failed"; spec 1.1 rejection message
    "Command '<intent>' rejected with code 'INVALID_STATE': ..." with "it is in state 'FAILED'"."""
    job = await started_job(gateway)
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0, errorMessage="x"))
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error.details().startswith("Command 'COMPLETE' rejected with code 'INVALID_STATE': ")
    assert "but it is in state 'FAILED'" in error.details()


async def test_fail_unknown_job_is_not_found(gateway: Gateway) -> None:
    """Spec 1.2 #10 FailJob: "NOT_FOUND: no job"."""
    error = await rpc_error(gateway.stub.FailJob(pb.FailJobRequest(jobKey=42, retries=1)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "Expected to fail job with key '42', but no such job was found" in error.details()


async def test_fail_already_failed_job_is_failed_precondition(gateway: Gateway) -> None:
    """Spec 1.2 #10: FAILED_PRECONDITION "The job is already in a failed state, i.e. ran out of
    retries." """
    job = await started_job(gateway)
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
    error = await rpc_error(gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0)))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_throw_error_on_unknown_job_is_not_found(gateway: Gateway) -> None:
    """Spec 1.2 #11 ThrowError: "NOT_FOUND: no job"."""
    request = pb.ThrowErrorRequest(jobKey=42, errorCode="E")
    error = await rpc_error(gateway.stub.ThrowError(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "Expected to throw an error for job with key '42', but no such job was found" in (
        error.details()
    )


async def test_throw_error_on_failed_job_is_failed_precondition(gateway: Gateway) -> None:
    """Spec 1.2 #11: FAILED_PRECONDITION "The job is already in a failed state"."""
    job = await started_job(gateway)
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
    request = pb.ThrowErrorRequest(jobKey=job.key, errorCode="E")
    error = await rpc_error(gateway.stub.ThrowError(request))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_create_instance_of_unknown_process_id_is_not_found(gateway: Gateway) -> None:
    """Appendix B: "Expected to find process definition with process ID '%s', but none found"."""
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="nope", version=-1)
    error = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "Expected to find process definition with process ID 'nope', but none found" in (
        error.details()
    )


async def test_create_instance_of_unknown_version_is_not_found(gateway: Gateway) -> None:
    """Appendix B: version >= 0 selects that exact version; "... with process ID '%s' and
    version '%d', but none found"."""
    await gateway.deploy(ONE_TASK)
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="conf-one", version=7)
    error = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "with process ID 'conf-one' and version '7', but none found" in error.details()


async def test_version_zero_means_version_zero_not_latest(gateway: Gateway) -> None:
    """Appendix B: "proto3 default `0` means 'version 0' -> NOT_FOUND"."""
    await gateway.deploy(ONE_TASK)
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="conf-one", version=0)
    error = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_create_instance_of_unknown_key_is_not_found(gateway: Gateway) -> None:
    """Appendix B: "... with key '%d', but none found"."""
    request = pb.CreateProcessInstanceRequest(processDefinitionKey=123456)
    error = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "with key '123456', but none found" in error.details()


async def test_create_instance_without_none_start_event_is_failed_precondition(
    gateway: Gateway,
) -> None:
    """Spec 1.2 #5: FAILED_PRECONDITION "the process definition does not contain a none start
    event"; Appendix B reason "Expected to create instance of process with none start event,
    but there is no such event"."""
    xml = ProcessBuilder("conf-msg-start").start(event=Message("go")).end().to_xml()
    await gateway.deploy(xml)
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="conf-msg-start", version=-1)
    error = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "none start event" in error.details()


@pytest.mark.parametrize("variables", ["[1]", "1", '"text"', "{not json"])
async def test_create_instance_with_non_object_variables_is_invalid_argument(
    gateway: Gateway, variables: str
) -> None:
    """Spec 1.2 #5: "INVALID_ARGUMENT: variables not a JSON object"; spec 1.1 "documents must be
    JSON objects at the root"."""
    await gateway.deploy(ONE_TASK)
    request = pb.CreateProcessInstanceRequest(
        bpmnProcessId="conf-one", version=-1, variables=variables
    )
    error = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize(
    ("job_type", "max_jobs", "timeout"),
    [("", 1, 1000), ("  ", 1, 1000), ("t", 0, 1000), ("t", 1, 0)],
    ids=["empty-type", "blank-type", "max-jobs-0", "timeout-0"],
)
async def test_activate_jobs_invalid_requests_are_invalid_argument(
    gateway: Gateway, job_type: str, max_jobs: int, timeout: int
) -> None:
    """Spec 1.2 #1: "INVALID_ARGUMENT: type blank; worker blank; timeout < 1;
    maxJobsToActivate < 1"."""
    request = pb.ActivateJobsRequest(
        type=job_type, worker="w", timeout=timeout, maxJobsToActivate=max_jobs, requestTimeout=-1
    )
    error = await stream_error(gateway.stub.ActivateJobs(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_duplicate_message_id_is_already_exists(gateway: Gateway) -> None:
    """Spec 1.2 #12: ALREADY_EXISTS "A message with the same ID was previously published (and is
    still alive)"."""
    await gateway.publish("m", "k", ttl_ms=60_000, message_id="id-1")
    error = await rpc_error(gateway.publish("m", "k", ttl_ms=60_000, message_id="id-1"))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS


async def test_same_message_id_with_other_correlation_key_is_accepted(gateway: Gateway) -> None:
    """Spec 5.5: rejected only if "the same name, the same correlation key, and the same ID is
    already buffered"."""
    await gateway.publish("m", "k1", ttl_ms=60_000, message_id="id-1")
    await gateway.publish("m", "k2", ttl_ms=60_000, message_id="id-1")
    await gateway.publish("other", "k1", ttl_ms=60_000, message_id="id-1")


async def test_update_job_retries_to_zero_is_invalid_argument(gateway: Gateway) -> None:
    """Spec 1.2 #16: INVALID_ARGUMENT "Retries is not greater than 0." """
    job = await started_job(gateway)
    request = pb.UpdateJobRetriesRequest(jobKey=job.key, retries=0)
    error = await rpc_error(gateway.stub.UpdateJobRetries(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_update_retries_of_unknown_job_is_not_found(gateway: Gateway) -> None:
    """Spec 1.2 #16: "NOT_FOUND: no job"."""
    request = pb.UpdateJobRetriesRequest(jobKey=42, retries=3)
    error = await rpc_error(gateway.stub.UpdateJobRetries(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_resolve_unknown_incident_is_not_found(gateway: Gateway) -> None:
    """Spec 1.2 #13 ResolveIncident: "NOT_FOUND: no incident"."""
    error = await rpc_error(gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=9)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_set_variables_on_unknown_scope_is_not_found(gateway: Gateway) -> None:
    """Spec 1.2 #14 SetVariables: "NOT_FOUND: no element instance"."""
    request = pb.SetVariablesRequest(elementInstanceKey=42, variables='{"a": 1}')
    error = await rpc_error(gateway.stub.SetVariables(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_set_variables_with_array_document_is_invalid_argument(gateway: Gateway) -> None:
    """Spec 1.2 #14: "INVALID_ARGUMENT: not a JSON object"."""
    await gateway.deploy(ONE_TASK)
    key = await gateway.start("conf-one")
    request = pb.SetVariablesRequest(elementInstanceKey=key, variables="[1]")
    error = await rpc_error(gateway.stub.SetVariables(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_cancel_unknown_instance_is_not_found(gateway: Gateway) -> None:
    """Spec 1.2 #3 CancelProcessInstance: NOT_FOUND "No process instance exists with the given
    key"."""
    request = pb.CancelProcessInstanceRequest(processInstanceKey=42)
    error = await rpc_error(gateway.stub.CancelProcessInstance(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_update_timeout_of_unknown_job_is_not_found(gateway: Gateway) -> None:
    """Spec 1.2 #19 UpdateJobTimeout: "NOT_FOUND: no job"."""
    request = pb.UpdateJobTimeoutRequest(jobKey=42, timeout=1000)
    error = await rpc_error(gateway.stub.UpdateJobTimeout(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_update_timeout_of_not_activated_job_is_failed_precondition(
    gateway: Gateway,
) -> None:
    """Spec 2.3: UpdateJobTimeout "Rejected (INVALID_STATE -> FAILED_PRECONDITION) when the job
    has no deadline, i.e. is not ACTIVATED"."""
    job = await started_job(gateway)
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=2))
    request = pb.UpdateJobTimeoutRequest(jobKey=job.key, timeout=1000)
    error = await rpc_error(gateway.stub.UpdateJobTimeout(request))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_foreign_tenant_on_create_is_rejected(gateway: Gateway) -> None:
    """Spec 1.1: with multi-tenancy disabled "request tenantId/tenantIds must be empty or
    <default> (else INVALID_ARGUMENT ...)"; `<default>` itself is accepted."""
    await gateway.deploy(ONE_TASK)
    ok = pb.CreateProcessInstanceRequest(bpmnProcessId="conf-one", version=-1, tenantId="<default>")
    assert (await gateway.stub.CreateProcessInstance(ok)).tenantId == "<default>"
    bad = pb.CreateProcessInstanceRequest(bpmnProcessId="conf-one", version=-1, tenantId="acme")
    error = await rpc_error(gateway.stub.CreateProcessInstance(bad))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_foreign_tenant_on_activate_is_invalid_argument(gateway: Gateway) -> None:
    """Spec 1.2 #1 ActivateJobs: "tenant rules" -> INVALID_ARGUMENT when multi-tenancy is off."""
    request = pb.ActivateJobsRequest(
        type="t",
        worker="w",
        timeout=1000,
        maxJobsToActivate=1,
        requestTimeout=-1,
        tenantIds=["acme"],
    )
    error = await stream_error(gateway.stub.ActivateJobs(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT

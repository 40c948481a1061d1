"""Job lifecycle as a worker sees it (spec 2.1-2.5, 9.3): activation fields, timeouts, retries,
back-off, incidents and their resolution."""

from __future__ import annotations

import json

import grpc
import pytest
from conformance_support import Gateway, rpc_error, scope_variables
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


def one_task(retries: int | None = None, headers: dict[str, str] | None = None) -> bytes:
    return (
        ProcessBuilder("conf-job")
        .start()
        .service_task("task", type="conf.job", retries=retries, headers=headers)
        .end()
        .to_xml()
    )


async def test_activated_job_carries_documented_fields(gateway: Gateway) -> None:
    """Spec 1.2 ActivatedJob: key, type, processInstanceKey, bpmnProcessId,
    processDefinitionVersion, processDefinitionKey, elementId, elementInstanceKey, customHeaders
    (JSON), worker, retries, deadline ("UNIX epoch timestamp" ms), variables, tenantId."""
    deployed = await gateway.deploy(one_task(retries=5, headers={"method": "POST", "n": "1"}))
    process = deployed.deployments[0].process
    key = await gateway.start("conf-job", {"a": 1})
    assert gateway.engine.clock is not None
    now_ms = gateway.engine.clock()
    job = await gateway.activate_one("conf.job", timeout_ms=30_000)
    assert job.type == "conf.job"
    assert job.processInstanceKey == key
    assert job.bpmnProcessId == "conf-job"
    assert job.processDefinitionVersion == process.version == 1
    assert job.processDefinitionKey == process.processDefinitionKey
    assert job.elementId == "task"
    assert job.elementInstanceKey in gateway.element_keys(key, "task", "ELEMENT_ACTIVATED")
    assert json.loads(job.customHeaders) == {"method": "POST", "n": "1"}
    assert job.worker == "conformance"
    assert job.retries == 5
    assert json.loads(job.variables) == {"a": 1}
    assert job.tenantId == "<default>"
    assert job.deadline == now_ms + 30_000


async def test_default_retries_is_three(gateway: Gateway) -> None:
    """Spec 9.3: "`retries` ... The default is three." """
    await gateway.deploy(one_task())
    await gateway.start("conf-job")
    assert (await gateway.activate_one("conf.job")).retries == 3


async def test_retries_expression_is_evaluated_on_activation(gateway: Gateway) -> None:
    """Spec 9.3: retries "must result in a `number`", may be a FEEL expression evaluated "on
    activating the service task"."""
    xml = (
        ProcessBuilder("conf-job")
        .start()
        .service_task("task", type='= kind + ".job"', retries="= n * 2")
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    await gateway.start("conf-job", {"kind": "conf", "n": 4})
    assert (await gateway.activate_one("conf.job")).retries == 8


async def test_activated_job_is_not_handed_out_twice(gateway: Gateway) -> None:
    """Spec 2.2: "Zeebe ensures each job is sent to only one of the workers"."""
    await gateway.deploy(one_task())
    await gateway.start("conf-job")
    await gateway.activate_one("conf.job")
    assert await gateway.activate("conf.job") == []


async def test_timed_out_job_is_reactivated_with_unchanged_retries(gateway: Gateway) -> None:
    """Spec 2.3: "If the job is not completed or failed within the configured job activation
    timeout, Zeebe reassigns the job ... This does not affect the number of remaining retries"."""
    await gateway.deploy(one_task(retries=2))
    await gateway.start("conf-job")
    first = await gateway.activate_one("conf.job", timeout_ms=1_000)
    gateway.engine.advance(1_001)
    again = await gateway.activate_one("conf.job")
    assert again.key == first.key
    assert again.retries == 2


async def test_timed_out_job_not_yet_reactivated_can_still_be_completed(gateway: Gateway) -> None:
    """Spec 2.4: CompleteJob "Accepted while the job is ACTIVATABLE or ACTIVATED (so a timed-out
    but not yet re-activated job can still be completed)"."""
    await gateway.deploy(one_task())
    key = await gateway.start("conf-job")
    job = await gateway.activate_one("conf.job", timeout_ms=1_000)
    gateway.engine.advance(1_001)
    await gateway.complete(job)
    gateway.engine.assert_that(key).is_completed()


async def test_second_complete_after_reactivation_is_not_found(gateway: Gateway) -> None:
    """Spec 2.3: "only one worker successfully completes the job. The other `complete job`
    command is rejected with a `NOT FOUND` error"."""
    await gateway.deploy(one_task())
    await gateway.start("conf-job")
    job = await gateway.activate_one("conf.job", timeout_ms=1_000)
    gateway.engine.advance(1_001)
    await gateway.activate_one("conf.job")
    await gateway.complete(job)
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_fail_with_retries_makes_job_activatable_with_new_retries(gateway: Gateway) -> None:
    """Spec 2.5: "If the retries argument is positive and no retry back off is set, the job is
    immediately activatable again"; retries is "the new absolute number"."""
    await gateway.deploy(one_task())
    await gateway.start("conf-job")
    job = await gateway.activate_one("conf.job")
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=7, errorMessage="x"))
    assert (await gateway.activate_one("conf.job")).retries == 7


async def test_fail_with_back_off_delays_reactivation(gateway: Gateway) -> None:
    """Spec 2.5: "If the retry back off is positive the job becomes activatable once the back off
    timeout has passed"."""
    await gateway.deploy(one_task())
    await gateway.start("conf-job")
    job = await gateway.activate_one("conf.job")
    request = pb.FailJobRequest(jobKey=job.key, retries=2, retryBackOff=5_000)
    await gateway.stub.FailJob(request)
    assert await gateway.activate("conf.job") == []
    gateway.engine.advance(4_000)
    assert await gateway.activate("conf.job") == []
    gateway.engine.advance(1_000)
    assert (await gateway.activate_one("conf.job")).retries == 2


async def test_no_retries_raises_job_incident_with_the_error_message(gateway: Gateway) -> None:
    """Spec 2.5: "If the retries argument is zero or negative, an incident is raised, tagged with
    the given errorMessage"; type JOB_NO_RETRIES, attached to the element, with the jobKey."""
    await gateway.deploy(one_task())
    key = await gateway.start("conf-job")
    job = await gateway.activate_one("conf.job")
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0, errorMessage="boom"))
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "JOB_NO_RETRIES"
    assert incident.value["errorMessage"] == "boom"
    assert int(incident.value["jobKey"]) == job.key
    assert int(incident.value["elementInstanceKey"]) == job.elementInstanceKey
    assert await gateway.activate("conf.job") == []


async def test_no_retries_without_message_uses_default_text(gateway: Gateway) -> None:
    """Spec 2.5: message "or `No more retries left.` if empty"."""
    await gateway.deploy(one_task())
    key = await gateway.start("conf-job")
    job = await gateway.activate_one("conf.job")
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
    assert gateway.wait_incident(key).value["errorMessage"] == "No more retries left."


async def test_update_retries_then_resolve_makes_job_activatable(gateway: Gateway) -> None:
    """Spec 2.5: "1. Update the variables ... 2. Increase the remaining retries of the job.
    3. Mark the incident as resolved." "the job can be activated by a worker again"."""
    await gateway.deploy(one_task())
    key = await gateway.start("conf-job")
    job = await gateway.activate_one("conf.job")
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
    incident = gateway.wait_incident(key)
    await gateway.stub.UpdateJobRetries(pb.UpdateJobRetriesRequest(jobKey=job.key, retries=2))
    assert await gateway.activate("conf.job") == [], "UpdateJobRetries alone must not reactivate"
    await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
    again = await gateway.activate_one("conf.job")
    assert (again.key, again.retries) == (job.key, 2)
    await gateway.complete(again)
    gateway.engine.assert_that(key).is_completed()


async def test_resolve_job_incident_without_retries_is_rejected(gateway: Gateway) -> None:
    """Spec 2.5: resolving "while the job still has retries <= 0 is rejected" ("... has no retries
    left. Please update the job retries and retry resolving the incident"; NOT_FOUND in 8.6)."""
    await gateway.deploy(one_task())
    key = await gateway.start("conf-job")
    job = await gateway.activate_one("conf.job")
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
    incident = gateway.wait_incident(key)
    request = pb.ResolveIncidentRequest(incidentKey=incident.key)
    error = await rpc_error(gateway.stub.ResolveIncident(request))
    assert error.code() in {grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION}
    assert "has no retries left" in error.details()


async def test_fetch_variable_limits_the_job_variables(gateway: Gateway) -> None:
    """Spec 2.2: "FetchVariables: A list of required variable names. If the list is empty, all
    variables of the process instance are requested." """
    await gateway.deploy(one_task())
    await gateway.start("conf-job", {"a": 1, "b": 2, "c": 3})
    job = await gateway.activate_one("conf.job", fetch=["a", "c", "missing"])
    assert json.loads(job.variables) == {"a": 1, "c": 3}


async def test_job_variables_see_input_mapping_locals_shadowing_outer(gateway: Gateway) -> None:
    """Spec 2.2: "all variables visible from the job's element instance scope (local
    input-mapping variables shadow outer ones)"."""
    xml = (
        ProcessBuilder("conf-job")
        .start()
        .service_task("task", type="conf.job", inputs=[("= a + 10", "a"), ('="x"', "fresh")])
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    await gateway.start("conf-job", {"a": 1, "b": 2})
    job = await gateway.activate_one("conf.job")
    assert json.loads(job.variables) == {"a": 11, "b": 2, "fresh": "x"}


async def test_fail_job_variables_are_local_to_the_task(gateway: Gateway) -> None:
    """Spec 2.4 [D]: "When `Failing a job` the variables are only created in the local scope of
    the task." """
    await gateway.deploy(one_task())
    key = await gateway.start("conf-job")
    job = await gateway.activate_one("conf.job")
    request = pb.FailJobRequest(jobKey=job.key, retries=1, variables='{"attempt": 1}')
    await gateway.stub.FailJob(request)
    assert gateway.wait(lambda rs: "attempt" in scope_variables(rs, job.elementInstanceKey))
    assert "attempt" not in gateway.scope_variables(key)
    again = await gateway.activate_one("conf.job")
    assert json.loads(again.variables) == {"attempt": 1}

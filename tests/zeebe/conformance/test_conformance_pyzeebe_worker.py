"""What a pyzeebe 4.7 worker sees and sends, end to end (spec 1.2 ActivatedJob, 1.4, 2.5, 2.6)."""

from __future__ import annotations

import asyncio

import pytest
from conformance_support import Gateway
from pyzeebe import Job, ZeebeClient, ZeebeTaskRouter
from pyzeebe.errors import BusinessError

from zeebe.testing.bpmn_builder import Error, ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


async def test_worker_job_carries_headers_and_definition_fields(
    gateway: Gateway, zeebe_client: ZeebeClient
) -> None:
    """Spec 1.2 ActivatedJob fields as pyzeebe exposes them on `Job` (customHeaders parsed from
    the JSON string, retries from the model, definition version and key)."""
    xml = (
        ProcessBuilder("conf-worker")
        .start()
        .service_task("task", type="conf.worker", retries=4, headers={"region": "eu"})
        .end()
        .to_xml()
    )
    deployed = await gateway.deploy(xml)
    seen: list[Job] = []
    router = ZeebeTaskRouter()

    async def capture(job: Job) -> Job:
        # a `before` decorator receives the Job (parameter injection by annotation does not
        # survive `from __future__ import annotations`)
        seen.append(job)
        return job

    @router.task("conf.worker", before=[capture])
    async def work() -> dict[str, str]:
        return {"done": "yes"}

    gateway.engine.worker(router, poll_retry_delay=0)
    result = await zeebe_client.run_process_with_result("conf-worker", {"a": 1}, timeout=10_000)
    assert result.variables == {"a": 1, "done": "yes"}
    (job,) = seen
    assert job.custom_headers == {"region": "eu"}
    assert job.retries == 4
    assert job.element_id == "task"
    assert job.bpmn_process_id == "conf-worker"
    assert job.process_definition_key == deployed.deployments[0].process.processDefinitionKey
    assert job.process_definition_version == 1
    assert job.tenant_id == "<default>"


async def test_business_error_reaches_the_catch_event_by_code(
    gateway: Gateway, zeebe_client: ZeebeClient
) -> None:
    """Spec 1.4: "a `BusinessError(error_code)` instead triggers `ThrowError(errorCode, ...)`";
    spec 2.6: caught by the boundary with that code."""
    xml = (
        ProcessBuilder("conf-worker")
        .start()
        .service_task("task", type="conf.biz")
        .end()
        .boundary("declined", attached_to="task", event=Error("DECLINED"))
        .end("declined_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    router = ZeebeTaskRouter()

    @router.task("conf.biz")
    async def decline() -> dict[str, str]:
        raise BusinessError("DECLINED")

    gateway.engine.worker(router, poll_retry_delay=0)
    result = await zeebe_client.run_process_with_result("conf-worker", timeout=10_000)
    gateway.engine.assert_that(result.process_instance_key).has_passed_elements_in_order(
        "declined", "declined_end"
    )


async def test_worker_exceptions_use_up_retries_then_raise_incident(
    gateway: Gateway, zeebe_client: ZeebeClient
) -> None:
    """Spec 1.4: default exception handler sends `FailJob(retries = job.retries - 1,
    errorMessage="Failed job. Error: ...")`; spec 2.5: at zero an incident JOB_NO_RETRIES "tagged
    with the given errorMessage"."""
    xml = ProcessBuilder("conf-worker").start().service_task("task", type="conf.boom", retries=2)
    await gateway.deploy(xml.end().to_xml())
    attempts: list[int] = []
    router = ZeebeTaskRouter()

    async def record(job: Job) -> Job:
        attempts.append(job.retries)
        return job

    @router.task("conf.boom", before=[record])
    async def boom() -> dict[str, str]:
        raise RuntimeError("service down")

    gateway.engine.worker(router, poll_retry_delay=0)
    instance = await zeebe_client.run_process("conf-worker")
    incident = await asyncio.to_thread(gateway.wait_incident, instance.process_instance_key)
    assert attempts == [2, 1]
    assert incident.value["errorType"] == "JOB_NO_RETRIES"
    assert "service down" in incident.value["errorMessage"]

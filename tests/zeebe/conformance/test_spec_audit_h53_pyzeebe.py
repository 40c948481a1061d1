"""Spec audit (h53), section 1.4: the pyzeebe exception classes derived from our status codes that
no other test exercised ("pyzeebe's interpretation of status codes (so the engine must use
exactly these)")."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pyzeebe import ZeebeClient
from pyzeebe.errors import (
    ActivateJobsRequestInvalidError,
    InvalidJSONError,
    JobAlreadyDeactivatedError,
    JobNotFoundError,
    ProcessDefinitionHasNoStartEventError,
    StreamActivateJobsRequestInvalidError,
    ZeebeBackPressureError,
)

from zeebe.testing.bpmn_builder import Message, ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


def deployable(tmp_path: Path, name: str, xml: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(xml)
    return str(path)


@pytest.fixture
async def one_job(zeebe_client: ZeebeClient, tmp_path: Path) -> AsyncIterator[int]:
    """An instance waiting at a service task whose job was activated; yields the job key."""
    xml = ProcessBuilder("audit-py").start().service_task("task", type="audit.py").end().to_xml()
    await zeebe_client.deploy_resource(deployable(tmp_path, "one.bpmn", xml))
    await zeebe_client.run_process("audit-py")
    adapter = zeebe_client.zeebe_adapter
    (job,) = [j async for j in adapter.activate_jobs("audit.py", "w", 30_000, 1, [], -1)]
    yield job.key


async def test_invalid_activation_is_activate_jobs_request_invalid(
    zeebe_client: ZeebeClient,
) -> None:
    """Spec 1.4: "ActivateJobs/StreamActivatedJobs INVALID_ARGUMENT ->
    `ActivateJobsRequestInvalidError` (poller re-raises)"."""
    adapter = zeebe_client.zeebe_adapter
    with pytest.raises(ActivateJobsRequestInvalidError):
        [j async for j in adapter.activate_jobs("audit.py", "w", 0, 1, [], -1)]
    with pytest.raises(StreamActivateJobsRequestInvalidError):
        [j async for j in adapter.stream_activate_jobs("", "w", 1000, [], 5)]


async def test_bad_variables_on_create_are_invalid_json(zeebe_client: ZeebeClient) -> None:
    """Spec 1.4: "Create*: ... INVALID_ARGUMENT -> `InvalidJSONError`" (spec 1.1: documents must
    be JSON objects at the root)."""
    adapter = zeebe_client.zeebe_adapter
    with pytest.raises(InvalidJSONError):
        await adapter.create_process_instance("audit-py", -1, [1, 2])  # type: ignore[arg-type]


async def test_no_none_start_event_is_has_no_start_event(
    zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """Spec 1.4: "Create*: ... FAILED_PRECONDITION -> `ProcessDefinitionHasNoStartEventError`";
    spec 4.2: "CreateProcessInstance only starts at a **none start event**"."""
    xml = ProcessBuilder("audit-msg").start("start", event=Message("go", None)).end().to_xml()
    await zeebe_client.deploy_resource(deployable(tmp_path, "msg.bpmn", xml))
    with pytest.raises(ProcessDefinitionHasNoStartEventError):
        await zeebe_client.run_process("audit-msg")


async def test_job_commands_map_not_found_and_failed_precondition(
    zeebe_client: ZeebeClient, one_job: int
) -> None:
    """Spec 1.4: "NOT_FOUND on Complete/Fail/ThrowError/UpdateJobTimeout -> `JobNotFoundError`;
    FAILED_PRECONDITION there -> `JobAlreadyDeactivatedError`"."""
    adapter = zeebe_client.zeebe_adapter
    await adapter.fail_job(one_job, 0, "out of retries", 0, {})
    with pytest.raises(JobAlreadyDeactivatedError):
        await adapter.fail_job(one_job, 0, "again", 0, {})
    with pytest.raises(JobAlreadyDeactivatedError):
        await adapter.throw_error(one_job, "too late", {}, "CODE")
    with pytest.raises(JobAlreadyDeactivatedError):
        await adapter.update_job_timeout(one_job, 1000)
    missing = one_job + 1_000_000
    with pytest.raises(JobNotFoundError):
        await adapter.fail_job(missing, 0, "x", 0, {})
    with pytest.raises(JobNotFoundError):
        await adapter.throw_error(missing, "x", {}, "CODE")


async def test_oversized_request_is_back_pressure(zeebe_client: ZeebeClient) -> None:
    """Spec 1.1: "Default max message size 4 MB"; an oversized request fails with
    RESOURCE_EXHAUSTED, which pyzeebe (spec 1.4) raises as `ZeebeBackPressureError`."""
    blob = {"blob": "x" * (4 * 1024 * 1024)}
    assert len(json.dumps(blob)) > 4 * 1024 * 1024
    with pytest.raises(ZeebeBackPressureError):
        await zeebe_client.publish_message("big", "k", variables=blob)

"""Execution listener jobs through gRPC with pyzeebe 4.x (docs "Execution listeners": "Execution
listeners are processed by job workers ... You can implement a handler for an execution
listener just as you would for a regular job"): a plain worker completes the listener jobs and
the instance goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from compat_processes import write
from pyzeebe import ZeebeClient, ZeebeTaskRouter

from zeebe.records import RecordType, ValueType
from zeebe.testing.bpmn_builder import ProcessBuilder
from zeebe.testing.harness import EmbeddedZeebe

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

TASK_DEFINITION = '<zeebe:taskDefinition type="compat.ship" />'
LISTENERS = (
    "<zeebe:executionListeners>"
    '<zeebe:executionListener eventType="start" type="compat.prepare" />'
    '<zeebe:executionListener eventType="end" type="compat.audit" />'
    "</zeebe:executionListeners>"
)
SHIPPING = (
    ProcessBuilder("compat-listeners")
    .start()
    .service_task("ship", type="compat.ship")
    .end()
    .to_xml()
    .replace(TASK_DEFINITION.encode(), (TASK_DEFINITION + LISTENERS).encode())
    .decode()
)


def router() -> ZeebeTaskRouter:
    """The start listener picks the carrier, the task ships with it, the end listener audits."""
    tasks = ZeebeTaskRouter()

    @tasks.task("compat.prepare")
    async def prepare() -> dict[str, str]:
        return {"carrier": "dhl"}

    @tasks.task("compat.ship")
    async def ship(carrier: str) -> dict[str, str]:
        return {"shippedWith": carrier}

    @tasks.task("compat.audit")
    async def audit(shippedWith: str) -> dict[str, bool]:  # noqa: N803 - the variable's name
        return {"audited": shippedWith == "dhl"}

    return tasks


async def test_a_pyzeebe_worker_completes_start_and_end_listener_jobs(
    embedded_zeebe: EmbeddedZeebe, zeebe_client: ZeebeClient, tmp_path: Path
) -> None:
    """The start listener job comes before the task's job and the end listener job after it;
    plain CompleteJob calls finish them and the instance completes with the end listener's
    variables in the process scope."""
    assert "executionListener" in SHIPPING
    await zeebe_client.deploy_resource(write(tmp_path, "listeners.bpmn", SHIPPING))
    embedded_zeebe.worker(router(), poll_retry_delay=0)
    result = await zeebe_client.run_process_with_result("compat-listeners", timeout=10_000)
    assert result.variables == {"shippedWith": "dhl", "audited": True}
    created = [
        (r.value["type"], r.value["jobKind"], r.value["jobListenerEventType"])
        for r in embedded_zeebe.records()
        if (r.record_type, r.value_type, r.intent) == (RecordType.EVENT, ValueType.JOB, "CREATED")
    ]
    assert created == [
        ("compat.prepare", "EXECUTION_LISTENER", "START"),
        ("compat.ship", "BPMN_ELEMENT", "UNSPECIFIED"),
        ("compat.audit", "EXECUTION_LISTENER", "END"),
    ]

"""Execution listener jobs over REST (spec 8.2 ActivatedJobResult): `kind` EXECUTION_LISTENER
with `listenerEventType` START before the element's own job and END after it, `userTask` null;
the element's own job is kind BPMN_ELEMENT."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import Rest

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.e2e

TASK_DEFINITION = b'<zeebe:taskDefinition type="rest.ship" />'
LISTENERS = (
    b"<zeebe:executionListeners>"
    b'<zeebe:executionListener eventType="start" type="rest.prepare" />'
    b'<zeebe:executionListener eventType="end" type="rest.audit" />'
    b"</zeebe:executionListeners>"
)
SHIPPING = (
    ProcessBuilder("rest-listeners")
    .start()
    .service_task("ship", type="rest.ship")
    .end()
    .to_xml()
    .replace(TASK_DEFINITION, TASK_DEFINITION + LISTENERS)
)


def only_job(rest: Rest, job_type: str) -> dict[str, Any]:
    (job,) = rest.activate(job_type)
    return job


def test_listener_jobs_come_before_and_after_the_elements_own_job(rest: Rest) -> None:
    """START listener job first (its variables reach the element), then the task's job, then
    the END listener job; the instance completes after the last one."""
    rest.deploy(("shipping.bpmn", SHIPPING))
    pi = rest.create("rest-listeners")["processInstanceKey"]
    start = only_job(rest, "rest.prepare")
    assert (start["kind"], start["listenerEventType"]) == ("EXECUTION_LISTENER", "START")
    assert start["userTask"] is None and start["elementId"] == "ship"
    assert rest.activate("rest.ship") == []  # the element waits for its start listener
    completed = rest.post(f"/jobs/{start['jobKey']}/completion", {"variables": {"carrier": "dhl"}})
    assert completed.status_code == 204, completed.text
    own = only_job(rest, "rest.ship")
    assert (own["kind"], own["listenerEventType"]) == ("BPMN_ELEMENT", "UNSPECIFIED")
    assert own["variables"]["carrier"] == "dhl"
    assert rest.post(f"/jobs/{own['jobKey']}/completion", {}).status_code == 204
    end = only_job(rest, "rest.audit")
    assert (end["kind"], end["listenerEventType"]) == ("EXECUTION_LISTENER", "END")
    assert rest.post(f"/jobs/{end['jobKey']}/completion", {}).status_code == 204
    assert rest.get(f"/process-instances/{pi}").json()["state"] == "COMPLETED"

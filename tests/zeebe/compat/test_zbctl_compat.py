"""zbctl 8.4.1 (the Go CLI, npm `zbctl`) against the real embedded engine, JSON output.

The `zbctl` fixture (conftest.py) finds the binary; missing zbctl fails the suite when CI=true.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from compat_processes import message_catch, one_task, write

from zeebe.records import ValueType
from zeebe.testing.harness import EmbeddedZeebe

pytestmark = pytest.mark.e2e


def test_status_shows_the_single_node_topology(zbctl: Any) -> None:
    """`zbctl status` reads Topology (spec 1.1)."""
    status = zbctl("status", "--output", "json")
    assert status["clusterSize"] == 1 and status["gatewayVersion"] == "8.7.0"
    assert status["brokers"][0]["partitions"][0]["role"] == "LEADER"


def test_deploy_create_activate_complete(
    zbctl: Any, embedded_zeebe: EmbeddedZeebe, tmp_path: Path
) -> None:
    """The whole job lifecycle through the CLI."""
    zbctl("deploy", write(tmp_path, "one.bpmn", one_task()))
    created = zbctl("create", "instance", "compat-one", "--variables", '{"n": 1}')
    key = int(created["processInstanceKey"])
    jobs = zbctl("activate", "jobs", "compat.work", "--maxJobsToActivate", "1")["jobs"]
    assert json.loads(jobs[0]["variables"]) == {"n": 1}
    zbctl("complete", "job", jobs[0]["key"], "--variables", '{"n": 2}')
    embedded_zeebe.assert_that(key).is_completed().has_variables({"n": 2})


def test_publish_message_correlates(
    zbctl: Any, embedded_zeebe: EmbeddedZeebe, tmp_path: Path
) -> None:
    """`zbctl publish message` with correlation key (spec 5.5)."""
    zbctl("deploy", write(tmp_path, "msg.bpmn", message_catch()))
    created = zbctl("create", "instance", "compat-message", "--variables", '{"orderId": "o-7"}')
    zbctl("publish", "message", "paid", "--correlationKey", "o-7", "--variables", '{"ok": true}')
    embedded_zeebe.assert_that(int(created["processInstanceKey"])).is_completed()


def test_fail_job_incident_update_retries_and_resolve(
    zbctl: Any, embedded_zeebe: EmbeddedZeebe, tmp_path: Path
) -> None:
    """fail job (retries 0) -> incident; update retries; resolve incident -> job again (2.5)."""
    zbctl("deploy", write(tmp_path, "one.bpmn", one_task()))
    key = int(
        zbctl("create", "instance", "compat-one", "--variables", '{"n": 1}')["processInstanceKey"]
    )
    (job,) = zbctl("activate", "jobs", "compat.work")["jobs"]
    zbctl("fail", "job", job["key"], "--retries", "0", "--errorMessage", "cli says no")
    embedded_zeebe.assert_that(key).has_incident("cli says no")
    incident = next(
        r
        for r in embedded_zeebe.records()
        if r.value_type is ValueType.INCIDENT and r.intent == "CREATED"
    )
    zbctl("update", "retries", job["key"], "--retries", "1")
    zbctl("resolve", "incident", str(incident.key))
    (again,) = zbctl("activate", "jobs", "compat.work")["jobs"]
    assert again["key"] == job["key"] and again["retries"] == 1


def test_completing_a_failed_job_is_failed_precondition(zbctl: Any, tmp_path: Path) -> None:
    """INVALID_STATE rejections surface as FAILED_PRECONDITION (spec 1.1 table)."""
    zbctl("deploy", write(tmp_path, "one.bpmn", one_task()))
    zbctl("create", "instance", "compat-one", "--variables", '{"n": 1}')
    (job,) = zbctl("activate", "jobs", "compat.work")["jobs"]
    zbctl("fail", "job", job["key"], "--retries", "0")
    refused = zbctl("complete", "job", job["key"], expect_ok=False)
    assert "FailedPrecondition" in refused


def test_errors_reach_the_cli_with_zeebe_status_codes(zbctl: Any) -> None:
    """NOT_FOUND and INVALID_ARGUMENT appear as Zeebe reports them (spec 1.1)."""
    not_found = zbctl("create", "instance", "nope", expect_ok=False)
    assert "NotFound" in not_found and "Expected to find process definition" in not_found
    no_decision = zbctl("evaluate", "decision", "risk", expect_ok=False)
    assert "InvalidArgument" in no_decision and "no decision found for" in no_decision
    gone = zbctl("complete", "job", "2251799813685999", expect_ok=False)
    assert "NotFound" in gone

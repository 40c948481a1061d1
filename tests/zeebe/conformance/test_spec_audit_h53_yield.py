"""Spec audit (h53), sections 2.1 and 2.7: JOB YIELD on the real engine — the command a gateway
sends for a pushed job it could not deliver (no RPC exposes it: the engine is driven directly)."""

from __future__ import annotations

from typing import Any

import pytest

from zeebe.engine.api import Command, CommandResult
from zeebe.engine.engine import Engine
from zeebe.records import RecordType, RejectionType, ValueType
from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.unit

NOW = 1_700_000_000_000


class OneTaskEngine:
    """One engine with a fixed clock and one instance waiting at a service task."""

    def __init__(self) -> None:
        self.engine = Engine(lambda: NOW)
        xml = ProcessBuilder("audit-y").start().service_task("task", type="audit.y").end()
        resources = [{"resourceName": "y.bpmn", "resource": xml.to_xml()}]
        self.send(ValueType.DEPLOYMENT, "CREATE", {"resources": resources})
        create = {"bpmnProcessId": "audit-y", "version": -1, "variables": {}}
        self.send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", create)

    def send(
        self, value_type: ValueType, intent: str, value: dict[str, Any], key: int = -1
    ) -> CommandResult:
        return self.engine.process(Command(value_type, intent, value, key=key))

    def activate(self) -> list[dict[str, Any]]:
        value = {"type": "audit.y", "worker": "w", "timeout": 5000, "maxJobsToActivate": 1}
        result = self.send(ValueType.JOB_BATCH, "ACTIVATE", value)
        assert result.response is not None
        return list(result.response["jobs"])


def job_events(result: CommandResult) -> list[tuple[str, int]]:
    return [
        (r.intent, int(r.value["retries"]))
        for r in result.records
        if r.record_type is RecordType.EVENT and r.value_type is ValueType.JOB
    ]


def test_yield_makes_an_activated_job_activatable_with_its_retries() -> None:
    """Spec 2.7: the job "is returned to the broker (engine `Job.YIELD` -> back to
    ACTIVATABLE)"; spec 2.1 lists the intent YIELDED. No failure: retries stay as they were."""
    engine = OneTaskEngine()
    (job,) = engine.activate()
    result = engine.send(ValueType.JOB, "YIELD", {}, key=int(job["key"]))
    assert result.rejection is None
    assert job_events(result) == [("YIELDED", 3)]
    (again,) = engine.activate()
    assert (again["key"], again["retries"]) == (job["key"], 3)


def test_yield_of_a_job_that_is_not_activated_is_rejected() -> None:
    """Spec 2.7: only a job activated for a stream can be given back; an activatable one
    (already back) or an unknown one is rejected."""
    engine = OneTaskEngine()
    (job,) = engine.activate()
    engine.send(ValueType.JOB, "YIELD", {}, key=int(job["key"]))
    again = engine.send(ValueType.JOB, "YIELD", {}, key=int(job["key"]))
    assert again.rejection is not None
    assert again.rejection.type is RejectionType.NOT_FOUND
    unknown = engine.send(ValueType.JOB, "YIELD", {}, key=123)
    assert unknown.rejection is not None

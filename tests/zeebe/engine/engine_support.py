"""Test support for the engine unit tests: inline BPMN and a driver with a fake clock."""

from __future__ import annotations

import itertools
import json
from typing import Any

from zeebe.engine.api import Command, CommandResult
from zeebe.engine.engine import Engine
from zeebe.records import Record, RecordType, ValueType
from zeebe.testing.diagram import diagrammed

NAMESPACES = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
START_TIME = 1_700_000_000_000


def bpmn(process_id: str, body: str, extra: str = "") -> bytes:
    """A one-process BPMN document around `body` (flow nodes and sequence flows)."""
    # with Modeler's diagram, flow references and labels, so deployed models pass bpmnlint
    return diagrammed(
        (
            f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions {NAMESPACES} id="defs" '
            f'targetNamespace="http://test">{extra}<bpmn:process id="{process_id}" '
            f'isExecutable="true">{body}</bpmn:process></bpmn:definitions>'
        ).encode()
    )


def flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    """A sequence flow, optionally with a FEEL condition."""
    if condition is None:
        return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}"/>'
    return (
        f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )


def service_task(task_id: str, job_type: str, extensions: str = "", retries: int = 3) -> str:
    """A service task with a static job type."""
    return (
        f'<bpmn:serviceTask id="{task_id}"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{job_type}" retries="{retries}"/>{extensions}'
        "</bpmn:extensionElements></bpmn:serviceTask>"
    )


def chain(*node_ids: str) -> str:
    """Sequence flows f1..fn connecting the nodes in order."""
    return "".join(flow(f"f_{a}_{b}", a, b) for a, b in itertools.pairwise(node_ids))


ONE_TASK = bpmn(
    "one-task",
    '<bpmn:startEvent id="start"/>'
    + service_task("task", "work")
    + '<bpmn:endEvent id="end"/>'
    + chain("start", "task", "end"),
)


class Driver:
    """Drives an Engine through commands with a controllable clock; keeps every record."""

    def __init__(self) -> None:
        self.now = START_TIME
        self.engine = Engine(lambda: self.now)
        self.records: list[Record] = []

    def send(
        self, value_type: ValueType, intent: str, value: dict[str, Any], key: int = -1
    ) -> CommandResult:
        """Process one command and keep its records."""
        result = self.engine.process(Command(value_type, intent, value, key=key))
        self.records.extend(result.records)
        return result

    def deploy(self, *resources: bytes, names: tuple[str, ...] = ()) -> CommandResult:
        """Deploy resources (named p0.bpmn, p1.bpmn, ... unless given)."""
        named = names or tuple(f"p{i}.bpmn" for i in range(len(resources)))
        value = {
            "resources": [
                {"resourceName": n, "resource": r} for n, r in zip(named, resources, strict=True)
            ]
        }
        return self.send(ValueType.DEPLOYMENT, "CREATE", value)

    def create(self, process_id: str, variables: dict[str, Any] | None = None, **extra: Any) -> int:
        """Create an instance of the latest version; returns its key (asserts acceptance)."""
        result = self.try_create(process_id, variables, **extra)
        assert result.response is not None, result.rejection
        return int(result.response["processInstanceKey"])

    def try_create(
        self, process_id: str, variables: dict[str, Any] | None = None, **extra: Any
    ) -> CommandResult:
        """Send a CREATE command and return the raw result."""
        value = {"bpmnProcessId": process_id, "version": -1, "variables": variables or {}}
        return self.send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value | extra)

    def activate(
        self, job_type: str, max_jobs: int = 10, timeout: int = 30_000, fetch: tuple[str, ...] = ()
    ) -> list[dict[str, Any]]:
        """Activate jobs of a type; returns the activated job dicts."""
        value = {
            "type": job_type,
            "worker": "test-worker",
            "timeout": timeout,
            "maxJobsToActivate": max_jobs,
            "variables": list(fetch),
        }
        result = self.send(ValueType.JOB_BATCH, "ACTIVATE", value)
        assert result.response is not None
        return list(result.response["jobs"])

    def job(self, job_type: str) -> dict[str, Any]:
        """Activate exactly one job of a type."""
        jobs = self.activate(job_type, max_jobs=1)
        assert len(jobs) == 1, f"expected one {job_type} job, got {jobs}"
        return jobs[0]

    def complete(self, job_key: int, variables: dict[str, Any] | None = None) -> CommandResult:
        """Complete a job."""
        return self.send(ValueType.JOB, "COMPLETE", {"variables": variables or {}}, key=job_key)

    def fail(
        self,
        job_key: int,
        retries: int,
        message: str = "",
        backoff: int = 0,
        variables: dict[str, Any] | None = None,
    ) -> CommandResult:
        """Fail a job with an absolute retry count."""
        value = {
            "retries": retries,
            "errorMessage": message,
            "retryBackoff": backoff,
            "variables": variables or {},
        }
        return self.send(ValueType.JOB, "FAIL", value, key=job_key)

    def throw(
        self, job_key: int, code: str, message: str = "", variables: dict[str, Any] | None = None
    ) -> CommandResult:
        """Throw a BPMN error for a job."""
        value = {"errorCode": code, "errorMessage": message, "variables": variables or {}}
        return self.send(ValueType.JOB, "THROW_ERROR", value, key=job_key)

    def publish(
        self,
        name: str,
        correlation_key: str,
        ttl: int = 0,
        message_id: str = "",
        variables: dict[str, Any] | None = None,
    ) -> CommandResult:
        """Publish a message."""
        value = {
            "name": name,
            "correlationKey": correlation_key,
            "timeToLive": ttl,
            "messageId": message_id,
            "variables": variables or {},
        }
        return self.send(ValueType.MESSAGE, "PUBLISH", value)

    def resolve(self, incident_key: int) -> CommandResult:
        """Resolve an incident."""
        return self.send(ValueType.INCIDENT, "RESOLVE", {}, key=incident_key)

    def cancel(self, process_instance_key: int) -> CommandResult:
        """Cancel a process instance."""
        return self.send(ValueType.PROCESS_INSTANCE, "CANCEL", {}, key=process_instance_key)

    def set_variables(
        self, scope_key: int, variables: dict[str, Any], local: bool = False
    ) -> CommandResult:
        """SetVariables on a scope."""
        value = {
            "scopeKey": scope_key,
            "variables": variables,
            "updateSemantics": "LOCAL" if local else "PROPAGATE",
        }
        return self.send(ValueType.VARIABLE_DOCUMENT, "UPDATE", value)

    def advance(self, millis: int) -> list[CommandResult]:
        """Move the clock forward and fire what is due."""
        self.now += millis
        results = list(self.engine.tick())
        for result in results:
            self.records.extend(result.records)
        return results

    # -- queries over records and state -----------------------------------------------------
    def events(self, value_type: ValueType, intent: str | None = None) -> list[Record]:
        """EVENT records of a type (and intent)."""
        return [
            r
            for r in self.records
            if r.record_type is RecordType.EVENT
            and r.value_type is value_type
            and (intent is None or r.intent == intent)
        ]

    def element_events(self, process_instance_key: int) -> list[tuple[str, str]]:
        """(elementId, intent) of PROCESS_INSTANCE events of one instance, in log order."""
        return [
            (str(r.value["elementId"]), r.intent)
            for r in self.events(ValueType.PROCESS_INSTANCE)
            if r.value["processInstanceKey"] == process_instance_key
        ]

    def completed(self, process_instance_key: int) -> list[str]:
        """Ids of elements that completed in an instance, in order."""
        return [e for e, i in self.element_events(process_instance_key) if i == "ELEMENT_COMPLETED"]

    def is_completed(self, process_instance_key: int) -> bool:
        """Whether the process instance itself completed."""
        return any(
            r.key == process_instance_key and r.intent == "ELEMENT_COMPLETED"
            for r in self.events(ValueType.PROCESS_INSTANCE)
        )

    def variables(self, scope_key: int) -> dict[str, Any]:
        """Local variables of a scope, from state."""
        return {k: v for k, (_, v) in self.engine.state.variables.local(scope_key).items()}

    def written_variables(self, scope_key: int) -> dict[str, Any]:
        """The last value written per variable of a scope, from VARIABLE records (works after the
        scope has ended)."""
        return {
            str(r.value["name"]): json.loads(str(r.value["value"]))
            for r in self.events(ValueType.VARIABLE)
            if r.value["scopeKey"] == scope_key
        }

    def incidents(self) -> list[dict[str, Any]]:
        """Values of open incidents (from state)."""
        return [i.value | {"key": k} for k, i in sorted(self.engine.state.incidents.items())]

    def active(self, process_instance_key: int) -> list[tuple[str, str]]:
        """(elementId, state) of live element instances of a process instance."""
        return [
            (i.element_id, i.state)
            for i in self.engine.state.instances.values()
            if i.process_instance_key == process_instance_key and i.key != process_instance_key
        ]


def started(
    xml: bytes, process_id: str, variables: dict[str, object] | None = None
) -> tuple[Driver, int]:
    """A fresh driver with `xml` deployed (asserted accepted) and one instance of `process_id`."""
    driver = Driver()
    result = driver.deploy(xml)
    assert result.rejection is None, result.rejection
    return driver, driver.create(process_id, variables or {})

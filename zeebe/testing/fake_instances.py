"""Process commands of the fake engine (see `fake_engine`): deploy, create, cancel, variables.

A deployed process is "the service tasks of the file, in document order", read with regexes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from zeebe.engine.api import Command, CommandResult
from zeebe.records import DEFAULT_TENANT, RejectionType, ValueType

if TYPE_CHECKING:  # the engine imports the registry; types only, no import cycle at runtime
    from zeebe.testing.fake_engine import FakeEngine, Writer

_PROCESS_ID = re.compile(rb"<(?:\w+:)?process\b[^>]*\bid=\"([^\"]+)\"")
_TASK_TYPE = re.compile(rb"<(?:\w+:)?taskDefinition\b[^>]*\btype=\"([^\"]+)\"")

_NF = RejectionType.NOT_FOUND


def _read_resource(resource: dict[str, Any]) -> tuple[str, str, list[str]] | None:
    """(resource name, process id, job types in document order); None without a process."""
    content = bytes(resource["resource"])
    match = _PROCESS_ID.search(content)
    if match is None:
        return None
    job_types = [t.decode() for t in _TASK_TYPE.findall(content)]
    return resource["resourceName"], match.group(1).decode(), job_types


def deploy(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Deploy BPMN resources: a process per resource, its job types in document order."""
    resources = cmd.value.get("resources") or []
    if not resources:
        return w.reject(
            cmd,
            RejectionType.INVALID_ARGUMENT,
            "Expected to deploy at least one resource, but none given",
        )
    parsed = []
    for resource in resources:
        read = _read_resource(resource)
        if read is None:
            return w.reject(
                cmd,
                RejectionType.INVALID_ARGUMENT,
                f"'{resource['resourceName']}': no BPMN process found",
            )
        parsed.append(read)
    deployment_key = engine.next_key()
    processes = []
    for name, process_id, job_types in parsed:
        key = engine.next_key()
        meta = {
            "bpmnProcessId": process_id,
            "version": len(engine.state.processes.get(process_id, [])) + 1,
            "processDefinitionKey": key,
            "resourceName": name,
            "tenantId": DEFAULT_TENANT,
        }
        w.event(ValueType.PROCESS, "CREATED", key, {**meta, "jobTypes": job_types})
        processes.append({"process": meta})
    w.event(ValueType.DEPLOYMENT, "CREATED", deployment_key, {})
    return w.done({"key": deployment_key, "deployments": processes, "tenantId": DEFAULT_TENANT})


def _find_process(engine: FakeEngine, value: dict[str, Any]) -> dict[str, Any] | None:
    versions = engine.state.processes.get(str(value.get("bpmnProcessId") or ""), [])
    version = int(value.get("version", -1))
    if value.get("bpmnProcessId"):
        candidates = versions if version < 0 else [p for p in versions if p["version"] == version]
    else:
        key = int(value.get("processDefinitionKey", -1))
        candidates = [
            p
            for ps in engine.state.processes.values()
            for p in ps
            if p["processDefinitionKey"] == key
        ]
    return candidates[-1] if candidates else None


def create_instance(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Create an instance of the latest (or given) version and run it to its first job."""
    process = _find_process(engine, cmd.value)
    if process is None:
        return w.reject(
            cmd,
            _NF,
            "Expected to find process definition with process ID "
            f"'{cmd.value.get('bpmnProcessId')}', but none found",
        )
    key = engine.next_key()
    w.event(
        ValueType.PROCESS_INSTANCE,
        "ELEMENT_ACTIVATED",
        key,
        {
            "bpmnProcessId": process["bpmnProcessId"],
            "version": process["version"],
            "processDefinitionKey": process["processDefinitionKey"],
            "variables": dict(cmd.value.get("variables") or {}),
            "fetchVariables": cmd.value.get("fetchVariables"),
        },
    )
    advance(engine, w, key)
    return w.done(
        {
            "processDefinitionKey": process["processDefinitionKey"],
            "bpmnProcessId": process["bpmnProcessId"],
            "version": process["version"],
            "processInstanceKey": key,
            "tenantId": DEFAULT_TENANT,
        }
    )


def advance(engine: FakeEngine, w: Writer, instance_key: int) -> None:
    """Create the instance's next job, or complete the instance when none is left."""
    instance = engine.state.instances[instance_key]
    process = _find_process(engine, {"processDefinitionKey": instance["processDefinitionKey"]})
    assert process is not None
    if instance["step"] < len(process["jobTypes"]):
        job_type = process["jobTypes"][instance["step"]]
        w.event(
            ValueType.JOB,
            "CREATED",
            engine.next_key(),
            {
                "type": job_type,
                "processInstanceKey": instance_key,
                "retries": 3,
                "elementId": f"task_{instance['step']}",
                "elementInstanceKey": instance_key,
            },
        )
        w.types.add(job_type)
        return
    fetch = instance.get("fetchVariables")
    variables = {k: v for k, v in instance["variables"].items() if not fetch or k in fetch}
    result = {
        "processInstanceKey": instance_key,
        "bpmnProcessId": instance["bpmnProcessId"],
        "version": instance["version"],
        "variables": variables,
        "processDefinitionKey": instance["processDefinitionKey"],
        "tenantId": DEFAULT_TENANT,
    }
    w.event(ValueType.PROCESS_INSTANCE_RESULT, "COMPLETED", instance_key, result)
    w.event(ValueType.PROCESS_INSTANCE, "ELEMENT_COMPLETED", instance_key, {})


def cancel_instance(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Cancel (terminate) a process instance."""
    if cmd.key not in engine.state.instances:
        return w.reject(
            cmd,
            _NF,
            f"Expected to cancel a process instance with key '{cmd.key}', "
            "but no such process instance was found",
        )
    w.event(ValueType.PROCESS_INSTANCE, "ELEMENT_TERMINATED", cmd.key, {})
    return w.done({})


def set_variables(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Update variables of an instance scope."""
    scope = int(cmd.value.get("scopeKey", -1))
    if scope not in engine.state.instances:
        return w.reject(
            cmd,
            _NF,
            f"Expected to update variables for element with key "
            f"'{scope}', but no such element was found",
        )
    key = engine.next_key()
    w.event(ValueType.VARIABLE_DOCUMENT, "UPDATED", key, dict(cmd.value))
    return w.done({"key": key})

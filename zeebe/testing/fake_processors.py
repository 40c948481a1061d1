"""Command processors of the fake engine (see `fake_engine`): validate, then write events."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zeebe.engine.api import Command, CommandResult
from zeebe.engine.processors.evaluate_decision import unknown_decision_reason
from zeebe.records import DEFAULT_TENANT, RejectionType, ValueType

if TYPE_CHECKING:  # the engine imports this registry; types only, no import cycle at runtime
    from zeebe.testing.fake_engine import FakeEngine, Writer

_PROCESS_ID = re.compile(rb"<(?:\w+:)?process\b[^>]*\bid=\"([^\"]+)\"")
_TASK_TYPE = re.compile(rb"<(?:\w+:)?taskDefinition\b[^>]*\btype=\"([^\"]+)\"")

Processor = Callable[["FakeEngine", "Writer", Command], CommandResult]

_NF = RejectionType.NOT_FOUND
_STATE = RejectionType.INVALID_STATE


def _deploy(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    resources = cmd.value.get("resources") or []
    if not resources:
        return w.reject(
            cmd,
            RejectionType.INVALID_ARGUMENT,
            "Expected to deploy at least one resource, but none given",
        )
    parsed = []
    for resource in resources:
        content = bytes(resource["resource"])
        match = _PROCESS_ID.search(content)
        if match is None:
            return w.reject(
                cmd,
                RejectionType.INVALID_ARGUMENT,
                f"'{resource['resourceName']}': no BPMN process found",
            )
        parsed.append(
            (
                resource["resourceName"],
                match.group(1).decode(),
                [t.decode() for t in _TASK_TYPE.findall(content)],
            )
        )
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


def _create(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
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
    _advance(engine, w, key)
    return w.done(
        {
            "processDefinitionKey": process["processDefinitionKey"],
            "bpmnProcessId": process["bpmnProcessId"],
            "version": process["version"],
            "processInstanceKey": key,
            "tenantId": DEFAULT_TENANT,
        }
    )


def _advance(engine: FakeEngine, w: Writer, instance_key: int) -> None:
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


def _cancel(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    if cmd.key not in engine.state.instances:
        return w.reject(
            cmd,
            _NF,
            f"Expected to cancel a process instance with key '{cmd.key}', "
            "but no such process instance was found",
        )
    w.event(ValueType.PROCESS_INSTANCE, "ELEMENT_TERMINATED", cmd.key, {})
    return w.done({})


def _activate(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    value = cmd.value
    keys = [
        k
        for k, j in sorted(engine.state.jobs.items())
        if j["type"] == value["type"] and j["state"] == "ACTIVATABLE"
    ]
    keys = keys[: int(value["maxJobsToActivate"])]
    if not keys:
        return w.done({"jobs": []})
    deadline = engine.clock() + int(value["timeout"])
    w.event(
        ValueType.JOB_BATCH,
        "ACTIVATED",
        engine.next_key(),
        {
            "type": value["type"],
            "worker": value.get("worker", ""),
            "jobKeys": keys,
            "deadline": deadline,
        },
    )
    fetch = value.get("variables") or []
    return w.done({"jobs": [_activated_job(engine, k, fetch) for k in keys]})


def _activated_job(engine: FakeEngine, key: int, fetch: list[str]) -> dict[str, Any]:
    job = engine.state.jobs[key]
    instance = engine.state.instances[job["processInstanceKey"]]
    variables = {k: v for k, v in instance["variables"].items() if not fetch or k in fetch}
    return {
        "key": key,
        "type": job["type"],
        "processInstanceKey": job["processInstanceKey"],
        "bpmnProcessId": instance["bpmnProcessId"],
        "processDefinitionVersion": instance["version"],
        "processDefinitionKey": instance["processDefinitionKey"],
        "elementId": job["elementId"],
        "elementInstanceKey": job["elementInstanceKey"],
        "customHeaders": {},
        "worker": job["worker"],
        "retries": job["retries"],
        "deadline": job["deadline"],
        "variables": variables,
        "tenantId": DEFAULT_TENANT,
    }


def _job_guard(
    engine: FakeEngine, w: Writer, cmd: Command, verb: str, states: frozenset[str]
) -> CommandResult | None:
    job = engine.state.jobs.get(cmd.key)
    if job is None:
        return w.reject(
            cmd, _NF, f"Expected to {verb} job with key '{cmd.key}', but no such job was found"
        )
    if job["state"] not in states:
        return w.reject(
            cmd,
            _STATE,
            f"Expected to {verb} job with key '{cmd.key}', but it is in state '{job['state']}'",
        )
    return None


_OPEN = frozenset({"ACTIVATABLE", "ACTIVATED"})


def _complete(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    if (rejected := _job_guard(engine, w, cmd, "complete", _OPEN)) is not None:
        return rejected
    instance_key = engine.state.jobs[cmd.key]["processInstanceKey"]
    w.event(
        ValueType.JOB,
        "COMPLETED",
        cmd.key,
        {"variables": dict(cmd.value.get("variables") or {}), "processInstanceKey": instance_key},
    )
    _advance(engine, w, instance_key)
    return w.done({})


def _incident(engine: FakeEngine, w: Writer, job_key: int, kind: str, message: str) -> None:
    job = engine.state.jobs[job_key]
    w.event(
        ValueType.INCIDENT,
        "CREATED",
        engine.next_key(),
        {
            "jobKey": job_key,
            "processInstanceKey": job["processInstanceKey"],
            "elementId": job["elementId"],
            "errorType": kind,
            "errorMessage": message,
        },
    )


def _fail(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    if (rejected := _job_guard(engine, w, cmd, "fail", _OPEN)) is not None:
        return rejected
    retries = int(cmd.value.get("retries", 0))
    message = str(cmd.value.get("errorMessage", ""))
    w.event(ValueType.JOB, "FAILED", cmd.key, {"retries": retries, "errorMessage": message})
    if retries > 0:
        w.types.add(engine.state.jobs[cmd.key]["type"])
    else:
        _incident(engine, w, cmd.key, "JOB_NO_RETRIES", message or "No more retries left.")
    return w.done({})


def _throw_error(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    if (rejected := _job_guard(engine, w, cmd, "throw an error for", _OPEN)) is not None:
        return rejected
    code, message = cmd.value.get("errorCode", ""), cmd.value.get("errorMessage", "")
    w.event(ValueType.JOB, "ERROR_THROWN", cmd.key, {"errorCode": code, "errorMessage": message})
    _incident(
        engine,
        w,
        cmd.key,
        "UNHANDLED_ERROR_EVENT",
        f"Expected to throw an error event with the code '{code}' with message "
        f"'{message}', but it was not caught. No error events are available in the scope.",
    )
    return w.done({})


def _update_retries(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    retries = int(cmd.value.get("retries", 0))
    if cmd.key in engine.state.jobs and retries < 1:
        return w.reject(
            cmd,
            RejectionType.INVALID_ARGUMENT,
            f"Expected job's retries to be greater than zero, but it was '{retries}'",
        )
    states = frozenset({"ACTIVATABLE", "ACTIVATED", "FAILED", "ERROR_THROWN"})
    if (rejected := _job_guard(engine, w, cmd, "update retries of", states)) is not None:
        return rejected
    w.event(ValueType.JOB, "RETRIES_UPDATED", cmd.key, {"retries": retries})
    return w.done({})


def _update_timeout(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    guard = frozenset({"ACTIVATED"})
    if (rejected := _job_guard(engine, w, cmd, "update the timeout of", guard)) is not None:
        return rejected
    deadline = engine.clock() + int(cmd.value.get("timeout", 0))
    w.event(ValueType.JOB, "TIMEOUT_UPDATED", cmd.key, {"deadline": deadline})
    return w.done({})


def _resolve(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    incident = engine.state.incidents.get(cmd.key)
    if incident is None:
        return w.reject(
            cmd,
            _NF,
            f"Expected to resolve incident with key '{cmd.key}', but no such incident was found",
        )
    job = engine.state.jobs[incident["jobKey"]]
    if job["retries"] <= 0:
        return w.reject(
            cmd,
            _NF,
            f"Expected to resolve incident with key '{cmd.key}', but job "
            f"with key '{incident['jobKey']}' has no retries left. Please update the "
            "job retries and retry resolving the incident",
        )
    w.event(ValueType.INCIDENT, "RESOLVED", cmd.key, dict(incident))
    w.types.add(job["type"])
    return w.done({})


def _set_variables(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
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


def _publish(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    message_id = str(cmd.value.get("messageId") or "")
    if message_id and message_id in engine.state.message_ids:
        return w.reject(
            cmd,
            RejectionType.ALREADY_EXISTS,
            f"Expected to publish a new message with id '{message_id}', but a "
            "message with that id was already published",
        )
    key = engine.next_key()
    w.event(ValueType.MESSAGE, "PUBLISHED", key, dict(cmd.value))
    return w.done({"key": key, "tenantId": DEFAULT_TENANT})


def _broadcast(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    key = engine.next_key()
    w.event(ValueType.SIGNAL, "BROADCASTED", key, dict(cmd.value))
    return w.done({"key": key, "tenantId": DEFAULT_TENANT})


def _evaluate_decision(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    # This stand-in has no DMN: every decision is unknown, answered as Zeebe 8.7 answers that.
    reason = unknown_decision_reason(dict(cmd.value))
    return w.reject(cmd, RejectionType.INVALID_ARGUMENT, reason)


PROCESSORS: dict[tuple[ValueType, str], Processor] = {
    (ValueType.DEPLOYMENT, "CREATE"): _deploy,
    (ValueType.PROCESS_INSTANCE_CREATION, "CREATE"): _create,
    (ValueType.PROCESS_INSTANCE_CREATION, "CREATE_WITH_AWAITING_RESULT"): _create,
    (ValueType.PROCESS_INSTANCE, "CANCEL"): _cancel,
    (ValueType.JOB_BATCH, "ACTIVATE"): _activate,
    (ValueType.JOB, "COMPLETE"): _complete,
    (ValueType.JOB, "FAIL"): _fail,
    (ValueType.JOB, "THROW_ERROR"): _throw_error,
    (ValueType.JOB, "UPDATE_RETRIES"): _update_retries,
    (ValueType.JOB, "UPDATE_TIMEOUT"): _update_timeout,
    (ValueType.INCIDENT, "RESOLVE"): _resolve,
    (ValueType.VARIABLE_DOCUMENT, "UPDATE"): _set_variables,
    (ValueType.MESSAGE, "PUBLISH"): _publish,
    (ValueType.SIGNAL, "BROADCAST"): _broadcast,
    (ValueType.DECISION_EVALUATION, "EVALUATE"): _evaluate_decision,
}

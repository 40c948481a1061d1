"""Job and incident commands of the fake engine (see `fake_engine`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zeebe.engine.api import Command, CommandResult
from zeebe.records import DEFAULT_TENANT, RejectionType, ValueType
from zeebe.testing.fake_instances import advance

if TYPE_CHECKING:  # the engine imports the registry; types only, no import cycle at runtime
    from zeebe.testing.fake_engine import FakeEngine, Writer

_NF = RejectionType.NOT_FOUND
_STATE = RejectionType.INVALID_STATE
_OPEN = frozenset({"ACTIVATABLE", "ACTIVATED"})


def activate_jobs(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Activate up to `maxJobsToActivate` activatable jobs of a type."""
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


def complete_job(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Complete an open job and advance its instance."""
    if (rejected := _job_guard(engine, w, cmd, "complete", _OPEN)) is not None:
        return rejected
    instance_key = engine.state.jobs[cmd.key]["processInstanceKey"]
    w.event(
        ValueType.JOB,
        "COMPLETED",
        cmd.key,
        {"variables": dict(cmd.value.get("variables") or {}), "processInstanceKey": instance_key},
    )
    advance(engine, w, instance_key)
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


def fail_job(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Fail a job: activatable again with retries left, else an incident."""
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


def throw_error(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Throw a BPMN error for a job; nothing catches it, so it raises an incident."""
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


def update_retries(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Set a job's retries (which must stay positive)."""
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


def update_timeout(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Move an activated job's deadline."""
    guard = frozenset({"ACTIVATED"})
    if (rejected := _job_guard(engine, w, cmd, "update the timeout of", guard)) is not None:
        return rejected
    deadline = engine.clock() + int(cmd.value.get("timeout", 0))
    w.event(ValueType.JOB, "TIMEOUT_UPDATED", cmd.key, {"deadline": deadline})
    return w.done({})


def yield_job(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Give an activated job back (JOB YIELD): activatable again, retries unchanged."""
    guard = frozenset({"ACTIVATED"})
    if (rejected := _job_guard(engine, w, cmd, "yield", guard)) is not None:
        return rejected
    w.event(ValueType.JOB, "YIELDED", cmd.key, {"deadline": -1})
    w.types.add(engine.state.jobs[cmd.key]["type"])
    return w.done({})


def resolve_incident(engine: FakeEngine, w: Writer, cmd: Command) -> CommandResult:
    """Resolve a job incident once the job has retries again."""
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

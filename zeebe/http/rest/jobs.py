"""Job endpoints: activation (long polling as in gRPC, spec 2.2), completion, failure, error,
update (PATCH retries/timeout)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from zeebe.engine.api import Command
from zeebe.http.rest.body import Body, parse_key
from zeebe.http.rest.bridge import REQUEST_TIMEOUT_S, execute, on_loop
from zeebe.http.rest.job_results import engine_result, listener_fields
from zeebe.http.rest.problems import bad_request
from zeebe.records import ValueType

DEFAULT_LONG_POLL_MS = 10_000  # spec 1.1: the gateway's default long-poll timeout


def activated_job(job: dict[str, Any]) -> dict[str, Any]:
    """An engine job as the REST ActivatedJobResult (key -> jobKey, bpmnProcessId -> ...Id)."""
    return {
        "type": job.get("type"),
        "processDefinitionId": job.get("bpmnProcessId"),
        "processDefinitionVersion": job.get("processDefinitionVersion"),
        "elementId": job.get("elementId"),
        "customHeaders": job.get("customHeaders") or {},
        "worker": job.get("worker"),
        "retries": job.get("retries"),
        "deadline": job.get("deadline"),
        "variables": job.get("variables") or {},
        "tenantId": job.get("tenantId"),
        "jobKey": str(job.get("key")),
        "processInstanceKey": str(job.get("processInstanceKey")),
        "processDefinitionKey": str(job.get("processDefinitionKey")),
        "elementInstanceKey": str(job.get("elementInstanceKey")),
        **listener_fields(job),
        "tags": [],
    }


def _positive(body: Body, name: str, violations: list[str]) -> int:
    """A required integer > 0; a missing or smaller one adds JobRequestValidator's text."""
    if body.data.get(name) is None:
        violations.append(f"No {name} provided")
        return 0
    value = body.integer(name)
    if value < 1:
        violations.append(f"The value for {name} is '{value}' but must be greater than 0")
    return value


def _activation_request(body: Body) -> tuple[str, int, int]:
    """type, timeout and maxJobsToActivate, every violation in one problem (as Camunda's
    JobRequestValidator joins them)."""
    violations: list[str] = []
    job_type = body.string("type")
    if not job_type.strip():
        violations.append("No type provided")
    timeout = _positive(body, "timeout", violations)
    max_jobs = _positive(body, "maxJobsToActivate", violations)
    if violations:
        raise bad_request(". ".join(violations))
    return job_type, timeout, max_jobs


def activate() -> Response:
    """POST /v2/jobs/activation: requestTimeout 0 = default long poll, < 0 = no long polling."""
    body = Body.read()
    job_type, timeout, max_jobs = _activation_request(body)
    value: dict[str, Any] = {
        "type": job_type,
        "worker": body.string("worker"),
        "timeout": timeout,
        "maxJobsToActivate": max_jobs,
        "variables": body.strings("fetchVariable"),
        "tenantIds": body.tenants("Activate Jobs"),
    }
    request_timeout = body.integer("requestTimeout")
    long_poll = None if request_timeout < 0 else (request_timeout or DEFAULT_LONG_POLL_MS)
    wait_s = (long_poll or 0) / 1000 + REQUEST_TIMEOUT_S
    jobs = on_loop(lambda broker: broker.activate_jobs(value, long_poll), wait_s)
    return jsonify({"jobs": [activated_job(job) for job in jobs]})


def _job_command(intent: str, key: str, value: dict[str, Any]) -> Response:
    execute(Command(ValueType.JOB, intent, value, key=parse_key(key, "jobKey")))
    return Response(status=204)


def complete(key: str) -> Response:
    """POST /v2/jobs/{key}/completion (optional variables, optional user task listener
    `result`) -> 204."""
    body = Body.read(optional=True)
    value: dict[str, Any] = {"variables": body.document("variables")}
    result = engine_result(body.data.get("result"))
    if result is not None:
        value["result"] = result
    return _job_command("COMPLETE", key, value)


def fail(key: str) -> Response:
    """POST /v2/jobs/{key}/failure: retries is the new absolute count (default 0, spec 2.5)."""
    body = Body.read(optional=True)
    value = {
        "retries": body.integer("retries"),
        "errorMessage": body.string("errorMessage"),
        "retryBackoff": body.integer("retryBackOff"),
        "variables": body.document("variables"),
    }
    return _job_command("FAIL", key, value)


def throw_error(key: str) -> Response:
    """POST /v2/jobs/{key}/error: a BPMN error to be caught by code (spec 2.6)."""
    body = Body.read()
    value = {
        "errorCode": body.string("errorCode", required=True),
        "errorMessage": body.string("errorMessage"),
        "variables": body.document("variables"),
    }
    return _job_command("THROW_ERROR", key, value)


def update(key: str) -> Response:
    """PATCH /v2/jobs/{key} with changeset {retries, timeout}: one command per given field."""
    body = Body.read()
    changeset = Body(body.document("changeset"))
    body.operation_reference()
    retries = changeset.data.get("retries")
    timeout = changeset.data.get("timeout")
    if retries is None and timeout is None:
        raise bad_request("At least one of [retries, timeout] is required")
    # Camunda applies the changeset as one JOB UPDATE; here it is two commands, ordered so
    # that a rejection comes before anything changed: retries below 1 are refused whatever the
    # job's state, the timeout needs an activated job, and retries >= 1 on a job that is still
    # there after the timeout update always succeed.
    commands = []
    if retries is not None:
        commands.append(("UPDATE_RETRIES", {"retries": changeset.integer("retries")}))
    if timeout is not None:
        commands.append(("UPDATE_TIMEOUT", {"timeout": changeset.integer("timeout")}))
    if retries is not None and changeset.integer("retries") >= 1:
        commands.reverse()
    for intent, value in commands:
        _job_command(intent, key, value)
    return Response(status=204)


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule("/jobs/activation", view_func=activate, methods=["POST"])
    blueprint.add_url_rule("/jobs/<key>/completion", view_func=complete, methods=["POST"])
    blueprint.add_url_rule("/jobs/<key>/failure", view_func=fail, methods=["POST"])
    blueprint.add_url_rule("/jobs/<key>/error", view_func=throw_error, methods=["POST"])
    blueprint.add_url_rule("/jobs/<key>", view_func=update, methods=["PATCH"])

"""Job commands (spec 2): activation, completion, failure, errors, retries and timeouts."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.ad_hoc_jobs import AD_HOC_JOB_KIND
from zeebe.engine.bpmn.ad_hoc_jobs import complete_job as complete_ad_hoc_job
from zeebe.engine.bpmn.errors import find_catch, throw_error
from zeebe.engine.bpmn.execution_listeners import complete_listener_job as complete_el_job
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.variables import set_locals, visible
from zeebe.engine.context import Context
from zeebe.engine.processors.task_listener_jobs import (
    completion_violation,
    listener_job_completed,
    normalized_result,
)
from zeebe.records import Record, RejectionType, ValueType
from zeebe.state import Job, JobState

LIVE = (JobState.ACTIVATABLE, JobState.ACTIVATED)
NO_CATCH_EVENT_FOUND = "NO_CATCH_EVENT_FOUND"
# Zeebe's JobThrowErrorProcessor: listener jobs cannot throw BPMN errors
THROWING_KINDS = ("BPMN_ELEMENT", "AD_HOC_SUB_PROCESS")


def _job_for(ctx: Context, command: Record, verb: str, allowed: tuple[JobState, ...]) -> Job | None:
    """Precondition guard: NOT_FOUND if missing, INVALID_STATE if in a state not allowed."""
    job = ctx.state.jobs.get(command.key)
    if job is None:
        reason = f"Expected to {verb} job with key '{command.key}', but no such job was found"
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return None
    if job.state not in allowed:
        reason = (
            f"Expected to {verb} job with key '{command.key}', but it is in state '{job.state}'"
        )
        ctx.reject(command, RejectionType.INVALID_STATE, reason)
        return None
    return job


MAX_ERROR_MESSAGE_SIZE = 10_000  # EngineConfiguration.DEFAULT_MAX_ERROR_MESSAGE_SIZE


def _limited(message: str) -> str:
    """A worker's error message as Zeebe keeps it: cut at 10,000 characters, then '...'
    (StringUtil.limitString in JobFailProcessor / JobThrowErrorProcessor)."""
    if len(message) <= MAX_ERROR_MESSAGE_SIZE:
        return message
    return message[:MAX_ERROR_MESSAGE_SIZE] + "..."


def _variables(command: Record) -> dict[str, Any]:
    variables = command.value.get("variables") or {}
    return dict(variables)


def _invalid_batch(limit: int, timeout: int, job_type: str) -> str | None:
    """JobBatchActivateProcessor's checks, in its order (the gateway checks them first too)."""
    text = "Expected to activate job batch with {} to be {}, but it was {}"
    if limit < 1:
        return text.format("max jobs to activate", "greater than zero", f"'{limit}'")
    if timeout < 1:
        return text.format("timeout", "greater than zero", f"'{timeout}'")
    if not job_type:
        return text.format("type", "present", "blank")
    return None


def activate_batch(ctx: Context, command: Record) -> None:
    """Activate up to maxJobsToActivate jobs of a type, FIFO (spec 2.2)."""
    value = command.value
    job_type = str(value.get("type", ""))
    worker = str(value.get("worker", ""))
    timeout = int(value.get("timeout", 0))
    limit = int(value.get("maxJobsToActivate", 0))
    invalid = _invalid_batch(limit, timeout, job_type)
    if invalid is not None:
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, invalid)
        return
    fetch = [str(name) for name in value.get("variables") or []]
    queue = ctx.state.activatable.get(job_type)
    keys = list(itertools.islice(queue, max(limit, 0))) if queue else []
    jobs = [_activated(ctx, ctx.state.jobs[key], worker, timeout, fetch) for key in keys]
    ctx.event(
        ctx.next_key(),
        ValueType.JOB_BATCH,
        "ACTIVATED",
        {
            "type": job_type,
            "worker": worker,
            "timeout": timeout,
            "maxJobsToActivate": limit,
            "jobKeys": keys,
            "jobs": jobs,
            "variables": fetch,
            "truncated": False,
            "tenantIds": list(value.get("tenantIds") or []),
        },
    )
    ctx.respond({"jobs": [_response_job(key, job) for key, job in zip(keys, jobs, strict=True)]})


def _activated(
    ctx: Context, job: Job, worker: str, timeout: int, fetch: list[str]
) -> dict[str, Any]:
    variables = visible(ctx.state, int(job.value["elementInstanceKey"]))
    if fetch:
        chosen = {name: variables[name] for name in fetch if name in variables}
    else:
        chosen = variables.to_dict()
    return job.value | {
        "worker": worker,
        "deadline": ctx.now + timeout,
        "timeout": timeout,
        "variables": chosen,
    }


_RESPONSE_FIELDS = (
    "type",
    "processInstanceKey",
    "bpmnProcessId",
    "processDefinitionVersion",
    "processDefinitionKey",
    "elementId",
    "elementInstanceKey",
    "customHeaders",
    "worker",
    "retries",
    "deadline",
    "variables",
    "tenantId",
)
# 8.8 ActivatedJob fields (REST carries them; pyzeebe's 8.7 gRPC proto has no such fields)
_KIND_FIELDS = ("jobKind", "jobListenerEventType")

TASK_LISTENER = "TASK_LISTENER"
NO_RETRIES_ERROR_TYPE = {
    TASK_LISTENER: "TASK_LISTENER_NO_RETRIES",
    "EXECUTION_LISTENER": "EXECUTION_LISTENER_NO_RETRIES",
    AD_HOC_JOB_KIND: "AD_HOC_SUB_PROCESS_NO_RETRIES",
}
"""The incident error type of a job without retries, by job kind (default JOB_NO_RETRIES)."""


def _response_job(key: int, value: dict[str, Any]) -> dict[str, Any]:
    response = {"key": key} | {name: value[name] for name in _RESPONSE_FIELDS}
    return response | {name: value[name] for name in _KIND_FIELDS if name in value}


def _complete_listener_job(ctx: Context, command: Record, job: Job) -> None:
    """A task listener job: checked, then it denies or corrects and continues the user task's
    transition (`task_listener_jobs`)."""
    result = normalized_result(command.value.get("result"))
    violation = completion_violation(ctx, job.key, _variables(command), result)
    if violation is not None:
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, violation)
        return
    completed = job.value | {"variables": {}, "result": result}
    ctx.event(job.key, ValueType.JOB, "COMPLETED", completed)
    listener_job_completed(ctx, job.value, result)
    ctx.respond({})


def complete(ctx: Context, command: Record) -> None:
    """Complete the job and its task; variables propagate per spec 2.4."""
    job = _job_for(ctx, command, "complete", LIVE)
    if job is None:
        return
    if job.value.get("jobKind") == TASK_LISTENER:
        _complete_listener_job(ctx, command, job)
        return
    if job.value.get("jobKind") == "EXECUTION_LISTENER":
        complete_el_job(ctx, command, job)
        return
    if job.value.get("jobKind") == AD_HOC_JOB_KIND:
        complete_ad_hoc_job(ctx, command, job)
        return
    ctx.event(job.key, ValueType.JOB, "COMPLETED", job.value | {"variables": _variables(command)})
    instance = ctx.state.instances.get(int(job.value["elementInstanceKey"]))
    if instance is not None and instance.state == lifecycle.ACTIVATED:
        lifecycle.complete(ctx, instance)
    ctx.respond({})


def fail(ctx: Context, command: Record) -> None:
    """Absolute retries; back-off; no retries -> incident JOB_NO_RETRIES (spec 2.5)."""
    job = _job_for(ctx, command, "fail", LIVE)
    if job is None:
        return
    value = command.value
    retries = int(value.get("retries", 0))
    message = _limited(str(value.get("errorMessage", "")))
    backoff = int(value.get("retryBackoff", 0))
    failed = job.value | {
        "retries": retries,
        "errorMessage": message,
        "retryBackoff": backoff,
        "variables": _variables(command),
    }  # the record keeps the activation's worker and deadline (FailJobTest.shouldFail)
    if backoff > 0:
        failed["recurringTime"] = ctx.now + backoff
    ctx.event(job.key, ValueType.JOB, "FAILED", failed)
    instance = ctx.state.instances.get(int(job.value["elementInstanceKey"]))
    if instance is not None and _variables(command):
        set_locals(ctx, instance.key, _variables(command))
    if retries <= 0 and instance is not None:
        incident_message = message or "No more retries left."
        error_type = NO_RETRIES_ERROR_TYPE.get(str(job.value.get("jobKind")), "JOB_NO_RETRIES")
        raise_incident(ctx, instance, error_type, incident_message, job_key=job.key)
    elif retries > 0 and backoff <= 0:
        ctx.jobs_available(str(job.value["type"]))
    ctx.respond({})


def throw(ctx: Context, command: Record) -> None:
    """A BPMN error from a worker: caught by the nearest matching catch event (spec 2.6)."""
    job = _job_for(ctx, command, "throw an error for", LIVE)
    if job is None:
        return
    kind = str(job.value.get("jobKind") or "BPMN_ELEMENT")
    if kind not in THROWING_KINDS:
        reason = (
            f"Cannot throw BPMN error from {kind} job with key '{job.key}', type "
            f"'{job.value['type']}' and processInstanceKey '{job.value['processInstanceKey']}'"
        )
        ctx.reject(command, RejectionType.INVALID_STATE, reason)
        return
    value = command.value
    code = str(value.get("errorCode", ""))
    message = _limited(str(value.get("errorMessage", "")))
    thrown = job.value | {
        "errorCode": code,
        "errorMessage": message,
        "variables": _variables(command),
    }
    instance = ctx.state.instances.get(int(job.value["elementInstanceKey"]))
    if instance is None or not isinstance(find_catch(ctx, instance, code), tuple):
        # JobThrowErrorProcessor's marker: the job stays (for the incident) instead of being
        # deleted with its caught error (JobErrorThrownApplier)
        thrown["elementId"] = NO_CATCH_EVENT_FOUND
    ctx.event(job.key, ValueType.JOB, "ERROR_THROWN", thrown)
    if instance is not None:
        unhandled = throw_error(ctx, instance, code, message, _variables(command))
        if unhandled is not None:
            raise_incident(ctx, instance, "UNHANDLED_ERROR_EVENT", unhandled, job_key=job.key)
    ctx.respond({})


def update_retries(ctx: Context, command: Record) -> None:
    """Set the remaining retries (must be positive); does not by itself resolve an incident."""
    retries = int(command.value.get("retries", 0))
    job = _job_for(ctx, command, "update retries for", tuple(JobState))
    if job is None:
        return
    if retries <= 0:
        reason = (
            f"Expected to update retries for job with key '{command.key}' with a positive "
            f"amount of retries, but the amount given was '{retries}'"
        )
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, reason)
        return
    ctx.event(job.key, ValueType.JOB, "RETRIES_UPDATED", job.value | {"retries": retries})
    ctx.respond({})


def update_timeout(ctx: Context, command: Record) -> None:
    """The new deadline is now + timeout (spec 2.3); only for activated jobs."""
    job = _job_for(ctx, command, "update the timeout of", tuple(JobState))
    if job is None:
        return
    if job.state is not JobState.ACTIVATED:
        # JobUpdateTimeoutProcessor: no deadline, whatever the state
        reason = f"Expected to update the timeout of job with key '{job.key}', but it is not active"
        ctx.reject(command, RejectionType.INVALID_STATE, reason)
        return
    timeout = int(command.value.get("timeout", 0))
    updated = job.value | {"timeout": timeout, "deadline": ctx.now + timeout}
    ctx.event(job.key, ValueType.JOB, "TIMEOUT_UPDATED", updated)
    ctx.respond({})


JOB_PROCESSORS: dict[tuple[ValueType, str], Callable[[Context, Record], None]] = {
    (ValueType.JOB_BATCH, "ACTIVATE"): activate_batch,
    (ValueType.JOB, "COMPLETE"): complete,
    (ValueType.JOB, "FAIL"): fail,
    (ValueType.JOB, "THROW_ERROR"): throw,
    (ValueType.JOB, "UPDATE_RETRIES"): update_retries,
    (ValueType.JOB, "UPDATE_TIMEOUT"): update_timeout,
}

"""Event appliers for JOB and JOB_BATCH records."""

from __future__ import annotations

import heapq
from collections.abc import Callable

from zeebe.engine.appliers_user_tasks import listener_job_completed
from zeebe.records import Record, ValueType
from zeebe.state import EngineState, EventTrigger, Job, JobState

Applier = Callable[[EngineState, Record], None]


def _created(state: EngineState, record: Record) -> None:
    job = Job(key=record.key, state=JobState.FAILED, value=record.value)
    state.jobs[record.key] = job
    state.set_job_state(job, JobState.ACTIVATABLE)
    instance = state.instances.get(int(record.value["elementInstanceKey"]))
    if instance is not None:
        instance.job_key = record.key
        if record.value.get("jobKind") == "EXECUTION_LISTENER":
            instance.execution_listener_index += 1


def _batch_activated(state: EngineState, record: Record) -> None:
    for key, value in zip(record.value["jobKeys"], record.value["jobs"], strict=True):
        job = state.jobs[int(key)]
        job.value = value
        job.deadline = int(value["deadline"])
        state.set_job_state(job, JobState.ACTIVATED)
        heapq.heappush(state.job_deadlines, (job.deadline, job.key))


def _completed(state: EngineState, record: Record) -> None:
    value = record.value
    state.remove_job(record.key)
    if value.get("jobKind") == "TASK_LISTENER":
        listener_job_completed(state, record)
        return
    if value.get("jobKind") == "EXECUTION_LISTENER":
        return  # its variables are merged when it completes, not kept as the element's result
    if value.get("jobKind") == "AD_HOC_SUB_PROCESS":
        return  # its variables are merged at once, not kept for a completing element
    state.triggers[int(value["elementInstanceKey"])] = EventTrigger(
        element_id=str(value["elementId"]), variables=dict(value["variables"]), key=record.key
    )


def _removed(state: EngineState, record: Record) -> None:
    state.remove_job(record.key)


def _failed(state: EngineState, record: Record) -> None:
    job = state.jobs[record.key]
    job.value = record.value
    job.deadline = -1
    retries = int(record.value["retries"])
    backoff = int(record.value.get("retryBackoff", 0))
    if retries > 0 and backoff > 0:
        job.recur_at = record.timestamp + backoff
        heapq.heappush(state.job_backoffs, (job.recur_at, job.key))
        state.set_job_state(job, JobState.FAILED)
    elif retries > 0:
        state.set_job_state(job, JobState.ACTIVATABLE)
    else:
        state.set_job_state(job, JobState.FAILED)


def _made_activatable(state: EngineState, record: Record) -> None:
    job = state.jobs[record.key]
    job.value = record.value
    job.deadline = -1
    job.recur_at = -1
    state.set_job_state(job, JobState.ACTIVATABLE)


NO_CATCH_EVENT_FOUND = "NO_CATCH_EVENT_FOUND"  # JobThrowErrorProcessor's marker element id


def _error_thrown(state: EngineState, record: Record) -> None:
    """A caught error deletes the job, so terminating its task cancels nothing (Zeebe's
    JobErrorThrownApplier); an uncaught one keeps it for the incident."""
    job = state.jobs[record.key]
    job.value = record.value
    job.deadline = -1
    state.set_job_state(job, JobState.ERROR_THROWN)
    if record.value.get("elementId") != NO_CATCH_EVENT_FOUND:
        instance = state.instances.get(int(record.value["elementInstanceKey"]))
        if instance is not None and instance.job_key == record.key:
            instance.job_key = -1
        state.remove_job(record.key)


def _value_updated(state: EngineState, record: Record) -> None:
    job = state.jobs[record.key]
    job.value = record.value


def _timeout_updated(state: EngineState, record: Record) -> None:
    job = state.jobs[record.key]
    job.value = record.value
    job.deadline = int(record.value["deadline"])
    heapq.heappush(state.job_deadlines, (job.deadline, job.key))


APPLIERS: dict[tuple[ValueType, str], Applier] = {
    (ValueType.JOB, "CREATED"): _created,
    (ValueType.JOB_BATCH, "ACTIVATED"): _batch_activated,
    (ValueType.JOB, "COMPLETED"): _completed,
    (ValueType.JOB, "CANCELED"): _removed,
    (ValueType.JOB, "FAILED"): _failed,
    (ValueType.JOB, "TIMED_OUT"): _made_activatable,
    (ValueType.JOB, "RECURRED_AFTER_BACKOFF"): _made_activatable,
    (ValueType.JOB, "YIELDED"): _made_activatable,
    (ValueType.JOB, "ERROR_THROWN"): _error_thrown,
    (ValueType.JOB, "RETRIES_UPDATED"): _value_updated,
    (ValueType.JOB, "TIMEOUT_UPDATED"): _timeout_updated,
}

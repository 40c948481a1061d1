"""Job projections: job events and job batches change the `jobs` table.

Like the other projection modules, each (value type, intent) maps to one function in
`PROJECTIONS`; `zeebe.readmodel.projections` merges them into its registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zeebe.readmodel.tables import Row, Tables
from zeebe.records import Record, ValueType

Projection = Callable[[Tables, Record], None]

# Job intents that are states of the 8.8 JobState enum; other intents only update fields.
JOB_STATES = frozenset(
    {"CREATED", "COMPLETED", "CANCELED", "ERROR_THROWN", "FAILED", "RETRIES_UPDATED", "TIMED_OUT"}
)
JOB_ENDED = frozenset({"COMPLETED", "CANCELED", "ERROR_THROWN"})


def _job_row(key: int, value: dict[str, Any]) -> Row:
    return {
        "jobKey": key,
        "type": str(value.get("type", "")),
        "state": "CREATED",
        "kind": str(value.get("jobKind") or "BPMN_ELEMENT"),
        "listenerEventType": str(value.get("jobListenerEventType") or "UNSPECIFIED"),
        "worker": str(value.get("worker", "")),
        "retries": int(value.get("retries", 0)),
        "errorCode": str(value.get("errorCode", "")),
        "errorMessage": str(value.get("errorMessage", "")),
        "hasFailedWithRetriesLeft": False,
        "jobFailedWithRetriesLeft": False,
        "deadline": None,
        "endTime": None,
        "elementId": str(value.get("elementId", "")),
        "elementInstanceKey": int(value.get("elementInstanceKey", -1)),
        "processInstanceKey": int(value.get("processInstanceKey", -1)),
        "processDefinitionKey": int(value.get("processDefinitionKey", -1)),
        "processDefinitionId": str(value.get("bpmnProcessId", "")),
        "tenantId": str(value.get("tenantId", "")),
        "customHeaders": dict(value.get("customHeaders") or {}),
    }


def job_event(tables: Tables, record: Record) -> None:
    """Every job event refreshes the job's fields; state-like intents also set its state."""
    value = record.value
    row = tables.rows["jobs"].get(record.key) or _job_row(record.key, value)
    retries: Any = value.get("retries", row["retries"])
    row["retries"] = int(retries)
    row["worker"] = str(value.get("worker", row["worker"]))
    row["errorCode"] = str(value.get("errorCode", row["errorCode"]))
    row["errorMessage"] = str(value.get("errorMessage", row["errorMessage"]))
    deadline = int(value.get("deadline", -1))
    row["deadline"] = deadline if deadline > 0 else None
    if record.intent in JOB_STATES:
        row["state"] = record.intent
    if record.intent == "FAILED":
        row["hasFailedWithRetriesLeft"] = row["retries"] > 0
    # Operate's list view flag: only while the latest job event is a failure with retries left
    # (the process-instance filter `hasRetriesLeft`); the job's own field above stays set.
    row["jobFailedWithRetriesLeft"] = record.intent == "FAILED" and row["retries"] > 0
    if record.intent in JOB_ENDED:
        row["endTime"] = record.timestamp
    tables.put_child("jobs", record.key, row)


def jobs_activated(tables: Tables, record: Record) -> None:
    """A job batch hands jobs to a worker: worker and deadline change, the state does not."""
    keys = record.value.get("jobKeys") or []
    jobs = record.value.get("jobs") or []
    for key, job in zip(keys, jobs, strict=False):
        row = tables.rows["jobs"].get(int(key))
        if row is None:
            continue
        row["worker"] = str(job.get("worker", row["worker"]))
        deadline = int(job.get("deadline", -1))
        row["deadline"] = deadline if deadline > 0 else None
        row["retries"] = int(job.get("retries", row["retries"]))


_JOB_INTENTS = (
    "CREATED",
    "COMPLETED",
    "FAILED",
    "ERROR_THROWN",
    "CANCELED",
    "RETRIES_UPDATED",
    "TIMED_OUT",
    "TIMEOUT_UPDATED",
    "RECURRED_AFTER_BACKOFF",
    "YIELDED",
)

PROJECTIONS: dict[tuple[ValueType, str], Projection] = {
    (ValueType.JOB_BATCH, "ACTIVATED"): jobs_activated,
    **{(ValueType.JOB, intent): job_event for intent in _JOB_INTENTS},
}

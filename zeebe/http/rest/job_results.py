"""REST shapes of user task listener jobs (Orchestration Cluster API 8.8, spec 8.2).

`POST /v2/jobs/{key}/completion` takes an optional `result`: a JobResultUserTask `{type:
"userTask" (8.8 discriminator; optional, as in 8.7), denied, deniedReason, corrections:
{assignee, dueDate, followUpDate, candidateUsers, candidateGroups, priority}}`. A correction
that is absent or null keeps the task's value; "" or [] clears it (docs "Correcting user task
data"). The engine gets the JOB record's result shape (`correctedAttributes` + `corrections`
with the record's field names) and checks the attribute names itself.

An activated job answers `kind`, `listenerEventType` and, for a task listener job, `userTask`
(UserTaskProperties) built from the job's reserved headers.
"""

from __future__ import annotations

import json
from typing import Any

from zeebe.http.rest.ad_hoc import job_result as ad_hoc_job_result
from zeebe.http.rest.problems import bad_request

USER_TASK_RESULT = "usertask"
AD_HOC_RESULT = "adhocsubprocess"
PREFIX = "io.camunda.zeebe:"

_RECORD_FIELDS = {"candidateUsers": "candidateUsersList", "candidateGroups": "candidateGroupsList"}
_STRINGS = ("assignee", "dueDate", "followUpDate")
_LISTS = ("candidateUsers", "candidateGroups")


def _checked(name: str, value: Any) -> Any:
    """A correction value of the documented type, else 400."""
    if name in _STRINGS and not isinstance(value, str):
        raise bad_request(f"The correction '{name}' must be a string")
    if name in _LISTS and not (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ):
        raise bad_request(f"The correction '{name}' must be an array of strings")
    if name == "priority" and (
        isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100
    ):
        raise bad_request("The correction 'priority' must be an integer between 0 and 100")
    return value


def engine_result(raw: Any) -> dict[str, Any] | None:
    """The JOB COMPLETE `result` for a REST `result`, or None when there is none."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise bad_request("The job result must be an object")
    kind = str(raw.get("type") or "userTask").replace("_", "").lower()  # any casing
    if kind == AD_HOC_RESULT:
        return ad_hoc_job_result(raw)
    if kind != USER_TASK_RESULT:
        raise bad_request(f"Unknown job result type '{raw.get('type')}'")
    corrections = raw.get("corrections") or {}
    if not isinstance(corrections, dict):
        raise bad_request("The job result corrections must be an object")
    present = {name: _checked(name, v) for name, v in corrections.items() if v is not None}
    return {
        "type": "USER_TASK",
        "denied": bool(raw.get("denied") or False),
        "deniedReason": str(raw.get("deniedReason") or ""),
        "correctedAttributes": list(present),
        "corrections": {_RECORD_FIELDS.get(name, name): v for name, v in present.items()},
    }


def _header_list(text: str | None) -> list[str]:
    return list(json.loads(text)) if text else []


def user_task_properties(headers: dict[str, str]) -> dict[str, Any]:
    """UserTaskProperties of a task listener job, from its reserved headers."""

    def header(name: str) -> str | None:
        return headers.get(PREFIX + name)

    priority = header("priority")
    return {
        "action": header("action") or "",
        "assignee": header("assignee"),
        "candidateGroups": _header_list(header("candidateGroups")),
        "candidateUsers": _header_list(header("candidateUsers")),
        "changedAttributes": _header_list(header("changedAttributes")),
        "dueDate": header("dueDate"),
        "followUpDate": header("followUpDate"),
        "formKey": header("formKey"),
        "priority": int(priority) if priority else None,
        "userTaskKey": header("userTaskKey"),
    }


def listener_fields(job: dict[str, Any]) -> dict[str, Any]:
    """`kind`, `listenerEventType` and `userTask` of an ActivatedJobResult."""
    kind = str(job.get("jobKind") or "BPMN_ELEMENT")
    user_task = None
    if kind == "TASK_LISTENER":
        user_task = user_task_properties(dict(job.get("customHeaders") or {}))
    return {
        "kind": kind,
        "listenerEventType": str(job.get("jobListenerEventType") or "UNSPECIFIED"),
        "userTask": user_task,
    }

"""Projections of USER_TASK events into the `userTasks` table (the REST UserTaskResult shape).

The row's state follows Zeebe's user task lifecycle: a transition in progress (ASSIGNING,
UPDATING, COMPLETING, CANCELING) shows as such, ASSIGNED and UPDATED settle back to CREATED,
COMPLETED and CANCELED are final and set `completionDate`. A task listener's denial
(*_DENIED) settles back to CREATED with the task's previous data; CORRECTED (pending listener
corrections) changes nothing until the transition finishes. Dates of the record (ISO text) are
stored as epoch milliseconds like every date of the read model; an empty value is null.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from zeebe.readmodel.filters import ExtraFactory, Extras, SearchError
from zeebe.readmodel.schema import parse_date
from zeebe.readmodel.tables import Row, Tables
from zeebe.records import Record, ValueType

Projection = Callable[[Tables, Record], None]

# USER_TASK intent -> the state shown by the API (Zeebe's `UserTaskState`).
ROW_STATES: dict[str, str] = {
    "CREATING": "CREATING",
    "CREATED": "CREATED",
    "ASSIGNING": "ASSIGNING",
    "CLAIMING": "ASSIGNING",
    "ASSIGNED": "CREATED",
    "UPDATING": "UPDATING",
    "UPDATED": "CREATED",
    "COMPLETING": "COMPLETING",
    "COMPLETED": "COMPLETED",
    "CANCELING": "CANCELING",
    "CANCELED": "CANCELED",
    # a task listener denied the transition: the event carries the task as it was before
    "COMPLETION_DENIED": "CREATED",
    "ASSIGNMENT_DENIED": "CREATED",
    "UPDATE_DENIED": "CREATED",
}
FINAL = frozenset({"COMPLETED", "CANCELED"})


def _date_or_none(text: Any) -> int | None:
    if not text:
        return None
    try:
        return parse_date(str(text))
    except ValueError:
        return None  # not a date the API can render: shown as absent rather than failing


def _text_or_none(value: Any) -> str | None:
    return str(value) if value else None


def _names(tables: Tables, value: dict[str, Any]) -> tuple[str | None, str | None]:
    """The task's element name and its process's name, from the deployed XML."""
    names = tables.element_names.get(int(value.get("processDefinitionKey", -1)), {})
    return names.get(str(value.get("elementId"))), names.get(str(value.get("bpmnProcessId")))


def _fields(tables: Tables, value: dict[str, Any]) -> Row:
    """The row fields every USER_TASK event may change."""
    form_key = int(value.get("formKey", -1))
    return {
        "assignee": _text_or_none(value.get("assignee")),
        "candidateGroups": list(value.get("candidateGroupsList") or []),
        "candidateUsers": list(value.get("candidateUsersList") or []),
        "dueDate": _date_or_none(value.get("dueDate")),
        "followUpDate": _date_or_none(value.get("followUpDate")),
        "priority": int(value.get("priority", 50)),
        "formKey": form_key if form_key >= 0 else None,
        "externalFormReference": _text_or_none(value.get("externalFormReference")),
    }


def _new_row(tables: Tables, record: Record) -> Row:
    value = record.value
    name, process_name = _names(tables, value)
    return {
        "userTaskKey": record.key,
        "name": name,
        "state": "CREATING",
        "elementId": str(value.get("elementId", "")),
        "elementInstanceKey": int(value.get("elementInstanceKey", -1)),
        "processDefinitionId": str(value.get("bpmnProcessId", "")),
        "processName": process_name,
        "processDefinitionKey": int(value.get("processDefinitionKey", -1)),
        "processDefinitionVersion": int(value.get("processDefinitionVersion", 0)),
        "processInstanceKey": int(value.get("processInstanceKey", -1)),
        "creationDate": int(value.get("creationTimestamp") or record.timestamp),
        "completionDate": None,
        "customHeaders": dict(value.get("customHeaders") or {}),
        "tenantId": str(value.get("tenantId", "")),
        "tags": [],
    }


def user_task_event(tables: Tables, record: Record) -> None:
    """Every USER_TASK event refreshes the task's fields and sets its state."""
    row = tables.rows["userTasks"].get(record.key) or _new_row(tables, record)
    row.update(_fields(tables, record.value))
    row["state"] = ROW_STATES[record.intent]
    if record.intent in FINAL:
        row["completionDate"] = record.timestamp
    tables.put_child("userTasks", record.key, row)


def contains(field: str) -> ExtraFactory:
    """`candidateGroup` / `candidateUser` filters: the row's list contains the given name (a
    plain value, or `{"$eq": name}` / `{"$in": [names]}`)."""

    def make(condition: Any, where: str) -> Callable[[Row], bool]:
        wanted = _names_of(condition, where)
        return lambda row: any(name in wanted for name in row.get(field) or ())

    return make


def _names_of(condition: Any, where: str) -> frozenset[str]:
    if isinstance(condition, str):
        return frozenset({condition})
    if isinstance(condition, dict) and set(condition) <= {"$eq", "$in"} and condition:
        names: Iterable[Any] = [condition["$eq"]] if "$eq" in condition else []
        names = [*names, *(condition.get("$in") or [])]
        if all(isinstance(name, str) for name in names):
            return frozenset(names)
    raise SearchError(where, "expected a name, {$eq: name} or {$in: [names]}")


EXTRA_FILTERS = Extras(
    fields={
        "candidateGroup": contains("candidateGroups"),
        "candidateUser": contains("candidateUsers"),
    }
)

PROJECTIONS: dict[tuple[ValueType, str], Projection] = {
    (ValueType.USER_TASK, intent): user_task_event for intent in ROW_STATES
}

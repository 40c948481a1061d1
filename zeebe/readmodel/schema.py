"""The read model's tables: their key column and the kind of every searchable field.

Rows are plain dicts in the REST result shape (spec 8.2) with keys kept as ints and dates as
epoch milliseconds, so sorting and range filters compare numbers; `to_api` turns a row into the
JSON the REST API answers (keys as strings, dates as ISO 8601).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a field is compared, filtered and rendered."""

    KEY = "key"
    STRING = "string"
    ENUM = "enum"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    OBJECT = "object"


@dataclass(frozen=True, slots=True)
class TableSchema:
    """One table: its key column, its fields (name -> kind) and the fields hidden from the API."""

    name: str
    key: str
    fields: dict[str, Kind]
    hidden: frozenset[str] = frozenset()

    def searchable(self, field: str) -> bool:
        """Fields that may appear in `filter` and `sort` (objects and hidden fields may not)."""
        kind = self.fields.get(field)
        return kind is not None and kind is not Kind.OBJECT and field not in self.hidden


K, S, E, N, B, D, OBJ = (
    Kind.KEY,
    Kind.STRING,
    Kind.ENUM,
    Kind.INT,
    Kind.BOOL,
    Kind.DATE,
    Kind.OBJECT,
)

PROCESS_DEFINITIONS = TableSchema(
    "processDefinitions",
    "processDefinitionKey",
    {
        "processDefinitionKey": K,
        "processDefinitionId": S,
        "name": S,
        "version": N,
        "versionTag": S,
        "resourceName": S,
        "tenantId": S,
        "hasStartForm": B,
        "bpmnXml": S,
    },
    hidden=frozenset({"bpmnXml"}),
)
PROCESS_INSTANCES = TableSchema(
    "processInstances",
    "processInstanceKey",
    {
        "processInstanceKey": K,
        "processDefinitionId": S,
        "processDefinitionName": S,
        "processDefinitionVersion": N,
        "processDefinitionVersionTag": S,
        "processDefinitionKey": K,
        "parentProcessInstanceKey": K,
        "parentElementInstanceKey": K,
        "startDate": D,
        "endDate": D,
        "state": E,
        "hasIncident": B,
        "tenantId": S,
        "tags": OBJ,
    },
)
ELEMENT_INSTANCES = TableSchema(
    "elementInstances",
    "elementInstanceKey",
    {
        "elementInstanceKey": K,
        "processInstanceKey": K,
        "processDefinitionKey": K,
        "processDefinitionId": S,
        "elementId": S,
        "elementName": S,
        "type": E,
        "state": E,
        "startDate": D,
        "endDate": D,
        "hasIncident": B,
        "incidentKey": K,
        "tenantId": S,
        "flowScopeKey": K,
    },
    # kept for scope walks (user task variables), not part of ElementInstanceResult
    hidden=frozenset({"flowScopeKey"}),
)
INCIDENTS = TableSchema(
    "incidents",
    "incidentKey",
    {
        "incidentKey": K,
        "processDefinitionKey": K,
        "processDefinitionId": S,
        "processInstanceKey": K,
        "errorType": E,
        "errorMessage": S,
        "elementId": S,
        "elementInstanceKey": K,
        "creationTime": D,
        "state": E,
        "jobKey": K,
        "tenantId": S,
    },
)
VARIABLES = TableSchema(
    "variables",
    "variableKey",
    {
        "variableKey": K,
        "name": S,
        "value": S,
        "isTruncated": B,
        "scopeKey": K,
        "processInstanceKey": K,
        "tenantId": S,
    },
)
JOBS = TableSchema(
    "jobs",
    "jobKey",
    {
        "jobKey": K,
        "type": S,
        "state": E,
        "kind": E,
        "listenerEventType": E,
        "worker": S,
        "retries": N,
        "errorCode": S,
        "errorMessage": S,
        "hasFailedWithRetriesLeft": B,
        "jobFailedWithRetriesLeft": B,
        "deadline": D,
        "endTime": D,
        "elementId": S,
        "elementInstanceKey": K,
        "processInstanceKey": K,
        "processDefinitionKey": K,
        "processDefinitionId": S,
        "tenantId": S,
        "customHeaders": OBJ,
    },
    hidden=frozenset({"jobFailedWithRetriesLeft"}),
)
USER_TASKS = TableSchema(
    "userTasks",
    "userTaskKey",
    {
        "userTaskKey": K,
        "name": S,
        "state": E,
        "assignee": S,
        "elementId": S,
        "elementInstanceKey": K,
        "candidateGroups": OBJ,
        "candidateUsers": OBJ,
        "processDefinitionId": S,
        "processName": S,
        "processDefinitionKey": K,
        "processDefinitionVersion": N,
        "processInstanceKey": K,
        "creationDate": D,
        "completionDate": D,
        "dueDate": D,
        "followUpDate": D,
        "priority": N,
        "formKey": K,
        "externalFormReference": S,
        "customHeaders": OBJ,
        "tenantId": S,
        "tags": OBJ,
    },
)

SCHEMAS: dict[str, TableSchema] = {
    schema.name: schema
    for schema in (
        PROCESS_DEFINITIONS,
        PROCESS_INSTANCES,
        ELEMENT_INSTANCES,
        INCIDENTS,
        VARIABLES,
        JOBS,
        USER_TASKS,
    )
}


def iso_date(millis: int) -> str:
    """Epoch milliseconds as the ISO 8601 UTC timestamp the REST API uses."""
    moment = datetime.fromtimestamp(millis / 1000, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_date(text: str) -> int:
    """ISO 8601 (a trailing Z is accepted) as epoch milliseconds; ValueError when malformed."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


_RENDER: dict[Kind, Callable[[Any], str]] = {
    Kind.KEY: str,
    Kind.DATE: iso_date,
}


def to_api(schema: TableSchema, row: dict[str, Any]) -> dict[str, Any]:
    """A row as the REST API answers it: keys as strings, dates as ISO 8601, hidden fields out."""
    result: dict[str, Any] = {}
    for name, value in row.items():
        if name in schema.hidden:
            continue
        render = _RENDER.get(schema.fields.get(name, Kind.OBJECT))
        result[name] = render(value) if render is not None and value is not None else value
    return result

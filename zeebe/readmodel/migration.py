"""Projections of process instance migration: rows move to the target definition.

A migrated element instance, job, user task or incident keeps its key and state; its definition
fields (key, id, version, element id and the names taken from the deployed XML) follow the
MIGRATED event, as Operate shows a migrated instance under its new process version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zeebe.readmodel.tables import Row, Tables
from zeebe.records import Record, ValueType

Projection = Callable[[Tables, Record], None]


def _definition_fields(value: dict[str, Any]) -> Row:
    return {
        "processDefinitionKey": int(value.get("processDefinitionKey", -1)),
        "processDefinitionId": str(value.get("bpmnProcessId", "")),
    }


def _element_name(tables: Tables, value: dict[str, Any]) -> str:
    names = tables.element_names.get(int(value.get("processDefinitionKey", -1)), {})
    element_id = str(value.get("elementId", ""))
    return names.get(element_id, element_id)


def element_migrated(tables: Tables, record: Record) -> None:
    """The element instance (and, for the process, the instance row) shows the new definition."""
    value = record.value
    element = tables.rows["elementInstances"].get(record.key)
    if element is not None:
        element.update(_definition_fields(value))
        element["elementId"] = str(value.get("elementId", ""))
        element["elementName"] = _element_name(tables, value)
    instance = tables.rows["processInstances"].get(record.key)
    if instance is not None:
        definition = tables.rows["processDefinitions"].get(int(value["processDefinitionKey"]), {})
        instance.update(_definition_fields(value))
        instance["processDefinitionVersion"] = int(value.get("version", 0))
        instance["processDefinitionName"] = definition.get("name", value.get("bpmnProcessId"))
        instance["processDefinitionVersionTag"] = definition.get("versionTag")


def job_migrated(tables: Tables, record: Record) -> None:
    """The job row names the target element and definition."""
    row = tables.rows["jobs"].get(record.key)
    if row is not None:
        row.update(_definition_fields(record.value))
        row["elementId"] = str(record.value.get("elementId", ""))


def user_task_migrated(tables: Tables, record: Record) -> None:
    """The user task row names the target element, definition and version."""
    value = record.value
    row = tables.rows["userTasks"].get(record.key)
    if row is None:
        return
    row.update(_definition_fields(value))
    row["elementId"] = str(value.get("elementId", ""))
    row["processDefinitionVersion"] = int(value.get("processDefinitionVersion", 0))
    names = tables.element_names.get(row["processDefinitionKey"], {})
    row["name"] = names.get(row["elementId"])
    row["processName"] = names.get(row["processDefinitionId"])


def incident_migrated(tables: Tables, record: Record) -> None:
    """The incident row names the target element and definition; its state is unchanged."""
    row = tables.rows["incidents"].get(record.key)
    if row is not None:
        row.update(_definition_fields(record.value))
        row["elementId"] = str(record.value.get("elementId", ""))


PROJECTIONS: dict[tuple[ValueType, str], Projection] = {
    (ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED"): element_migrated,
    (ValueType.JOB, "MIGRATED"): job_migrated,
    (ValueType.USER_TASK, "MIGRATED"): user_task_migrated,
    (ValueType.INCIDENT, "MIGRATED"): incident_migrated,
}

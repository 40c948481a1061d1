"""Projections: how one committed record changes the read model's tables.

Like Operate's importer, each (value type, intent) has one small function in `PROJECTIONS`;
records without an entry (commands, rejections, subscriptions, ...) change nothing. The
functions are deterministic and do no I/O: the same records always give the same tables.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

from zeebe.readmodel.decisions import PROJECTIONS as DECISION_PROJECTIONS
from zeebe.readmodel.forms import PROJECTIONS as FORM_PROJECTIONS
from zeebe.readmodel.forms import has_start_form
from zeebe.readmodel.jobs import JOB_ENDED, JOB_STATES, job_event, jobs_activated
from zeebe.readmodel.jobs import PROJECTIONS as JOB_PROJECTIONS
from zeebe.readmodel.migration import PROJECTIONS as MIGRATION_PROJECTIONS
from zeebe.readmodel.sequence_flows import PROJECTIONS as SEQUENCE_FLOW_PROJECTIONS
from zeebe.readmodel.tables import Row, Tables
from zeebe.readmodel.user_tasks import PROJECTIONS as USER_TASK_PROJECTIONS
from zeebe.records import Record, RecordType, ValueType

# the job projections moved to jobs.py and stay importable from here
__all__ = [
    "JOB_ENDED",
    "JOB_STATES",
    "PI",
    "PROJECTIONS",
    "Projection",
    "element_activating",
    "element_names",
    "incident_created",
    "incident_resolved",
    "job_event",
    "jobs_activated",
    "process_created",
    "project",
    "variable_written",
]

Projection = Callable[[Tables, Record], None]

PI = ValueType.PROCESS_INSTANCE


def _key_or_none(value: Any) -> int | None:
    """Zeebe writes -1 for 'no key'; the REST API answers null."""
    if value is None or int(value) < 0:
        return None
    return int(value)


def _xml_text(resource: Any) -> str:
    """The deployed resource as text (records carry it base64 encoded, or raw bytes)."""
    if isinstance(resource, bytes):
        return resource.decode("utf-8", "replace")
    try:
        return base64.b64decode(str(resource), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return str(resource)


def element_names(xml: str) -> dict[str, str]:
    """Every BPMN element id with its name (elements without a name map to their id)."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return {}
    return {
        str(node.get("id")): str(node.get("name") or node.get("id"))
        for node in root.iter()
        if node.get("id") is not None
    }


def process_created(tables: Tables, record: Record) -> None:
    """A deployed process version becomes a process definition row (with its XML)."""
    value = record.value
    key = int(value.get("processDefinitionKey", record.key))
    xml = _xml_text(value.get("resource", b""))
    names = element_names(xml)
    process_id = str(value.get("bpmnProcessId", ""))
    tables.element_names[key] = names
    tables.rows["processDefinitions"][key] = {
        "processDefinitionKey": key,
        "processDefinitionId": process_id,
        "name": names.get(process_id, process_id),
        "version": int(value.get("version", 1)),
        "versionTag": str(value.get("versionTag") or "") or None,
        "resourceName": str(value.get("resourceName", "")),
        "tenantId": str(value.get("tenantId", "")),
        "hasStartForm": has_start_form(xml, process_id),
        "bpmnXml": xml,
    }


def _definition(tables: Tables, value: dict[str, Any]) -> Row:
    return tables.rows["processDefinitions"].get(int(value.get("processDefinitionKey", -1)), {})


def _process_started(tables: Tables, record: Record) -> None:
    value = record.value
    definition = _definition(tables, value)
    row: Row = {
        "processInstanceKey": record.key,
        "processDefinitionId": str(value.get("bpmnProcessId", "")),
        "processDefinitionName": definition.get("name", value.get("bpmnProcessId")),
        "processDefinitionVersion": int(value.get("version", 0)),
        "processDefinitionVersionTag": definition.get("versionTag"),
        "processDefinitionKey": int(value.get("processDefinitionKey", -1)),
        "parentProcessInstanceKey": _key_or_none(value.get("parentProcessInstanceKey")),
        "parentElementInstanceKey": _key_or_none(value.get("parentElementInstanceKey")),
        "startDate": record.timestamp,
        "endDate": None,
        "state": "ACTIVE",
        "hasIncident": False,
        "tenantId": str(value.get("tenantId", "")),
        "tags": [],
    }
    tables.put_child("processInstances", record.key, row)


def _element_started(tables: Tables, record: Record) -> None:
    value = record.value
    definition_key = int(value.get("processDefinitionKey", -1))
    element_id = str(value.get("elementId", ""))
    row = {
        "elementInstanceKey": record.key,
        "processInstanceKey": int(value.get("processInstanceKey", -1)),
        "processDefinitionKey": definition_key,
        "processDefinitionId": str(value.get("bpmnProcessId", "")),
        "elementId": element_id,
        "elementName": tables.element_names.get(definition_key, {}).get(element_id, element_id),
        "type": str(value.get("bpmnElementType", "UNSPECIFIED")),
        "state": "ACTIVE",
        "startDate": record.timestamp,
        "endDate": None,
        "hasIncident": False,
        "incidentKey": None,
        "tenantId": str(value.get("tenantId", "")),
        "flowScopeKey": int(value.get("flowScopeKey", -1)),
    }
    tables.put_child("elementInstances", record.key, row)


def element_activating(tables: Tables, record: Record) -> None:
    """A new element instance; a PROCESS element also starts a process instance row."""
    if record.value.get("bpmnElementType") == "SEQUENCE_FLOW":
        return
    if record.value.get("bpmnElementType") == "PROCESS":
        _process_started(tables, record)
    _element_started(tables, record)


def _element_ended(state: str) -> Projection:
    def project(tables: Tables, record: Record) -> None:
        for table in ("elementInstances", "processInstances"):
            row = tables.rows[table].get(record.key)
            if row is not None:
                row["state"] = state
                row["endDate"] = record.timestamp
        instance = tables.rows["processInstances"].get(record.key)
        if instance is not None and instance["parentProcessInstanceKey"] is None:
            tables.finished[record.key] = None

    project.__doc__ = f"The element (and a process instance) ends in state {state}."
    return project


def _refresh_incident_flags(tables: Tables, incident: Row) -> None:
    """hasIncident of the element and the instance reflect their ACTIVE incidents."""
    instance_key = int(incident["processInstanceKey"])
    incident_keys = tables.children.get(instance_key, {}).get("incidents", set())
    active = [
        row
        for key in incident_keys
        if (row := tables.rows["incidents"].get(key)) is not None and row["state"] == "ACTIVE"
    ]
    instance = tables.rows["processInstances"].get(instance_key)
    if instance is not None:
        instance["hasIncident"] = bool(active)
    element = tables.rows["elementInstances"].get(int(incident["elementInstanceKey"] or -1))
    if element is not None:
        on_element = [
            row for row in active if row["elementInstanceKey"] == element["elementInstanceKey"]
        ]
        element["hasIncident"] = bool(on_element)
        element["incidentKey"] = on_element[-1]["incidentKey"] if on_element else None


def incident_created(tables: Tables, record: Record) -> None:
    """An ACTIVE incident; its element and process instance are flagged."""
    value = record.value
    row = {
        "incidentKey": record.key,
        "processDefinitionKey": int(value.get("processDefinitionKey", -1)),
        "processDefinitionId": str(value.get("bpmnProcessId", "")),
        "processInstanceKey": int(value.get("processInstanceKey", -1)),
        "errorType": str(value.get("errorType", "UNKNOWN")),
        "errorMessage": str(value.get("errorMessage", "")),
        "elementId": str(value.get("elementId", "")),
        "elementInstanceKey": _key_or_none(value.get("elementInstanceKey")),
        "creationTime": record.timestamp,
        "state": "ACTIVE",
        "jobKey": _key_or_none(value.get("jobKey")),
        "tenantId": str(value.get("tenantId", "")),
    }
    tables.put_child("incidents", record.key, row)
    _refresh_incident_flags(tables, row)


def incident_resolved(tables: Tables, record: Record) -> None:
    """The incident is RESOLVED; flags are recomputed from the remaining ACTIVE incidents."""
    row = tables.rows["incidents"].get(record.key)
    if row is not None:
        row["state"] = "RESOLVED"
        _refresh_incident_flags(tables, row)


def variable_written(tables: Tables, record: Record) -> None:
    """CREATED and UPDATED both leave the latest value (a JSON text, as Zeebe exports it)."""
    value = record.value
    row = {
        "variableKey": record.key,
        "name": str(value.get("name", "")),
        "value": str(value.get("value", "null")),
        "isTruncated": False,
        "scopeKey": int(value.get("scopeKey", -1)),
        "processInstanceKey": int(value.get("processInstanceKey", -1)),
        "tenantId": str(value.get("tenantId", "")),
    }
    tables.put_child("variables", record.key, row)


PROJECTIONS: dict[tuple[ValueType, str], Projection] = {
    (ValueType.PROCESS, "CREATED"): process_created,
    (PI, "ELEMENT_ACTIVATING"): element_activating,
    (PI, "ELEMENT_COMPLETED"): _element_ended("COMPLETED"),
    (PI, "ELEMENT_TERMINATED"): _element_ended("TERMINATED"),
    (ValueType.INCIDENT, "CREATED"): incident_created,
    (ValueType.INCIDENT, "RESOLVED"): incident_resolved,
    (ValueType.VARIABLE, "CREATED"): variable_written,
    (ValueType.VARIABLE, "UPDATED"): variable_written,
    **JOB_PROJECTIONS,
    **USER_TASK_PROJECTIONS,
    **MIGRATION_PROJECTIONS,
    **DECISION_PROJECTIONS,
    **FORM_PROJECTIONS,
    **SEQUENCE_FLOW_PROJECTIONS,
}


def project(tables: Tables, record: Record) -> None:
    """Apply one record: only EVENT records with a registered projection change the tables."""
    if record.record_type is not RecordType.EVENT:
        return
    projection = PROJECTIONS.get((record.value_type, record.intent))
    if projection is not None:
        projection(tables, record)

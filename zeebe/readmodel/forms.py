"""Deployed forms in the read model (the REST 8.8 `FormResult` shape), projected from FORM
CREATED and DELETED, and the form a process definition's start event links.

A form row holds the form's JSON as text (`schema`), as the REST API answers it. Forms are
definitions: never evicted. As in Camunda's `ProcessDefinitionServices`, a process's start form
is the LATEST version (same tenant) of the form id its start event links with
`zeebe:formDefinition formId`; embedded forms (`formKey`) are not linked forms and have none.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

from zeebe.readmodel.schema import SCHEMAS, Kind, TableSchema
from zeebe.readmodel.tables import Tables
from zeebe.records import Record, ValueType

Projection = Callable[[Tables, Record], None]

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"

FORMS = TableSchema(
    "forms",
    "formKey",
    {
        "formKey": Kind.KEY,
        "formId": Kind.STRING,
        "version": Kind.INT,
        "schema": Kind.STRING,
        "tenantId": Kind.STRING,
    },
)
# registered here, not in schema.py, which this module needs for Kind and TableSchema
SCHEMAS[FORMS.name] = FORMS


def _text(resource: Any) -> str:
    """The form resource as text (records carry it base64 encoded, or raw bytes)."""
    if isinstance(resource, bytes):
        return resource.decode("utf-8", "replace")
    try:
        return base64.b64decode(str(resource), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return str(resource)


def form_created(tables: Tables, record: Record) -> None:
    """A deployed form version becomes a form row with its JSON schema as text."""
    value = record.value
    key = int(value.get("formKey", record.key))
    tables.rows["forms"][key] = {
        "formKey": key,
        "formId": str(value.get("formId", "")),
        "version": int(value.get("version", 1)),
        "schema": _text(value.get("resource", b"")),
        "tenantId": str(value.get("tenantId", "")),
    }


def form_deleted(tables: Tables, record: Record) -> None:
    """A deleted form (resource deletion) is no longer answered."""
    tables.rows["forms"].pop(int(record.value.get("formKey", record.key)), None)


def _start_form_definitions(xml: str, process_id: str) -> list[ElementTree.Element]:
    """The `zeebe:formDefinition` elements of process `process_id`'s own start events (event
    subprocess starts cannot have forms); none for unparsable XML."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return []
    found = []
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        if process.get("id") != process_id:
            continue
        for start in process.findall(f"{{{BPMN_NS}}}startEvent"):
            link = start.find(f"{{{BPMN_NS}}}extensionElements/{{{ZEEBE_NS}}}formDefinition")
            if link is not None:
                found.append(link)
    return found


def start_form_id(xml: str, process_id: str) -> str | None:
    """The form id the start event of process `process_id` links (`zeebe:formDefinition
    formId`), or None (no such start event, an embedded `formKey` form, unparsable XML)."""
    for link in _start_form_definitions(xml, process_id):
        if link.get("formId"):
            return str(link.get("formId"))
    return None


def has_start_form(xml: str, process_id: str) -> bool:
    """8.8 `ProcessDefinitionResult.hasStartForm`: the start event has a form, linked
    (`formId`), embedded (`formKey`) or external (`externalReference`)."""
    attributes = ("formId", "formKey", "externalReference")
    return any(
        link.get(name) for link in _start_form_definitions(xml, process_id) for name in attributes
    )


def latest_form_request(form_id: str, tenant_id: str) -> dict[str, Any]:
    """The search request for the latest version of a form id within one tenant."""
    return {
        "filter": {"formId": form_id, "tenantId": tenant_id},
        "sort": [{"field": "version", "order": "DESC"}],
        "page": {"limit": 1},
    }


PROJECTIONS: dict[tuple[ValueType, str], Projection] = {
    (ValueType.FORM, "CREATED"): form_created,
    (ValueType.FORM, "DELETED"): form_deleted,
}

"""Forms in the read model (zeebe/readmodel/forms.py): FORM CREATED / DELETED rows in the REST
8.8 `FormResult` shape, and the form a process's start event links."""

from __future__ import annotations

import base64

import pytest
from readmodel_records import event

from zeebe.readmodel import ReadModel
from zeebe.readmodel.forms import has_start_form, latest_form_request, start_form_id
from zeebe.records import Record, ValueType

pytestmark = pytest.mark.unit

SCHEMA = '{"id": "approve", "type": "default", "components": []}'
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"


def form(intent: str, key: int, version: int = 1, schema: str = SCHEMA) -> Record:
    value = {
        "formId": "approve",
        "version": version,
        "versionTag": "",
        "formKey": key,
        "resourceName": "approve.form",
        "checksum": "",
        "duplicate": False,
        "tenantId": "<default>",
        "deploymentKey": 1,
    }
    if intent == "CREATED":
        value["resource"] = base64.b64encode(schema.encode()).decode()
    return event(ValueType.FORM, intent, key, value)


def process_xml(start_extensions: str, process_id: str = "order") -> str:
    return (
        f'<bpmn:definitions xmlns:bpmn="{BPMN}" xmlns:zeebe="{ZEEBE}">'
        f'<bpmn:process id="{process_id}"><bpmn:startEvent id="start">'
        f"<bpmn:extensionElements>{start_extensions}</bpmn:extensionElements>"
        "</bpmn:startEvent></bpmn:process></bpmn:definitions>"
    )


def test_form_row_is_the_form_result() -> None:
    """FormResult (8.8): formKey (string), formId, version, schema (the JSON text), tenantId."""
    model = ReadModel()
    model.export([form("CREATED", 7)])
    assert model.get("forms", 7) == {
        "formKey": "7",
        "formId": "approve",
        "version": 1,
        "schema": SCHEMA,
        "tenantId": "<default>",
    }


def test_deleted_form_is_gone() -> None:
    """FORM DELETED (resource deletion) removes the form from the reads."""
    model = ReadModel()
    model.export([form("CREATED", 7), form("DELETED", 7)])
    assert model.get("forms", 7) is None


def test_forms_are_definitions_kept_by_retention() -> None:
    """Forms are not owned by any instance: retention of finished instances keeps them."""
    model = ReadModel(max_finished_instances=0)
    model.export([form("CREATED", 7)])
    assert model.get("forms", 7) is not None


def test_latest_form_request_finds_the_highest_version() -> None:
    """Camunda's start form is the LATEST version of the linked form id (same tenant)."""
    model = ReadModel()
    model.export([form("CREATED", 7), form("CREATED", 9, version=2, schema="{}")])
    (latest,) = model.search("forms", latest_form_request("approve", "<default>"))["items"]
    assert (latest["formKey"], latest["version"]) == ("9", 2)
    assert model.search("forms", latest_form_request("approve", "other"))["items"] == []


def test_start_form_id_reads_the_start_event_link() -> None:
    """`zeebe:formDefinition formId` on the process's start event links a form."""
    xml = process_xml('<zeebe:formDefinition formId="approve"/>')
    assert start_form_id(xml, "order") == "approve"


def test_embedded_start_form_is_not_a_linked_form() -> None:
    """The REST form endpoints 'only return linked forms', not embedded ones (formKey)."""
    xml = process_xml('<zeebe:formDefinition formKey="camunda-forms:bpmn:f"/>')
    assert start_form_id(xml, "order") is None


def test_start_form_id_of_another_process_or_broken_xml_is_none() -> None:
    """Only the named process counts; unparsable XML links nothing."""
    xml = process_xml('<zeebe:formDefinition formId="approve"/>', process_id="other")
    assert start_form_id(xml, "order") is None
    assert start_form_id("<not xml", "order") is None


@pytest.mark.parametrize(
    ("extensions", "expected"),
    [
        ('<zeebe:formDefinition formId="approve"/>', True),
        ('<zeebe:formDefinition formKey="camunda-forms:bpmn:f"/>', True),
        ('<zeebe:formDefinition externalReference="https://forms.example/a"/>', True),
        ("", False),
    ],
)
def test_has_start_form_counts_linked_embedded_and_external_forms(
    extensions: str, expected: bool
) -> None:
    """8.8 ProcessDefinitionResult `hasStartForm`: the start event has a form of any kind."""
    assert has_start_form(process_xml(extensions), "order") is expected
    assert has_start_form(process_xml(extensions), "other") is False

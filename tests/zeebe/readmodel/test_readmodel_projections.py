"""Projections: committed records become Operate-like rows (spec 8.2 result shapes)."""

from __future__ import annotations

import pytest
from readmodel_records import (
    DEFINITION_KEY,
    INSTANCE_KEY,
    element,
    event,
    incident,
    job,
    process_created,
    started_instance,
    variable,
)

from zeebe.readmodel import ReadModel
from zeebe.records import Record, RecordType, ValueType

pytestmark = pytest.mark.unit


def model_of(*records: Record) -> ReadModel:
    model = ReadModel()
    model.export(records)
    return model


def test_a_deployed_process_is_a_definition_named_from_its_xml() -> None:
    """PROCESS CREATED -> ProcessDefinitionResult, named by the BPMN `process` element."""
    model = model_of(process_created())
    row = model.get("processDefinitions", DEFINITION_KEY)
    assert row == {
        "processDefinitionKey": str(DEFINITION_KEY),
        "processDefinitionId": "order",
        "name": "Order process",
        "version": 1,
        "versionTag": None,
        "resourceName": "order.bpmn",
        "tenantId": "<default>",
        "hasStartForm": False,
    }
    assert model.definition_xml(DEFINITION_KEY) is not None
    assert 'name="Pay"' in str(model.definition_xml(DEFINITION_KEY))


def test_a_started_instance_is_active_with_string_keys_and_iso_dates() -> None:
    """Spec 8.1: keys are strings; dates ISO 8601; a root instance has null parent keys."""
    model = model_of(process_created(), started_instance(at=1_700_000_000_000))
    row = model.get("processInstances", INSTANCE_KEY)
    assert row is not None
    assert row["processInstanceKey"] == str(INSTANCE_KEY)
    assert row["state"] == "ACTIVE"
    assert row["startDate"] == "2023-11-14T22:13:20.000Z"
    assert row["endDate"] is None
    assert row["parentProcessInstanceKey"] is None
    assert row["processDefinitionName"] == "Order process"


@pytest.mark.parametrize(
    ("intent", "state"), [("ELEMENT_COMPLETED", "COMPLETED"), ("ELEMENT_TERMINATED", "TERMINATED")]
)
def test_an_instance_ends_completed_or_terminated(intent: str, state: str) -> None:
    """ProcessInstanceResult.state is ACTIVE | COMPLETED | TERMINATED with an endDate."""
    end = element(intent, INSTANCE_KEY, "PROCESS", "order", at=5_000)
    model = model_of(process_created(), started_instance(), end)
    row = model.get("processInstances", INSTANCE_KEY)
    assert row is not None and row["state"] == state
    assert row["endDate"] == "1970-01-01T00:00:05.000Z"


def test_element_instances_carry_the_element_name_but_sequence_flows_are_not_rows() -> None:
    """Element instances are flow nodes (Operate's flow node instances), named from the XML."""
    model = model_of(
        process_created(),
        started_instance(),
        element("ELEMENT_ACTIVATING", 300, "SERVICE_TASK", "pay"),
        element("SEQUENCE_FLOW_TAKEN", 301, "SEQUENCE_FLOW", "flow"),
    )
    row = model.get("elementInstances", 300)
    assert row is not None
    assert (row["elementName"], row["type"], row["state"]) == ("Pay", "SERVICE_TASK", "ACTIVE")
    assert model.get("elementInstances", 301) is None


def test_an_incident_flags_its_element_and_instance_until_resolved() -> None:
    """hasIncident follows ACTIVE incidents; resolution (spec 2.5) clears the flags."""
    base = [
        process_created(),
        started_instance(),
        element("ELEMENT_ACTIVATING", 300, "SERVICE_TASK", "pay"),
    ]
    model = model_of(*base, incident("CREATED", 400, element_key=300, job_key=500))
    assert model.get("processInstances", INSTANCE_KEY)["hasIncident"] is True  # type: ignore[index]
    assert model.get("elementInstances", 300)["incidentKey"] == "400"  # type: ignore[index]
    model.export([incident("RESOLVED", 400, element_key=300, job_key=500)])
    assert model.get("incidents", 400)["state"] == "RESOLVED"  # type: ignore[index]
    assert model.get("processInstances", INSTANCE_KEY)["hasIncident"] is False  # type: ignore[index]
    assert model.get("elementInstances", 300)["hasIncident"] is False  # type: ignore[index]


def test_a_variable_keeps_its_latest_json_value() -> None:
    """VARIABLE CREATED then UPDATED: one row per variable key with the latest JSON text."""
    model = model_of(
        variable("CREATED", 600, "total", "10"), variable("UPDATED", 600, "total", '{"a": 1}')
    )
    row = model.get("variables", 600)
    assert row is not None and row["value"] == '{"a": 1}' and row["scopeKey"] == str(INSTANCE_KEY)


def test_job_state_follows_its_intents_and_activation_sets_the_worker() -> None:
    """Job search state is the 8.8 JobState (CREATED, FAILED, ...); activation is not a state."""
    batch = {
        "jobKeys": [500],
        "jobs": [{"worker": "w1", "deadline": 9_000, "retries": 3}],
    }
    model = model_of(
        job("CREATED", 500),
        event(ValueType.JOB_BATCH, "ACTIVATED", 501, batch),
    )
    row = model.get("jobs", 500)
    assert row is not None and (row["state"], row["worker"]) == ("CREATED", "w1")
    model.export([job("FAILED", 500, retries=2, worker="w1", errorMessage="down")])
    row = model.get("jobs", 500)
    assert row is not None
    assert (row["state"], row["retries"], row["hasFailedWithRetriesLeft"]) == ("FAILED", 2, True)
    model.export([job("COMPLETED", 500, retries=2)])
    assert model.get("jobs", 500)["endTime"] is not None  # type: ignore[index]


def test_commands_and_rejections_change_nothing() -> None:
    """Only EVENT records are projected (a rejected command left no state behind)."""
    created = started_instance()
    command = Record(
        position=created.position,
        key=created.key,
        record_type=RecordType.COMMAND,
        value_type=created.value_type,
        intent=created.intent,
        timestamp=created.timestamp,
        value=created.value,
    )
    assert model_of(command).counts()["processInstances"] == 0

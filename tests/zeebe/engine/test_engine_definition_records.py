"""DECISION_REQUIREMENTS, DECISION and FORM records of a deployment and of a resource deletion
(Zeebe 8.7 DeploymentCreateProcessor / ResourceDeletionDeleteProcessor; spec 1.2 rows 9 and 20;
Appendix B versioning: duplicates write nothing new)."""

from __future__ import annotations

import base64

import pytest
from decision_support import dmn, form
from engine_support import ONE_TASK, Driver
from test_engine_replay import replayed

from zeebe.engine.deploy import checksum
from zeebe.records import Record, RecordType, ValueType

pytestmark = pytest.mark.unit

DEFINITION_TYPES = (
    ValueType.PROCESS,
    ValueType.DECISION_REQUIREMENTS,
    ValueType.DECISION,
    ValueType.FORM,
    ValueType.DEPLOYMENT,
)


def written(records: list[Record]) -> list[tuple[str, str]]:
    """(value type, intent) of the definition events, in log order."""
    return [
        (r.value_type.value, r.intent)
        for r in records
        if r.record_type is RecordType.EVENT and r.value_type in DEFINITION_TYPES
    ]


def test_resources_write_their_created_records_in_resource_order() -> None:
    """Zeebe 8.7: each resource writes its records in request order (DRG before its decisions),
    then DEPLOYMENT CREATED."""
    driver = Driver()
    result = driver.deploy(form(), dmn(), ONE_TASK, names=("f.form", "d.dmn", "p.bpmn"))
    assert result.rejection is None, result.rejection
    assert written(result.records) == [
        ("FORM", "CREATED"),
        ("DECISION_REQUIREMENTS", "CREATED"),
        ("DECISION", "CREATED"),
        ("PROCESS", "CREATED"),
        ("DEPLOYMENT", "CREATED"),
    ]


def test_keys_follow_the_resource_order_after_the_deployment_key() -> None:
    """Zeebe 8.7: the deployment key is generated first, then the keys per resource in order."""
    driver = Driver()
    result = driver.deploy(form(), dmn(), names=("f.form", "d.dmn"))
    (deployment,) = driver.events(ValueType.DEPLOYMENT, "CREATED")
    (form_record,) = driver.events(ValueType.FORM, "CREATED")
    (drg,) = driver.events(ValueType.DECISION_REQUIREMENTS, "CREATED")
    (decision,) = driver.events(ValueType.DECISION, "CREATED")
    assert deployment.key < form_record.key < drg.key < decision.key
    assert result.response is not None and result.response["key"] == deployment.key


def test_decision_requirements_record_carries_resource_and_metadata() -> None:
    """DecisionRequirementsRecord: id, name, version, key, namespace, resourceName, checksum,
    resource, duplicate, tenantId; the record key is the decisionRequirementsKey."""
    data = dmn()
    driver = Driver()
    driver.deploy(data, names=("d.dmn",))
    (record,) = driver.events(ValueType.DECISION_REQUIREMENTS, "CREATED")
    value = record.value
    assert record.key == value["decisionRequirementsKey"]
    assert value["decisionRequirementsId"] == "drg"
    assert value["decisionRequirementsName"] == "Rules"
    assert value["decisionRequirementsVersion"] == 1
    assert value["namespace"] == "http://camunda.org/schema/1.0/dmn"
    assert value["resourceName"] == "d.dmn"
    assert value["checksum"] == checksum(data)
    assert base64.b64decode(value["resource"]) == data
    assert value["duplicate"] is False
    assert value["tenantId"] == "<default>"


def test_decision_record_names_its_requirements() -> None:
    """DecisionRecord: decisionId, decisionName, version, decisionKey, decisionRequirementsId/Key,
    duplicate, tenantId, deploymentKey; the record key is the decisionKey."""
    driver = Driver()
    driver.deploy(dmn(), names=("d.dmn",))
    (drg,) = driver.events(ValueType.DECISION_REQUIREMENTS, "CREATED")
    (deployment,) = driver.events(ValueType.DEPLOYMENT, "CREATED")
    (record,) = driver.events(ValueType.DECISION, "CREATED")
    value = record.value
    assert record.key == value["decisionKey"]
    assert (value["decisionId"], value["decisionName"], value["version"]) == (
        "discount",
        "Discount",
        1,
    )
    assert value["decisionRequirementsId"] == "drg"
    assert value["decisionRequirementsKey"] == drg.key
    assert value["deploymentKey"] == deployment.key
    assert value["duplicate"] is False


def test_form_record_carries_its_resource() -> None:
    """FormRecord: formId, version, formKey, resourceName, checksum, resource, duplicate."""
    data = form()
    driver = Driver()
    driver.deploy(data, names=("f.form",))
    (record,) = driver.events(ValueType.FORM, "CREATED")
    value = record.value
    assert record.key == value["formKey"]
    assert (value["formId"], value["version"], value["resourceName"]) == (
        "approve-form",
        1,
        "f.form",
    )
    assert value["checksum"] == checksum(data)
    assert base64.b64decode(value["resource"]) == data
    assert value["duplicate"] is False


def test_redeploying_identical_resources_writes_no_definition_record() -> None:
    """Appendix B / Zeebe: duplicates keep key and version and write only DEPLOYMENT CREATED."""
    driver = Driver()
    driver.deploy(dmn(), form(), names=("d.dmn", "f.form"))
    again = driver.deploy(dmn(), form(), names=("d.dmn", "f.form"))
    assert written(again.records) == [("DEPLOYMENT", "CREATED")]


def test_changed_drg_writes_next_versions() -> None:
    """Appendix B: a changed DRG is written again with version 2 for it and its decisions."""
    driver = Driver()
    driver.deploy(dmn(), names=("d.dmn",))
    driver.deploy(dmn(rule_output="15"), names=("d.dmn",))
    versions = [r.value["version"] for r in driver.events(ValueType.DECISION, "CREATED")]
    assert versions == [1, 2]


def delete(driver: Driver, key: int) -> list[Record]:
    result = driver.send(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": key})
    assert result.rejection is None, result.rejection
    return list(result.records)


def test_deleting_a_drg_writes_decision_then_requirements_deleted() -> None:
    """Zeebe 8.7 ResourceDeletionDeleteProcessor: DECISION DELETED per decision, then
    DECISION_REQUIREMENTS DELETED, then RESOURCE_DELETION DELETED; each with a new key."""
    driver = Driver()
    driver.deploy(dmn(), names=("d.dmn",))
    (drg,) = driver.events(ValueType.DECISION_REQUIREMENTS, "CREATED")
    (decision,) = driver.events(ValueType.DECISION, "CREATED")
    records = [r for r in delete(driver, drg.key) if r.record_type is RecordType.EVENT]
    kinds = [(r.value_type.value, r.intent) for r in records]
    assert kinds == [
        ("DECISION", "DELETED"),
        ("DECISION_REQUIREMENTS", "DELETED"),
        ("RESOURCE_DELETION", "DELETED"),
    ]
    assert records[0].value["decisionKey"] == decision.key
    assert records[1].value["decisionRequirementsKey"] == drg.key
    assert records[0].key > drg.key and records[1].key > records[0].key


def test_deleting_a_form_writes_form_deleted() -> None:
    """Zeebe 8.7: deleting a form writes FORM DELETED before RESOURCE_DELETION DELETED."""
    driver = Driver()
    driver.deploy(form(), names=("f.form",))
    (created,) = driver.events(ValueType.FORM, "CREATED")
    events = [r for r in delete(driver, created.key) if r.record_type is RecordType.EVENT]
    assert [(r.value_type.value, r.intent) for r in events] == [
        ("FORM", "DELETED"),
        ("RESOURCE_DELETION", "DELETED"),
    ]
    assert events[0].value["formId"] == "approve-form"


def test_replay_of_definition_records_rebuilds_the_same_state() -> None:
    """State changes only in the appliers of these records: replay gives an equal snapshot, and
    the key counter continues after the definition keys."""
    driver = Driver()
    driver.deploy(dmn(), form(), names=("d.dmn", "f.form"))
    driver.deploy(dmn(rule_output="20"), names=("d.dmn",))
    (_, second) = driver.events(ValueType.DECISION_REQUIREMENTS, "CREATED")
    delete(driver, second.key)
    engine = replayed(driver.records, driver)
    assert engine.state.snapshot() == driver.engine.state.snapshot()
    assert engine.state.last_key == driver.engine.state.last_key
    latest = engine.state.definitions.decisions.latest("discount")
    assert latest is not None and latest.version == 1


def test_replay_without_the_deployment_record_still_restores_definitions() -> None:
    """The DEPLOYMENT CREATED record no longer feeds the state: the definition records alone do."""
    driver = Driver()
    driver.deploy(dmn(), form(), names=("d.dmn", "f.form"))
    records = [r for r in driver.records if r.value_type is not ValueType.DEPLOYMENT]
    engine = replayed(records, driver)
    assert engine.state.definitions.snapshot() == driver.engine.state.definitions.snapshot()

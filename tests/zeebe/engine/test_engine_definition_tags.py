"""Version tags of decisions and forms, and what the DELETED records of DRGs, decisions and
forms carry (Zeebe 8.6+ DmnResourceTransformer / FormResourceTransformer read `versionTag`;
8.7/8.8 DecisionRequirementsDeletionBehavior / FormDeletionBehavior build DELETED records from
the stored version)."""

from __future__ import annotations

import base64

import pytest
from decision_support import dmn, form
from engine_support import Driver

from zeebe.engine import decisions
from zeebe.engine.deploy import checksum
from zeebe.records import Record, RecordType, ValueType

pytestmark = pytest.mark.unit

ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"


def tagged_dmn(tag: str) -> bytes:
    """decision_support.dmn() with `extensionElements/zeebe:versionTag value=tag` on the
    decision, as Camunda Modeler writes it."""
    extension = (
        f'<extensionElements><zeebe:versionTag xmlns:zeebe="{ZEEBE_NS}" value="{tag}"/>'
        "</extensionElements>"
    )
    marker = '<decision id="discount" name="Discount">'
    return dmn().decode().replace(marker, marker + extension).encode()


def tagged_form(tag: str) -> bytes:
    """A form JSON with a `versionTag` next to its `id`."""
    return form().decode().replace('"type"', f'"versionTag": "{tag}", "type"', 1).encode()


def events(records: list[Record], value_type: ValueType, intent: str) -> list[Record]:
    return [
        r
        for r in records
        if r.record_type is RecordType.EVENT and r.value_type is value_type and r.intent == intent
    ]


def delete(driver: Driver, key: int) -> list[Record]:
    result = driver.send(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": key})
    assert result.rejection is None, result.rejection
    return list(result.records)


def test_decision_version_tag_is_read_from_the_dmn() -> None:
    """Zeebe 8.6+: `zeebe:versionTag` of a decision fills DECISION CREATED `versionTag` and the
    DEPLOYMENT record's decisionsMetadata."""
    driver = Driver()
    records = list(driver.deploy(tagged_dmn("2025-Q1"), names=("d.dmn",)).records)
    (decision,) = events(records, ValueType.DECISION, "CREATED")
    (deployment,) = events(records, ValueType.DEPLOYMENT, "CREATED")
    assert decision.value["versionTag"] == "2025-Q1"
    assert deployment.value["decisionsMetadata"][0]["versionTag"] == "2025-Q1"


def test_decision_without_version_tag_has_an_empty_one() -> None:
    """DecisionRecord's versionTag defaults to "" when the decision has none."""
    driver = Driver()
    records = list(driver.deploy(dmn(), names=("d.dmn",)).records)
    (decision,) = events(records, ValueType.DECISION, "CREATED")
    assert decision.value["versionTag"] == ""


def test_form_version_tag_is_read_from_the_form_json() -> None:
    """FormResourceTransformer: the form JSON's `versionTag` fills FORM CREATED and formMetadata."""
    driver = Driver()
    records = list(driver.deploy(tagged_form("v3"), names=("f.form",)).records)
    (created,) = events(records, ValueType.FORM, "CREATED")
    (deployment,) = events(records, ValueType.DEPLOYMENT, "CREATED")
    assert created.value["versionTag"] == "v3"
    assert deployment.value["formMetadata"][0]["versionTag"] == "v3"


def test_drg_deleted_carries_the_resource_and_deployment_key() -> None:
    """DecisionRequirementsDeletionBehavior: DRG DELETED has id, name, version, key,
    resourceName, checksum, the resource, tenantId and deploymentKey; `namespace` is not set."""
    data = dmn()
    driver = Driver()
    deployed = list(driver.deploy(data, names=("d.dmn",)).records)
    (drg,) = events(deployed, ValueType.DECISION_REQUIREMENTS, "CREATED")
    (deployment,) = events(deployed, ValueType.DEPLOYMENT, "CREATED")
    (deleted,) = events(delete(driver, drg.key), ValueType.DECISION_REQUIREMENTS, "DELETED")
    value = deleted.value
    assert base64.b64decode(value["resource"]) == data
    assert (value["checksum"], value["resourceName"]) == (checksum(data), "d.dmn")
    assert value["deploymentKey"] == deployment.key == drg.value["deploymentKey"]
    assert (value["decisionRequirementsKey"], value["namespace"]) == (drg.key, "")


def test_decision_deleted_carries_version_tag_and_deployment_key() -> None:
    """DecisionRequirementsDeletionBehavior.deleteDecision: versionTag, tenantId and
    deploymentKey of the stored decision."""
    driver = Driver()
    deployed = list(driver.deploy(tagged_dmn("t1"), names=("d.dmn",)).records)
    (drg,) = events(deployed, ValueType.DECISION_REQUIREMENTS, "CREATED")
    (deployment,) = events(deployed, ValueType.DEPLOYMENT, "CREATED")
    (deleted,) = events(delete(driver, drg.key), ValueType.DECISION, "DELETED")
    assert deleted.value["versionTag"] == "t1"
    assert deleted.value["deploymentKey"] == deployment.key
    assert deleted.value["tenantId"] == "<default>"


def test_form_deleted_carries_resource_version_tag_and_deployment_key() -> None:
    """FormDeletionBehavior: FORM DELETED has the resource, versionTag and deploymentKey."""
    data = tagged_form("v9")
    driver = Driver()
    deployed = list(driver.deploy(data, names=("f.form",)).records)
    (created,) = events(deployed, ValueType.FORM, "CREATED")
    (deployment,) = events(deployed, ValueType.DEPLOYMENT, "CREATED")
    (deleted,) = events(delete(driver, created.key), ValueType.FORM, "DELETED")
    assert base64.b64decode(deleted.value["resource"]) == data
    assert deleted.value["versionTag"] == "v9"
    assert deleted.value["deploymentKey"] == deployment.key


def test_duplicate_decision_keeps_the_deployment_key_of_its_version() -> None:
    """DmnResourceTransformer: a duplicate decision's metadata keeps the deploymentKey of the
    deployment that created it."""
    driver = Driver()
    first = list(driver.deploy(dmn(), names=("d.dmn",)).records)
    again = list(driver.deploy(dmn(), names=("d.dmn",)).records)
    (original,) = events(first, ValueType.DEPLOYMENT, "CREATED")
    (second,) = events(again, ValueType.DEPLOYMENT, "CREATED")
    (decision,) = second.value["decisionsMetadata"]
    assert decision["duplicate"] is True and decision["deploymentKey"] == original.key


def test_decision_found_by_version_tag() -> None:
    """bindingType `versionTag` lookup (Zeebe 8.6+ DecisionBehavior
    findDecisionByIdAndVersionTagAndTenant): the version carrying the tag, not the latest;
    an unknown tag finds none and has Zeebe's incident text."""
    driver = Driver()
    driver.deploy(tagged_dmn("stable"), names=("d.dmn",))
    driver.deploy(tagged_dmn("next"), names=("d.dmn",))
    state = driver.engine.state
    found = decisions.find_by_version_tag(state, "discount", "stable")
    assert found is not None and (found.version, found.version_tag) == (1, "stable")
    assert decisions.find_by_version_tag(state, "discount", "gone") is None
    assert decisions.version_tag_not_found_message("discount", "gone") == (
        "Expected to evaluate decision with id 'discount' and version tag 'gone', but no such "
        "decision found. To resolve this incident, deploy a decision with the given id and "
        "version tag."
    )

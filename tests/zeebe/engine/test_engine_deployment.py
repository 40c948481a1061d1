"""Deployment (spec 1.2 row 9, Appendix B: versioning, duplicates, validation errors)."""

from __future__ import annotations

import pytest
from engine_support import ONE_TASK, Driver, bpmn, chain

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit


def test_deploy_returns_process_metadata_with_version_one() -> None:
    """A first deployment creates version 1 and answers {key, deployments[...]}."""
    driver = Driver()
    result = driver.deploy(ONE_TASK)
    assert result.rejection is None and result.response is not None
    (deployment,) = result.response["deployments"]
    assert deployment["bpmnProcessId"] == "one-task"
    assert deployment["version"] == 1
    assert deployment["resourceName"] == "p0.bpmn"
    assert deployment["tenantId"] == "<default>"
    created = driver.events(ValueType.PROCESS, "CREATED")
    assert [r.key for r in created] == [deployment["processDefinitionKey"]]


def test_redeploying_identical_resource_keeps_version_and_key() -> None:
    """Appendix B: same checksum and resource name as the latest version is a duplicate."""
    driver = Driver()
    first = driver.deploy(ONE_TASK).response
    second = driver.deploy(ONE_TASK).response
    assert first is not None and second is not None
    assert second["deployments"] == first["deployments"]
    assert len(driver.events(ValueType.PROCESS, "CREATED")) == 1


def test_changed_resource_gets_next_version() -> None:
    """Appendix B: a different checksum makes version = latest + 1 with a new key."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    changed = bpmn("one-task", '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>' + chain("s", "e"))
    result = driver.deploy(changed).response
    assert result is not None
    assert result["deployments"][0]["version"] == 2


def test_same_resource_under_other_name_gets_next_version() -> None:
    """Appendix B: the resource name is part of the duplicate check."""
    driver = Driver()
    driver.deploy(ONE_TASK, names=("a.bpmn",))
    result = driver.deploy(ONE_TASK, names=("b.bpmn",)).response
    assert result is not None and result["deployments"][0]["version"] == 2


def test_empty_deployment_is_rejected() -> None:
    """DeployResource without resources is INVALID_ARGUMENT."""
    result = Driver().send(ValueType.DEPLOYMENT, "CREATE", {"resources": []})
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert result.rejection.reason == "Expected to deploy at least one resource, but none given"


def test_unsupported_file_type_is_rejected() -> None:
    """Only .bpmn/.xml resources are processes; others are an unsupported file type."""
    result = Driver().deploy(b"hello", names=("notes.txt",))
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert "'notes.txt'" in result.rejection.reason
    assert "unsupported file type" in result.rejection.reason


def test_invalid_bpmn_is_rejected_with_validation_message() -> None:
    """Validation errors reject the deployment with Zeebe's INVALID_ARGUMENT text."""
    broken = bpmn("broken", '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"/>' + chain("s", "t"))
    result = Driver().deploy(broken, names=("broken.bpmn",))
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert result.rejection.reason.startswith(
        "Expected to deploy new resources, but encountered the following errors:\n'broken.bpmn'"
    )


def test_duplicate_process_id_in_one_deployment_is_rejected() -> None:
    """Appendix B: two processes with the same id in one deployment are rejected."""
    result = Driver().deploy(ONE_TASK, ONE_TASK, names=("a.bpmn", "b.bpmn"))
    assert result.rejection is not None
    assert "Duplicated process id in resources 'a.bpmn' and 'b.bpmn'" in result.rejection.reason

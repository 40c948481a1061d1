"""Deployment of DMN and form resources (spec 1.2 row 9 "Atomic deploy of BPMN/DMN/forms",
Appendix A `Deployment` oneof, Appendix B versioning by checksum and resource name)."""

from __future__ import annotations

import pytest
from decision_support import dmn, form
from engine_support import ONE_TASK, Driver
from test_engine_replay import replayed

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit


def test_dmn_deploys_decision_and_requirements_metadata() -> None:
    """Appendix A: a DMN resource answers with `decision` and `decisionRequirements` entries."""
    result = Driver().deploy(dmn(), names=("discount.dmn",))
    assert result.response is not None, result.rejection
    decision, drg = result.response["deployments"]
    assert decision["decision"]["dmnDecisionId"] == "discount"
    assert decision["decision"]["dmnDecisionName"] == "Discount"
    assert decision["decision"]["version"] == 1
    assert decision["decision"]["dmnDecisionRequirementsId"] == "drg"
    assert drg["decisionRequirements"]["dmnDecisionRequirementsId"] == "drg"
    assert drg["decisionRequirements"]["resourceName"] == "discount.dmn"
    assert (
        decision["decision"]["decisionRequirementsKey"]
        == drg["decisionRequirements"]["decisionRequirementsKey"]
    )


def test_deployment_record_carries_decision_metadata() -> None:
    """The DEPLOYMENT CREATED record lists decisionsMetadata / decisionRequirementsMetadata in
    Zeebe's exporter field names; the resource is named by the DRG metadata (Zeebe 8.7
    DeploymentCreateProcessor writes the event without the resources)."""
    driver = Driver()
    driver.deploy(dmn(), names=("discount.dmn",))
    (record,) = driver.events(ValueType.DEPLOYMENT, "CREATED")
    (decision,) = record.value["decisionsMetadata"]
    (drg,) = record.value["decisionRequirementsMetadata"]
    assert decision["decisionId"] == "discount" and decision["duplicate"] is False
    assert drg["decisionRequirementsVersion"] == 1
    assert drg["resourceName"] == "discount.dmn"
    assert record.value["resources"] == []


def test_redeploying_identical_dmn_is_a_duplicate() -> None:
    """Appendix B: same checksum and resource name as the latest version keeps key and version."""
    driver = Driver()
    first = driver.deploy(dmn(), names=("discount.dmn",)).response
    second = driver.deploy(dmn(), names=("discount.dmn",)).response
    assert first is not None and second is not None
    assert second["deployments"] == first["deployments"]


def test_changed_dmn_gets_next_versions() -> None:
    """Appendix B: a changed resource makes version = latest + 1 for the DRG and its decisions."""
    driver = Driver()
    driver.deploy(dmn(), names=("discount.dmn",))
    result = driver.deploy(dmn(rule_output="15"), names=("discount.dmn",)).response
    assert result is not None
    decision, drg = result["deployments"]
    assert decision["decision"]["version"] == 2
    assert drg["decisionRequirements"]["version"] == 2
    assert driver.engine.state.definitions.decisions.latest("discount") is not None


def test_form_deploys_with_its_id() -> None:
    """Appendix A `FormMetadata`: formId, version, formKey, resourceName."""
    result = Driver().deploy(form(), names=("approve.form",))
    assert result.response is not None, result.rejection
    (entry,) = result.response["deployments"]
    assert entry["form"]["formId"] == "approve-form"
    assert entry["form"]["version"] == 1
    assert entry["form"]["resourceName"] == "approve.form"


def test_changed_form_gets_next_version() -> None:
    """Forms version like processes: a different checksum is version 2."""
    driver = Driver()
    driver.deploy(form(), names=("approve.form",))
    changed = form().replace(b'"Name"', b'"Full name"')
    result = driver.deploy(changed, names=("approve.form",)).response
    assert result is not None and result["deployments"][0]["form"]["version"] == 2


def test_form_without_id_is_rejected() -> None:
    """A form is a JSON object with an `id`; anything else is INVALID_ARGUMENT."""
    result = Driver().deploy(b'{"components": []}', names=("bad.form",))
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert "'bad.form'" in result.rejection.reason


def test_broken_dmn_rejects_the_whole_deployment() -> None:
    """Spec 1.2 row 9: deployment is atomic; one bad resource rejects all (no process created)."""
    driver = Driver()
    result = driver.deploy(ONE_TASK, b"<definitions", names=("p.bpmn", "bad.dmn"))
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert "'bad.dmn'" in result.rejection.reason
    assert driver.events(ValueType.PROCESS, "CREATED") == []


def test_duplicate_decision_id_in_one_deployment_is_rejected() -> None:
    """Two resources of one deployment may not define the same decision id."""
    result = Driver().deploy(dmn(drg_id="a"), dmn(drg_id="b"), names=("a.dmn", "b.dmn"))
    assert result.rejection is not None
    assert "duplicated id 'discount'" in result.rejection.reason


def test_bpmn_dmn_and_form_deploy_together() -> None:
    """One deployment may mix a process, a DRG and a form."""
    names = ("p.bpmn", "d.dmn", "f.form")
    result = Driver().deploy(ONE_TASK, dmn(), form(), names=names)
    assert result.response is not None, result.rejection
    kinds = [next(iter(d)) for d in result.response["deployments"][1:]]
    assert kinds == ["decision", "decisionRequirements", "form"]
    assert result.response["deployments"][0]["bpmnProcessId"] == "one-task"


def test_replay_rebuilds_deployed_decisions_and_forms() -> None:
    """Replaying the DEPLOYMENT CREATED events gives the same definitions state."""
    driver = Driver()
    driver.deploy(dmn(), form(), names=("d.dmn", "f.form"))
    driver.deploy(dmn(rule_output="20"), names=("d.dmn",))
    engine = replayed(driver.records, driver)
    assert engine.state.snapshot() == driver.engine.state.snapshot()
    latest = engine.state.definitions.decisions.latest("discount")
    assert latest is not None and latest.version == 2


def delete(driver: Driver, key: int) -> None:
    result = driver.send(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": key})
    assert result.rejection is None, result.rejection


def test_deleting_a_drg_removes_its_decisions_and_restores_the_previous_version() -> None:
    """Spec 1.2 row 20: DeleteResource deletes a "process/DRG/form definition"; the previous
    version becomes the latest again (as for processes)."""
    driver = Driver()
    driver.deploy(dmn(), names=("d.dmn",))
    second = driver.deploy(dmn(rule_output="20"), names=("d.dmn",)).response
    assert second is not None
    drg_key = second["deployments"][1]["decisionRequirements"]["decisionRequirementsKey"]
    delete(driver, drg_key)
    latest = driver.engine.state.definitions.decisions.latest("discount")
    assert latest is not None and latest.version == 1
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def test_deleting_a_form() -> None:
    """A form key is a deletable resource."""
    driver = Driver()
    deployed = driver.deploy(form(), names=("f.form",)).response
    assert deployed is not None
    delete(driver, deployed["deployments"][0]["form"]["formKey"])
    assert driver.engine.state.definitions.forms.latest("approve-form") is None

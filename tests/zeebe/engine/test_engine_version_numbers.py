"""Version numbers after resource deletion, as Zeebe 8.8 hands them out: a process or form
version is the highest version ever deployed for its id + 1 (ProcessState.getNextProcessVersion
/ FormState.getNextFormVersion over VersionManager, whose VersionInfo keeps `highestVersion` "so
we don't ever reuse version numbers after a resource has been deleted"), also for duplicates
versioned together with a changed resource. A process duplicate must match the digest of the
last created version, which deleting the latest version drops (DbProcessState.deleteProcess). A
form without any remaining version starts at 1 again, and DRGs and decisions take the latest
remaining version + 1 (DmnResourceTransformer reads the latest DRG / decision, it has no version
manager). Highest versions and digests are state, rebuilt by replay."""

from __future__ import annotations

import pytest
from decision_support import dmn, form
from engine_support import Driver, bpmn, chain, service_task
from test_engine_definition_tags import tagged_form
from test_engine_replay import replayed

from zeebe.engine.api import Command
from zeebe.records import Record, RecordType, ValueType

pytestmark = pytest.mark.unit


def process(job_type: str) -> bytes:
    """Process `p` with one service task; each job type is a different resource."""
    body = '<bpmn:startEvent id="s"/>' + service_task("t", job_type) + '<bpmn:endEvent id="e"/>'
    return bpmn("p", body + chain("s", "t", "e"))


def deploy(driver: Driver, *resources: tuple[str, bytes]) -> list[Record]:
    result = driver.deploy(*(data for _, data in resources), names=tuple(n for n, _ in resources))
    assert result.rejection is None, result.rejection
    return list(result.records)


def created(records: list[Record], value_type: ValueType) -> dict[str, object]:
    """The value of the one CREATED event of the value type."""
    (value,) = [
        r.value
        for r in records
        if r.record_type is RecordType.EVENT
        and r.value_type is value_type
        and r.intent == "CREATED"
    ]
    return value


def key_of(records: list[Record], value_type: ValueType) -> int:
    (key,) = [
        r.key
        for r in records
        if r.record_type is RecordType.EVENT
        and r.value_type is value_type
        and r.intent == "CREATED"
    ]
    return key


def delete(driver: Driver, key: int) -> None:
    result = driver.send(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": key})
    assert result.rejection is None, result.rejection


def test_a_deleted_process_version_number_is_not_reused() -> None:
    """v1, v2, delete v2, deploy a changed process -> version 3 (not latest remaining + 1)."""
    driver = Driver()
    deploy(driver, ("p.bpmn", process("a")))
    delete(driver, key_of(deploy(driver, ("p.bpmn", process("b"))), ValueType.PROCESS))
    records = deploy(driver, ("p.bpmn", process("c")))
    assert created(records, ValueType.PROCESS)["version"] == 3


def test_a_process_deployed_again_after_deleting_all_versions_continues_the_numbering() -> None:
    """Deleting the only version and deploying the same resource again gives version 2."""
    driver = Driver()
    delete(driver, key_of(deploy(driver, ("p.bpmn", process("a"))), ValueType.PROCESS))
    records = deploy(driver, ("p.bpmn", process("a")))
    assert created(records, ValueType.PROCESS)["version"] == 2
    assert driver.engine.state.latest("p") is not None


def test_redeploying_the_deleted_latest_resource_is_a_new_higher_version() -> None:
    """The duplicate check compares with the latest remaining version (v1), so the deleted v2
    resource is new again and gets version 3."""
    driver = Driver()
    deploy(driver, ("p.bpmn", process("a")))
    delete(driver, key_of(deploy(driver, ("p.bpmn", process("b"))), ValueType.PROCESS))
    records = deploy(driver, ("p.bpmn", process("b")))
    value = created(records, ValueType.PROCESS)
    assert (value["version"], value["duplicate"]) == (3, False)


def test_after_deleting_the_latest_version_the_remaining_ones_resource_is_not_a_duplicate() -> None:
    """DbProcessState.deleteProcess drops the latest digest and does not restore the previous
    version's ("As we don't set the digest to the digest of the previous ..."), so deploying
    the v1 resource again after deleting v2 is a new version 3, not a duplicate of v1."""
    driver = Driver()
    deploy(driver, ("p.bpmn", process("a")))
    delete(driver, key_of(deploy(driver, ("p.bpmn", process("b"))), ValueType.PROCESS))
    records = deploy(driver, ("p.bpmn", process("a")))
    value = created(records, ValueType.PROCESS)
    assert (value["version"], value["duplicate"]) == (3, False)


def test_deleting_an_older_version_keeps_the_latest_a_duplicate() -> None:
    """Only deleting the latest version drops the digest: after deleting v1, the v2 resource
    deployed again is a duplicate (no PROCESS CREATED, version 2)."""
    driver = Driver()
    delete(driver, key_of(deploy(driver, ("p.bpmn", process("a"))), ValueType.PROCESS))
    deploy(driver, ("p.bpmn", process("b")))
    records = deploy(driver, ("p.bpmn", process("b")))
    (entry,) = [
        r.value["processesMetadata"][0]
        for r in records
        if r.value_type is ValueType.DEPLOYMENT and r.intent == "CREATED"
    ]
    assert (entry["version"], entry["duplicate"]) == (2, True)
    assert not [r for r in records if r.value_type is ValueType.PROCESS]


def test_a_duplicate_versioned_together_takes_the_next_version_after_the_highest() -> None:
    """BpmnResourceTransformer: a duplicate renewed because another resource changed gets
    processState.getNextProcessVersion, i.e. after the deleted v2."""
    driver = Driver()
    deploy(driver, ("p.bpmn", process("a")))
    delete(driver, key_of(deploy(driver, ("p.bpmn", process("b"))), ValueType.PROCESS))
    records = deploy(driver, ("p.bpmn", process("a")), ("f.form", form()))
    assert created(records, ValueType.PROCESS)["version"] == 3


def test_a_deleted_form_version_number_is_not_reused() -> None:
    """FormState.getNextFormVersion (Zeebe's FormStateTest shouldNotReuseADeletedVersionNumber)."""
    driver = Driver()
    deploy(driver, ("f.form", form()))
    delete(driver, key_of(deploy(driver, ("f.form", tagged_form("v2"))), ValueType.FORM))
    records = deploy(driver, ("f.form", tagged_form("v3")))
    assert created(records, ValueType.FORM)["version"] == 3


def test_a_form_deployed_after_deleting_every_version_starts_at_one_again() -> None:
    """FormResourceTransformer: without a latest form the version is INITIAL_VERSION (1); only
    a form following a remaining latest version gets getNextFormVersion."""
    driver = Driver()
    delete(driver, key_of(deploy(driver, ("f.form", form())), ValueType.FORM))
    records = deploy(driver, ("f.form", tagged_form("v2")))
    assert created(records, ValueType.FORM)["version"] == 1


def test_a_form_duplicate_versioned_together_takes_the_next_version_after_the_highest() -> None:
    """FormResourceTransformer renews a duplicate with formState.getNextFormVersion."""
    driver = Driver()
    deploy(driver, ("f.form", form()))
    delete(driver, key_of(deploy(driver, ("f.form", tagged_form("v2"))), ValueType.FORM))
    records = deploy(driver, ("f.form", form()), ("p.bpmn", process("a")))
    assert created(records, ValueType.FORM)["version"] == 3


def test_a_drg_version_continues_from_the_latest_remaining_version() -> None:
    """DmnResourceTransformer: latest remaining DRG / decision version + 1 (no version manager),
    so a deleted DRG version number is given again."""
    driver = Driver()
    deploy(driver, ("d.dmn", dmn()))
    second = deploy(driver, ("d.dmn", dmn(rule_output="20")))
    delete(driver, key_of(second, ValueType.DECISION_REQUIREMENTS))
    records = deploy(driver, ("d.dmn", dmn(rule_output="30")))
    assert created(records, ValueType.DECISION_REQUIREMENTS)["decisionRequirementsVersion"] == 2
    assert created(records, ValueType.DECISION)["version"] == 2


def test_replay_restores_the_highest_versions() -> None:
    """The highest versions are rebuilt from the CREATED events: a replayed engine gives the
    next process and form versions after the deleted ones."""
    driver = Driver()
    deploy(driver, ("p.bpmn", process("a")), ("f.form", form()))
    later = deploy(driver, ("p.bpmn", process("b")), ("f.form", tagged_form("v2")))
    delete(driver, key_of(later, ValueType.PROCESS))
    delete(driver, key_of(later, ValueType.FORM))
    engine = replayed(driver.records, driver)
    assert engine.state.snapshot() == driver.engine.state.snapshot()
    resources = [
        {"resourceName": "p.bpmn", "resource": process("c")},
        {"resourceName": "f.form", "resource": tagged_form("v3")},
    ]
    result = engine.process(Command(ValueType.DEPLOYMENT, "CREATE", {"resources": resources}))
    assert result.rejection is None, result.rejection
    records = list(result.records)
    assert created(records, ValueType.PROCESS)["version"] == 3
    assert created(records, ValueType.FORM)["version"] == 3


def test_replay_restores_the_dropped_digest() -> None:
    """The digest dropped with the deleted latest version stays dropped after replay: the v1
    resource deployed on the replayed engine is a new version, as on the live one."""
    driver = Driver()
    deploy(driver, ("p.bpmn", process("a")))
    delete(driver, key_of(deploy(driver, ("p.bpmn", process("b"))), ValueType.PROCESS))
    engine = replayed(driver.records, driver)
    assert engine.state.snapshot() == driver.engine.state.snapshot()
    resources = [{"resourceName": "p.bpmn", "resource": process("a")}]
    result = engine.process(Command(ValueType.DEPLOYMENT, "CREATE", {"resources": resources}))
    assert created(list(result.records), ValueType.PROCESS)["version"] == 3

"""Duplicates and versions of a deployment, and the DEPLOYMENT CREATED record, as Zeebe 8.7/8.8
write them (spec Appendix B versioning; DeploymentCreateProcessor, Bpmn/Dmn/FormResource-
Transformer: "all resources in a deployment should be versioned together")."""

from __future__ import annotations

import pytest
from decision_support import dmn, form
from engine_support import ONE_TASK, Driver, bpmn, chain, service_task
from test_engine_replay import replayed

from zeebe.engine.deploy import checksum
from zeebe.records import Record, RecordType, ValueType

pytestmark = pytest.mark.unit

OTHER = bpmn(
    "other",
    '<bpmn:startEvent id="start"/>'
    + service_task("task", "other")
    + '<bpmn:endEvent id="end"/>'
    + chain("start", "task", "end"),
)


def tagged(process_id: str, tag: str, job_type: str = "work") -> bytes:
    """A one-task process with `zeebe:versionTag value=tag` on the process."""
    return bpmn(
        process_id,
        f'<bpmn:extensionElements><zeebe:versionTag value="{tag}"/></bpmn:extensionElements>'
        '<bpmn:startEvent id="start"/>'
        + service_task("task", job_type)
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "task", "end"),
    )


def created(records: list[Record], value_type: ValueType) -> list[Record]:
    """The CREATED events of one value type, in log order."""
    return [
        r
        for r in records
        if r.record_type is RecordType.EVENT
        and r.value_type is value_type
        and r.intent == "CREATED"
    ]


def deployment_of(records: list[Record]) -> Record:
    (record,) = created(records, ValueType.DEPLOYMENT)
    return record


def test_deployment_created_carries_metadata_but_no_resources() -> None:
    """Zeebe 8.7 DeploymentCreateProcessor writes CREATED as `createDeploymentWithoutResources`:
    `resources` is empty, the process metadata has the exporter fields (ProcessMetadata)."""
    driver = Driver()
    result = driver.deploy(tagged("tagged", "v1.0"), names=("t.bpmn",))
    record = deployment_of(list(result.records))
    assert record.value["resources"] == []
    (metadata,) = record.value["processesMetadata"]
    (process,) = created(list(result.records), ValueType.PROCESS)
    assert metadata == {
        "bpmnProcessId": "tagged",
        "version": 1,
        "versionTag": "v1.0",
        "processDefinitionKey": process.key,
        "resourceName": "t.bpmn",
        "checksum": checksum(tagged("tagged", "v1.0")),
        "duplicate": False,
        "tenantId": "<default>",
        "deploymentKey": record.key,
    }
    assert record.value["deploymentKey"] == record.key


def test_process_record_keeps_its_resource_and_version_tag() -> None:
    """ProcessRecord (PROCESS CREATED) still carries the BPMN resource and the versionTag."""
    driver = Driver()
    result = driver.deploy(tagged("tagged", "v2"), names=("t.bpmn",))
    (process,) = created(list(result.records), ValueType.PROCESS)
    assert process.value["versionTag"] == "v2"
    assert process.value["resource"]


def test_identical_redeploy_is_a_duplicate_of_the_first_deployment() -> None:
    """Appendix B: a duplicate keeps key and version; Zeebe's metadata also keeps the
    deploymentKey of that version, and nothing but DEPLOYMENT CREATED is written."""
    driver = Driver()
    first = deployment_of(list(driver.deploy(ONE_TASK).records))
    again = list(driver.deploy(ONE_TASK).records)
    (metadata,) = deployment_of(again).value["processesMetadata"]
    (original,) = first.value["processesMetadata"]
    assert metadata["duplicate"] is True
    assert metadata["processDefinitionKey"] == original["processDefinitionKey"]
    assert (metadata["version"], metadata["deploymentKey"]) == (1, first.key)
    assert created(again, ValueType.PROCESS) == []


def test_unchanged_process_is_versioned_together_with_a_changed_one() -> None:
    """Zeebe: when one resource changed, a duplicate gets a new key (after the changed one's),
    version + 1 and this deployment's key; both write PROCESS CREATED in resource order."""
    driver = Driver()
    driver.deploy(ONE_TASK, OTHER, names=("a.bpmn", "b.bpmn"))
    changed = bpmn("other", '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>' + chain("s", "e"))
    result = list(driver.deploy(ONE_TASK, changed, names=("a.bpmn", "b.bpmn")).records)
    deployment = deployment_of(result)
    same, new = deployment.value["processesMetadata"]
    assert (same["version"], same["duplicate"], same["deploymentKey"]) == (2, False, deployment.key)
    assert (new["version"], new["duplicate"]) == (2, False)
    assert deployment.key < new["processDefinitionKey"] < same["processDefinitionKey"]
    written = [r.value["bpmnProcessId"] for r in created(result, ValueType.PROCESS)]
    assert written == ["one-task", "other"]
    latest = driver.engine.state.latest("one-task")
    assert latest is not None and latest.version == 2


def test_unchanged_dmn_and_form_are_versioned_with_a_changed_process() -> None:
    """Dmn/FormResourceTransformer.writeRecords: a duplicate DRG (with its decisions) and a
    duplicate form deployed next to a changed process get the next versions and records."""
    driver = Driver()
    driver.deploy(dmn(), form(), ONE_TASK, names=("d.dmn", "f.form", "p.bpmn"))
    result = list(driver.deploy(dmn(), form(), OTHER, names=("d.dmn", "f.form", "o.bpmn")).records)
    value = deployment_of(result).value
    (drg,) = value["decisionRequirementsMetadata"]
    (decision,) = value["decisionsMetadata"]
    (form_metadata,) = value["formMetadata"]
    assert (drg["decisionRequirementsVersion"], drg["duplicate"]) == (2, False)
    assert (decision["version"], decision["duplicate"]) == (2, False)
    assert decision["decisionRequirementsKey"] == drg["decisionRequirementsKey"]
    assert (form_metadata["version"], form_metadata["duplicate"]) == (2, False)
    kinds = [r.value_type for r in result if r.intent == "CREATED"][:4]
    assert kinds == [
        ValueType.DECISION_REQUIREMENTS,
        ValueType.DECISION,
        ValueType.FORM,
        ValueType.PROCESS,
    ]


def test_only_duplicates_write_no_resource_record_and_answer_the_old_versions() -> None:
    """Zeebe `hasDuplicatesOnly`: DMN, form and BPMN all unchanged -> nothing but DEPLOYMENT
    CREATED, and the response names the existing versions."""
    driver = Driver()
    first = driver.deploy(dmn(), form(), ONE_TASK, names=("d.dmn", "f.form", "p.bpmn"))
    again = driver.deploy(dmn(), form(), ONE_TASK, names=("d.dmn", "f.form", "p.bpmn"))
    kinds = [r.value_type for r in again.records if r.record_type is RecordType.EVENT]
    assert kinds == [ValueType.DEPLOYMENT]
    assert first.response is not None and again.response is not None
    assert again.response["deployments"] == first.response["deployments"]


def two_decisions(second_output: str = "1") -> bytes:
    """A DRG `pair` with decisions `first` (output 0) and `second` (output second_output)."""

    def decision(decision_id: str, output: str) -> str:
        return (
            f'<decision id="{decision_id}" name="{decision_id}"><literalExpression>'
            f"<text>{output}</text></literalExpression></decision>"
        )

    return (
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="pair" '
        f'name="Pair" namespace="n">{decision("first", "0")}'
        f"{decision('second', second_output)}</definitions>"
    ).encode()


def test_drg_with_one_changed_decision_versions_every_decision() -> None:
    """DmnResourceTransformer: a decision is a duplicate only when its latest version belongs to
    the DRG version planned now; a changed DRG is new, so both decisions get version 2."""
    driver = Driver()
    driver.deploy(two_decisions(), names=("pair.dmn",))
    result = list(driver.deploy(two_decisions("2"), names=("pair.dmn",)).records)
    (drg,) = created(result, ValueType.DECISION_REQUIREMENTS)
    decisions = created(result, ValueType.DECISION)
    assert [(d.value["decisionId"], d.value["version"]) for d in decisions] == [
        ("first", 2),
        ("second", 2),
    ]
    assert {d.value["decisionRequirementsKey"] for d in decisions} == {drg.key}


def test_drg_whose_decision_moved_to_another_drg_is_not_a_duplicate() -> None:
    """DmnResourceTransformer `hasSameDecisionRequirementsKeyAs`: an identical DRG resource is a
    duplicate only while all its decisions' latest versions belong to it."""
    driver = Driver()
    driver.deploy(dmn(drg_id="a"), names=("a.dmn",))
    driver.deploy(dmn(drg_id="b"), names=("b.dmn",))
    result = list(driver.deploy(dmn(drg_id="a"), names=("a.dmn",)).records)
    (drg,) = created(result, ValueType.DECISION_REQUIREMENTS)
    (decision,) = created(result, ValueType.DECISION)
    assert (drg.value["decisionRequirementsVersion"], decision.value["version"]) == (2, 3)


def test_redeploying_after_versioning_together_replays_to_the_same_state() -> None:
    """Appliers only: the records of a deployment that versioned duplicates again replay to an
    equal snapshot."""
    driver = Driver()
    driver.deploy(dmn(), form(), ONE_TASK, names=("d.dmn", "f.form", "p.bpmn"))
    driver.deploy(dmn(), form(), OTHER, names=("d.dmn", "f.form", "o.bpmn"))
    engine = replayed(driver.records, driver)
    assert engine.state.snapshot() == driver.engine.state.snapshot()


MESSAGE_START = bpmn(
    "on-message",
    '<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m"/>'
    '</bpmn:startEvent><bpmn:endEvent id="end"/>' + chain("start", "end"),
    extra='<bpmn:message id="m" name="go"/>',
)


def test_start_events_move_to_a_process_versioned_together() -> None:
    """DeploymentCreateProcessor: start events follow every non-duplicate process of the
    deployment, so the message start subscription moves to the re-versioned process."""
    driver = Driver()
    first = list(driver.deploy(MESSAGE_START, OTHER, names=("m.bpmn", "o.bpmn")).records)
    (old,) = created(first, ValueType.PROCESS)[:1]
    changed = bpmn("other", '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>' + chain("s", "e"))
    result = list(driver.deploy(MESSAGE_START, changed, names=("m.bpmn", "o.bpmn")).records)
    (new,) = [
        p for p in created(result, ValueType.PROCESS) if p.value["bpmnProcessId"] == "on-message"
    ]
    subscriptions = [
        (r.intent, r.value["processDefinitionKey"])
        for r in result
        if r.record_type is RecordType.EVENT
        and r.value_type is ValueType.MESSAGE_START_EVENT_SUBSCRIPTION
    ]
    assert subscriptions == [("DELETED", old.key), ("CREATED", new.key)]

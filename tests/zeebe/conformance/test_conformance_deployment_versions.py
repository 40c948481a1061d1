"""DeployResource versions when a deployment mixes changed and unchanged resources, over gRPC on
the real engine (Zeebe 8.7/8.8 Bpmn/DmnResourceTransformer.writeRecords: "all resources in a
deployment should be versioned together"; DeploymentCreateProcessor writes DEPLOYMENT CREATED
without the resources)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conformance_support import Gateway
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.records import ValueType
from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

A = ProcessBuilder("conf-ver-a").start().service_task("task", type="conf.ver.a").end().to_xml()
B1 = ProcessBuilder("conf-ver-b").start().service_task("task", type="conf.ver.b").end().to_xml()
B2 = ProcessBuilder("conf-ver-b").start().service_task("task", type="conf.ver.b2").end().to_xml()
DMN = (Path(__file__).parent.parent / "dmn" / "fixtures" / "checkout_discount.dmn").read_bytes()


async def deploy(gateway: Gateway, *resources: tuple[str, bytes]) -> pb.DeployResourceResponse:
    request = pb.DeployResourceRequest(
        resources=[pb.Resource(name=name, content=content) for name, content in resources]
    )
    return await gateway.stub.DeployResource(request)


async def test_unchanged_process_gets_a_new_version_with_a_changed_one(gateway: Gateway) -> None:
    """Zeebe: a duplicate deployed next to a changed resource is versioned again: both
    processes answer version 2 with new keys."""
    first = await deploy(gateway, ("a.bpmn", A), ("b.bpmn", B1))
    again = await deploy(gateway, ("a.bpmn", A), ("b.bpmn", B2))
    before = {d.process.bpmnProcessId: d.process for d in first.deployments}
    after = {d.process.bpmnProcessId: d.process for d in again.deployments}
    assert {p: m.version for p, m in after.items()} == {"conf-ver-a": 2, "conf-ver-b": 2}
    assert after["conf-ver-a"].processDefinitionKey != before["conf-ver-a"].processDefinitionKey


async def test_only_unchanged_resources_answer_the_existing_versions(gateway: Gateway) -> None:
    """Appendix B: all resources duplicates -> existing keys and versions returned."""
    first = await deploy(gateway, ("a.bpmn", A), ("d.dmn", DMN))
    again = await deploy(gateway, ("a.bpmn", A), ("d.dmn", DMN))
    assert again.deployments == first.deployments


async def test_unchanged_dmn_is_versioned_with_a_changed_process(gateway: Gateway) -> None:
    """DmnResourceTransformer.writeRecords: the unchanged DRG and its decisions get version 2
    when the deployment's process changed."""
    await deploy(gateway, ("b.bpmn", B1), ("d.dmn", DMN))
    again = await deploy(gateway, ("b.bpmn", B2), ("d.dmn", DMN))
    drg_versions = {
        d.decisionRequirements.version
        for d in again.deployments
        if d.HasField("decisionRequirements")
    }
    decision_versions = {d.decision.version for d in again.deployments if d.HasField("decision")}
    assert drg_versions == {2} and decision_versions == {2}


async def test_deployment_created_record_has_no_resources(gateway: Gateway) -> None:
    """DeploymentCreateProcessor `createDeploymentWithoutResources`: the exported DEPLOYMENT
    CREATED lists the metadata, not the resources."""
    response = await deploy(gateway, ("a.bpmn", A))
    records = gateway.records()
    (created,) = [
        r
        for r in records
        if r.value_type is ValueType.DEPLOYMENT and r.intent == "CREATED" and r.key == response.key
    ]
    assert created.value["resources"] == []
    assert [m["resourceName"] for m in created.value["processesMetadata"]] == ["a.bpmn"]

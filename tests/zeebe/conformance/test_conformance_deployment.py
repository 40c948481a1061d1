"""Deployment versioning and validation (spec 1.2 #9, Appendix B, 3.3, 4.2)."""

from __future__ import annotations

import grpc
import pytest
from conformance_support import Gateway, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import Compensation, ProcessBuilder
from zeebe.testing.diagram import with_diagram

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

V1 = ProcessBuilder("conf-dep").start().service_task("task", type="conf.dep").end().to_xml()
V2 = ProcessBuilder("conf-dep").start().service_task("task", type="conf.dep2").end().to_xml()

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">'
)


def document(body: str, process_id: str = "conf-bad") -> bytes:
    return (
        f'{HEAD}<bpmn:process id="{process_id}" isExecutable="true">{body}</bpmn:process>'
        "</bpmn:definitions>"
    ).encode()


async def test_identical_redeploy_keeps_version_and_key(gateway: Gateway) -> None:
    """Appendix B: a duplicate (same checksum and resource name) gets "no new version, existing
    key/version returned"."""
    first = (await gateway.deploy(V1, names=["p.bpmn"])).deployments[0].process
    again = (await gateway.deploy(V1, names=["p.bpmn"])).deployments[0].process
    assert (again.version, again.processDefinitionKey) == (1, first.processDefinitionKey)


async def test_changed_model_gets_the_next_version(gateway: Gateway) -> None:
    """Appendix B: "otherwise version = latest + 1"; latest is what CreateProcessInstance(-1)
    starts, and an explicit version still starts the old one."""
    await gateway.deploy(V1, names=["p.bpmn"])
    v2 = (await gateway.deploy(V2, names=["p.bpmn"])).deployments[0].process
    assert v2.version == 2
    latest = await gateway.stub.CreateProcessInstance(
        pb.CreateProcessInstanceRequest(bpmnProcessId="conf-dep", version=-1)
    )
    assert latest.version == 2
    old = await gateway.stub.CreateProcessInstance(
        pb.CreateProcessInstanceRequest(bpmnProcessId="conf-dep", version=1)
    )
    assert old.version == 1
    assert len(await gateway.activate("conf.dep")) == 1


async def test_same_content_under_another_name_is_a_new_version(gateway: Gateway) -> None:
    """Appendix B: duplicate "iff the resource checksum **and** the resource name equal"."""
    await gateway.deploy(V1, names=["p.bpmn"])
    renamed = (await gateway.deploy(V1, names=["other.bpmn"])).deployments[0].process
    assert renamed.version == 2


async def test_running_instances_finish_on_their_version(gateway: Gateway) -> None:
    """DESIGN/spec: versions live side by side; an instance keeps its definition."""
    await gateway.deploy(V1, names=["p.bpmn"])
    key = await gateway.start("conf-dep")
    await gateway.deploy(V2, names=["p.bpmn"])
    job = await gateway.activate_one("conf.dep")
    assert job.processDefinitionVersion == 1
    await gateway.complete(job)
    gateway.engine.assert_that(key).is_completed()


async def test_broken_xml_is_invalid_argument(gateway: Gateway) -> None:
    """Spec 1.2 #9: INVALID_ARGUMENT "not deserializable ("detected as BPMN, but it's broken
    XML")"."""
    error = await rpc_error(gateway.deploy(b"<bpmn:definitions", names=["broken.bpmn"]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "broken.bpmn" in error.details()


async def test_no_resources_is_invalid_argument(gateway: Gateway) -> None:
    """Spec 1.2 #9: "INVALID_ARGUMENT: no resources"."""
    error = await rpc_error(gateway.stub.DeployResource(pb.DeployResourceRequest()))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_unsupported_resource_type_is_invalid_argument(gateway: Gateway) -> None:
    """Spec 1.2 #9: "INVALID_ARGUMENT: ... unsupported type"."""
    error = await rpc_error(gateway.deploy(b"hello", names=["notes.txt"]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_duplicate_process_id_in_one_deployment_is_rejected(gateway: Gateway) -> None:
    """Appendix B: "Two processes with the same id in one deployment are rejected ("Duplicated
    process id in resources ...")"."""
    error = await rpc_error(gateway.deploy(V1, V2, names=["a.bpmn", "b.bpmn"]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "Duplicated process id" in error.details()


async def test_rejected_deployment_deploys_nothing(gateway: Gateway) -> None:
    """Spec 1.2 #9: DeployResource is an "Atomic deploy"."""
    bad = document('<bpmn:serviceTask id="t"/>')
    error = await rpc_error(gateway.deploy(V1, bad, names=["ok.bpmn", "bad.bpmn"]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="conf-dep", version=-1)
    missing = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert missing.code() == grpc.StatusCode.NOT_FOUND


INVALID_MODELS = {
    "service-task-without-type": (
        '<bpmn:startEvent id="s"/><bpmn:serviceTask id="pay"/>',
        "pay",
        "zeebe:taskDefinition",
    ),
    "event-gateway-to-task": (
        '<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="gw"/>'
        '<bpmn:eventBasedGateway id="gw"><bpmn:incoming>f0</bpmn:incoming>'
        "<bpmn:outgoing>f1</bpmn:outgoing><bpmn:outgoing>f2</bpmn:outgoing></bpmn:eventBasedGateway>"
        '<bpmn:sequenceFlow id="f1" sourceRef="gw" targetRef="t1"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="t2"/>'
        '<bpmn:task id="t1"><bpmn:incoming>f1</bpmn:incoming></bpmn:task>'
        '<bpmn:task id="t2"><bpmn:incoming>f2</bpmn:incoming></bpmn:task>',
        "gw",
        "",
    ),
    "condition-on-task-flow": (
        '<bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="e">'
        "<bpmn:conditionExpression>= true</bpmn:conditionExpression></bpmn:sequenceFlow>"
        '<bpmn:endEvent id="e"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>',
        "s",  # Zeebe's FlowNodeValidator reports the source flow node
        "Conditional sequence flows are only supported at exclusive or inclusive gateway",
    ),
    "exclusive-branch-without-condition": (
        '<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="gw"/>'
        '<bpmn:exclusiveGateway id="gw"><bpmn:incoming>f0</bpmn:incoming>'
        "<bpmn:outgoing>f1</bpmn:outgoing><bpmn:outgoing>f2</bpmn:outgoing></bpmn:exclusiveGateway>"
        '<bpmn:sequenceFlow id="f1" sourceRef="gw" targetRef="e1">'
        "<bpmn:conditionExpression>= x</bpmn:conditionExpression></bpmn:sequenceFlow>"
        '<bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="e2"/>'
        '<bpmn:endEvent id="e1"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>'
        '<bpmn:endEvent id="e2"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>',
        "f2",
        "Must have a condition or be default flow",
    ),
    "compensation-wait-for-completion-false": (
        '<bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="c"/>'
        '<bpmn:endEvent id="c"><bpmn:incoming>f1</bpmn:incoming>'
        '<bpmn:compensateEventDefinition waitForCompletion="false"/></bpmn:endEvent>',
        "c",
        "waitForCompletion",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID_MODELS))
async def test_invalid_model_is_rejected_naming_element_and_rule(
    gateway: Gateway, case: str
) -> None:
    """Spec 1.2 #9 / Appendix B: "Validation errors are returned as INVALID_ARGUMENT on
    DeployResource with the validator messages" (element id and rule, spec 2.4, 3.3, 4.2)."""
    body, element_id, rule = INVALID_MODELS[case]
    error = await rpc_error(gateway.deploy(document(body), names=["bad.bpmn"]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert element_id in error.details()
    assert rule in error.details()


async def test_compensation_handler_with_a_flow_is_rejected(gateway: Gateway) -> None:
    """Spec 3.3: "Compensation handler (isForCompensation) must have no incoming and no outgoing
    sequence flows"."""
    xml = (
        ProcessBuilder("conf-bad")
        .start()
        .service_task("a", type="a")
        .compensation("a", handler="undo_a", handler_type="undo")
        .intermediate_throw("undo", event=Compensation())
        .end()
        .to_xml()
    )
    broken = xml.replace(
        b'sourceRef="undo" targetRef="end"', b'sourceRef="undo" targetRef="undo_a"'
    )
    assert broken != xml
    error = await rpc_error(gateway.deploy(broken, names=["bad.bpmn"]))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "undo_a" in error.details()


async def test_one_file_may_hold_several_executable_processes(gateway: Gateway) -> None:
    """Appendix B: "One BPMN file may contain several executable processes"; non-executable
    processes are not deployed; metadata carries the resource name and `<default>` tenant."""
    # each process is start -> end (bpmnlint's end-event-required), with a generated diagram
    body = "".join(
        f'<bpmn:process id="conf-{name}" isExecutable="{executable}">'
        f'<bpmn:startEvent id="s{n}"/><bpmn:endEvent id="e{n}"/>'
        f'<bpmn:sequenceFlow id="f{n}" sourceRef="s{n}" targetRef="e{n}"/></bpmn:process>'
        for n, (name, executable) in enumerate((("a", "true"), ("b", "true"), ("c", "false")), 1)
    )
    xml = with_diagram(f"{HEAD}{body}</bpmn:definitions>".encode())
    response = await gateway.deploy(xml, names=["multi.bpmn"])
    processes = [d.process for d in response.deployments]
    assert sorted(p.bpmnProcessId for p in processes) == ["conf-a", "conf-b"]
    assert {(p.resourceName, p.tenantId, p.version) for p in processes} == {
        ("multi.bpmn", "<default>", 1)
    }
    assert response.tenantId == "<default>"

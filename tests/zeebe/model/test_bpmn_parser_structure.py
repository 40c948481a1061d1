"""Parsing gateways, flows, subprocesses and resource-level rules (spec 4.2, Appendix B)."""

from __future__ import annotations

import pytest
from bpmn_snippets import parse_one, wrap

from zeebe.model import BpmnValidationError, parse_bpmn
from zeebe.model.elements import ElementType, EventType, Expression

pytestmark = pytest.mark.unit

GATEWAY = """
<bpmn:startEvent id="start" />
<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g" />
<bpmn:exclusiveGateway id="g" default="toC">
  <bpmn:incoming>f0</bpmn:incoming>
  <bpmn:outgoing>toB</bpmn:outgoing><bpmn:outgoing>toA</bpmn:outgoing>
  <bpmn:outgoing>toC</bpmn:outgoing>
</bpmn:exclusiveGateway>
<bpmn:sequenceFlow id="toA" name="big" sourceRef="g" targetRef="end">
  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= amount &gt; 100
  </bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="toB" sourceRef="g" targetRef="end">
  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &lt; 0
  </bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="toC" sourceRef="g" targetRef="end" />
<bpmn:endEvent id="end" />
"""


def test_exclusive_gateway_reads_default_flow_and_conditions() -> None:
    """Spec 6: `exclusiveGateway@default`; conditions are `=FEEL` conditionExpressions."""
    process = parse_one(GATEWAY)
    gateway = process.element("g")
    assert gateway.element_type == ElementType.EXCLUSIVE_GATEWAY
    assert gateway.default_flow == "toC"
    assert process.flows["toA"].condition == Expression(" amount > 100", True)
    assert process.flows["toA"].name == "big"
    assert process.flows["toC"].condition is None


def test_outgoing_flows_follow_the_declared_outgoing_order() -> None:
    """Spec 4.2: conditions are evaluated "in BPMN XML order" (the node's outgoing list)."""
    assert parse_one(GATEWAY).element("g").outgoing == ("toB", "toA", "toC")


def test_outgoing_flows_without_declared_order_follow_document_order() -> None:
    """Without `<bpmn:outgoing>` children the sequence flows' document order applies."""
    body = GATEWAY.replace(
        "<bpmn:outgoing>toB</bpmn:outgoing><bpmn:outgoing>toA</bpmn:outgoing>", ""
    )
    body = body.replace("<bpmn:outgoing>toC</bpmn:outgoing>", "")
    assert parse_one(body).element("g").outgoing == ("toA", "toB", "toC")


@pytest.mark.parametrize(
    ("tag", "element_type"),
    [
        ("parallelGateway", ElementType.PARALLEL_GATEWAY),
        ("inclusiveGateway", ElementType.INCLUSIVE_GATEWAY),
    ],
)
def test_parallel_and_inclusive_gateways(tag: str, element_type: ElementType) -> None:
    """Spec 4.2: parallel and inclusive gateways split and join."""
    body = f"""<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="split" />
    <bpmn:{tag} id="split" />
    <bpmn:sequenceFlow id="a" sourceRef="split" targetRef="join">
      <bpmn:conditionExpression>= true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="b" sourceRef="split" targetRef="join">
      <bpmn:conditionExpression>= false</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:{tag} id="join" />
    <bpmn:sequenceFlow id="f3" sourceRef="join" targetRef="end" />
    <bpmn:endEvent id="end" />"""
    if tag == "parallelGateway":
        body = body.replace("<bpmn:conditionExpression>= true</bpmn:conditionExpression>", "")
        body = body.replace("<bpmn:conditionExpression>= false</bpmn:conditionExpression>", "")
    process = parse_one(body)
    assert process.element("split").element_type == element_type
    assert process.element("split").outgoing == ("a", "b")
    assert process.element("join").incoming == ("a", "b")


def test_event_based_gateway_targets_catch_events() -> None:
    """Spec 4.2: each flow of an event-based gateway leads to a timer/message/signal catch."""
    body = """<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g" />
    <bpmn:eventBasedGateway id="g" />
    <bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="paid" />
    <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="timeout" />
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition>
      <bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="paid" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="timeout" targetRef="end" />
    <bpmn:endEvent id="end" />"""
    roots = """<bpmn:message id="m" name="paid"><bpmn:extensionElements>
      <zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>"""
    process = parse_one(body, roots=roots)
    assert process.element("g").element_type == ElementType.EVENT_BASED_GATEWAY
    assert process.element("g").outgoing == ("f1", "f2")


SUBPROCESSES = """
<bpmn:startEvent id="start" />
<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="sub" />
<bpmn:subProcess id="sub">
  <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=x" target="y" />
  </zeebe:ioMapping></bpmn:extensionElements>
  <bpmn:startEvent id="subStart" />
  <bpmn:sequenceFlow id="s1" sourceRef="subStart" targetRef="subEnd" />
  <bpmn:endEvent id="subEnd" />
</bpmn:subProcess>
<bpmn:sequenceFlow id="f1" sourceRef="sub" targetRef="end" />
<bpmn:endEvent id="end" />
<bpmn:subProcess id="onCancel" triggeredByEvent="true">
  <bpmn:startEvent id="cancelStart" isInterrupting="false">
    <bpmn:signalEventDefinition signalRef="sig" /></bpmn:startEvent>
  <bpmn:sequenceFlow id="c1" sourceRef="cancelStart" targetRef="cancelEnd" />
  <bpmn:endEvent id="cancelEnd" />
</bpmn:subProcess>
"""


def test_embedded_subprocess_is_a_container_of_its_children() -> None:
    """Spec 4.2: an embedded subprocess contains its own start event and flow."""
    process = parse_one(SUBPROCESSES, roots='<bpmn:signal id="sig" name="cancel" />')
    sub = process.element("sub")
    assert sub.element_type == ElementType.SUB_PROCESS
    assert sub.children == ("subStart", "subEnd")
    assert sub.start_events == ("subStart",)
    assert sub.inputs[0].target == "y"
    assert process.element("subStart").flow_scope == "sub"
    assert process.flows["s1"].source == "subStart"


def test_event_subprocess_is_indexed_on_its_container() -> None:
    """Spec 6: `subProcess@triggeredByEvent`, `startEvent@isInterrupting`."""
    process = parse_one(SUBPROCESSES, roots='<bpmn:signal id="sig" name="cancel" />')
    event_sub = process.element("onCancel")
    assert event_sub.element_type == ElementType.EVENT_SUB_PROCESS
    assert event_sub.start_events == ("cancelStart",)
    cancel_start = process.element("cancelStart")
    assert not cancel_start.interrupting
    assert cancel_start.event_type == EventType.SIGNAL
    root = process.element("p")
    assert root.event_sub_processes == ("onCancel",)
    assert root.start_events == ("start",)
    assert process.signal_start_events == ()


def test_version_tag_is_read_from_the_process() -> None:
    """Spec 6: `zeebe:versionTag value` on the process."""
    body = """<bpmn:extensionElements><zeebe:versionTag value="v2" /></bpmn:extensionElements>
    <bpmn:startEvent id="start" />"""
    assert parse_one(body).version_tag == "v2"


def test_only_executable_processes_are_returned_in_document_order() -> None:
    """Spec Appendix B: one BPMN file may contain several executable processes."""
    data = wrap('<bpmn:startEvent id="s1" />', process_id="first").replace(
        b"</bpmn:definitions>",
        b'<bpmn:process id="second" isExecutable="true"><bpmn:startEvent id="s2" /></bpmn:process>'
        b'<bpmn:process id="docs" isExecutable="false"><bpmn:startEvent id="s3" /></bpmn:process>'
        b"</bpmn:definitions>",
    )
    parsed = parse_bpmn(data, "multi.bpmn")
    assert [p.id for p in parsed.processes] == ["first", "second"]


def test_a_resource_without_executable_process_is_rejected() -> None:
    """Brief / Zeebe: "Must contain at least one executable process"."""
    with pytest.raises(BpmnValidationError) as caught:
        parse_bpmn(wrap('<bpmn:startEvent id="s" />', executable=False), "docs.bpmn")
    assert caught.value.detail == "'docs.bpmn': Must contain at least one executable process"
    assert str(caught.value) == (
        "Expected to deploy new resources, but encountered the following errors:\n"
        "'docs.bpmn': Must contain at least one executable process"
    )


def test_broken_xml_names_resource_line_and_column() -> None:
    """Brief: a broken resource is reported with its name and the XML error's line and column."""
    data = (
        b'<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="x">\n  <oops>\n</bpmn:definitions>'
    )
    with pytest.raises(BpmnValidationError) as caught:
        parse_bpmn(data, "broken.bpmn")
    assert caught.value.detail == (
        "'broken.bpmn': Failed to parse BPMN XML: mismatched tag: line 4, column 2"
    )


def test_non_xml_content_is_rejected_as_unreadable() -> None:
    """Zeebe rejects a resource that is not XML at all ("not a workflow")."""
    with pytest.raises(BpmnValidationError) as caught:
        parse_bpmn(b"not a workflow", "text.bpmn")
    assert caught.value.detail.startswith("'text.bpmn': Failed to parse BPMN XML: syntax error")
    assert "line 1, column 0" in caught.value.detail


def test_entity_expansion_is_refused() -> None:
    """defusedxml: entity declarations (billion laughs) are refused, not expanded."""
    data = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&a;'
        b"</bpmn:definitions>"
    )
    with pytest.raises(BpmnValidationError) as caught:
        parse_bpmn(data, "bomb.bpmn")
    assert "forbidden XML construct" in caught.value.detail


def test_a_non_bpmn_root_element_is_rejected() -> None:
    """Only `bpmn:definitions` documents are BPMN resources."""
    with pytest.raises(BpmnValidationError) as caught:
        parse_bpmn(b"<html><body /></html>", "page.bpmn")
    assert caught.value.detail == (
        "'page.bpmn': Failed to parse BPMN XML: root element must be 'bpmn:definitions'"
    )


def test_default_namespace_documents_parse() -> None:
    """Namespaces are matched by URI, not prefix (Zeebe's own builder writes no `bpmn:`)."""
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'
        b' xmlns:z="http://camunda.org/schema/zeebe/1.0" targetNamespace="x">'
        b'<process id="plain" isExecutable="true"><startEvent id="s" />'
        b'<serviceTask id="t"><extensionElements><z:taskDefinition type="job" />'
        b'</extensionElements></serviceTask><endEvent id="e" />'
        b'<sequenceFlow id="f1" sourceRef="s" targetRef="t" />'
        b'<sequenceFlow id="f2" sourceRef="t" targetRef="e" /></process></definitions>'
    )
    (process,) = parse_bpmn(data, "plain.bpmn").processes
    task_definition = process.element("t").task_definition
    assert task_definition is not None
    assert task_definition.type == Expression("job", False)


def test_utf8_byte_order_mark_and_non_ascii_names_are_read() -> None:
    """Modeler files are UTF-8; a BOM and non-ASCII names must not break parsing."""
    data = "\ufeff".encode() + wrap('<bpmn:startEvent id="s" name="Bestellung \u00fcbermittelt" />')
    (process,) = parse_bpmn(data, "bom.bpmn").processes
    assert process.element("s").name == "Bestellung \u00fcbermittelt"

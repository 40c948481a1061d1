"""Spec audit (h53), section 4.2: element semantics no other conformance test covered — an
interrupting event subprocess ends running non-interrupting ones, terminate inside a
multi-instance subprocess, link events pair within one scope only."""

from __future__ import annotations

import grpc
import pytest
from conformance_support import Gateway, element_events, rpc_error

from zeebe.testing.bpmn_builder import Message, MultiInstance, ProcessBuilder, Terminate

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

NS = (
    "xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL' "
    "xmlns:zeebe='http://camunda.org/schema/zeebe/1.0'"
)


def flows(*pairs: tuple[str, str]) -> str:
    return "".join(
        f"<bpmn:sequenceFlow id='f_{a}_{b}' sourceRef='{a}' targetRef='{b}'/>" for a, b in pairs
    )


def count(gateway: Gateway, key: int, element_id: str, intent: str) -> int:
    return sum(
        1
        for r in element_events(gateway.records(), key)
        if r.value.get("elementId") == element_id and r.intent == intent
    )


async def test_interrupting_event_subprocess_terminates_other_event_subprocesses(
    gateway: Gateway,
) -> None:
    """Spec 4.2: "When an interrupting event subprocess is triggered, all active instances of its
    containing scope are terminated, including instances of other non-interrupting event
    subprocesses." """
    xml = (
        ProcessBuilder("audit-esp")
        .start()
        .service_task("work", type="audit.work")
        .end()
        .event_sub_process("notify")
        .start("notify_start", event=Message("notify", "= orderId"), interrupting=False)
        .service_task("tell", type="audit.tell")
        .end("notify_end")
        .sub_process_end()
        .event_sub_process("abort")
        .start("abort_start", event=Message("abort", "= orderId"), interrupting=True)
        .service_task("clean", type="audit.clean")
        .end("abort_end")
        .sub_process_end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("audit-esp", {"orderId": "o-1"})
    await gateway.publish("notify", "o-1")
    await gateway.activate_one("audit.tell")
    await gateway.publish("abort", "o-1")
    gateway.engine.assert_that(key).is_waiting_at("abort", "clean")
    assert count(gateway, key, "notify", "ELEMENT_TERMINATED") == 1
    assert count(gateway, key, "work", "ELEMENT_TERMINATED") == 1


async def test_terminate_end_event_in_multi_instance_subprocess_ends_one_iteration(
    gateway: Gateway,
) -> None:
    """Spec 4.2: terminate end event — "inside a multi-instance subprocess only the current
    iteration is terminated"; the other iterations go on and the body completes."""
    xml = (
        ProcessBuilder("audit-term")
        .start()
        .sub_process("each", loop=MultiInstance("= items", "item"))
        .start("each_start")
        .exclusive_gateway("which")
        .condition("= item = 1")
        .end("stop", event=Terminate())
        .move_to("which")
        .default_flow()
        .service_task("work", type="audit.work")
        .end("each_end")
        .sub_process_end()
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("audit-term", {"items": [1, 2]})
    job = await gateway.activate_one("audit.work")
    gateway.engine.assert_that(key).is_waiting_at("each", "work")
    await gateway.complete(job)
    gateway.engine.assert_that(key).is_completed()
    assert count(gateway, key, "stop", "ELEMENT_COMPLETED") == 1
    assert count(gateway, key, "work", "ELEMENT_COMPLETED") == 1


@pytest.mark.bpmnlint_exempt(reason="deliberately invalid model: the deployment is rejected")
async def test_link_throw_does_not_pair_with_a_catch_in_a_nested_subprocess(
    gateway: Gateway,
) -> None:
    """Spec 4.2: link events "function the same as two intermediate none events connected via a
    sequence flow" — "same scope only"; a catch link in a nested subprocess is no target, so the
    deployment is rejected (before: accepted, then creating an instance failed with INTERNAL)."""
    xml = (
        f"<?xml version='1.0' encoding='UTF-8'?><bpmn:definitions {NS} id='d' "
        "targetNamespace='http://audit'><bpmn:process id='audit-link' isExecutable='true'>"
        "<bpmn:startEvent id='start'/><bpmn:intermediateThrowEvent id='jump'>"
        "<bpmn:linkEventDefinition name='L'/></bpmn:intermediateThrowEvent>"
        "<bpmn:subProcess id='sub'><bpmn:startEvent id='sub_start'/><bpmn:endEvent id='sub_end'/>"
        "<bpmn:intermediateCatchEvent id='land'><bpmn:linkEventDefinition name='L'/>"
        "</bpmn:intermediateCatchEvent>"
        + flows(("sub_start", "sub_end"), ("land", "sub_end"))
        + "</bpmn:subProcess><bpmn:endEvent id='end'/>"
        + flows(("start", "jump"), ("sub", "end"))
        + "</bpmn:process></bpmn:definitions>"
    ).encode()
    error = await rpc_error(gateway.deploy(xml))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "Can't find an catch link event for the throw link event with the name 'L'." in (
        error.details() or ""
    )


async def test_joining_exclusive_gateway_passes_every_token_through(gateway: Gateway) -> None:
    """Spec 4.2: a joining exclusive gateway "has pass-through semantics" — it does not wait:
    each arriving path continues on its own (here: the task after it runs twice)."""
    xml = (
        ProcessBuilder("audit-xor")
        .start()
        .parallel_gateway("fork")
        .service_task("left", type="audit.left")
        .exclusive_gateway("join")
        .service_task("after", type="audit.after")
        .end()
        .move_to("fork")
        .service_task("right", type="audit.right")
        .connect_to("join")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("audit-xor")
    await gateway.complete(await gateway.activate_one("audit.left"))
    first = await gateway.activate_one("audit.after")
    await gateway.complete(await gateway.activate_one("audit.right"))
    second = await gateway.activate_one("audit.after")
    assert first.elementInstanceKey != second.elementInstanceKey
    for job in (first, second):
        await gateway.complete(job)
    gateway.engine.assert_that(key).is_completed()
    assert count(gateway, key, "join", "ELEMENT_COMPLETED") == 2


async def test_inclusive_gateway_without_match_or_default_raises_an_incident(
    gateway: Gateway,
) -> None:
    """Spec 4.2 inclusive gateway: "no condition true and no default -> incident" (a
    CONDITION_ERROR on the gateway)."""
    xml = (
        ProcessBuilder("audit-or")
        .start()
        .inclusive_gateway("split")
        .condition("= x = 1")
        .end("one")
        .move_to("split")
        .condition("= x = 2")
        .end("two")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("audit-or", {"x": 3})
    incident = gateway.wait_incident(key)
    assert (incident.value["errorType"], incident.value["elementId"]) == (
        "CONDITION_ERROR",
        "split",
    )
    assert incident.value["errorMessage"] == (
        "Expected at least one condition to evaluate to true, or to have a default flow"
    )

"""Spec audit (h53), section 3: compensation statements no other conformance test covered —
handler kinds, handler variable mappings, event subprocess broadcast and the boundary records."""

from __future__ import annotations

import itertools
import json

import pytest
from conformance_support import Gateway

from zeebe.testing.bpmn_builder import Compensation, MultiInstance, ProcessBuilder
from zeebe.testing.diagram import diagrammed

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"'
)
THROW = (
    '<bpmn:intermediateThrowEvent id="undo"><bpmn:compensateEventDefinition/>'
    "</bpmn:intermediateThrowEvent>"
)
MESSAGE = (
    '<bpmn:message id="msg" name="undo-now"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>'
)


def task(task_id: str, job_type: str, extra: str = "", attrs: str = "") -> str:
    return (
        f'<bpmn:serviceTask id="{task_id}"{attrs}><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{job_type}"/>{extra}</bpmn:extensionElements>'
        "</bpmn:serviceTask>"
    )


def flows(*ids: str) -> str:
    return "".join(
        f'<bpmn:sequenceFlow id="f_{a}_{b}" sourceRef="{a}" targetRef="{b}"/>'
        for a, b in itertools.pairwise(ids)
    )


def document(handler: str, *, after_a: str = THROW, extra: str = "", defs: str = "") -> bytes:
    """start -> a (compensation boundary -> `handler`, id `fix`) -> `after_a` (id undo) -> end."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + task("a", "do.a")
        + '<bpmn:boundaryEvent id="a_comp" attachedToRef="a"><bpmn:compensateEventDefinition/>'
        "</bpmn:boundaryEvent>"
        + handler
        + '<bpmn:association id="as_fix" associationDirection="One" sourceRef="a_comp" '
        'targetRef="fix"/>'
        + after_a
        + '<bpmn:endEvent id="end"/>'
        + flows("start", "a", "undo", "end")
        + extra
    )
    return diagrammed(
        (
            f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions {NS} id="d" '
            f'targetNamespace="http://audit">{defs}<bpmn:process id="audit-comp" '
            f'isExecutable="true">{body}</bpmn:process></bpmn:definitions>'
        ).encode()
    )


async def run_a(gateway: Gateway, xml: bytes, variables: dict[str, object] | None = None) -> int:
    """Deploy, start and complete `a`, which reaches the compensation throw event."""
    await gateway.deploy(xml)
    key = await gateway.start("audit-comp", variables)
    await gateway.complete(await gateway.activate_one("do.a"))
    return key


async def test_handler_input_and_output_mappings_are_applied(gateway: Gateway) -> None:
    """Spec 3.1 (compensation-handler): "If the compensation handler has input variable
    mappings, those are applied before ... the compensation handler. At the same way, if the
    compensation handler has output variable mappings, those are applied after invoking the
    compensation handler." """
    mappings = (
        '<zeebe:ioMapping><zeebe:input source="=amount * 2" target="refund"/>'
        '<zeebe:output source="=refunded" target="refundDone"/></zeebe:ioMapping>'
    )
    handler = task("fix", "undo.a", mappings, ' isForCompensation="true"')
    key = await run_a(gateway, document(handler), {"amount": 5})
    job = await gateway.activate_one("undo.a")
    assert json.loads(job.variables) == {"amount": 5, "refund": 10}
    await gateway.complete(job, {"refunded": True, "unmapped": 1})
    gateway.engine.assert_that(key).is_completed().has_variables({"refundDone": True})
    assert "unmapped" not in gateway.scope_variables(key)


async def test_embedded_subprocess_is_a_handler(gateway: Gateway) -> None:
    """Spec 3.1: "handlers may also be embedded subprocesses" — the throw event waits until the
    handler subprocess completed."""
    handler = (
        '<bpmn:subProcess id="fix" isForCompensation="true"><bpmn:startEvent id="fix_start"/>'
        + task("fix_step", "undo.step")
        + '<bpmn:endEvent id="fix_end"/>'
        + flows("fix_start", "fix_step", "fix_end")
        + "</bpmn:subProcess>"
    )
    key = await run_a(gateway, document(handler))
    step = await gateway.activate_one("undo.step")
    gateway.engine.assert_that(key).is_waiting_at("undo", "fix", "fix_step")
    await gateway.complete(step)
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order(
        "fix_step", "fix", "undo", "end"
    )


async def test_call_activity_is_a_handler(gateway: Gateway) -> None:
    """Spec 3.1: "handlers may also be ... call activities"; the child runs to completion before
    the throw event completes."""
    child = diagrammed(
        (
            f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions {NS} id="c" '
            'targetNamespace="http://audit"><bpmn:process id="audit-refund" isExecutable="true">'
            '<bpmn:startEvent id="c_start"/>'
            + task("c_step", "undo.child")
            + '<bpmn:endEvent id="c_end"/>'
            + flows("c_start", "c_step", "c_end")
            + "</bpmn:process></bpmn:definitions>"
        ).encode()
    )
    await gateway.deploy(child, names=["child.bpmn"])
    handler = (
        '<bpmn:callActivity id="fix" isForCompensation="true"><bpmn:extensionElements>'
        '<zeebe:calledElement processId="audit-refund"/></bpmn:extensionElements>'
        "</bpmn:callActivity>"
    )
    key = await run_a(gateway, document(handler))
    child_job = await gateway.activate_one("undo.child")
    gateway.engine.assert_that(key).is_waiting_at("undo", "fix")
    await gateway.complete(child_job)
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("fix", "undo")


async def test_multi_instance_handler_iterates_its_collection(gateway: Gateway) -> None:
    """Spec 3.1: "(A handler may itself be multi-instance to iterate the same collection.)" —
    one handler invocation, one inner instance per item."""
    loop = (
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="=items" inputElement="item"/>'
        "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>"
    )
    handler = task("fix", "undo.a", attrs=' isForCompensation="true"').replace(
        "</bpmn:serviceTask>", loop + "</bpmn:serviceTask>"
    )
    key = await run_a(gateway, document(handler), {"items": ["x", "y", "z"]})
    jobs = await gateway.activate("undo.a")
    assert sorted(json.loads(job.variables)["item"] for job in jobs) == ["x", "y", "z"]
    for job in jobs:
        await gateway.complete(job)
    gateway.engine.assert_that(key).is_completed()


@pytest.mark.parametrize("tag", ["manualTask", "task"])
async def test_manual_and_undefined_task_handlers_pass_through(gateway: Gateway, tag: str) -> None:
    """Spec 3.1: manual and undefined tasks can be marked as compensation; spec 4.2: they are
    "handled as a pass-through activity" — the throw event completes without any job."""
    handler = f'<bpmn:{tag} id="fix" isForCompensation="true"/>'
    key = await run_a(gateway, document(handler))
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order(
        "a", "fix", "undo", "end"
    )


async def test_non_interrupting_event_subprocess_compensates_the_outer_scope(
    gateway: Gateway,
) -> None:
    """Spec 3.1: "An interrupting or non-interrupting event subprocess can contain compensation
    intermediate throw events ... broadcast the compensation within the outer scope of the event
    subprocess." The outer scope keeps running."""
    esp = (
        '<bpmn:subProcess id="on_undo" triggeredByEvent="true">'
        '<bpmn:startEvent id="undo_start" isInterrupting="false">'
        '<bpmn:messageEventDefinition messageRef="msg"/></bpmn:startEvent>'
        + THROW.replace('"undo"', '"esp_throw"')
        + '<bpmn:endEvent id="esp_end"/>'
        + flows("undo_start", "esp_throw", "esp_end")
        + "</bpmn:subProcess>"
    )
    handler = task("fix", "undo.a", attrs=' isForCompensation="true"')
    xml = document(handler, after_a=task("undo", "wait"), extra=esp, defs=MESSAGE)
    key = await run_a(gateway, xml, {"orderId": "o-1"})
    await gateway.publish("undo-now", "o-1")
    await gateway.complete(await gateway.activate_one("undo.a"))
    gateway.engine.assert_that(key).has_passed_elements_in_order("fix", "esp_throw", "on_undo")
    gateway.engine.assert_that(key).is_waiting_at("undo")


async def test_invoking_a_handler_records_the_boundary_event(gateway: Gateway) -> None:
    """Spec 3.2: for a subscription with a handler the engine "write[s] the compensation boundary
    event as activated+completed (records only) and issue[s] ACTIVATE for the handler"."""
    handler = task("fix", "undo.a", attrs=' isForCompensation="true"')
    key = await run_a(gateway, document(handler))
    await gateway.activate_one("undo.a")
    trail = [
        (element, intent)
        for element, intent in gateway.summary(key)
        if element in {"a_comp", "fix"} and intent in {"ELEMENT_ACTIVATED", "ELEMENT_COMPLETED"}
    ]
    assert trail == [
        ("a_comp", "ELEMENT_ACTIVATED"),
        ("a_comp", "ELEMENT_COMPLETED"),
        ("fix", "ELEMENT_ACTIVATED"),
    ]


async def test_throw_descends_into_a_completed_multi_instance_subprocess(gateway: Gateway) -> None:
    """Spec 3.1: "If a process instance enters a compensation throw event and there are completed
    embedded subprocesses in the same scope, it invokes the compensation handlers within these
    subprocesses"; spec 3.2: "A completing embedded subprocess / multi-instance body with
    compensation subscriptions inside it gets a 'flow-scope' subscription ... so that later
    compensation can descend into it" — one handler per completed iteration (before the fix:
    none)."""
    xml = (
        ProcessBuilder("audit-comp")
        .start()
        .sub_process("each", loop=MultiInstance("= items", "item"))
        .start("each_start")
        .service_task("a", type="do.a")
        .compensation("a", handler="fix", handler_type="undo.a")
        .end("each_end")
        .sub_process_end()
        .intermediate_throw("undo", event=Compensation())
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("audit-comp", {"items": [1, 2, 3]})
    for job in await gateway.activate("do.a"):
        await gateway.complete(job)
    handlers = await gateway.activate("undo.a")
    assert len(handlers) == 3
    gateway.engine.assert_that(key).is_waiting_at("undo")
    for job in handlers:
        await gateway.complete(job)
    gateway.engine.assert_that(key).is_completed()

"""Compensation edge rules: partially completed multi-instance, activityRef to a subprocess,
cancellation during compensation (spec 3.1-3.3)."""

from __future__ import annotations

import grpc
import pytest
from conformance_support import Gateway, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import Compensation, Message, MultiInstance, ProcessBuilder, Timer

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


async def test_multi_instance_is_compensated_only_when_all_instances_completed(
    gateway: Gateway,
) -> None:
    """Spec 3.1: "The process instance invokes the compensation handler only if all instances of
    the multi-instance activity are completed." """
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .parallel_gateway("fork")
        .service_task("a", type="do.a", loop=MultiInstance("= [1, 2]", "i"))
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .end("end_a")
        .move_to("fork")
        .service_task("b", type="do.b")
        .intermediate_throw("undo", event=Compensation())
        .end("end_b")
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp")
    first, _ = await gateway.activate("do.a")
    await gateway.complete(first)
    await gateway.complete(await gateway.activate_one("do.b"))
    gateway.engine.assert_that(key).has_passed_elements_in_order("undo", "end_b")
    assert await gateway.activate("undo.a") == []
    gateway.engine.assert_that(key).is_waiting_at("a")


async def test_activity_ref_to_a_completed_subprocess_compensates_its_content(
    gateway: Gateway,
) -> None:
    """Spec 3.3: `activityRef` "must reference an existing activity that has a compensation
    boundary event **or** is a (non-event) subprocess"; compensation descends into it (3.2)."""
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .sub_process("sub")
        .start("sub_start")
        .service_task("inner", type="do.inner")
        .compensation("inner", handler="undo_inner", handler_type="undo.inner")
        .end("sub_end")
        .sub_process_end()
        .intermediate_throw("undo", event=Compensation("sub"))
        .end()
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.inner"))
    await gateway.complete(await gateway.activate_one("undo.inner"))
    gateway.engine.assert_that(key).is_completed()


async def test_cancelling_the_instance_interrupts_running_handlers(gateway: Gateway) -> None:
    """Spec 3.1 [D handler]: "Compensation handlers might be interrupted if the process or
    subprocess is terminated"; the handler's job is gone (NOT_FOUND)."""
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .service_task("a", type="do.a")
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .intermediate_throw("undo", event=Compensation())
        .end()
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.a"))
    handler = await gateway.activate_one("undo.a")
    cancel = pb.CancelProcessInstanceRequest(processInstanceKey=key)
    await gateway.stub.CancelProcessInstance(cancel)
    gateway.engine.assert_that(key).is_terminated()
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=handler.key)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_terminated_activity_is_not_compensated(gateway: Gateway) -> None:
    """Spec 3.1: "The compensation handlers of active or terminated activities are not invoked."
    (a task interrupted by a message boundary event never completed)."""
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .service_task("a", type="do.a")
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .end()
        .boundary("stop", attached_to="a", event=Message("stop", "= id"))
        .intermediate_throw("undo", event=Compensation())
        .end("stopped")
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp", {"id": "1"})
    await gateway.activate_one("do.a")
    await gateway.publish("stop", "1")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("stop", "undo")
    assert await gateway.activate("undo.a") == []


async def test_terminated_subprocess_content_is_not_compensated(gateway: Gateway) -> None:
    """Spec 3.1: "The compensation handlers are not invoked if the subprocess is active or
    terminated." Spec 3.2: "Subscriptions inside a **terminated** subprocess are deleted"
    (pattern of Zeebe's own `compensation-subprocess-terminated` model)."""
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .sub_process("sub")
        .start("sub_start")
        .service_task("a", type="do.a")
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .service_task("b", type="do.b")
        .end("sub_end")
        .sub_process_end()
        .end()
        .boundary("timeout", attached_to="sub", event=Timer.duration("PT1M"))
        .intermediate_throw("undo", event=Compensation())
        .end("timed_out")
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.a"))
    await gateway.activate_one("do.b")
    gateway.engine.advance(60_000)
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order(
        "timeout", "undo", "timed_out"
    )
    assert await gateway.activate("undo.a") == []

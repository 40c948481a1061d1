"""Compensation as documented for Zeebe 8.5+ (spec section 3, rule by rule)."""

from __future__ import annotations

import json

import pytest
from conformance_support import Gateway
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import Compensation, Error, MultiInstance, ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


def two_steps(activity_ref: str | None = None, *, end_throw: bool = False) -> ProcessBuilder:
    builder = (
        ProcessBuilder("conf-comp")
        .start()
        .service_task("a", type="do.a")
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .service_task("b", type="do.b")
        .compensation("b", handler="undo_b", handler_type="undo.b")
    )
    if end_throw:
        return builder.end("undo", event=Compensation(activity_ref))
    return builder.intermediate_throw("undo", event=Compensation(activity_ref)).end()


async def run_two_steps(gateway: Gateway, builder: ProcessBuilder) -> int:
    await gateway.deploy(builder.to_xml())
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.a"))
    await gateway.complete(await gateway.activate_one("do.b"))
    return key


async def test_throw_waits_for_the_handlers_then_continues(gateway: Gateway) -> None:
    """Spec 3.1: "This invokes the compensation handler ... Once the compensation handler ... is
    completed, the process completes the compensation intermediate throw event and takes the
    outgoing sequence flow." "The compensation throw event remains active until all invoked
    compensation handlers are completed." """
    key = await run_two_steps(gateway, two_steps())
    undo_a = await gateway.activate_one("undo.a")
    gateway.engine.assert_that(key).is_waiting_at("undo", "undo_a")
    await gateway.complete(undo_a)
    gateway.engine.assert_that(key).is_waiting_at("undo")
    await gateway.complete(await gateway.activate_one("undo.b"))
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("undo", "end")


async def test_all_handlers_are_invoked_at_once(gateway: Gateway) -> None:
    """Spec 3.1: "The process instance invokes all compensation handlers at once without any
    specific order." """
    await run_two_steps(gateway, two_steps())
    assert len(await gateway.activate("undo.a")) == 1
    assert len(await gateway.activate("undo.b")) == 1


async def test_activity_ref_compensates_only_that_activity(gateway: Gateway) -> None:
    """Spec 3.1: "it is possible to specify the activity to compensate by using the property
    `activityRef`"."""
    key = await run_two_steps(gateway, two_steps("b"))
    await gateway.complete(await gateway.activate_one("undo.b"))
    gateway.engine.assert_that(key).is_completed()
    assert await gateway.activate("undo.a") == []


async def test_compensation_end_event_ends_after_its_handlers(gateway: Gateway) -> None:
    """Spec 3.1: triggering applies to "a compensation intermediate throw or end event"."""
    key = await run_two_steps(gateway, two_steps(end_throw=True))
    await gateway.complete(await gateway.activate_one("undo.a"))
    await gateway.complete(await gateway.activate_one("undo.b"))
    gateway.engine.assert_that(key).is_completed()


async def test_each_completed_instance_is_compensated_only_once(gateway: Gateway) -> None:
    """Spec 3.2: "Each subscription is triggered at most once (a second throw event does not
    re-compensate the same completed instance)." Spec 3.2 "No matching subscription -> the throw
    event completes immediately"."""
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .service_task("a", type="do.a")
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .intermediate_throw("undo1", event=Compensation())
        .intermediate_throw("undo2", event=Compensation())
        .end()
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.a"))
    await gateway.complete(await gateway.activate_one("undo.a"))
    gateway.engine.assert_that(key).is_completed()
    assert len(gateway.element_keys(key, "undo_a", "ELEMENT_ACTIVATED")) == 1


async def test_active_activity_is_not_compensated(gateway: Gateway) -> None:
    """Spec 3.1: "The compensation handlers of active or terminated activities are not
    invoked." (b still waits for its job in a parallel branch.)"""
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .parallel_gateway("fork")
        .service_task("a", type="do.a")
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .intermediate_throw("undo", event=Compensation())
        .end("end_a")
        .move_to("fork")
        .service_task("b", type="do.b")
        .compensation("b", handler="undo_b", handler_type="undo.b")
        .end("end_b")
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.a"))
    await gateway.complete(await gateway.activate_one("undo.a"))
    gateway.engine.assert_that(key).has_passed_elements_in_order("undo", "end_a")
    assert await gateway.activate("undo.b") == []
    gateway.engine.assert_that(key).is_waiting_at("b")


async def test_handler_runs_once_per_completion_of_a_looped_activity(gateway: Gateway) -> None:
    """Spec 3.1 [D handler]: "If the compensation activity has been completed more than once, the
    compensation handler is invoked for the same amount." """
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .exclusive_gateway("again")
        .service_task("a", type="do.a")
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .exclusive_gateway("more")
        .condition("= count < 2")
        .connect_to("again")
        .move_to("more")
        .default_flow()
        .intermediate_throw("undo", event=Compensation())
        .end()
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp", {"count": 0})
    await gateway.complete(await gateway.activate_one("do.a"), {"count": 1})
    await gateway.complete(await gateway.activate_one("do.a"), {"count": 2})
    handlers = await gateway.activate("undo.a")
    assert len(handlers) == 2
    for job in handlers:
        await gateway.complete(job)
    gateway.engine.assert_that(key).is_completed()


def with_subprocess(*, throw_inside: bool) -> ProcessBuilder:
    builder = (
        ProcessBuilder("conf-comp")
        .start()
        .service_task("outer", type="do.outer")
        .compensation("outer", handler="undo_outer", handler_type="undo.outer")
        .sub_process("sub")
        .start("sub_start")
        .service_task("inner", type="do.inner")
        .compensation("inner", handler="undo_inner", handler_type="undo.inner")
    )
    if throw_inside:
        builder.intermediate_throw("undo_in", event=Compensation())
    return (
        builder.end("sub_end")
        .sub_process_end()
        .intermediate_throw("undo", event=Compensation())
        .end()
    )


async def test_throw_descends_into_completed_subprocesses(gateway: Gateway) -> None:
    """Spec 3.1: "If a process instance enters a compensation throw event and there are completed
    embedded subprocesses in the same scope, it invokes the compensation handlers within these
    subprocesses"."""
    await gateway.deploy(with_subprocess(throw_inside=False).to_xml())
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.outer"))
    await gateway.complete(await gateway.activate_one("do.inner"))
    await gateway.complete(await gateway.activate_one("undo.outer"))
    await gateway.complete(await gateway.activate_one("undo.inner"))
    gateway.engine.assert_that(key).is_completed()


async def test_throw_inside_a_subprocess_stays_inside(gateway: Gateway) -> None:
    """Spec 3.1: "If the compensation throw event is inside an embedded subprocess, the process
    instance invokes only the compensation handlers within the subprocess." """
    await gateway.deploy(with_subprocess(throw_inside=True).to_xml())
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.outer"))
    await gateway.complete(await gateway.activate_one("do.inner"))
    inner_handler = await gateway.activate_one("undo.inner")
    gateway.engine.assert_that(key).is_waiting_at("undo_in")
    assert await gateway.activate("undo.outer") == [], "the inner throw must not reach outer"
    await gateway.complete(inner_handler)
    gateway.engine.assert_that(key).has_passed_elements_in_order("undo_in", "sub_end", "sub")
    await gateway.complete(await gateway.activate_one("undo.outer"))  # the outer throw's work
    assert await gateway.activate("undo.inner") == [], "inner was compensated once already"
    gateway.engine.assert_that(key).is_completed()


async def test_call_activity_children_are_not_compensated(gateway: Gateway) -> None:
    """Spec 3.1: "Compensation handlers of child processes are not invoked. The triggering of the
    compensation stops at the call activity." """
    child = (
        ProcessBuilder("conf-child")
        .start()
        .service_task("c", type="do.c")
        .compensation("c", handler="undo_c", handler_type="undo.c")
        .end()
    )
    parent = (
        ProcessBuilder("conf-comp")
        .start()
        .call_activity("call", process_id="conf-child")
        .intermediate_throw("undo", event=Compensation())
        .end()
    )
    await gateway.deploy(child.to_xml(), parent.to_xml(), names=["c.bpmn", "p.bpmn"])
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.c"))
    gateway.engine.assert_that(key).is_completed()
    assert await gateway.activate("undo.c") == []


async def test_multi_instance_handler_is_invoked_once(gateway: Gateway) -> None:
    """Spec 3.1: "The compensation handler of a multi-instance activity is invoked only once,
    rather than for each item in the input collection." """
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .service_task("a", type="do.a", loop=MultiInstance("= items", "item"))
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .intermediate_throw("undo", event=Compensation())
        .end()
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp", {"items": [1, 2, 3]})
    for job in await gateway.activate("do.a"):
        await gateway.complete(job)
    await gateway.complete(await gateway.activate_one("undo.a"))
    gateway.engine.assert_that(key).is_completed()
    assert len(gateway.element_keys(key, "undo_a", "ELEMENT_ACTIVATED")) == 1


async def test_error_event_subprocess_compensates_the_outer_scope(gateway: Gateway) -> None:
    """Spec 3.1: event subprocesses "can specify an activity or broadcast the compensation within
    the outer scope of the event subprocess ... in combination with an error event subprocess"."""
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .service_task("a", type="do.a")
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .service_task("b", type="do.b")
        .end()
        .event_sub_process("on_error")
        .start("err_start", event=Error("FAIL"))
        .intermediate_throw("undo", event=Compensation())
        .end("err_end")
        .sub_process_end()
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp")
    await gateway.complete(await gateway.activate_one("do.a"))
    job_b = await gateway.activate_one("do.b")
    await gateway.stub.ThrowError(pb.ThrowErrorRequest(jobKey=job_b.key, errorCode="FAIL"))
    await gateway.complete(await gateway.activate_one("undo.a"))
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order(
        "undo_a", "undo", "err_end"
    )


async def test_handler_sees_variables_of_the_throw_scope(gateway: Gateway) -> None:
    """Spec 3.2: "the handler sees the variables visible from the throw event's scope ... local
    variables of the compensated activity ... are gone"; job results propagate normally."""
    xml = (
        ProcessBuilder("conf-comp")
        .start()
        .service_task("a", type="do.a", inputs=[('= "tmp"', "onlyInA")])
        .compensation("a", handler="undo_a", handler_type="undo.a")
        .intermediate_throw("undo", event=Compensation())
        .end()
    )
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-comp", {"orderId": "o-1"})
    await gateway.complete(await gateway.activate_one("do.a"), {"paymentId": "p-9"})
    handler = await gateway.activate_one("undo.a")
    assert json.loads(handler.variables) == {"orderId": "o-1", "paymentId": "p-9"}
    await gateway.complete(handler, {"refunded": True})
    gateway.engine.assert_that(key).is_completed().has_variables({"refunded": True})


async def test_handler_failure_keeps_the_throw_event_waiting(gateway: Gateway) -> None:
    """Spec 3.2: "Handler failure -> normal retries/incident; the throw event stays active
    meanwhile." """
    key = await run_two_steps(gateway, two_steps("a"))
    handler = await gateway.activate_one("undo.a")
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=handler.key, retries=0, errorMessage="x"))
    assert gateway.wait_incident(key).value["errorType"] == "JOB_NO_RETRIES"
    gateway.engine.assert_that(key).is_waiting_at("undo", "undo_a")

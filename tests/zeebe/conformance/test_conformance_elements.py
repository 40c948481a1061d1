"""Element semantics real models rely on: event subprocesses, terminate,
signals, escalations, links, receive tasks, call activities (spec 4.2, 5.2, 5.5)."""

from __future__ import annotations

import datetime as dt
import json

import grpc
import pytest
from conformance_support import Gateway, element_events, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import (
    Escalation,
    Message,
    ProcessBuilder,
    Signal,
    Terminate,
    Timer,
)
from zeebe.testing.diagram import with_diagram

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


def count(records: list, key: int, element_id: str, intent: str) -> int:  # type: ignore[type-arg]
    return sum(
        1
        for r in element_events(records, key)
        if r.value.get("elementId") == element_id and r.intent == intent
    )


def with_event_subprocess(*, interrupting: bool) -> bytes:
    return (
        ProcessBuilder("conf-esp")
        .start()
        .service_task("work", type="conf.work")
        .end()
        .event_sub_process("esp")
        .start("esp_start", event=Message("cancel", "= orderId"), interrupting=interrupting)
        .service_task("react", type="conf.react")
        .end("esp_end")
        .sub_process_end()
        .to_xml()
    )


async def test_non_interrupting_event_subprocess_can_trigger_repeatedly(gateway: Gateway) -> None:
    """Spec 4.2: "A non-interrupting event subprocess can be triggered multiple times." and "its
    containing scope is not completed until the triggered instance is completed"."""
    await gateway.deploy(with_event_subprocess(interrupting=False))
    key = await gateway.start("conf-esp", {"orderId": "o-1"})
    gateway.engine.assert_that(key).is_waiting_at("work")
    await gateway.publish("cancel", "o-1")
    await gateway.publish("cancel", "o-1")
    assert gateway.wait(lambda rs: count(rs, key, "esp", "ELEMENT_ACTIVATED") == 2)
    reactions = await gateway.activate("conf.react")
    assert len(reactions) == 2
    await gateway.complete(await gateway.activate_one("conf.work"))
    gateway.engine.assert_that(key).is_waiting_at("esp")
    for job in reactions:
        await gateway.complete(job)
    gateway.engine.assert_that(key).is_completed()


async def test_interrupting_event_subprocess_terminates_the_scope(gateway: Gateway) -> None:
    """Spec 4.2: "When an interrupting event subprocess is triggered, all active instances of its
    containing scope are terminated"; "An interrupting event subprocess can be triggered only
    once." """
    await gateway.deploy(with_event_subprocess(interrupting=True))
    key = await gateway.start("conf-esp", {"orderId": "o-1"})
    gateway.engine.assert_that(key).is_waiting_at("work")
    await gateway.publish("cancel", "o-1")
    gateway.engine.assert_that(key).is_waiting_at("react")
    assert count(gateway.records(), key, "work", "ELEMENT_TERMINATED") == 1
    await gateway.publish("cancel", "o-1")
    await gateway.complete(await gateway.activate_one("conf.react"))
    gateway.engine.assert_that(key).is_completed()
    assert count(gateway.records(), key, "esp", "ELEMENT_ACTIVATED") == 1


async def test_terminate_end_event_in_subprocess_completes_the_subprocess(gateway: Gateway) -> None:
    """Spec 4.2: terminate "inside a subprocess the subprocess completes, and the process instance
    takes the outgoing sequence flows"."""
    xml = (
        ProcessBuilder("conf-term")
        .start()
        .sub_process("sub")
        .start("sub_start")
        .parallel_gateway("fork")
        .service_task("slow", type="conf.slow")
        .end("slow_end")
        .move_to("fork")
        .end("stop", event=Terminate())
        .sub_process_end()
        .service_task("after", type="conf.after")
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-term")
    gateway.engine.assert_that(key).is_waiting_at("after")
    assert count(gateway.records(), key, "slow", "ELEMENT_TERMINATED") == 1
    assert count(gateway.records(), key, "sub", "ELEMENT_COMPLETED") == 1


async def test_terminate_end_event_at_process_level_completes_the_instance(
    gateway: Gateway,
) -> None:
    """Spec 4.2: "terminates all element instances in the same flow scope ... On the process
    scope the instance then completes"."""
    xml = (
        ProcessBuilder("conf-term")
        .start()
        .parallel_gateway("fork")
        .service_task("slow", type="conf.slow")
        .end("slow_end")
        .move_to("fork")
        .end("stop", event=Terminate())
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-term")
    gateway.engine.assert_that(key).is_completed()
    assert await gateway.activate("conf.slow") == []


async def test_signal_broadcast_triggers_catch_events_and_start_events(gateway: Gateway) -> None:
    """Spec 5.5: "BroadcastSignal triggers all signal start events / active signal catch
    subscriptions with that name (no correlation key, no buffering)"."""
    catcher = ProcessBuilder("conf-sig").start().intermediate_catch("wait", event=Signal("go"))
    starter = (
        ProcessBuilder("conf-sig-start")
        .start(event=Signal("go"))
        .service_task("t", type="conf.sig")
    )
    await gateway.deploy(catcher.end().to_xml(), starter.end().to_xml(), names=["a.bpmn", "b.bpmn"])
    keys = [await gateway.start("conf-sig") for _ in range(2)]
    for key in keys:
        gateway.engine.assert_that(key).is_waiting_at("wait")
    await gateway.stub.BroadcastSignal(
        pb.BroadcastSignalRequest(signalName="go", variables='{"s": 1}')
    )
    for key in keys:
        gateway.engine.assert_that(key).is_completed().has_variables({"s": 1})
    job = await gateway.activate_one("conf.sig")
    assert json.loads(job.variables) == {"s": 1}
    late = await gateway.start("conf-sig")
    gateway.engine.assert_that(late).is_waiting_at("wait")


async def test_uncaught_escalation_raises_no_incident(gateway: Gateway) -> None:
    """Spec 2.6: escalation "If there are no escalation catch events that match the
    `escalationCode`, the escalation will not be caught. Unlike with error events, no incident is
    raised." """
    xml = (
        ProcessBuilder("conf-esc")
        .start()
        .intermediate_throw("esc", event=Escalation("LATE"))
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-esc")
    gateway.engine.assert_that(key).is_completed()
    assert gateway.open_incidents(key) == []


async def test_non_interrupting_escalation_boundary_on_subprocess(gateway: Gateway) -> None:
    """Spec 2.6/4.1: escalation caught by the nearest boundary; non-interrupting keeps the scope."""
    xml = (
        ProcessBuilder("conf-esc")
        .start()
        .sub_process("sub")
        .start("sub_start")
        .intermediate_throw("esc", event=Escalation("LATE"))
        .service_task("t", type="conf.esc")
        .end("sub_end")
        .sub_process_end()
        .end()
        .boundary("late", attached_to="sub", event=Escalation("LATE"), interrupting=False)
        .end("late_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-esc")
    gateway.engine.assert_that(key).has_passed_elements_in_order("late", "late_end")
    await gateway.complete(await gateway.activate_one("conf.esc"))
    gateway.engine.assert_that(key).is_completed()


async def test_link_events_behave_like_a_sequence_flow(gateway: Gateway) -> None:
    """Spec 4.2: link events "function the same as two intermediate none events connected via a
    sequence flow"."""
    xml = with_diagram(
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" '
        b'targetNamespace="t"><bpmn:process id="conf-link" isExecutable="true">'
        b'<bpmn:startEvent id="start"/>'
        b'<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="jump"/>'
        b'<bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="next"/>'
        b"</bpmn:intermediateThrowEvent>"
        b'<bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="next"/>'
        b"</bpmn:intermediateCatchEvent>"
        b'<bpmn:sequenceFlow id="f2" sourceRef="land" targetRef="end"/><bpmn:endEvent id="end"/>'
        b"</bpmn:process></bpmn:definitions>"
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-link")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("jump", "land")


async def test_receive_task_waits_for_its_message(gateway: Gateway) -> None:
    """Spec 4.2/5.5: receive task subscribes on entering; message output mapping applies."""
    xml = (
        ProcessBuilder("conf-recv")
        .start()
        .receive_task("recv", message=Message("confirm", "= id"), outputs=[("= amount", "paid")])
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-recv", {"id": "x"})
    gateway.engine.assert_that(key).is_waiting_at("recv")
    await gateway.publish("confirm", "x", variables={"amount": 3, "noise": 1})
    gateway.engine.assert_that(key).is_completed().has_variables({"paid": 3})
    assert "noise" not in gateway.scope_variables(key)


async def test_call_activity_process_id_expression(gateway: Gateway) -> None:
    """Spec 4.2: call activity `processId` "static or expression"."""
    child = ProcessBuilder("conf-child").start().end().to_xml()
    parent = ProcessBuilder("conf-parent").start().call_activity("call", process_id="= target")
    await gateway.deploy(child, parent.end().to_xml(), names=["c.bpmn", "p.bpmn"])
    key = await gateway.start("conf-parent", {"target": "conf-child"})
    gateway.engine.assert_that(key).is_completed()


async def test_message_boundary_interrupting_terminates_task(gateway: Gateway) -> None:
    """Spec 4.2: interrupting boundary terminates the task and cancels its job."""
    xml = (
        ProcessBuilder("conf-mb")
        .start()
        .service_task("t", type="conf.mb")
        .end()
        .boundary("stop", attached_to="t", event=Message("stop", "= id"))
        .end("stopped")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-mb", {"id": "1"})
    job = await gateway.activate_one("conf.mb")
    await gateway.publish("stop", "1")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("stop", "stopped")
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_timer_cycle_with_start_date_fires_first_at_the_start(gateway: Gateway) -> None:
    """Spec 9.2: `R3/2022-04-27T17:20:00Z/P1D` - "the timer triggers for the first time on the
    given start time. Afterwards, it will follow the interval as usual." """
    assert gateway.engine.clock is not None
    start = dt.datetime.fromtimestamp(gateway.engine.clock() / 1000, dt.UTC) + dt.timedelta(
        minutes=30
    )
    cycle = f"R2/{start.replace(microsecond=0).strftime('%Y-%m-%dT%H:%M:%SZ')}/PT1H"
    xml = (
        ProcessBuilder("conf-tc")
        .start()
        .service_task("t", type="conf.tc")
        .end()
        .boundary("tick", attached_to="t", event=Timer.cycle(cycle), interrupting=False)
        .end("tick_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-tc")
    gateway.engine.assert_that(key).is_waiting_at("t")
    gateway.engine.advance(30 * 60_000)
    assert gateway.wait(lambda rs: count(rs, key, "tick", "ELEMENT_COMPLETED") == 1)
    gateway.engine.advance(60 * 60_000)
    assert gateway.wait(lambda rs: count(rs, key, "tick", "ELEMENT_COMPLETED") == 2)

"""BPMN errors thrown by workers and error end events (spec 2.6)."""

from __future__ import annotations

import json

import pytest
from conformance_support import Gateway, open_incidents
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.records import ValueType
from zeebe.testing.bpmn_builder import Error, ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


async def throw(gateway: Gateway, job: pb.ActivatedJob, code: str, **fields: str) -> None:
    await gateway.stub.ThrowError(pb.ThrowErrorRequest(jobKey=job.key, errorCode=code, **fields))


def task_with_boundaries(*codes: str | None) -> bytes:
    builder = ProcessBuilder("conf-err").start().service_task("task", type="conf.err").end()
    for code in codes:
        name = f"caught_{code or 'all'}"
        builder.boundary(name, attached_to="task", event=Error(code)).end(f"{name}_end")
    return builder.to_xml()


async def test_error_is_caught_by_the_boundary_with_its_code(gateway: Gateway) -> None:
    """Spec 2.6: "the error code is matched against the attached error boundary events"; "the
    error catch event that matches the `errorCode` is prioritized" over a catch-all."""
    await gateway.deploy(task_with_boundaries(None, "DECLINED"))
    key = await gateway.start("conf-err")
    await throw(gateway, await gateway.activate_one("conf.err"), "DECLINED")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order(
        "caught_DECLINED", "caught_DECLINED_end"
    )
    assert gateway.element_keys(key, "caught_all", "ELEMENT_COMPLETED") == []


async def test_catch_all_boundary_catches_any_code(gateway: Gateway) -> None:
    """Spec 2.6: "a catch event without error reference catches **all** thrown errors"."""
    await gateway.deploy(task_with_boundaries(None, "DECLINED"))
    key = await gateway.start("conf-err")
    await throw(gateway, await gateway.activate_one("conf.err"), "OTHER")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("caught_all")


async def test_error_codes_are_case_sensitive(gateway: Gateway) -> None:
    """Spec 2.6: "code comparison is exact byte equality (case-sensitive)"."""
    await gateway.deploy(task_with_boundaries("DECLINED"))
    key = await gateway.start("conf-err")
    await throw(gateway, await gateway.activate_one("conf.err"), "declined")
    assert gateway.wait_incident(key).value["errorType"] == "UNHANDLED_ERROR_EVENT"


async def test_throw_error_variables_are_set_on_the_catch_event(gateway: Gateway) -> None:
    """Spec 2.6 [P]: variables "instantiate the variables at the local scope of the error catch
    event"; an error catch event without output mapping propagates nothing (spec 5.2 engine
    detail "boundary events (non-error)"; JobThrowErrorTest.shouldThrowErrorWithVariables)."""
    await gateway.deploy(task_with_boundaries("DECLINED"))
    key = await gateway.start("conf-err")
    job = await gateway.activate_one("conf.err")
    await throw(gateway, job, "DECLINED", variables=json.dumps({"reason": "card"}))
    gateway.engine.assert_that(key).is_completed()
    (caught,) = gateway.element_keys(key, "caught_DECLINED", "ELEMENT_COMPLETED")
    reason = [
        (r.value["scopeKey"], r.value["value"])
        for r in gateway.records()
        if r.value_type is ValueType.VARIABLE and r.value.get("name") == "reason"
    ]
    assert reason == [(caught, '"card"')]


async def test_unhandled_error_raises_incident_with_documented_message(gateway: Gateway) -> None:
    """Spec 2.6: incident UNHANDLED_ERROR_EVENT; message "Expected to throw an error event with
    the code '<code>' with message '<msg>', but it was not caught. No error events are available
    in the scope." attached to the task."""
    await gateway.deploy(task_with_boundaries())
    key = await gateway.start("conf-err")
    job = await gateway.activate_one("conf.err")
    await throw(gateway, job, "DECLINED", errorMessage="card declined")
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "UNHANDLED_ERROR_EVENT"
    assert incident.value["errorMessage"] == (
        "Expected to throw an error event with the code 'DECLINED' with message 'card declined', "
        "but it was not caught. No error events are available in the scope."
    )
    assert int(incident.value["elementInstanceKey"]) == job.elementInstanceKey


async def test_unhandled_error_message_lists_available_codes(gateway: Gateway) -> None:
    """Spec 2.6: "... but it was not caught." + " Available error events are [<codes>]"."""
    await gateway.deploy(task_with_boundaries("A"))
    key = await gateway.start("conf-err")
    await throw(gateway, await gateway.activate_one("conf.err"), "B")
    message = gateway.wait_incident(key).value["errorMessage"]
    assert message == (
        "Expected to throw an error event with the code 'B', but it was not caught. "
        "Available error events are [A]"
    )


async def test_resolving_unhandled_error_incident_reenables_the_job(gateway: Gateway) -> None:
    """Spec 2.6: "When you resolve the incident attached to a task, it ignores the error,
    re-enables the job, and allows it to be activated and completed by a job worker once
    again." """
    await gateway.deploy(task_with_boundaries())
    key = await gateway.start("conf-err")
    job = await gateway.activate_one("conf.err")
    await throw(gateway, job, "X")
    incident = gateway.wait_incident(key)
    assert await gateway.activate("conf.err") == [], "a thrown job is disabled"
    await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
    again = await gateway.activate_one("conf.err")
    await gateway.complete(again)
    gateway.engine.assert_that(key).is_completed()


async def test_error_propagates_out_of_an_embedded_subprocess(gateway: Gateway) -> None:
    """Spec 2.6: "At each scope, the error is either caught, or propagated to the parent scope."
    The subprocess is terminated and its boundary event taken."""
    xml = (
        ProcessBuilder("conf-err")
        .start()
        .sub_process("sub")
        .start("sub_start")
        .service_task("task", type="conf.err")
        .end("sub_end")
        .sub_process_end()
        .end()
        .boundary("caught", attached_to="sub", event=Error("E1"))
        .end("caught_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-err")
    await throw(gateway, await gateway.activate_one("conf.err"), "E1")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("caught")
    assert gateway.element_keys(key, "sub", "ELEMENT_TERMINATED")


async def test_error_event_subprocess_catches_the_error(gateway: Gateway) -> None:
    """Spec 2.6/4.2: an error event subprocess at the process level catches an error of a task;
    "all active instances of its containing scope are terminated"."""
    xml = (
        ProcessBuilder("conf-err")
        .start()
        .service_task("task", type="conf.err")
        .end()
        .event_sub_process("on_error")
        .start("err_start", event=Error("E1"))
        .service_task("handle", type="conf.handle")
        .end("err_end")
        .sub_process_end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-err")
    await throw(gateway, await gateway.activate_one("conf.err"), "E1")
    await gateway.complete(await gateway.activate_one("conf.handle"))
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order(
        "err_start", "handle", "err_end", "on_error"
    )


async def test_error_of_a_child_instance_is_caught_at_the_call_activity(gateway: Gateway) -> None:
    """Spec 2.6: "If the process instance is created via call activity, the error can also be
    caught in the calling parent process instance." """
    child = (
        ProcessBuilder("conf-child").start().service_task("ct", type="conf.child").end().to_xml()
    )
    parent = (
        ProcessBuilder("conf-parent")
        .start()
        .call_activity("call", process_id="conf-child")
        .end()
        .boundary("caught", attached_to="call", event=Error("CHILD"))
        .end("caught_end")
        .to_xml()
    )
    await gateway.deploy(child, parent, names=["child.bpmn", "parent.bpmn"])
    key = await gateway.start("conf-parent")
    await throw(gateway, await gateway.activate_one("conf.child"), "CHILD")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("caught")


async def test_error_end_event_is_caught_by_the_enclosing_boundary(gateway: Gateway) -> None:
    """Spec 2.6: "Throwing from BPMN: error end event"; caught by the subprocess boundary."""
    xml = (
        ProcessBuilder("conf-err")
        .start()
        .sub_process("sub")
        .start("sub_start")
        .end("boom", event=Error("E2"))
        .sub_process_end()
        .end()
        .boundary("caught", attached_to="sub", event=Error("E2"))
        .end("caught_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-err")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("caught")


async def test_uncaught_error_end_event_raises_an_incident(gateway: Gateway) -> None:
    """Spec 2.6: unhandled -> incident "attached to ... the error end event"."""
    xml = ProcessBuilder("conf-err").start().end("boom", event=Error("E3")).to_xml()
    await gateway.deploy(xml)
    key = await gateway.start("conf-err")
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "UNHANDLED_ERROR_EVENT"
    assert incident.value["elementId"] == "boom"
    assert "'E3'" in incident.value["errorMessage"]


async def test_nearest_scope_wins_over_an_outer_specific_catch(gateway: Gateway) -> None:
    """Spec 2.6: "An error is caught by the first event in the scope hierarchy matching the error
    code" - an inner catch-all boundary beats a specific boundary on the enclosing subprocess."""
    xml = (
        ProcessBuilder("conf-err")
        .start()
        .sub_process("sub")
        .start("sub_start")
        .service_task("task", type="conf.err")
        .end("sub_end")
        .sub_process_end()
        .end()
        .boundary("outer", attached_to="sub", event=Error("E"))
        .end("outer_end")
        .move_to("task")
        .boundary("inner", attached_to="task", event=Error())
        .end("inner_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-err")
    await throw(gateway, await gateway.activate_one("conf.err"), "E")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("inner", "sub")
    assert gateway.element_keys(key, "outer", "ELEMENT_COMPLETED") == []


async def test_event_subprocess_inside_the_scope_beats_the_boundary_outside(
    gateway: Gateway,
) -> None:
    """Spec 2.6: "Starting at the scope where the error was thrown, the error code is matched
    against the attached error boundary events and error event subprocesses at that level"; the
    subprocess's own error event subprocess handles it and the subprocess completes normally."""
    xml = (
        ProcessBuilder("conf-err")
        .start()
        .sub_process("sub")
        .start("sub_start")
        .service_task("task", type="conf.err")
        .end("sub_end")
        .event_sub_process("inner_esp")
        .start("esp_start", event=Error("E"))
        .end("esp_end")
        .sub_process_end()
        .sub_process_end()
        .end()
        .boundary("outer", attached_to="sub", event=Error("E"))
        .end("outer_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-err")
    await throw(gateway, await gateway.activate_one("conf.err"), "E")
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order(
        "esp_start", "inner_esp", "sub", "end"
    )


async def test_cancelling_an_instance_resolves_its_incidents(gateway: Gateway) -> None:
    """Spec 2.1: "When the task is terminated (interrupting boundary event, cancel, etc.) the job
    is canceled and any incident of that element is resolved"."""
    await gateway.deploy(task_with_boundaries())
    key = await gateway.start("conf-err")
    job = await gateway.activate_one("conf.err")
    await gateway.stub.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0))
    gateway.wait_incident(key)
    await gateway.stub.CancelProcessInstance(
        pb.CancelProcessInstanceRequest(processInstanceKey=key)
    )
    gateway.engine.assert_that(key).is_terminated()
    assert gateway.wait(lambda rs: open_incidents(rs, key) == [])

"""Multi-instance activities (spec 4.2), including boundary events on the body."""

from __future__ import annotations

import json

import grpc
import pytest
from conformance_support import Gateway, element_events, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import Error, MultiInstance, ProcessBuilder, Timer

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


def count(records: list, key: int, element_id: str, intent: str) -> int:  # type: ignore[type-arg]
    return sum(
        1
        for r in element_events(records, key)
        if r.value.get("elementId") == element_id and r.intent == intent
    )


async def test_multi_instance_collects_output_in_input_order(gateway: Gateway) -> None:
    """Spec 4.2: `inputElement` local per instance; `loopCounter` "starting with 1";
    `outputCollection` "filled at the index of the input element, propagated on completion"."""
    loop = MultiInstance("= items", "item", output_collection="results", output_element="= out")
    xml = ProcessBuilder("conf-mi").start().service_task("t", type="conf.mi", loop=loop).end()
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-mi", {"items": ["a", "b", "c"]})
    jobs = await gateway.activate("conf.mi")
    seen = sorted(
        (json.loads(j.variables)["loopCounter"], json.loads(j.variables)["item"]) for j in jobs
    )
    assert seen == [(1, "a"), (2, "b"), (3, "c")]
    for job in reversed(jobs):
        await gateway.complete(job, {"out": json.loads(job.variables)["item"].upper()})
    gateway.engine.assert_that(key).is_completed().has_variables({"results": ["A", "B", "C"]})
    assert "item" not in gateway.scope_variables(key)


async def test_multi_instance_empty_collection_is_skipped(gateway: Gateway) -> None:
    """Spec 4.2: "empty collection -> body completes immediately ... and an empty
    `outputCollection` is propagated"."""
    loop = MultiInstance("= items", "item", output_collection="results", output_element="= out")
    xml = ProcessBuilder("conf-mi").start().service_task("t", type="conf.mi", loop=loop).end()
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-mi", {"items": []})
    gateway.engine.assert_that(key).is_completed().has_variables({"results": []})


async def test_sequential_multi_instance_runs_one_at_a_time(gateway: Gateway) -> None:
    """Spec 4.2: `isSequential="true"` for sequential."""
    loop = MultiInstance("= items", "item", sequential=True)
    xml = ProcessBuilder("conf-mi").start().service_task("t", type="conf.mi", loop=loop).end()
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-mi", {"items": [1, 2]})
    first = await gateway.activate_one("conf.mi")
    assert json.loads(first.variables)["item"] == 1
    await gateway.complete(first)
    second = await gateway.activate_one("conf.mi")
    assert json.loads(second.variables)["item"] == 2
    await gateway.complete(second)
    gateway.engine.assert_that(key).is_completed()


async def test_completion_condition_terminates_remaining_instances(gateway: Gateway) -> None:
    """Spec 4.2: `completionCondition` "evaluated after each instance completes, with
    numberOfCompletedInstances ..."."""
    loop = MultiInstance(
        "= items", "item", completion_condition="= numberOfCompletedInstances >= 1"
    )
    xml = ProcessBuilder("conf-mi").start().service_task("t", type="conf.mi", loop=loop).end()
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-mi", {"items": [1, 2, 3]})
    jobs = await gateway.activate("conf.mi")
    await gateway.complete(jobs[0])
    gateway.engine.assert_that(key).is_completed()
    assert count(gateway.records(), key, "t", "ELEMENT_TERMINATED") == 2


async def test_non_collection_input_is_an_incident(gateway: Gateway) -> None:
    """Spec 4.2: inputCollection "must result in an array" (EXTRACT_VALUE_ERROR incident)."""
    loop = MultiInstance("= items", "item")
    xml = ProcessBuilder("conf-mi").start().service_task("t", type="conf.mi", loop=loop).end()
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-mi", {"items": "nope"})
    assert gateway.wait_incident(key).value["errorType"] == "EXTRACT_VALUE_ERROR"


def body_with_boundary(event: Error | Timer) -> bytes:
    loop = MultiInstance("= [1, 2]", "i")
    return (
        ProcessBuilder("conf-mi")
        .start()
        .service_task("t", type="conf.mi", loop=loop)
        .end()
        .boundary("b", attached_to="t", event=event)
        .end("b_end")
        .to_xml()
    )


async def test_error_of_one_instance_is_caught_on_the_body(gateway: Gateway) -> None:
    """Spec 3.2/4.2: boundary events of a multi-instance activity belong to the body; the error
    of one inner instance interrupts the body and cancels the other instances' jobs."""
    await gateway.deploy(body_with_boundary(Error("E")))
    key = await gateway.start("conf-mi")
    first, second = await gateway.activate("conf.mi")
    await gateway.stub.ThrowError(pb.ThrowErrorRequest(jobKey=first.key, errorCode="E"))
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("b", "b_end")
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=second.key)))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_interrupting_timer_on_the_body_drops_partial_output(gateway: Gateway) -> None:
    """Spec 4.2: interrupting boundary event -> "The `outputCollection` variable is not propagated
    to the parent scope (i.e. no partial output)"."""
    loop = MultiInstance("= [1, 2]", "i", output_collection="out", output_element="= i")
    xml = (
        ProcessBuilder("conf-mi")
        .start()
        .service_task("t", type="conf.mi", loop=loop)
        .end()
        .boundary("b", attached_to="t", event=Timer.duration("PT1M"))
        .end("b_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-mi")
    first, _ = await gateway.activate("conf.mi")
    await gateway.complete(first)
    gateway.engine.advance(60_000)
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("b", "b_end")
    assert "out" not in gateway.scope_variables(key)
